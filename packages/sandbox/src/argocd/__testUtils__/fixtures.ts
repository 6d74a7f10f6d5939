import { ArgoCdSimulator, ArgoCdSimulatorOptions } from '../ArgoCdSimulator';
import type { SeedApplication } from '../application';
import type { CommitInfo } from '../git';
import type { RolloutStrategy } from '../rolloutTypes';
import { fakeSha } from '../util';
import { TestClient } from './client';

/** A clock tests move by hand (timed pauses, token expiry). */
export class TestClock {
  private current: Date;

  constructor(start = '2025-06-02T09:00:00Z') {
    this.current = new Date(start);
  }

  readonly now = (): Date => new Date(this.current);

  tick(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function commits(
  app: string,
  count: number,
  start = '2025-06-01T08:00:00Z',
): CommitInfo[] {
  return Array.from({ length: count }, (_, i) => ({
    revision: fakeSha(`${app}/${i + 1}`),
    author: 'Ada Lovelace <ada@example.com>',
    message: `change ${i + 1} to ${app}`,
    date: new Date(Date.parse(start) + i * 3_600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
  }));
}

export const CANARY_STRATEGY: RolloutStrategy = {
  canary: {
    trafficRouting: { nginx: { stableIngress: 'shop' } },
    steps: [
      { setWeight: 20 },
      { pause: {} },
      { analysis: { templates: [{ templateName: 'success-rate' }] } },
      { setWeight: 50 },
      { pause: { duration: '30s' } },
    ],
  },
};

export const BLUE_GREEN_STRATEGY: RolloutStrategy = {
  blueGreen: {
    activeService: 'storefront',
    previewService: 'storefront-preview',
    autoPromotionEnabled: false,
  },
};

/**
 * Apps used across suites. `web` is a Deployment with a pending commit
 * (history ends one commit before HEAD); `shop` a canary Rollout and
 * `storefront` a blue-green Rollout, both with a commit waiting to roll out.
 */
export function testApplications(): SeedApplication[] {
  const webCommits = commits('web', 3);
  const shopCommits = commits('shop', 3);
  const storeCommits = commits('storefront', 2);
  return [
    {
      name: 'web',
      labels: {
        'app.kubernetes.io/part-of': 'web',
        'praevisio.io/environment': 'dev',
      },
      commits: webCommits,
      history: webCommits.slice(0, 2).map(c => ({ revision: c.revision })),
    },
    {
      name: 'web-auto',
      labels: {
        'app.kubernetes.io/part-of': 'web',
        'praevisio.io/environment': 'staging',
      },
      syncPolicy: { automated: { prune: true } },
      workload: { name: 'web' },
      commits: commits('web-auto', 1),
    },
    {
      name: 'shop',
      labels: {
        'app.kubernetes.io/part-of': 'shop',
        'praevisio.io/environment': 'prod',
      },
      workload: { kind: 'Rollout', strategy: CANARY_STRATEGY, replicas: 5 },
      commits: shopCommits,
      history: shopCommits.slice(0, 2).map(c => ({ revision: c.revision })),
    },
    {
      name: 'storefront',
      labels: {
        'app.kubernetes.io/part-of': 'storefront',
        'praevisio.io/environment': 'prod',
      },
      workload: { kind: 'Rollout', strategy: BLUE_GREEN_STRATEGY, replicas: 2 },
      commits: storeCommits,
      history: storeCommits.slice(0, 1).map(c => ({ revision: c.revision })),
    },
    {
      name: 'ledger',
      project: 'finance',
      labels: {
        'app.kubernetes.io/part-of': 'ledger',
        'praevisio.io/environment': 'prod',
      },
      commits: commits('ledger', 2),
    },
  ];
}

export interface Harness {
  sim: ArgoCdSimulator;
  client: TestClient;
  clock: TestClock;
  url: string;
}

/** Starts a simulator with the controller timer off and a logged-in client. */
export async function startHarness(
  options: ArgoCdSimulatorOptions = {},
): Promise<Harness> {
  const clock = new TestClock();
  const sim = ArgoCdSimulator.create({
    applications: testApplications(),
    tickMs: 0,
    clock: clock.now,
    tokens: [
      'static-admin-token',
      { token: 'finance-only', username: 'auditor', projects: ['finance'] },
      { token: 'viewer-token', username: 'viewer', readOnly: true },
    ],
    ...options,
  });
  const { url } = await sim.start();
  const client = new TestClient(url);
  await client.login();
  return { sim, client, clock, url };
}
