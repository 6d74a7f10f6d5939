import {
  createServiceMock,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { releasesSignalChannel } from '@praevisio/backstage-plugin-common';
import request from 'supertest';
import { praevisioPlugin } from '../plugin';
import { auditorMock } from '../__testUtils__/auditorMock';
import { testBackendDatabases } from '../__testUtils__/testBackendDatabase';
import { RECONCILE_TASK_ID } from './Releases';
import {
  ArgoCdSimulator,
  callArgoCd,
  calls,
  ENVIRONMENTS,
  entity,
  sha,
  shopEntity,
  startSimulator,
  SYNC_ROUTE,
  TOKEN,
} from './__testUtils__/sandbox';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const backendDatabases = testBackendDatabases();
const SHOP = '/api/praevisio/entities/component/default/shop';
const AUTH = mockCredentials.user.header('user:default/ada');

const entities = [
  shopEntity,
  entity('bad-selector', { 'argocd/app-selector': 'app in (shop' }),
  entity('unknown-instance', {
    'argocd/app-name': 'shop-dev',
    'argocd/instance-name': 'eu-west',
  }),
];

interface Harness {
  server: any;
  sim: ArgoCdSimulator;
  url: string;
  signals: ReturnType<typeof signalsMock>;
  auditor: ReturnType<typeof auditorMock>;
  runReconciler(): Promise<void>;
}

const signalsMock = createServiceMock(signalsServiceRef, () => ({
  publish: jest.fn(async (_signal: SignalPayload) => {}),
}));

async function start(
  options: {
    permissions?: ServiceFactory;
    database?: ServiceFactory;
    cacheTtlSeconds?: number;
  } = {},
): Promise<Harness> {
  const { sim, url } = await startSimulator();
  // The mock scheduler runs tasks only when told to.
  const scheduler = mockServices.scheduler() as unknown as {
    factory(o: { skipTaskRunOnStartup: boolean }): ServiceFactory;
    triggerTask(id: string): Promise<void>;
  };
  const signals = signalsMock();
  const auditor = auditorMock();
  const { server } = await startTestBackend({
    features: [
      praevisioPlugin,
      mockServices.rootConfig.factory({
        data: {
          praevisio: {
            argocd: { instances: [{ name: 'main', url, token: TOKEN }] },
            environments: ENVIRONMENTS,
            releases: { cacheTtlSeconds: options.cacheTtlSeconds ?? 10 },
          },
        },
      }),
      options.permissions ??
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
      signals.factory,
      auditor.factory,
      options.database ?? (await backendDatabases.factory()),
    ],
  });
  return {
    server,
    sim,
    url,
    signals,
    auditor,
    runReconciler: () => scheduler.triggerTask(RECONCILE_TASK_ID),
  };
}

describe('Releases API', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.sim.stop();
  });

  it('serves the entity’s environments', async () => {
    h = await start();
    const res = await request(h.server)
      .get(`${SHOP}/releases`)
      .set('Authorization', AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/shop',
      stale: false,
      problems: [],
    });
    expect(res.body.environments.map((e: any) => e.environment)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it.each([
    ['get', `${SHOP}/releases`],
    ['get', `${SHOP}/releases/history`],
    ['get', `${SHOP}/deployments`],
    ['post', `${SHOP}/releases/shop-dev/sync`],
    ['post', `${SHOP}/releases/shop-dev/rollback`],
    ['post', `${SHOP}/releases/shop-dev/rollout`],
  ] as const)(
    'answers 401 to %s %s without credentials',
    async (method, path) => {
      h = await start();
      const res = await request(h.server)[method](path).send({});
      expect(res.status).toBe(401);
    },
  );

  it('answers 404 for an entity the catalog does not have', async () => {
    h = await start();
    const res = await request(h.server)
      .get('/api/praevisio/entities/component/default/nope/releases')
      .set('Authorization', AUTH);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('component:default/nope');
  });

  it.each([
    ['bad-selector', 'argocd/app-selector'],
    ['unknown-instance', 'argocd/instance-name'],
  ])(
    'answers 400 naming the malformed annotation of %s',
    async (name, annotation) => {
      h = await start();
      h.sim.resetStats();
      const res = await request(h.server)
        .get(`/api/praevisio/entities/component/default/${name}/releases`)
        .set('Authorization', AUTH);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(`Annotation '${annotation}'`),
      });
      expect(h.sim.stats().requestCount).toBe(0);
    },
  );

  it('answers 403 before anything reaches Argo CD when the policy denies', async () => {
    h = await start({
      permissions: mockServices.permissions.factory({
        result: AuthorizeResult.DENY,
      }),
    });
    h.sim.resetStats();
    const read = await request(h.server)
      .get(`${SHOP}/releases`)
      .set('Authorization', AUTH);
    const sync = await request(h.server)
      .post(`${SHOP}/releases/shop-dev/sync`)
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'k')
      .send({});
    expect([read.status, sync.status]).toEqual([403, 403]);
    expect(sync.body.error.message).toBe(
      'Missing permission praevisio.release.deploy for component:default/shop',
    );
    expect(h.sim.stats().requestCount).toBe(0);
    expect(h.auditor.events).toContainEqual({
      eventId: 'release-sync',
      severityLevel: 'medium',
      outcome: 'fail',
    });
  });

  it('needs the deploy permission as well to turn auto-sync off for a rollback', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === 'praevisio.release.deploy'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    h = await start({ permissions: permissions.factory });
    h.sim.resetStats();
    const res = await request(h.server)
      .post(`${SHOP}/releases/shop-staging/rollback`)
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'k')
      .send({ historyId: 0, disableAutoSync: true });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('praevisio.release.deploy');
    expect(h.sim.stats().requestCount).toBe(0);
    expect(h.auditor.events).toContainEqual({
      eventId: 'release-disable-auto-sync-and-rollback',
      severityLevel: 'high',
      outcome: 'fail',
    });
  });

  it('needs an Idempotency-Key for commands but not for a dry run', async () => {
    h = await start();
    const missing = await request(h.server)
      .post(`${SHOP}/releases/shop-dev/sync`)
      .set('Authorization', AUTH)
      .send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('Idempotency-Key');

    h.sim.pushRevision('shop-dev', sha('dev-3'), {
      author: 'a',
      message: 'feat: 3',
    });
    h.sim.resetStats();
    const preview = await request(h.server)
      .post(`${SHOP}/releases/shop-dev/sync`)
      .set('Authorization', AUTH)
      .send({ dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      application: 'shop-dev',
      fromRevision: sha('dev-2'),
      toRevision: sha('dev-3'),
    });
    expect(preview.body.resources).toContainEqual(
      expect.objectContaining({
        kind: 'Deployment',
        name: 'shop',
        status: 'OutOfSync',
        message: 'will be updated',
      }),
    );
    expect(calls(h.sim, SYNC_ROUTE)).toBe(0);
  });

  it.each([
    [{ historyId: -1 }, 'historyId'],
    [{ historyId: 'x' }, 'historyId'],
    [{}, 'historyId'],
  ])(
    'rejects the rollback body %j with a 400 naming %s',
    async (body, field) => {
      h = await start();
      const res = await request(h.server)
        .post(`${SHOP}/releases/shop-dev/rollback`)
        .set('Authorization', AUTH)
        .set('Idempotency-Key', 'k')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    },
  );

  it('answers a replay with the first result and a reused key for another body with 409', async () => {
    h = await start();
    const send = (key: string, body: object) =>
      request(h.server)
        .post(`${SHOP}/releases/shop-dev/sync`)
        .set('Authorization', AUTH)
        .set('Idempotency-Key', key)
        .send(body);
    const first = await send('k1', {});
    expect(first.status).toBe(202);
    h.sim.resetStats();

    const replay = await send('k1', {});
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(h.sim.stats().requestCount).toBe(0);

    const other = await send('k1', { revision: sha('dev-1') });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain(
      'already used for a different request',
    );
  });

  it("answers Argo CD's operation-in-progress refusal with 409 and its reason after one call", async () => {
    h = await start();
    await callArgoCd(h.url, 'POST', '/api/v1/applications/shop-dev/sync', {});
    h.sim.resetStats();
    const res = await request(h.server)
      .post(`${SHOP}/releases/shop-dev/sync`)
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'k')
      .send({});
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      name: 'ArgoCdOperationInProgressError',
      message: expect.stringContaining(
        'another operation is already in progress',
      ),
    });
    expect(calls(h.sim, SYNC_ROUTE)).toBe(1);
  });

  it('keeps showing the last known state, marked stale, while Argo CD is down', async () => {
    h = await start({ cacheTtlSeconds: 1 });
    await request(h.server).get(`${SHOP}/releases`).set('Authorization', AUTH);
    h.sim.setAvailable(false);
    // Past the cache TTL, every viewer gets the last state, none a 5xx.
    await new Promise(resolve => setTimeout(resolve, 1_100));
    const views = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(h.server).get(`${SHOP}/releases`).set('Authorization', AUTH),
      ),
    );
    expect(views.map(v => v.status)).toEqual(Array(20).fill(200));
    expect(views[0].body.stale).toBe(true);
    expect(views[0].body.staleReason).toContain(
      "Argo CD 'main' could not be reached",
    );
    expect(views[0].body.environments).toHaveLength(3);
  });

  it('answers 503 with the reason when Argo CD was never reachable', async () => {
    h = await start();
    h.sim.setAvailable(false);
    const res = await request(h.server)
      .get(`${SHOP}/releases`)
      .set('Authorization', AUTH);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain(
      'no earlier state of component:default/shop is known',
    );
  });

  it('follows a sync to succeeded in the scheduled reconciler and signals open pages', async () => {
    h = await start();
    h.sim.pushRevision('shop-dev', sha('dev-5'), {
      author: 'a',
      message: 'feat: 5',
    });
    const sync = await request(h.server)
      .post(`${SHOP}/releases/shop-dev/sync`)
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'k')
      .send({});
    expect(sync.status).toBe(202);
    expect(sync.body).toMatchObject({
      kind: 'sync',
      state: 'syncing',
      requestedBy: 'user:default/ada',
      environment: 'dev',
    });

    h.sim.advance(3);
    await h.runReconciler();

    const deployments = await request(h.server)
      .get(`${SHOP}/deployments?limit=5`)
      .set('Authorization', AUTH);
    expect(deployments.body.items).toEqual([
      expect.objectContaining({ id: sync.body.id, state: 'succeeded' }),
    ]);
    expect(h.signals.publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: releasesSignalChannel('component:default/shop'),
      message: { type: 'releases-changed' },
    });
    expect(h.auditor.events).toContainEqual({
      eventId: 'release-sync',
      severityLevel: 'medium',
      outcome: 'success',
    });
    const history = await request(h.server)
      .get(`${SHOP}/releases/history?application=shop-dev&page=0&pageSize=1`)
      .set('Authorization', AUTH);
    expect(history.body).toMatchObject({
      total: 3,
      page: 0,
      pageSize: 1,
      items: [{ revision: sha('dev-5'), message: 'feat: 5' }],
    });
  });

  it('rejects a page size out of range with a 400 naming it', async () => {
    h = await start();
    const res = await request(h.server)
      .get(`${SHOP}/releases/history?pageSize=0`)
      .set('Authorization', AUTH);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('pageSize');
  });
});

describe.each(databases.eachSupportedId())('Releases API on %s', id => {
  let h: Harness;

  afterEach(async () => {
    await h?.sim.stop();
  });

  it('makes one upstream sync for 20 concurrent identical requests', async () => {
    const knex = await databases.init(id);
    h = await start({ database: mockServices.database.factory({ knex }) });
    h.sim.resetStats();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(h.server)
          .post(`${SHOP}/releases/shop-prod/sync`)
          .set('Authorization', AUTH)
          .set('Idempotency-Key', 'same-click')
          .send({}),
      ),
    );

    expect(responses.map(r => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map(r => r.body.id)).size).toBe(1);
    expect(
      responses.filter(r => r.headers['idempotent-replayed']),
    ).toHaveLength(19);
    expect(calls(h.sim, SYNC_ROUTE)).toBe(1);
  });
});
