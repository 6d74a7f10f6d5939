import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
// Tests only: the sandbox is never imported by production code.
import { ArgoCdSimulator, SeedApplication } from '@praevisio/sandbox';

export { ArgoCdSimulator };

export const TOKEN = 'praevisio-test-token';

/** A commit SHA derived from a label, so tests can name revisions. */
export function sha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

const REPO = 'https://github.com/example/shop.git';
const T0 = Date.parse('2025-06-01T08:00:00Z');

function commit(label: string, hour: number, message: string) {
  return {
    revision: sha(label),
    author: 'Ada Lovelace <ada@example.com>',
    message,
    date: new Date(T0 + hour * 3_600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * The `shop` entity's applications:
 * - `shop-dev`: a Deployment, labelled dev, two deployments in its history;
 * - `shop-staging`: auto-sync on, placed in staging by its namespace;
 * - `shop-prod`: a canary Rollout (setWeight, indefinite pause, analysis,
 *   setWeight), labelled prod.
 * Each reads its own path of one repository, so a push to one leaves the
 * others Synced.
 */
export function shopSeeds(): SeedApplication[] {
  const labels = (env?: string) => ({
    'app.kubernetes.io/part-of': 'shop',
    ...(env ? { 'praevisio.io/environment': env } : {}),
  });
  return [
    {
      name: 'shop-dev',
      labels: labels('dev'),
      source: { repoURL: REPO, path: 'deploy/dev', targetRevision: 'HEAD' },
      destination: { namespace: 'shop-dev' },
      workload: { name: 'shop', image: 'ghcr.io/example/shop' },
      commits: [
        commit('dev-1', 0, 'feat: first shop'),
        commit('dev-2', 1, 'fix: basket rounding'),
      ],
    },
    {
      name: 'shop-staging',
      labels: labels(),
      source: { repoURL: REPO, path: 'deploy/staging', targetRevision: 'HEAD' },
      destination: { namespace: 'shop-staging' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
      workload: { name: 'shop', image: 'ghcr.io/example/shop' },
      commits: [
        commit('staging-1', 2, 'chore: staging overlay'),
        commit('staging-2', 3, 'feat: staging flags'),
      ],
    },
    {
      name: 'shop-prod',
      labels: labels('prod'),
      source: { repoURL: REPO, path: 'deploy/prod', targetRevision: 'HEAD' },
      destination: { namespace: 'shop-prod' },
      workload: {
        name: 'shop',
        kind: 'Rollout',
        image: 'ghcr.io/example/shop',
        strategy: {
          canary: {
            trafficRouting: { nginx: { stableIngress: 'shop' } },
            steps: [
              { setWeight: 20 },
              { pause: {} },
              { analysis: { templates: [{ templateName: 'success-rate' }] } },
              { setWeight: 60 },
            ],
          },
        },
      },
      commits: [commit('prod-1', 4, 'release: 1.0.0')],
    },
  ];
}

export const ENVIRONMENTS = [
  { name: 'dev', namespacePattern: '*-dev' },
  { name: 'staging', namespacePattern: '*-staging' },
  { name: 'prod', namespacePattern: '*-prod' },
];

export function entity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team-a',
      lifecycle: 'production',
    },
  };
}

export const shopEntity = entity('shop', {
  'argocd/app-selector': 'app.kubernetes.io/part-of=shop',
});

export async function startSimulator(options: { latencyMs?: number } = {}) {
  const sim = ArgoCdSimulator.create({
    applications: shopSeeds(),
    tokens: [TOKEN],
    tickMs: 0,
    latencyMs: options.latencyMs ?? 0,
  });
  const { url } = await sim.start();
  return { sim, url };
}

/** Calls the simulator directly, as someone using Argo CD's UI or CLI would. */
export async function callArgoCd(
  url: string,
  method: 'POST' | 'GET',
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Requests per route the simulator received, e.g. `POST /api/v1/applications/{name}/sync`. */
export function calls(sim: ArgoCdSimulator, route: string): number {
  return sim.stats().byRoute[route] ?? 0;
}

export const SYNC_ROUTE = 'POST /api/v1/applications/{name}/sync';
export const ROLLBACK_ROUTE = 'POST /api/v1/applications/{name}/rollback';
export const PATCH_ROUTE = 'PATCH /api/v1/applications/{name}';
export const ACTION_ROUTE =
  'POST /api/v1/applications/{name}/resource/actions/v2';
