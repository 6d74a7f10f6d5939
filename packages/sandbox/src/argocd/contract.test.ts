import {
  CONTRACTS_MISSING_MESSAGE,
  ContractChecker,
  SwaggerContract,
  contractsAvailable,
  rolloutValidator,
} from './__testUtils__/contracts';
import {
  Harness,
  startHarness,
  testApplications,
} from './__testUtils__/fixtures';
import { seedDemoApplications } from './demoData';
import { fakeSha } from './util';

/*
 * Every response the simulator serves must validate against the response
 * schema of the matching operation in BOTH supported Argo CD swaggers
 * (v3.5.1 and the oldest supported line, v2.14.0). Schemas are closed
 * (no unknown fields) and patched for the documented swagger/server
 * differences; see __testUtils__/contracts.ts.
 */

const available = contractsAvailable();
const suite = available ? describe : describe.skip;

const ROLLOUT = { group: 'argoproj.io', kind: 'Rollout', version: 'v1alpha1' };

/** Every route the simulator registers; the drive below must hit them all. */
const ROUTES = [
  'POST /api/v1/session',
  'DELETE /api/v1/session',
  'GET /api/v1/session/userinfo',
  'GET /api/version',
  'GET /api/v1/applications',
  'GET /api/v1/applications/{name}',
  'PATCH /api/v1/applications/{name}',
  'PUT /api/v1/applications/{name}/spec',
  'POST /api/v1/applications/{name}/sync',
  'POST /api/v1/applications/{name}/rollback',
  'DELETE /api/v1/applications/{name}/operation',
  'GET /api/v1/applications/{applicationName}/resource-tree',
  'GET /api/v1/applications/{name}/revisions/{revision}/metadata',
  'GET /api/v1/applications/{name}/resource',
  'GET /api/v1/applications/{name}/resource/actions',
  'POST /api/v1/applications/{name}/resource/actions',
  'POST /api/v1/applications/{name}/resource/actions/v2',
];

suite(
  available
    ? 'Argo CD simulator contract (swagger v3.5.1 and v2.14.0)'
    : `Argo CD simulator contract — skipped: ${CONTRACTS_MISSING_MESSAGE}`,
  () => {
    let checker: ContractChecker;
    let v3: SwaggerContract;
    let v2: SwaggerContract;
    let h: Harness;
    const rolloutManifests: Array<{ state: string; manifest: unknown }> = [];

    /** Reads every app, tree and workload manifest in the current state. */
    async function snapshot(state: string) {
      const { client } = h;
      const list = await client.get('/api/v1/applications');
      for (const app of list.body.items) {
        const name = app.metadata.name;
        await client.get(`/api/v1/applications/${name}`);
        const tree = await client.get(
          `/api/v1/applications/${name}/resource-tree`,
        );
        for (const node of tree.body.nodes) {
          if (
            ['Rollout', 'Deployment', 'Pod', 'Service', 'AnalysisRun'].includes(
              node.kind,
            )
          ) {
            const res = await client.get(
              `/api/v1/applications/${name}/resource`,
              {
                query: {
                  namespace: node.namespace,
                  resourceName: node.name,
                  group: node.group ?? '',
                  kind: node.kind,
                  version: node.version,
                },
              },
            );
            if (node.kind === 'Rollout') {
              rolloutManifests.push({
                state: `${state}: ${name}`,
                manifest: JSON.parse(res.body.manifest),
              });
            }
          }
        }
      }
    }

    beforeAll(async () => {
      checker = new ContractChecker();
      [v3, v2] = checker.contracts;
      h = await startHarness({
        applications: [
          ...testApplications(),
          ...seedDemoApplications({ now: new Date('2025-06-02T08:00:00Z') }),
        ],
      });
      const { client, sim } = h;
      const q = (app: string) => ({
        ...ROLLOUT,
        namespace: app,
        resourceName: app,
      });

      // Session, version, errors outside any application.
      await client.post(
        '/api/v1/session',
        { username: 'admin', password: 'wrong' },
        { token: null },
      );
      await client.get('/api/v1/session/userinfo', { token: null });
      await client.get('/api/v1/session/userinfo');
      await client.get('/api/version', { token: null });
      await client.get('/api/version');
      await client.get('/api/v1/applications', { token: null });
      await client.get('/api/v1/applications', {
        query: { selector: 'praevisio.io/environment=prod' },
      });
      await client.get('/api/v1/applications', {
        query: { selector: '=broken' },
      });
      await client.get('/api/v1/applications/missing');
      await client.get('/api/v1/applications/missing', {
        query: { project: 'default' },
      });
      await client.get('/api/v1/no-such-route');
      await client.request('PUT', '/api/v1/session');
      await snapshot('seeded');

      // Syncs in every phase; the flat hook strategy is echoed back.
      await client.post('/api/v1/applications/web/sync', {
        prune: true,
        strategy: { hook: { force: true } },
        syncOptions: { items: ['CreateNamespace=true'] },
        infos: [{ name: 'reason', value: 'contract test' }],
      });
      await client.post('/api/v1/applications/shop/sync', {
        strategy: { apply: { force: false } },
      });
      await client.post('/api/v1/applications/storefront/sync', {
        dryRun: true,
      });
      await client.post('/api/v1/applications/storefront/sync', {});
      await client.post('/api/v1/applications/ledger/sync', {
        revision: fakeSha('missing'),
      });
      await client.post('/api/v1/applications/search-api-prod/sync', {
        resources: [
          {
            group: 'apps',
            kind: 'Deployment',
            name: 'search-api',
            namespace: 'search-api-prod',
          },
        ],
      });
      sim.failNextSync('payments-api-dev');
      await client.post('/api/v1/applications/payments-api-dev/sync', {});
      await client.post('/api/v1/applications/payments-api-staging/sync', {});
      await snapshot('queued');
      sim.advance();
      await client.post('/api/v1/applications/web/sync', {});
      await client.delete(
        '/api/v1/applications/payments-api-staging/operation',
      );
      await client.delete(
        '/api/v1/applications/payments-api-staging/operation',
        { query: { project: 'default' } },
      );
      await client.delete(
        '/api/v1/applications/notification-worker-dev/operation',
      );
      await snapshot('running');
      sim.advance(3);
      await snapshot('rolling out');

      // Rollout actions through both endpoints; v2 only exists in 3.1+.
      await client.get('/api/v1/applications/shop/resource/actions', {
        query: q('shop'),
      });
      await client.request(
        'POST',
        '/api/v1/applications/shop/resource/actions',
        {
          query: q('shop'),
          rawBody: '"resume"',
        },
      );
      await client.post('/api/v1/applications/storefront/resource/actions/v2', {
        ...q('storefront'),
        name: 'storefront',
        action: 'resume',
      });
      await client.post(
        '/api/v1/applications/payments-api-prod/resource/actions/v2',
        {
          ...q('payments-api'),
          namespace: 'payments-api-prod',
          action: 'restart',
        },
      );
      await client.post('/api/v1/applications/shop/resource/actions/v2', {
        ...q('shop'),
        action: 'nope',
      });
      await client.get('/api/v1/applications/shop/resource', {
        query: { ...q('shop'), resourceName: 'x' },
      });
      sim.advance(2);
      await snapshot('resumed');
      await client.post('/api/v1/applications/shop/resource/actions/v2', {
        ...q('shop'),
        action: 'abort',
      });
      await snapshot('aborted');

      // Spec changes, rollback, history, revision metadata.
      await client.patch('/api/v1/applications/checkout-web-staging', {
        patchType: 'merge',
        patch: JSON.stringify({ spec: { syncPolicy: { automated: null } } }),
      });
      await client.patch('/api/v1/applications/web', {
        patchType: 'strategic',
        patch: '{}',
      });
      const spec = (
        await client.get('/api/v1/applications/ledger-service-prod')
      ).body.spec;
      await client.put('/api/v1/applications/ledger-service-prod/spec', {
        ...spec,
        revisionHistoryLimit: 2,
      });
      await client.post('/api/v1/applications/checkout-web-staging/rollback', {
        id: 1,
      });
      await client.post('/api/v1/applications/checkout-web-dev/rollback', {
        id: 42,
      });
      await client.post('/api/v1/applications/web-auto/rollback', { id: 0 });
      const history = (
        await client.get('/api/v1/applications/ledger-service-dev')
      ).body.status.history;
      await client.get(
        `/api/v1/applications/ledger-service-dev/revisions/${history[0].revision}/metadata`,
      );
      await client.get(
        `/api/v1/applications/ledger-service-dev/revisions/${fakeSha(
          'nope',
        )}/metadata`,
      );
      sim.pushRevision('notification-worker-dev', fakeSha('pushed'), {
        author: 'Grace Hopper <grace@example.com>',
        message: 'feat: tag support',
        tags: ['v1.9.0'],
      });
      await client.get(
        `/api/v1/applications/notification-worker-dev/revisions/${fakeSha(
          'pushed',
        )}/metadata`,
      );
      sim.advance(2);
      await snapshot('rolled back');

      await client.delete('/api/v1/session');
      sim.setAvailable(false);
      await client.get('/api/v1/applications');
      await client.post('/api/v1/applications/web/sync', {});
      sim.setAvailable(true);
    });

    afterAll(async () => {
      await h?.sim.stop();
    });

    it('exercises every route the simulator serves', () => {
      const served = Object.keys(h.sim.stats().byRoute).filter(
        k => !k.includes('<unmatched>'),
      );
      expect(served.sort()).toEqual([...ROUTES].sort());
    });

    it('serves only responses valid against swagger v3.5.1', () => {
      expect(h.client.exchanges.length).toBeGreaterThan(100);
      expect(
        checker
          .violations(h.client.exchanges)
          .filter(v => v.version === 'v3.5.1'),
      ).toEqual([]);
    });

    it('serves only responses valid against swagger v2.14.0 (where the route exists)', () => {
      expect(
        checker
          .violations(h.client.exchanges)
          .filter(v => v.version === 'v2.14.0'),
      ).toEqual([]);
    });

    it('checks actions/v2 against v3.5.1 only: v2.14.0 has no such route', () => {
      const v2Calls = h.client.exchanges.filter(e =>
        e.path.endsWith('/resource/actions/v2'),
      );
      expect(v2Calls.length).toBeGreaterThan(0);
      for (const exchange of v2Calls) {
        expect(v2.operation('POST', exchange.path)).toBeUndefined();
        expect(v3.operation('POST', exchange.path)?.template).toBe(
          '/api/v1/applications/{name}/resource/actions/v2',
        );
        expect(v3.validateExchange(exchange)).toEqual([]);
      }
    });

    it('answers 415 in plain text, which no swagger describes', async () => {
      const res = await h.client.post(
        '/api/v1/applications/web/sync',
        {},
        {
          contentType: 'application/json; charset=utf-8',
        },
      );
      expect(res.status).toBe(415);
      expect(res.contentType).toMatch(/^text\/plain/);
      expect(checker.violations([res])).toEqual([]);
    });

    it('serves Rollout manifests valid against the Argo Rollouts CRD in every state', () => {
      const validate = rolloutValidator();
      expect(rolloutManifests.length).toBeGreaterThan(10);
      const phases = new Set(
        rolloutManifests.map(r => (r.manifest as any).status.phase),
      );
      expect([...phases].sort()).toEqual([
        'Degraded',
        'Healthy',
        'Paused',
        'Progressing',
      ]);
      for (const { state, manifest } of rolloutManifests) {
        expect({ state, errors: validate(manifest) }).toEqual({
          state,
          errors: [],
        });
      }
    });

    it('closes schemas, so unknown or version-specific fields fail', () => {
      expect(
        v3.validateDefinition('v1alpha1Application', {
          metadata: { name: 'x' },
          bogus: 1,
        }),
      ).not.toEqual([]);
      expect(
        v3.validateDefinition('v1alpha1Application', {
          status: { history: [{ id: 1, deployedat: 'x' }] },
        }),
      ).not.toEqual([]);
      expect(
        v3.validateDefinition('v1alpha1Application', {
          status: { history: [{ id: 'one' }] },
        }),
      ).not.toEqual([]);
      const spec = {
        project: 'default',
        syncPolicy: { automated: { enabled: false } },
      };
      expect(v3.validateDefinition('v1alpha1ApplicationSpec', spec)).toEqual(
        [],
      );
      // `automated.enabled` only exists from Argo CD 3.0 on.
      expect(
        v2.validateDefinition('v1alpha1ApplicationSpec', spec),
      ).not.toEqual([]);
    });

    it('patches the documented swagger quirks (inline ResourceNode refs, flat hook strategy)', () => {
      for (const contract of [v3, v2]) {
        expect(
          contract.validateDefinition('v1alpha1ResourceNode', {
            group: 'apps',
            version: 'v1',
            kind: 'Deployment',
            namespace: 'n',
            name: 'd',
            uid: 'u',
          }),
        ).toEqual([]);
        expect(
          contract.validateDefinition('v1alpha1SyncStrategy', {
            hook: { force: true },
          }),
        ).toEqual([]);
      }
    });
  },
);
