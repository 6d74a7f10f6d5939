import type { ArgoCdSimulator } from '../argocd';
import { SeededRandom, hashSeed } from './random';
import { PodGroup, Track, argoCdPodGroups } from './topology';

/** Upper bounds (seconds) of the `http_request_duration_seconds` buckets. */
export const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10,
] as const;

/** How one revision of a service behaves. */
export interface RevisionProfile {
  /** Fraction of requests answered 500. */
  errorRate: number;
  /** Median latency in seconds. */
  medianSeconds: number;
  /** 95th percentile latency in seconds. */
  p95Seconds: number;
}

/**
 * The p95 sits inside the (0.1 s, 0.25 s] histogram bucket (it estimates at
 * ~0.24 s), not on a bucket bound: at a bound, `histogram_quantile` turns
 * sampling noise into upward jumps only (the bucket above holds ~5 % of the
 * requests, the one below ~70 %), so the canary, with less traffic and more
 * noise, read as slower than identical stable pods, and the rank test now
 * and then called a healthy canary High.
 */
export const HEALTHY_PROFILE: RevisionProfile = {
  errorRate: 0.001,
  medianSeconds: 0.12,
  p95Seconds: 0.2,
};

/**
 * Slow but not failing, chosen for the demo SLO (p95 pass < 600 ms, warning
 * <= 800 ms; error rate pass <= 1 %) and the canary judge:
 * - ~77 % of requests take more than 0.5 s and ~3 % more than 0.75 s, so
 *   with 15 % or more of a service's traffic the service-wide p95 lands in
 *   the (0.5 s, 0.75 s] histogram bucket, at ~0.65–0.75 s after
 *   interpolation: the gate warns (score 75). Sampling noise cannot move a
 *   quantile that sits in the middle of a bucket across 600 or 800 ms, as
 *   it would an error rate tuned next to a threshold.
 * - No 5xx at all: the canary's error rate can never look higher than the
 *   stable pods' (a few errors in short, overlapping rate() windows would
 *   otherwise trip the critical `error_rate` metric now and then), so the
 *   canary analysis only sees the latency.
 */
export const MARGINAL_PROFILE: RevisionProfile = {
  errorRate: 0,
  medianSeconds: 0.56,
  p95Seconds: 0.72,
};

export const BAD_PROFILE: RevisionProfile = {
  errorRate: 0.08,
  medianSeconds: 0.35,
  p95Seconds: 0.9,
};

/** How a revision behaves in the simulation. */
export type RevisionQuality = 'healthy' | 'marginal' | 'bad';

export const REVISION_QUALITIES: readonly RevisionQuality[] = [
  'healthy',
  'marginal',
  'bad',
];

const PROFILES: Record<RevisionQuality, RevisionProfile> = {
  healthy: HEALTHY_PROFILE,
  marginal: MARGINAL_PROFILE,
  bad: BAD_PROFILE,
};

/** Narrows user input to a quality; the error names the field. */
export function parseRevisionQuality(value: unknown): RevisionQuality {
  if (
    typeof value !== 'string' ||
    !REVISION_QUALITIES.includes(value as RevisionQuality)
  ) {
    throw new Error(
      `quality must be one of ${REVISION_QUALITIES.join(', ')}, got ${
        typeof value === 'string' ? `'${value}'` : typeof value
      }`,
    );
  }
  return value as RevisionQuality;
}

/** Requests per second an application receives, before per-service variation. */
const STAGE_RPS: Record<string, number> = { prod: 40, staging: 6, dev: 2 };

/** A clock jump (suspended laptop) is not simulated beyond this. */
const MAX_CATCH_UP_MS = 5 * 60_000;

export interface WorkloadMetricsOptions {
  /** Where the pods come from: the Argo CD simulator's applications … */
  argocd?: ArgoCdSimulator;
  /** … or any other source (tests). */
  podGroups?: () => PodGroup[];
  /** Drives the traffic accumulated by `catchUp()`; default wall clock. */
  clock?: () => Date;
  /** PRNG seed; the same seed and calls give the same series. Default 1. */
  seed?: number | string;
  /** Requests per second of an application; default by stage (prod 40, staging 6, dev 2) ±25% per service. */
  requestsPerSecond?: (service: string, stage: string) => number;
}

/** Accumulated counters of one pod group. */
export interface SeriesSnapshot {
  app: string;
  service: string;
  stage: string;
  podTemplateHash: string;
  track: Track;
  revision: string;
  requests: { '200': number; '500': number };
  /** Cumulative counts per `LATENCY_BUCKETS` bound (excluding +Inf). */
  buckets: number[];
  count: number;
  sumSeconds: number;
}

interface Counters {
  group: PodGroup;
  ok: number;
  errors: number;
  /** Non-cumulative counts per bucket; the last slot is (10s, +Inf). */
  bucketCounts: number[];
  sum: number;
}

/**
 * Simulated request traffic of every application's pods, following the
 * Argo CD simulator's Rollouts: the stable ReplicaSet and, during a canary,
 * the canary ReplicaSet get the canary weight's share of requests. Each
 * revision is healthy (~0.1% 5xx, p95 ~240 ms) unless marked marginal
 * (no 5xx, p95 ~720 ms) or bad (8% 5xx, p95 ~900 ms). Deterministic for a
 * given seed and sequence of calls.
 */
export class WorkloadMetrics {
  private readonly podGroups: () => PodGroup[];
  private readonly clock: () => Date;
  private readonly seed: number;
  private readonly rps: (service: string, stage: string) => number;
  private readonly random = new Map<string, SeededRandom>();
  private readonly counters = new Map<string, Counters>();
  /** Revisions (full SHAs or prefixes) marked other than healthy. */
  private readonly qualities = new Map<
    string,
    Exclude<RevisionQuality, 'healthy'>
  >();
  private lastCatchUp: number;

  static create(options: WorkloadMetricsOptions): WorkloadMetrics {
    return new WorkloadMetrics(options);
  }

  private constructor(options: WorkloadMetricsOptions) {
    const { argocd } = options;
    if (options.podGroups) {
      this.podGroups = options.podGroups;
    } else if (argocd) {
      this.podGroups = () => argoCdPodGroups(argocd);
    } else {
      throw new Error('WorkloadMetrics needs argocd or podGroups');
    }
    this.clock = options.clock ?? (() => new Date());
    this.seed = hashSeed(options.seed ?? 1);
    this.rps =
      options.requestsPerSecond ??
      ((service, stage) =>
        (STAGE_RPS[stage] ?? 2) *
        (0.75 + (hashSeed('rps', service) % 1000) / 2000));
    this.lastCatchUp = this.clock().getTime();
  }

  /**
   * Sets how a Git revision (full SHA or a ≥7-character prefix) behaves from
   * now on; the latest call wins for every revision it matches.
   */
  setRevisionQuality(revision: string, quality: RevisionQuality): void {
    const key = normalizeRevision(revision);
    const parsed = parseRevisionQuality(quality);
    // Attribute the traffic so far to the old behaviour.
    this.catchUp();
    for (const marked of [...this.qualities.keys()]) {
      if (sameRevision(key, marked)) this.qualities.delete(marked);
    }
    if (parsed !== 'healthy') this.qualities.set(key, parsed);
  }

  revisionQuality(revision: string): RevisionQuality {
    const key = normalizeRevision(revision);
    for (const [marked, quality] of this.qualities) {
      if (sameRevision(key, marked)) return quality;
    }
    return 'healthy';
  }

  /** Shorthand for `setRevisionQuality(revision, bad ? 'bad' : 'healthy')`. */
  setRevisionBad(revision: string, bad: boolean): void {
    this.setRevisionQuality(revision, bad ? 'bad' : 'healthy');
  }

  isRevisionBad(revision: string): boolean {
    return this.revisionQuality(revision) === 'bad';
  }

  badRevisions(): string[] {
    return [...this.qualities]
      .filter(([, quality]) => quality === 'bad')
      .map(([key]) => key)
      .sort();
  }

  profile(revision: string): RevisionProfile {
    return PROFILES[this.revisionQuality(revision)];
  }

  /** Simulates the traffic between the last catch-up and the clock's now. */
  catchUp(): void {
    const now = this.clock().getTime();
    const elapsed = Math.min(now - this.lastCatchUp, MAX_CATCH_UP_MS);
    this.lastCatchUp = now;
    if (elapsed > 0) this.advance(elapsed);
  }

  /** Simulates `ms` of traffic on the pods as they are now (independent of the clock). */
  advance(ms: number): void {
    if (!(ms > 0)) return;
    const byApp = new Map<string, PodGroup[]>();
    for (const group of this.podGroups()) {
      const list = byApp.get(group.app) ?? [];
      list.push(group);
      byApp.set(group.app, list);
    }
    for (const [app, groups] of [...byApp.entries()].sort(compareKeys)) {
      this.simulateApp(app, groups, ms);
    }
  }

  private simulateApp(app: string, groups: PodGroup[], ms: number): void {
    for (const g of groups) this.countersFor(g);
    const live = groups.filter(g => g.weight > 0);
    const totalWeight = live.reduce((sum, g) => sum + g.weight, 0);
    if (!live.length) return;
    const rng = this.randomFor(app);
    const { service, stage } = groups[0];
    const requests = rng.poisson((this.rps(service, stage) * ms) / 1000);
    const targets = live.map(g => ({
      weight: g.weight,
      counters: this.countersFor(g),
      model: latencyModel(this.profile(g.revision)),
    }));
    for (let i = 0; i < requests; i++) {
      // Pick the group by weight: the canary weight is a traffic share.
      let pick = rng.next() * totalWeight;
      let target = targets[targets.length - 1];
      for (const t of targets) {
        pick -= t.weight;
        if (pick < 0) {
          target = t;
          break;
        }
      }
      const { counters: c, model } = target;
      if (rng.next() < model.errorRate) c.errors++;
      else c.ok++;
      const seconds = Math.exp(model.mu + model.sigma * rng.normal());
      c.sum += seconds;
      c.bucketCounts[bucketIndex(seconds)]++;
    }
  }

  private countersFor(group: PodGroup): Counters {
    const key = seriesKey(group);
    let c = this.counters.get(key);
    if (!c) {
      c = {
        group,
        ok: 0,
        errors: 0,
        bucketCounts: new Array(LATENCY_BUCKETS.length + 1).fill(0),
        sum: 0,
      };
      this.counters.set(key, c);
    }
    c.group = group;
    return c;
  }

  private randomFor(app: string): SeededRandom {
    let rng = this.random.get(app);
    if (!rng) {
      rng = new SeededRandom(hashSeed(this.seed, app));
      this.random.set(app, rng);
    }
    return rng;
  }

  /** Counters of the pods that run now (pods that went away take their series with them). */
  snapshot(): SeriesSnapshot[] {
    const live = new Set(this.podGroups().map(seriesKey));
    const out: SeriesSnapshot[] = [];
    for (const [key, c] of this.counters) {
      if (!live.has(key)) continue;
      let cumulative = 0;
      const buckets = LATENCY_BUCKETS.map((_, i) => {
        cumulative += c.bucketCounts[i];
        return cumulative;
      });
      const { app, service, stage, podTemplateHash, track, revision } = c.group;
      out.push({
        app,
        service,
        stage,
        podTemplateHash,
        track,
        revision,
        requests: { '200': c.ok, '500': c.errors },
        buckets,
        count: c.ok + c.errors,
        sumSeconds: c.sum,
      });
    }
    return out.sort((a, b) =>
      `${a.app}/${a.track}/${a.podTemplateHash}`.localeCompare(
        `${b.app}/${b.track}/${b.podTemplateHash}`,
      ),
    );
  }

  /** Catches up with the clock and renders Prometheus text exposition format 0.0.4. */
  render(): string {
    this.catchUp();
    // Pods that exist but got no traffic yet still expose zeroed series.
    for (const group of this.podGroups()) this.countersFor(group);
    return renderExposition(this.snapshot());
  }
}

function seriesKey(g: PodGroup): string {
  return [g.app, g.podTemplateHash, g.track, g.revision].join('\u0000');
}

function compareKeys(a: [string, unknown], b: [string, unknown]): number {
  if (a[0] < b[0]) return -1;
  return a[0] > b[0] ? 1 : 0;
}

/** A full SHA and its prefix name the same revision. */
function sameRevision(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

function normalizeRevision(revision: string): string {
  const key = revision.trim().toLowerCase();
  if (!/^[0-9a-f]{7,64}$/.test(key)) {
    throw new Error(
      `revision must be a Git SHA (at least 7 hex characters), got '${revision}'`,
    );
  }
  return key;
}

/** Log-normal latency with the profile's median and p95 (z(0.95) = 1.645). */
function latencyModel(p: RevisionProfile) {
  return {
    errorRate: p.errorRate,
    mu: Math.log(p.medianSeconds),
    sigma: Math.log(p.p95Seconds / p.medianSeconds) / 1.6449,
  };
}

function bucketIndex(seconds: number): number {
  for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
    if (seconds <= LATENCY_BUCKETS[i]) return i;
  }
  return LATENCY_BUCKETS.length;
}

function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function labelSet(labels: Array<[string, string]>): string {
  return `{${labels
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',')}}`;
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  return String(Number.isInteger(value) ? value : Number(value.toFixed(6)));
}

/** Prometheus text exposition format 0.0.4 for the series. */
export function renderExposition(series: SeriesSnapshot[]): string {
  const lines: string[] = [
    '# HELP http_requests_total Total HTTP requests served by the pods, by status code.',
    '# TYPE http_requests_total counter',
  ];
  const base = (s: SeriesSnapshot): Array<[string, string]> => [
    ['service', s.service],
    ['stage', s.stage],
    ['track', s.track],
    ['revision', s.revision],
    ['pod_template_hash', s.podTemplateHash],
  ];
  for (const s of series) {
    for (const code of ['200', '500'] as const) {
      lines.push(
        `http_requests_total${labelSet([...base(s), ['code', code]])} ${
          s.requests[code]
        }`,
      );
    }
  }
  lines.push(
    '# HELP http_request_duration_seconds Time the pods took to answer HTTP requests.',
    '# TYPE http_request_duration_seconds histogram',
  );
  for (const s of series) {
    LATENCY_BUCKETS.forEach((le, i) => {
      lines.push(
        `http_request_duration_seconds_bucket${labelSet([
          ...base(s),
          ['le', String(le)],
        ])} ${s.buckets[i]}`,
      );
    });
    lines.push(
      `http_request_duration_seconds_bucket${labelSet([
        ...base(s),
        ['le', '+Inf'],
      ])} ${s.count}`,
      `http_request_duration_seconds_sum${labelSet(base(s))} ${formatNumber(
        s.sumSeconds,
      )}`,
      `http_request_duration_seconds_count${labelSet(base(s))} ${s.count}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
