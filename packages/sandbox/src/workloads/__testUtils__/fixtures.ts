import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { ArgoCdSimulator, SeedApplication } from '../../argocd';
import { fakeSha } from '../../argocd/util';
import { argoCdPodGroups, PodGroup } from '../topology';
import type { SeriesSnapshot } from '../WorkloadMetrics';

export const STATIC_TOKEN = 'workloads-test-token';

function commits(app: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    revision: fakeSha(`workloads-test/${app}/${i + 1}`),
    author: 'Ada Lovelace <ada@example.com>',
    message: `change ${i + 1} to ${app}`,
    date: new Date(Date.parse('2025-06-01T08:00:00Z') + i * 3_600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
  }));
}

/**
 * payments-api in prod as an auto-syncing canary Rollout (20% → pause →
 * analysis → 50% → pause 30s) with traffic routing, and in staging as a
 * Deployment.
 */
export function workloadApplications(): SeedApplication[] {
  return [
    {
      name: 'payments-api-prod',
      labels: {
        'app.kubernetes.io/part-of': 'payments-api',
        'praevisio.io/environment': 'prod',
      },
      syncPolicy: { automated: { prune: true } },
      workload: {
        kind: 'Rollout',
        replicas: 5,
        strategy: {
          canary: {
            trafficRouting: { nginx: { stableIngress: 'payments-api' } },
            steps: [
              { setWeight: 20 },
              { pause: {} },
              { analysis: { templates: [{ templateName: 'success-rate' }] } },
              { setWeight: 50 },
              { pause: { duration: '30s' } },
            ],
          },
        },
      },
      commits: commits('payments-api-prod', 2),
    },
    {
      name: 'payments-api-staging',
      labels: {
        'app.kubernetes.io/part-of': 'payments-api',
        'praevisio.io/environment': 'staging',
      },
      commits: commits('payments-api-staging', 1),
    },
  ];
}

export function createArgoCd(clock?: () => Date): ArgoCdSimulator {
  return ArgoCdSimulator.create({
    applications: workloadApplications(),
    tickMs: 0,
    tokens: [STATIC_TOKEN],
    ...(clock ? { clock } : {}),
  });
}

/** Pushes `revision` to payments-api-prod and drives the controller until the canary has `weight`. */
export function rollCanaryTo(
  argocd: ArgoCdSimulator,
  revision: string,
  weight: number,
): PodGroup {
  argocd.pushRevision('payments-api-prod', revision, {
    author: 'Ada Lovelace <ada@example.com>',
    message: 'feat: something risky',
  });
  for (let i = 0; i < 20; i++) {
    argocd.advance();
    const canary = argoCdPodGroups(argocd).find(
      g => g.app === 'payments-api-prod' && g.track === 'canary',
    );
    if (canary?.weight === weight) return canary;
  }
  throw new Error(`the canary of payments-api-prod never reached ${weight}%`);
}

export function series(
  all: SeriesSnapshot[],
  app: string,
  track: 'stable' | 'canary',
): SeriesSnapshot {
  const found = all.find(s => s.app === app && s.track === track);
  if (!found) throw new Error(`no ${track} series for ${app}`);
  return found;
}

/** Requests, errors and histogram counts between two snapshots of one series. */
export function delta(after: SeriesSnapshot, before?: SeriesSnapshot) {
  const requests = after.count - (before?.count ?? 0);
  const errors = after.requests['500'] - (before?.requests['500'] ?? 0);
  const buckets = after.buckets.map((b, i) => b - (before?.buckets[i] ?? 0));
  return { requests, errors, errorRate: errors / requests, buckets };
}

/** histogram_quantile's linear interpolation within the bucket. */
export function quantile(
  q: number,
  bounds: readonly number[],
  cumulative: number[],
  total: number,
): number {
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      const inBucket = cumulative[i] - lowerCount;
      return (
        lowerBound + ((bounds[i] - lowerBound) * (rank - lowerCount)) / inBucket
      );
    }
    lowerBound = bounds[i];
    lowerCount = cumulative[i];
  }
  return bounds[bounds.length - 1];
}

const PROMTOOL_CANDIDATES = ['/usr/bin/promtool'];

/** promtool; throws a clear message when it is not installed (tests fail, not skip). */
export function findPromtool(): string {
  const candidates = [
    process.env.PROMTOOL_BIN,
    ...PROMTOOL_CANDIDATES,
    ...(process.env.PATH ?? '').split(':').map(d => `${d}/promtool`),
  ].filter((c): c is string => !!c);
  const found = candidates.find(c => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!found) {
    throw new Error(
      `promtool not found (looked at ${candidates.join(
        ', ',
      )}); install it with \`apt-get install prometheus\` or set PROMTOOL_BIN. These tests fail rather than skip without it.`,
    );
  }
  return found;
}

/** Runs `promtool check metrics` with `text` on stdin. */
export function promtoolCheckMetrics(
  text: string,
): Promise<{ code: number; output: string }> {
  const promtool = findPromtool();
  return new Promise((resolve, reject) => {
    const child = execFile(
      promtool,
      ['check', 'metrics'],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (!error) {
          resolve({ code: 0, output });
        } else if (typeof (error as any).code === 'number') {
          resolve({ code: (error as any).code, output });
        } else {
          reject(error);
        }
      },
    );
    child.stdin!.end(text);
  });
}
