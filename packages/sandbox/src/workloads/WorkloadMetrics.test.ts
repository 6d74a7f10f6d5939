import { ArgoCdSimulator } from '../argocd';
import { fakeSha } from '../argocd/util';
import {
  STATIC_TOKEN,
  createArgoCd,
  delta,
  promtoolCheckMetrics,
  quantile,
  rollCanaryTo,
  series,
} from './__testUtils__/fixtures';
import { argoCdPodGroups, PodGroup } from './topology';
import {
  LATENCY_BUCKETS,
  SeriesSnapshot,
  WorkloadMetrics,
} from './WorkloadMetrics';

const TEN_MINUTES = 10 * 60_000;

async function rolloutStatus(argocd: ArgoCdSimulator) {
  const { url } = await argocd.start(0);
  try {
    const query = new URLSearchParams({
      namespace: 'payments-api-prod',
      resourceName: 'payments-api',
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
    });
    const res = await fetch(
      `${url}/api/v1/applications/payments-api-prod/resource?${query}`,
      { headers: { Authorization: `Bearer ${STATIC_TOKEN}` } },
    );
    return JSON.parse((await res.json()).manifest).status;
  } finally {
    await argocd.stop();
  }
}

describe('WorkloadMetrics', () => {
  it('exposes one stable pod group per application, labelled from Argo CD', async () => {
    const argocd = createArgoCd();
    const groups = argoCdPodGroups(argocd);
    const status = await rolloutStatus(argocd);
    const app = argocd.application('payments-api-prod')!;
    expect(groups).toEqual([
      {
        app: 'payments-api-prod',
        service: 'payments-api',
        stage: 'prod',
        podTemplateHash: status.stableRS,
        track: 'stable',
        revision: app.status.sync.revision,
        replicas: 5,
        weight: 100,
      },
      expect.objectContaining({
        app: 'payments-api-staging',
        service: 'payments-api',
        stage: 'staging',
        track: 'stable',
        revision: expect.stringMatching(/^[0-9a-f]{40}$/),
        weight: 100,
      }),
    ]);
  });

  it('reads the pods in-process: no API calls, and still while Argo CD is down', () => {
    const argocd = createArgoCd();
    const before = argoCdPodGroups(argocd);
    argocd.setAvailable(false);
    expect(argoCdPodGroups(argocd)).toEqual(before);
    expect(argocd.requestCount).toBe(0);
    // Fresh objects each time: a reader cannot change the simulation.
    const resources = argocd.liveResources('payments-api-prod')!;
    const rollout = resources.find(r => r.object.kind === 'Rollout')!;
    (rollout.object.status as { stableRS: string }).stableRS = 'tampered';
    expect(argoCdPodGroups(argocd)).toEqual(before);
    expect(argocd.liveResources('nope')).toBeUndefined();
  });

  it('labels the canary with the Rollout’s currentPodHash and the pushed revision', async () => {
    const argocd = createArgoCd();
    const revision = fakeSha('canary-labels');
    const canary = rollCanaryTo(argocd, revision, 20);
    const status = await rolloutStatus(argocd);
    expect(status.canary.weights.canary.weight).toBe(20);
    expect(canary).toMatchObject({
      podTemplateHash: status.currentPodHash,
      revision,
      track: 'canary',
      weight: 20,
    });
    expect(
      argoCdPodGroups(argocd).find(
        g => g.app === 'payments-api-prod' && g.track === 'stable',
      ),
    ).toMatchObject({ podTemplateHash: status.stableRS, weight: 80 });
  });

  it('sends the canary weight’s share of new requests to the canary pods', () => {
    const argocd = createArgoCd();
    const metrics = WorkloadMetrics.create({
      argocd,
      clock: () => new Date(0),
    });
    metrics.advance(TEN_MINUTES);
    const before = metrics.snapshot();
    rollCanaryTo(argocd, fakeSha('weight-20'), 20);
    metrics.advance(TEN_MINUTES);
    const after = metrics.snapshot();
    const stable = delta(
      series(after, 'payments-api-prod', 'stable'),
      series(before, 'payments-api-prod', 'stable'),
    );
    const canary = delta(series(after, 'payments-api-prod', 'canary'));
    const share = canary.requests / (canary.requests + stable.requests);
    expect(canary.requests + stable.requests).toBeGreaterThan(10_000);
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
  });

  it('makes a bad revision’s canary fail and slow while stable stays healthy', () => {
    const argocd = createArgoCd();
    const metrics = WorkloadMetrics.create({
      argocd,
      clock: () => new Date(0),
    });
    const revision = fakeSha('bad-release');
    metrics.setRevisionBad(revision, true);
    rollCanaryTo(argocd, revision, 20);
    metrics.advance(TEN_MINUTES);
    const all = metrics.snapshot();
    const p95 = (d: ReturnType<typeof delta>) =>
      quantile(0.95, LATENCY_BUCKETS, d.buckets, d.requests);

    const canary = delta(series(all, 'payments-api-prod', 'canary'));
    expect(canary.errorRate).toBeGreaterThan(0.05);
    expect(p95(canary)).toBeGreaterThan(0.8);

    const stable = delta(series(all, 'payments-api-prod', 'stable'));
    expect(stable.errorRate).toBeLessThan(0.005);
    expect(p95(stable)).toBeGreaterThan(0.2);
    expect(p95(stable)).toBeLessThan(0.3);

    // Marked healthy again (by a prefix), new requests are healthy.
    metrics.setRevisionBad(revision.slice(0, 7), false);
    expect(metrics.isRevisionBad(revision)).toBe(false);
    metrics.advance(TEN_MINUTES);
    const healed = delta(
      series(metrics.snapshot(), 'payments-api-prod', 'canary'),
      series(all, 'payments-api-prod', 'canary'),
    );
    expect(healed.errorRate).toBeLessThan(0.01);
  });

  it('makes a marginal revision slow without errors, in the warning band from 20 % of traffic', () => {
    const stable = fakeSha('marginal-stable');
    const candidate = fakeSha('marginal-candidate');
    let canaryWeight = 20;
    const base = { app: 'shop-prod', service: 'shop', stage: 'prod' };
    const metrics = WorkloadMetrics.create({
      seed: 'marginal',
      clock: () => new Date(0),
      // The demo's prod rate for one service.
      requestsPerSecond: () => 40,
      podGroups: (): PodGroup[] => [
        {
          ...base,
          podTemplateHash: 'stable',
          track: 'stable',
          revision: stable,
          replicas: 4,
          weight: 100 - canaryWeight,
        },
        {
          ...base,
          podTemplateHash: 'canary',
          track: 'canary',
          revision: candidate,
          replicas: 1,
          weight: canaryWeight,
        },
      ],
    });
    metrics.setRevisionQuality(candidate, 'marginal');
    expect(metrics.revisionQuality(candidate)).toBe('marginal');
    expect(metrics.isRevisionBad(candidate)).toBe(false);

    // Service-wide, as the quality gate's queries see it (stable + canary).
    const serviceWide = (after: SeriesSnapshot[], before: SeriesSnapshot[]) => {
      const parts = (['stable', 'canary'] as const).map(track =>
        delta(
          series(after, 'shop-prod', track),
          before.find(s => s.track === track),
        ),
      );
      const requests = parts[0].requests + parts[1].requests;
      const cumulative = LATENCY_BUCKETS.map(
        (_, i) => parts[0].buckets[i] + parts[1].buckets[i],
      );
      return {
        requests,
        errorRate: (parts[0].errors + parts[1].errors) / requests,
        p95: quantile(0.95, LATENCY_BUCKETS, cumulative, requests),
        canary: parts[1],
      };
    };
    // 40 s analysis windows at 40 req/s, as in the demo: every one of them
    // lands in the SLO's warning band (600–800 ms) with a passing error rate.
    const p95s: number[] = [];
    for (const weight of [20, 50, 100]) {
      canaryWeight = weight;
      for (let window = 0; window < 40; window++) {
        const before = metrics.snapshot();
        metrics.advance(40_000);
        const w = serviceWide(metrics.snapshot(), before);
        expect(w.requests).toBeGreaterThan(1_000);
        expect(w.errorRate).toBeLessThan(0.01);
        expect(w.canary.errors).toBe(0);
        p95s.push(w.p95);
        const canaryP95 = quantile(
          0.95,
          LATENCY_BUCKETS,
          w.canary.buckets,
          w.canary.requests,
        );
        expect(canaryP95).toBeGreaterThan(0.6);
        expect(canaryP95).toBeLessThan(0.8);
      }
    }
    expect(Math.min(...p95s)).toBeGreaterThan(0.64);
    expect(Math.max(...p95s)).toBeLessThan(0.76);
  });

  it('sets a revision’s quality by SHA or prefix, the latest call winning', () => {
    const metrics = WorkloadMetrics.create({
      podGroups: () => [],
      clock: () => new Date(0),
    });
    const revision = fakeSha('quality-knob');
    expect(metrics.revisionQuality(revision)).toBe('healthy');
    metrics.setRevisionQuality(revision.slice(0, 7).toUpperCase(), 'bad');
    expect(metrics.revisionQuality(revision)).toBe('bad');
    expect(metrics.isRevisionBad(revision)).toBe(true);
    expect(metrics.badRevisions()).toEqual([revision.slice(0, 7)]);
    metrics.setRevisionQuality(revision, 'marginal');
    expect(metrics.revisionQuality(revision.slice(0, 9))).toBe('marginal');
    expect(metrics.badRevisions()).toEqual([]);
    expect(metrics.profile(revision).p95Seconds).toBeGreaterThan(
      metrics.profile(fakeSha('other')).p95Seconds,
    );
    metrics.setRevisionBad(revision, false);
    expect(metrics.revisionQuality(revision)).toBe('healthy');
    expect(() =>
      metrics.setRevisionQuality(revision, 'flaky' as 'bad'),
    ).toThrow("quality must be one of healthy, marginal, bad, got 'flaky'");
    expect(() => metrics.setRevisionQuality('main', 'bad')).toThrow(
      /must be a Git SHA/,
    );
  });

  it('accumulates traffic with the injected clock', () => {
    let now = Date.parse('2025-06-02T09:00:00Z');
    const metrics = WorkloadMetrics.create({
      argocd: createArgoCd(),
      clock: () => new Date(now),
      requestsPerSecond: () => 10,
    });
    metrics.catchUp();
    expect(metrics.snapshot()).toEqual([]);
    metrics.render();
    expect(metrics.snapshot().every(s => s.count === 0)).toBe(true);
    now += 60_000;
    metrics.render();
    for (const s of metrics.snapshot()) {
      expect(s.count).toBeGreaterThan(500);
      expect(s.count).toBeLessThan(700);
    }
  });

  it('is deterministic for a seed and never uses Math.random', () => {
    const random = jest.spyOn(Math, 'random');
    try {
      const run = (seed: number) => {
        const argocd = createArgoCd();
        const metrics = WorkloadMetrics.create({
          argocd,
          seed,
          clock: () => new Date(0),
        });
        metrics.setRevisionBad(fakeSha('deterministic'), true);
        metrics.advance(60_000);
        rollCanaryTo(argocd, fakeSha('deterministic'), 20);
        metrics.advance(60_000);
        return metrics.render();
      };
      expect(run(7)).toBe(run(7));
      expect(run(7)).not.toBe(run(8));
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });

  it('drops the canary series when the rollout is aborted', async () => {
    const argocd = createArgoCd();
    const metrics = WorkloadMetrics.create({
      argocd,
      clock: () => new Date(0),
    });
    rollCanaryTo(argocd, fakeSha('aborted'), 20);
    metrics.advance(60_000);
    expect(metrics.render()).toContain('track="canary"');
    argocd.failNextAnalysis('payments-api-prod');
    argocd.advance(); // the Rollout pauses at the pause step
    expect(argocd.application('payments-api-prod')?.status.health.status).toBe(
      'Suspended',
    );
    // Resume the pause step; the analysis then fails and aborts the rollout.
    const { url } = await argocd.start(0);
    try {
      const query = new URLSearchParams({
        namespace: 'payments-api-prod',
        resourceName: 'payments-api',
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
      });
      const res = await fetch(
        `${url}/api/v1/applications/payments-api-prod/resource/actions?${query}`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${STATIC_TOKEN}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify('resume'),
        },
      );
      expect(res.status).toBe(200);
    } finally {
      await argocd.stop();
    }
    argocd.advance(4);
    expect(argocd.application('payments-api-prod')?.status.health.status).toBe(
      'Degraded',
    );
    expect(metrics.render()).not.toContain('track="canary"');
  });

  it('renders text exposition format 0.0.4 that promtool accepts', async () => {
    const argocd = createArgoCd();
    const metrics = WorkloadMetrics.create({
      argocd,
      clock: () => new Date(0),
    });
    metrics.setRevisionBad(fakeSha('promtool'), true);
    rollCanaryTo(argocd, fakeSha('promtool'), 20);
    metrics.advance(60_000);
    const text = metrics.render();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /^http_requests_total\{service="payments-api",stage="prod",track="canary",revision="[0-9a-f]{40}",pod_template_hash="[a-z0-9]{10}",code="500"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{service="payments-api",stage="prod",track="stable",revision="[0-9a-f]{40}",pod_template_hash="[a-z0-9]{10}",le="\+Inf"\} \d+$/m,
    );
    // A tiny parser: comments are HELP/TYPE, every sample is name{labels} value.
    const lines = text.trimEnd().split('\n');
    const comments = lines.filter(l => l.startsWith('#'));
    const samples = lines.filter(l => !l.startsWith('#'));
    expect(comments).toHaveLength(4);
    expect(comments.filter(l => !/^# (HELP|TYPE) [a-z_]+ .+$/.test(l))).toEqual(
      [],
    );
    expect(samples.length).toBeGreaterThan(0);
    expect(
      samples.filter(
        l =>
          !/^[a-z_]+\{([a-z_]+="[^"\\\n]*",)*[a-z_]+="[^"\\\n]*"\} [0-9.e+-]+$/.test(
            l,
          ),
      ),
    ).toEqual([]);
    const check = await promtoolCheckMetrics(text);
    expect(check).toEqual({ code: 0, output: '' });
    // …and the check is not vacuous.
    expect((await promtoolCheckMetrics('foo{a="b" 1\n')).code).not.toBe(0);
  });
});
