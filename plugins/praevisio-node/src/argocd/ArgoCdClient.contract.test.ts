import fs from 'node:fs';
import { RecordedRequest } from '../http/__testUtils__/testServer';
import { ArgoCdClient } from './ArgoCdClient';
import { FakeArgoCd, startFakeArgoCd } from './__testUtils__/fakeArgoCd';
import {
  application,
  applicationList,
  fakeJwt,
  grpcError,
  resourceResponse,
  resourceTree,
  revisionMetadata,
  rolloutObject,
} from './__testUtils__/fixtures';
import {
  ARGOCD_SWAGGER_FILES,
  CONTRACTS_DIR,
  SwaggerContract,
} from './__testUtils__/swagger';

const contractsPresent = Object.values(ARGOCD_SWAGGER_FILES).every(f =>
  fs.existsSync(f),
);
const describeContract = contractsPresent ? describe : describe.skip;

if (!contractsPresent) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping Argo CD contract tests: swagger files not found in ${CONTRACTS_DIR} (set PRAEVISIO_CONTRACTS_DIR or check out ../shared/contracts)`,
  );
}

describeContract(
  `ArgoCdClient against the Argo CD swagger (${
    contractsPresent ? CONTRACTS_DIR : 'skipped: ../shared/contracts not found'
  })`,
  () => {
    let v3: SwaggerContract;
    let v2: SwaggerContract;

    beforeAll(() => {
      v3 = new SwaggerContract('v3.5.1', ARGOCD_SWAGGER_FILES['v3.5.1']);
      v2 = new SwaggerContract('v2.14.0', ARGOCD_SWAGGER_FILES['v2.14.0']);
    });

    /**
     * Every request must conform to v3.5.1, and to v2.14.0 where that
     * version has the route (actions v2 is 3.1+ only).
     */
    function expectConforming(requests: RecordedRequest[]) {
      expect(requests.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const req of requests) {
        problems.push(...v3.validateRequest(req));
        if (v2.match(req.method, req.path)) {
          problems.push(...v2.validateRequest(req));
        } else {
          expect(`${req.method} ${req.path}`).toMatch(
            /\/resource\/actions\/v2$/,
          );
        }
      }
      expect(problems).toEqual([]);
    }

    describe('requests', () => {
      let fake: FakeArgoCd;
      let client: ArgoCdClient;

      beforeEach(async () => {
        fake = await startFakeArgoCd({
          account: { username: 'praevisio', password: 'pa55word-123' },
        });
        client = ArgoCdClient.create({
          instance: {
            name: 'prod',
            url: fake.url,
            username: 'praevisio',
            password: 'pa55word-123',
          },
        });
      });

      afterEach(() => fake.close());

      it('logs in and reads applications with conforming requests', async () => {
        await client.listApplications({
          selector: 'backstage.io/kubernetes-id=shop',
          projects: ['payments', 'shared'],
        });
        await client.getApplication('shop-prod', {
          project: 'payments',
          refresh: 'normal',
        });
        await client.getResourceTree('shop-prod', { project: 'payments' });
        await client.getResource('shop-prod', {
          namespace: 'shop',
          resourceName: 'shop',
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Rollout',
        });
        await client.getResource('shop-prod', {
          namespace: 'shop',
          resourceName: 'shop',
          group: '', // core group
          version: 'v1',
          kind: 'Service',
        });
        await client.getRevisionMetadata('shop-prod', 'v1.9.0', {
          sourceIndex: 0,
        });

        expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
          'POST /api/v1/session',
          'GET /api/v1/applications',
          'GET /api/v1/applications/shop-prod',
          'GET /api/v1/applications/shop-prod/resource-tree',
          'GET /api/v1/applications/shop-prod/resource',
          'GET /api/v1/applications/shop-prod/resource',
          'GET /api/v1/applications/shop-prod/revisions/v1.9.0/metadata',
        ]);
        expect(fake.requests[1].query).toEqual({
          selector: ['backstage.io/kubernetes-id=shop'],
          projects: ['payments', 'shared'],
        });
        expect(fake.requests[5].query.group).toEqual(['']);
        for (const req of fake.requests.slice(1)) {
          expect(req.headers.authorization).toBe(
            `Bearer ${fake.issuedTokens[0]}`,
          );
        }
        expectConforming(fake.requests);
      });

      it('sends conforming mutations', async () => {
        await client.sync('shop-prod', {
          revision: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
          prune: true,
          dryRun: false,
          syncOptions: ['ApplyOutOfSyncOnly=true'],
          resources: [
            {
              group: 'argoproj.io',
              kind: 'Rollout',
              name: 'shop',
              namespace: 'shop',
            },
          ],
          project: 'payments',
        });
        await client.rollback('shop-prod', { id: 11, prune: false });
        await client.setAutoSync('shop-prod', false);
        await client.setAutoSync('shop-prod', true, { selfHeal: true });
        await client.runRolloutAction('shop-prod', {
          namespace: 'shop',
          resourceName: 'shop',
          action: 'promote-full',
        });

        const mutations = fake.requests.filter(
          r => r.method !== 'GET' && r.path !== '/api/v1/session',
        );
        expect(mutations.map(r => `${r.method} ${r.path}`)).toEqual([
          'POST /api/v1/applications/shop-prod/sync',
          'POST /api/v1/applications/shop-prod/rollback',
          'PATCH /api/v1/applications/shop-prod',
          'PATCH /api/v1/applications/shop-prod',
          'POST /api/v1/applications/shop-prod/resource/actions/v2',
        ]);
        expect(JSON.parse(mutations[0].body)).toEqual({
          name: 'shop-prod',
          revision: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
          prune: true,
          dryRun: false,
          syncOptions: { items: ['ApplyOutOfSyncOnly=true'] },
          resources: [
            {
              group: 'argoproj.io',
              kind: 'Rollout',
              name: 'shop',
              namespace: 'shop',
            },
          ],
          project: 'payments',
        });
        expect(JSON.parse(mutations[1].body)).toEqual({
          name: 'shop-prod',
          id: 11,
          prune: false,
        });
        const disable = JSON.parse(mutations[2].body);
        expect(disable.patchType).toBe('merge');
        expect(JSON.parse(disable.patch)).toEqual({
          spec: { syncPolicy: { automated: null } },
        });
        expect(JSON.parse(JSON.parse(mutations[3].body).patch)).toEqual({
          spec: {
            syncPolicy: { automated: { enabled: true, selfHeal: true } },
          },
        });
        expect(JSON.parse(mutations[4].body)).toEqual({
          name: 'shop-prod',
          namespace: 'shop',
          resourceName: 'shop',
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Rollout',
          action: 'promote-full',
        });
        expectConforming(fake.requests);
      });
    });

    it('sends a conforming v1 action request when the server lacks v2', async () => {
      const fake = await startFakeArgoCd({
        actionsV2: false,
        token: 'static-tok',
      });
      try {
        const client = ArgoCdClient.create({
          instance: { name: 'old', url: fake.url, token: 'static-tok' },
        });
        await client.runRolloutAction('shop-prod', {
          namespace: 'shop',
          resourceName: 'shop',
          action: 'resume',
        });
        const v1 = fake.requests[1];
        expect(`${v1.method} ${v1.path}`).toBe(
          'POST /api/v1/applications/shop-prod/resource/actions',
        );
        expect(v1.body).toBe('"resume"');
        expect(v1.query).toEqual({
          namespace: ['shop'],
          resourceName: ['shop'],
          group: ['argoproj.io'],
          version: ['v1alpha1'],
          kind: ['Rollout'],
        });
        // the v2 attempt conforms to v3.5.1 (and v2.14 has no such route)
        expectConforming(fake.requests);
      } finally {
        await fake.close();
      }
    });

    describe('responses', () => {
      // The swagger is generated from protobuf; a few real answers differ
      // (contracts/README.md). Patch those before validating fixtures.
      function patchKnownDifferences<T>(body: T): T {
        // ResourceNode carries group/version/kind/namespace/name/uid inline;
        // these swagger versions model that with allOf, so nothing to patch.
        return body;
      }

      const cases: Array<[string, string, string, unknown]> = [
        ['list', 'GET', '/api/v1/applications', applicationList],
        ['get', 'GET', '/api/v1/applications/{name}', application],
        [
          'resource tree',
          'GET',
          '/api/v1/applications/{applicationName}/resource-tree',
          resourceTree,
        ],
        [
          'resource',
          'GET',
          '/api/v1/applications/{name}/resource',
          resourceResponse,
        ],
        [
          'revision metadata',
          'GET',
          '/api/v1/applications/{name}/revisions/{revision}/metadata',
          revisionMetadata,
        ],
        ['sync', 'POST', '/api/v1/applications/{name}/sync', application],
        [
          'rollback',
          'POST',
          '/api/v1/applications/{name}/rollback',
          application,
        ],
        ['patch', 'PATCH', '/api/v1/applications/{name}', application],
        [
          'action v1',
          'POST',
          '/api/v1/applications/{name}/resource/actions',
          {},
        ],
        ['session', 'POST', '/api/v1/session', { token: fakeJwt('praevisio') }],
      ];

      it.each(cases)(
        'fixture for %s conforms to both swagger versions',
        (_what, method, template, body) => {
          expect(
            v3.validateResponse(method, template, patchKnownDifferences(body)),
          ).toEqual([]);
          expect(
            v2.validateResponse(method, template, patchKnownDifferences(body)),
          ).toEqual([]);
        },
      );

      it('fixture error bodies conform to runtimeError', () => {
        expect(
          v3.validateSchema(
            'runtimeError',
            grpcError(9, 'another operation is already in progress'),
            'error',
          ),
        ).toEqual([]);
      });

      it('detects a non-conforming fixture (the check has teeth)', () => {
        expect(
          v3.validateResponse('GET', '/api/v1/applications/{name}', {
            status: { history: [{ id: 'eleven' }] },
          }),
        ).not.toEqual([]);
        expect(
          v3.validateRequest({
            method: 'POST',
            path: '/api/v1/applications/x/rollback',
            query: { bogus: ['1'] },
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify({ id: 'eleven' }),
          }),
        ).toHaveLength(3);
      });

      it('parses realistic answers into the typed model', async () => {
        const fake = await startFakeArgoCd({ token: 'static-tok' });
        try {
          const client = ArgoCdClient.create({
            instance: { name: 'prod', url: fake.url, token: 'static-tok' },
          });
          const [listed] = await client.listApplications();
          expect(listed.metadata.name).toBe('shop-prod');

          const app = await client.getApplication('shop-prod');
          expect(app.spec.syncPolicy?.automated).toEqual({
            prune: true,
            selfHeal: true,
          });
          expect(app.status?.sync?.status).toBe('Synced');
          expect(app.status?.health?.status).toBe('Suspended');
          expect(app.status?.history?.map(h => h.id)).toEqual([11, 12]);
          expect(app.status?.history?.[1].initiatedBy?.automated).toBe(true);
          expect(app.status?.operationState?.phase).toBe('Succeeded');
          expect(app.status?.operationState?.syncResult?.revision).toBe(
            app.status?.sync?.revision,
          );

          const tree = await client.getResourceTree('shop-prod');
          const rolloutNode = tree.nodes.find(n => n.kind === 'Rollout');
          expect(rolloutNode).toMatchObject({
            group: 'argoproj.io',
            namespace: 'shop',
            name: 'shop',
            health: { status: 'Suspended' },
          });
          expect(
            tree.nodes.find(n => n.kind === 'ReplicaSet')?.parentRefs?.[0].uid,
          ).toBe(rolloutNode?.uid);

          const rollout = await client.getRollout('shop-prod', {
            namespace: 'shop',
            resourceName: 'shop',
          });
          expect(rollout).toEqual(rolloutObject);
          expect(rollout.status?.phase).toBe('Paused');
          expect(rollout.status?.pauseConditions?.[0].reason).toBe(
            'CanaryPauseStep',
          );

          const meta = await client.getRevisionMetadata('shop-prod', 'abc');
          expect(meta.author).toBe('Alice Example <alice@example.com>');
          expect(meta.tags).toEqual(['v1.9.0']);
        } finally {
          await fake.close();
        }
      });

      it('treats a null item list as empty', async () => {
        const fake = await startFakeArgoCd();
        try {
          fake.intercept((_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ metadata: {}, items: null }));
            return true;
          });
          const client = ArgoCdClient.create({
            instance: { name: 'prod', url: fake.url },
          });
          expect(
            v3.validateResponse('GET', '/api/v1/applications', {
              metadata: {},
            }),
          ).toEqual([]);
          await expect(client.listApplications()).resolves.toEqual([]);
        } finally {
          await fake.close();
        }
      });
    });
  },
);
