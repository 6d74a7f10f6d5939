import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  PodGroup,
  RevisionQuality,
  SandboxPrometheus,
  startMetricsServer,
  startSandboxPrometheus,
  WorkloadMetrics,
} from '@praevisio/sandbox';

export const EXAMPLES = path.resolve(__dirname, '../../../../../examples');

/** An entity using the demo SLO/SLI files of examples/slo. */
export function sloEntity(
  name: string,
  extra: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${EXAMPLES}/entities.yaml`,
        'praevisio.io/slo': './slo/payments-api.slo.yaml',
        'praevisio.io/sli': './slo/sli.yaml',
        ...extra,
      },
    },
    spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'x' },
  };
}

export interface RealMetrics {
  metrics: WorkloadMetrics;
  prometheus: SandboxPrometheus;
  /** Waits until every pod group has enough scrapes for rate() over 5 s. */
  waitForScrapes(groups: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Simulated workloads served on a free port and scraped every second by a
 * real Prometheus (fails, never skips, when /usr/bin/prometheus is missing).
 */
export async function startRealMetrics(options: {
  podGroups: () => PodGroup[];
  /** Shorthand for `qualities` of `'bad'`. */
  badRevisions?: string[];
  /** How revisions (SHAs or prefixes) behave; the rest are healthy. */
  qualities?: Record<string, RevisionQuality>;
  requestsPerSecond?: number;
}): Promise<RealMetrics> {
  const metrics = WorkloadMetrics.create({
    seed: 7,
    requestsPerSecond: () => options.requestsPerSecond ?? 400,
    podGroups: options.podGroups,
  });
  for (const revision of options.badRevisions ?? []) {
    metrics.setRevisionQuality(revision, 'bad');
  }
  for (const [revision, quality] of Object.entries(options.qualities ?? {})) {
    metrics.setRevisionQuality(revision, quality);
  }
  const server = await startMetricsServer({ metrics });
  const prometheus = await startSandboxPrometheus({
    targets: [server.target],
    scrapeInterval: '1s',
  }).catch(async error => {
    await server.close();
    throw error;
  });
  return {
    metrics,
    prometheus,
    waitForScrapes(groups: number) {
      return waitForScrapes(prometheus, {
        selector: 'code="200"',
        samples: 6,
        series: groups,
      });
    },
    async stop() {
      await prometheus.stop();
      await server.close();
    },
  };
}

/**
 * Waits until Prometheus holds at least `samples` scrapes of 10 s for at
 * least `series` `http_requests_total{<selector>}` series, i.e. enough data
 * for rate() (fails after 45 s with Prometheus' log).
 */
export async function waitForScrapes(
  prometheus: Pick<SandboxPrometheus, 'url' | 'logs'>,
  want: { selector: string; samples: number; series: number },
): Promise<void> {
  const deadline = Date.now() + 45_000;
  const ready = `count(count_over_time(http_requests_total{${want.selector}}[10s]) >= ${want.samples})`;
  for (;;) {
    const body = await (
      await fetch(
        `${prometheus.url}/api/v1/query?${new URLSearchParams({
          query: ready,
        })}`,
      )
    ).json();
    if (Number(body.data?.result?.[0]?.value?.[1] ?? 0) >= want.series) return;
    if (Date.now() > deadline) {
      throw new Error(`Prometheus never scraped: ${prometheus.logs()}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
