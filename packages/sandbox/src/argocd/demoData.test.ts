import { ArgoCdSimulator } from './ArgoCdSimulator';
import { TestClient } from './__testUtils__/client';
import { DEMO_ENTITIES, seedDemoApplications } from './demoData';

describe('seedDemoApplications', () => {
  const now = new Date('2025-06-02T08:00:00Z');
  let sim: ArgoCdSimulator;
  let client: TestClient;

  beforeAll(async () => {
    sim = ArgoCdSimulator.create({
      applications: seedDemoApplications({ now }),
      tickMs: 0,
      clock: () => now,
    });
    client = new TestClient((await sim.start()).url);
    await client.login();
  });

  afterAll(() => sim.stop());

  const list = async (selector?: string) =>
    (await client.get('/api/v1/applications', { query: { selector } })).body
      .items;

  it('creates dev, staging and prod apps per entity, labelled for selectors', async () => {
    const apps = await list();
    expect(apps).toHaveLength(15);
    for (const entity of DEMO_ENTITIES) {
      const own = await list(`app.kubernetes.io/part-of=${entity}`);
      expect(own.map((a: any) => a.metadata.name)).toEqual([
        `${entity}-dev`,
        `${entity}-prod`,
        `${entity}-staging`,
      ]);
      for (const app of own) {
        const env = app.metadata.name.slice(entity.length + 1);
        expect(app.metadata.labels['praevisio.io/environment']).toBe(env);
        expect(app.spec.destination.namespace).toBe(`${entity}-${env}`);
        expect(app.spec.project).toBe(
          entity === 'ledger-service' ? 'finance' : 'default',
        );
      }
    }
  });

  it('gives every app a history of 40-hex revisions with real-looking commit metadata', async () => {
    for (const app of await list()) {
      const history = app.status.history;
      expect(history.length).toBeGreaterThanOrEqual(3);
      for (const entry of history) {
        expect(entry.revision).toMatch(/^[0-9a-f]{40}$/);
        expect(Date.parse(entry.deployedAt)).toBeLessThanOrEqual(now.getTime());
      }
      const meta = await client.get(
        `/api/v1/applications/${app.metadata.name}/revisions/${
          history.at(-1).revision
        }/metadata`,
      );
      expect(meta.body.author).toMatch(/^[^<]+ <[^>]+@[^>]+>$/);
      expect(meta.body.message).toMatch(/^(feat|fix|chore|perf|refactor)/);
    }
  });

  it('runs payments-api prod as a canary and checkout-web prod as blue-green', async () => {
    const tree = async (name: string) =>
      (await client.get(`/api/v1/applications/${name}/resource-tree`)).body
        .nodes;
    const manifest = async (app: string, name: string) =>
      JSON.parse(
        (
          await client.get(`/api/v1/applications/${app}/resource`, {
            query: {
              group: 'argoproj.io',
              kind: 'Rollout',
              version: 'v1alpha1',
              namespace: app,
              resourceName: name,
            },
          })
        ).body.manifest,
      );
    expect(
      (await tree('payments-api-prod')).some((n: any) => n.kind === 'Rollout'),
    ).toBe(true);
    const canary = await manifest('payments-api-prod', 'payments-api');
    expect(canary.spec.strategy.canary.steps).toHaveLength(5);
    const blueGreen = await manifest('checkout-web-prod', 'checkout-web');
    expect(blueGreen.spec.strategy.blueGreen.autoPromotionEnabled).toBe(false);
    expect(
      (await tree('checkout-web-dev')).some(
        (n: any) => n.kind === 'Deployment',
      ),
    ).toBe(true);
  });

  it('has one auto-synced staging app, and one prod app with a promotion pending', async () => {
    const apps = await list();
    const auto = apps.filter((a: any) => a.spec.syncPolicy?.automated);
    expect(auto.map((a: any) => a.metadata.name)).toEqual([
      'checkout-web-staging',
    ]);
    const outOfSync = apps.filter(
      (a: any) => a.status.sync.status !== 'Synced',
    );
    expect(outOfSync.map((a: any) => a.metadata.name)).toEqual([
      'search-api-prod',
    ]);
    expect(apps.every((a: any) => a.status.health.status === 'Healthy')).toBe(
      true,
    );
    // prod runs an older commit than dev.
    const [dev, prod] = await Promise.all(
      ['payments-api-dev', 'payments-api-prod'].map(
        async n =>
          (
            await client.get(`/api/v1/applications/${n}`)
          ).body.status.history.at(-1).revision,
      ),
    );
    expect(dev).not.toBe(prod);
  });

  it('is deterministic for a given time', () => {
    expect(seedDemoApplications({ now })).toEqual(
      seedDemoApplications({ now }),
    );
  });
});
