import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ArgoCdClientRegistry } from '@praevisio/backstage-plugin-node';
import { EnvironmentResolver } from './EnvironmentResolver';
import { ReleasesReadModel } from './ReleasesReadModel';
import {
  ArgoCdSimulator,
  callArgoCd,
  ENVIRONMENTS,
  entity,
  sha,
  shopEntity,
  startSimulator,
  TOKEN,
} from './__testUtils__/sandbox';

jest.setTimeout(30_000);

describe('ReleasesReadModel', () => {
  let sim: ArgoCdSimulator;
  let url: string;
  let now: number;
  let changes: string[];

  beforeEach(async () => {
    ({ sim, url } = await startSimulator());
    now = Date.parse('2025-06-02T10:00:00Z');
    changes = [];
  });

  afterEach(async () => {
    await sim.stop();
  });

  function readModel(options: { url?: string } = {}) {
    return ReleasesReadModel.create({
      registry: ArgoCdClientRegistry.create({
        instances: [{ name: 'main', url: options.url ?? url, token: TOKEN }],
        http: { retry: { maxAttempts: 1 } },
      }),
      environments: EnvironmentResolver.fromConfig(
        new ConfigReader({ praevisio: { environments: ENVIRONMENTS } }),
      ),
      logger: mockServices.rootLogger({ level: 'none' }),
      ttlMs: 10_000,
      idleMs: 300_000,
      clock: () => now,
      onChange: ref => changes.push(ref),
    });
  }

  it('shows each environment in config order with revision, health, images and history targets', async () => {
    const overview = await readModel().getOverview(shopEntity);

    expect(overview.stale).toBe(false);
    expect(overview.problems).toEqual([]);
    expect(
      overview.environments.map(e => [e.environment, e.application]),
    ).toEqual([
      ['dev', 'shop-dev'],
      ['staging', 'shop-staging'], // placed by its namespace, not a label
      ['prod', 'shop-prod'],
    ]);
    const dev = overview.environments[0];
    expect(dev).toMatchObject({
      instance: 'main',
      project: 'default',
      revision: sha('dev-2'),
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      autoSync: false,
      lastDeployedBy: 'admin',
      rollbackTargets: [{ id: 0, revision: sha('dev-1') }],
      argoCdUrl: `${url}/applications/shop-dev`,
    });
    expect(dev.images).toEqual([
      `ghcr.io/example/shop:${sha('dev-2').slice(0, 7)}`,
    ]);
    expect(overview.environments[1].autoSync).toBe(true);
    expect(overview.environments[2].rollout).toMatchObject({
      name: 'shop',
      namespace: 'shop-prod',
      strategy: 'canary',
      phase: 'Healthy',
      aborted: false,
      pauseReasons: [],
      steps: [
        { index: 0, kind: 'setWeight', description: '20%' },
        { index: 1, kind: 'pause', description: 'indefinite' },
        { index: 2, kind: 'analysis', description: 'success-rate' },
        { index: 3, kind: 'setWeight', description: '60%' },
      ],
    });
  });

  it('shows a paused canary with its step, weight and pause reason', async () => {
    sim.pushRevision('shop-prod', sha('prod-2'), {
      author: 'Grace Hopper <grace@example.com>',
      message: 'release: 1.1.0',
    });
    await callArgoCd(url, 'POST', '/api/v1/applications/shop-prod/sync', {});
    sim.advance(4); // start, finish, setWeight 20, pause

    const overview = await readModel().getOverview(shopEntity);
    const prod = overview.environments.find(e => e.environment === 'prod')!;
    expect(prod.healthStatus).toBe('Suspended');
    expect(prod.revision).toBe(sha('prod-2'));
    expect(prod.rollout).toMatchObject({
      phase: 'Paused',
      currentStepIndex: 1,
      canaryWeight: 20,
      pauseReasons: ['CanaryPauseStep'],
    });
    expect(prod.rollout!.canaryRevision).not.toBe(prod.rollout!.stableRevision);
  });

  it('loads an entity once for 100 concurrent viewers and not again within the TTL', async () => {
    const model = readModel();
    sim.resetStats();

    const views = await Promise.all(
      Array.from({ length: 100 }, () => model.getOverview(shopEntity)),
    );

    // One list of the selected apps plus the prod Rollout.
    expect(sim.stats().requestCount).toBe(2);
    expect(new Set(views.map(v => v.fetchedAt)).size).toBe(1);

    now += 9_000;
    await Promise.all(
      Array.from({ length: 100 }, () => model.getOverview(shopEntity)),
    );
    expect(sim.stats().requestCount).toBe(2);

    now += 2_000;
    await model.getOverview(shopEntity);
    expect(sim.stats().requestCount).toBe(4);
  });

  it('serves the last known state marked stale while Argo CD is down, without retrying before the TTL', async () => {
    const model = readModel();
    const before = await model.getOverview(shopEntity);
    sim.setAvailable(false);
    now += 11_000;
    sim.resetStats();

    const during = await Promise.all(
      Array.from({ length: 50 }, () => model.getOverview(shopEntity)),
    );

    expect(during.every(v => v.stale)).toBe(true);
    expect(during[0].staleReason).toMatch(
      /Argo CD 'main' could not be reached; showing the state read at/,
    );
    expect(during[0].environments).toEqual(before.environments);
    expect(during[0].fetchedAt).toBe(before.fetchedAt);
    const attempts = sim.stats().requestCount;
    expect(attempts).toBe(1);

    now += 5_000;
    await model.getOverview(shopEntity);
    expect(sim.stats().requestCount).toBe(attempts);

    sim.setAvailable(true);
    now += 6_000;
    const after = await model.getOverview(shopEntity);
    expect(after.stale).toBe(false);
    expect(after.staleReason).toBeUndefined();
  });

  it('answers 503 when Argo CD has never been reachable for the entity', async () => {
    sim.setAvailable(false);
    await expect(readModel().getOverview(shopEntity)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /Argo CD 'main' could not be reached and no earlier state of component:default\/shop is known/,
      ),
    });
  });

  it('lists the other applications when one named application is missing', async () => {
    const overview = await readModel().getOverview(
      entity('shop-named', { 'argocd/app-name': 'shop-dev, shop-gone' }),
    );
    expect(overview.environments.map(e => e.application)).toEqual(['shop-dev']);
    expect(overview.problems).toEqual([
      {
        instance: 'main',
        application: 'shop-gone',
        message: expect.stringContaining('shop-gone'),
      },
    ]);
  });

  it('pages history newest first with commit author and message, fetched once per revision', async () => {
    const model = readModel();
    sim.resetStats();
    const page = await model.getHistory(shopEntity, { page: 0, pageSize: 2 });

    expect(page.total).toBe(5);
    expect(page.items.map(i => i.revision)).toEqual([
      sha('prod-1'),
      sha('staging-2'),
    ]);
    expect(page.items[0]).toMatchObject({
      application: 'shop-prod',
      environment: 'prod',
      author: 'Ada Lovelace <ada@example.com>',
      message: 'release: 1.0.0',
    });
    const metadataRoute =
      'GET /api/v1/applications/{name}/revisions/{revision}/metadata';
    expect(sim.stats().byRoute[metadataRoute]).toBe(2);

    now += 60_000; // the state reloads, the commits do not
    await model.getHistory(shopEntity, { page: 0, pageSize: 2 });
    expect(sim.stats().byRoute[metadataRoute]).toBe(2);

    const second = await model.getHistory(shopEntity, {
      application: 'shop-dev',
      page: 1,
      pageSize: 1,
    });
    expect(second.items.map(i => i.revision)).toEqual([sha('dev-1')]);
  });

  it('refuses history of an application that is not the entity’s, naming the field', async () => {
    await expect(
      readModel().getHistory(shopEntity, {
        application: 'billing-prod',
        page: 0,
        pageSize: 10,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^application: 'billing-prod'/),
    });
  });

  it('refreshes viewed entities in the background and reports changes', async () => {
    const model = readModel();
    await model.getOverview(shopEntity);
    await callArgoCd(url, 'POST', '/api/v1/applications/shop-dev/sync', {});
    sim.advance();

    now += 4_000; // younger than half a TTL: left alone
    await model.refreshActive();
    expect(changes).toEqual([]);

    now += 2_000;
    await model.refreshActive();
    expect(changes).toEqual(['component:default/shop']);
    sim.resetStats();
    const overview = await model.getOverview(shopEntity);
    expect(sim.stats().requestCount).toBe(0);
    expect(overview.environments[0].operationPhase).toBe('Running');
  });

  it('forgets entities nobody looked at for the idle time', async () => {
    const model = readModel();
    await model.getOverview(shopEntity);
    now += 301_000;
    await model.refreshActive();
    sim.resetStats();
    await model.refreshActive();
    expect(sim.stats().requestCount).toBe(0);
  });
});
