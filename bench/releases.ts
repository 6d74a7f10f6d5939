/*
 * Releases read path under load: 100 viewers of one entity with 5 Argo CD
 * applications for 60 s, against the sandbox's Argo CD with 50 ms added
 * latency. Each viewer loads the Releases overview, then looks again about
 * once a second. Compared with the way the existing Argo CD plugins load the
 * same page: a new Argo CD session and a direct call per application on every
 * view.
 */
import { performance } from 'node:perf_hooks';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import praevisioPlugin from '@praevisio/backstage-plugin-backend';
import { ArgoCdSimulator, seedDemoApplications } from '@praevisio/sandbox';
import { machine, percentile, round, today } from './_machine';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 100);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const LATENCY_MS = 50;
const APPS = [
  'payments-api-dev',
  'payments-api-staging',
  'payments-api-prod',
  'checkout-web-dev',
  'checkout-web-staging',
];

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'bench-service',
    namespace: 'default',
    annotations: { 'argocd/app-name': APPS.join(',') },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Runs `viewers` loops for `durationS`; each loop views, then pauses ~1 s. */
async function load(view: () => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + DURATION_S * 1000;
  let seed = 7;
  const jitter = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, i) => {
      await sleep((i * 1000) / VIEWERS); // viewers arrive spread over a second
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await view();
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
        await sleep(800 + 400 * jitter());
      }
    }),
  );
  return { latencies, errors };
}

async function praevisioEndpoint(argocdUrl: string) {
  const { server } = await startTestBackend({
    features: [
      praevisioPlugin,
      mockServices.rootConfig.factory({
        data: {
          praevisio: {
            argocd: {
              instances: [
                {
                  name: 'sandbox',
                  url: argocdUrl,
                  username: 'admin',
                  password: 'admin',
                },
              ],
            },
          },
        },
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogServiceMock.factory({ entities: [entity] }),
    ],
  });
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}/api/praevisio/entities/component/default/bench-service/releases`;
  return async () => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    if (body.environments.length !== APPS.length)
      throw new Error('incomplete overview');
  };
}

/** What the existing plugins do per view: log in, then read every application. */
function directArgoCdView(argocdUrl: string) {
  return async () => {
    const session = await fetch(`${argocdUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin' }),
    });
    if (!session.ok) throw new Error(`session HTTP ${session.status}`);
    const { token } = await session.json();
    await Promise.all(
      APPS.map(async app => {
        const res = await fetch(`${argocdUrl}/api/v1/applications/${app}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (!res.ok) throw new Error(`app HTTP ${res.status}`);
        await res.json();
      }),
    );
  };
}

async function withSimulator<T>(
  fn: (url: string, sim: ArgoCdSimulator) => Promise<T>,
) {
  const sim = ArgoCdSimulator.create({
    applications: seedDemoApplications(),
    latencyMs: LATENCY_MS,
    tickMs: 0,
  });
  const { url } = await sim.start();
  try {
    return await fn(url, sim);
  } finally {
    await sim.stop();
  }
}

export async function run() {
  const ours = await withSimulator(async (url, sim) => {
    const view = await praevisioEndpoint(url);
    await view(); // first load fills the cache
    sim.resetStats();
    const result = await load(view);
    return { ...result, calls: sim.stats().requestCount };
  });
  const baseline = await withSimulator(async (url, sim) => {
    const view = directArgoCdView(url);
    sim.resetStats();
    const result = await load(view);
    return { ...result, calls: sim.stats().requestCount };
  });
  return {
    date: today(),
    machine: machine(),
    viewers: VIEWERS,
    durationS: DURATION_S,
    apps: APPS.length,
    argocdLatencyMs: LATENCY_MS,
    views: ours.latencies.length,
    errors: ours.errors,
    p50Ms: round(percentile(ours.latencies, 50)),
    p99Ms: round(percentile(ours.latencies, 99)),
    argocdCalls: ours.calls,
    baselineViews: baseline.latencies.length,
    baselineErrors: baseline.errors,
    baselineP50Ms: round(percentile(baseline.latencies, 50)),
    baselineP99Ms: round(percentile(baseline.latencies, 99)),
    baselineArgocdCalls: baseline.calls,
  };
}
