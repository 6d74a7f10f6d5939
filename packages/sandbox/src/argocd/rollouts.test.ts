import { Exchange, TestClient } from './__testUtils__/client';
import {
  ContractChecker,
  contractsAvailable,
  rolloutValidator,
} from './__testUtils__/contracts';
import { Harness, commits, startHarness } from './__testUtils__/fixtures';

const checker = contractsAvailable() ? new ContractChecker() : undefined;
const served: Exchange[] = [];
const validateRollout = contractsAvailable() ? rolloutValidator() : undefined;

const ROLLOUT_REF = {
  group: 'argoproj.io',
  kind: 'Rollout',
  version: 'v1alpha1',
};

describe('Argo Rollouts through the Argo CD API', () => {
  let h: Harness;
  let client: TestClient;

  beforeEach(async () => {
    h = await startHarness();
    client = h.client;
  });

  afterEach(async () => {
    await h.sim.stop();
    served.push(...client.exchanges);
  });

  const appHealth = async (name: string) =>
    (await client.get(`/api/v1/applications/${name}`)).body.status.health
      .status;

  /** The live Rollout, as GET .../resource serves it (and checked against the CRD). */
  const rollout = async (app: string) => {
    const res = await client.get(`/api/v1/applications/${app}/resource`, {
      query: { ...ROLLOUT_REF, namespace: app, resourceName: app },
    });
    expect(res.status).toBe(200);
    const manifest = JSON.parse(res.body.manifest);
    if (validateRollout) {
      expect(validateRollout(manifest)).toEqual([]);
    }
    return manifest;
  };

  /** Deprecated v1 action: query parameters plus a JSON string literal body. */
  const actionV1 = (app: string, action: string) =>
    client.request('POST', `/api/v1/applications/${app}/resource/actions`, {
      query: { ...ROLLOUT_REF, namespace: app, resourceName: app },
      rawBody: JSON.stringify(action),
    });

  const actionV2 = (app: string, action: string) =>
    client.post(`/api/v1/applications/${app}/resource/actions/v2`, {
      ...ROLLOUT_REF,
      name: app,
      namespace: app,
      resourceName: app,
      action,
    });

  /** Sync to HEAD and run the operation to completion (rollout starts). */
  const syncToHead = async (app: string) => {
    const res = await client.post(`/api/v1/applications/${app}/sync`, {});
    expect(res.status).toBe(200);
    h.sim.advance(2);
    expect(
      (await client.get(`/api/v1/applications/${app}`)).body.status
        .operationState.phase,
    ).toBe('Succeeded');
  };

  describe('canary', () => {
    it('sync → pause → resume → promote-full → Healthy', async () => {
      const stable = (await rollout('shop')).status.stableRS;
      expect(await appHealth('shop')).toBe('Healthy');

      await syncToHead('shop');
      let ro = await rollout('shop');
      expect(ro.status).toMatchObject({
        phase: 'Progressing',
        currentStepIndex: 0,
        stableRS: stable,
      });
      expect(ro.status.currentPodHash).not.toBe(stable);
      expect(ro.metadata.annotations['rollout.argoproj.io/revision']).toBe('2');
      expect(await appHealth('shop')).toBe('Progressing');

      h.sim.advance(); // setWeight: 20
      ro = await rollout('shop');
      expect(ro.status.currentStepIndex).toBe(1);
      expect(ro.status.canary.weights).toMatchObject({
        canary: {
          weight: 20,
          podTemplateHash: ro.status.currentPodHash,
          serviceName: 'shop-canary',
        },
        stable: { weight: 80, podTemplateHash: stable, serviceName: 'shop' },
      });

      h.sim.advance(); // pause: {}
      ro = await rollout('shop');
      expect(ro.status).toMatchObject({
        phase: 'Paused',
        message: 'CanaryPauseStep',
        currentStepIndex: 1,
        controllerPause: true,
        pauseConditions: [
          { reason: 'CanaryPauseStep', startTime: expect.any(String) },
        ],
      });
      expect(await appHealth('shop')).toBe('Suspended');
      // An indefinite pause stays paused.
      h.sim.advance(3);
      expect((await rollout('shop')).status.phase).toBe('Paused');

      const resumed = await actionV1('shop', 'resume');
      expect(resumed.status).toBe(200);
      expect(resumed.body).toEqual({});
      expect((await rollout('shop')).status.pauseConditions).toBeUndefined();
      h.sim.advance(); // leaves the pause step
      h.sim.advance(); // starts the analysis step
      ro = await rollout('shop');
      expect(ro.status.currentStepIndex).toBe(2);
      expect(ro.status.canary.currentStepAnalysisRunStatus).toMatchObject({
        status: 'Running',
      });
      const tree = await client.get('/api/v1/applications/shop/resource-tree');
      expect(
        tree.body.nodes.find((n: any) => n.kind === 'AnalysisRun'),
      ).toMatchObject({
        group: 'argoproj.io',
        health: { status: 'Progressing' },
        parentRefs: [
          expect.objectContaining({ kind: 'Rollout', name: 'shop' }),
        ],
      });

      expect((await actionV2('shop', 'promote-full')).status).toBe(200);
      h.sim.advance();
      ro = await rollout('shop');
      expect(ro.status).toMatchObject({
        phase: 'Healthy',
        currentStepIndex: 5,
        stableRS: ro.status.currentPodHash,
        canary: { weights: { canary: { weight: 0 }, stable: { weight: 100 } } },
      });
      expect(ro.status.promoteFull).toBeUndefined();
      expect(await appHealth('shop')).toBe('Healthy');
    });

    it('walks every step, with a timed pause that follows the clock', async () => {
      await syncToHead('shop');
      h.sim.advance(2); // setWeight 20, pause
      await actionV2('shop', 'resume');
      h.sim.advance(3); // leave pause, start analysis, analysis succeeds
      let ro = await rollout('shop');
      expect(ro.status.canary.currentStepAnalysisRunStatus.status).toBe(
        'Successful',
      );
      expect(ro.status.currentStepIndex).toBe(3);
      h.sim.advance(2); // setWeight 50, timed pause
      ro = await rollout('shop');
      expect(ro.status).toMatchObject({ phase: 'Paused', currentStepIndex: 4 });
      expect(ro.status.canary.weights.canary.weight).toBe(50);
      h.sim.advance();
      expect((await rollout('shop')).status.phase).toBe('Paused');
      h.clock.tick(31_000);
      h.sim.advance(); // pause elapsed
      h.sim.advance(); // all steps done: promote
      ro = await rollout('shop');
      expect(ro.status).toMatchObject({
        phase: 'Healthy',
        currentStepIndex: 5,
      });
      expect(ro.status.stableRS).toBe(ro.status.currentPodHash);
    });

    it('abort → Degraded and back to stable; retry starts over', async () => {
      await syncToHead('shop');
      h.sim.advance(2);
      const stable = (await rollout('shop')).status.stableRS;
      expect((await actionV2('shop', 'abort')).status).toBe(200);
      let ro = await rollout('shop');
      expect(ro.status).toMatchObject({
        phase: 'Degraded',
        abort: true,
        abortedAt: expect.any(String),
        currentStepIndex: 0,
        stableRS: stable,
        message: 'RolloutAborted: Rollout aborted update to revision 2',
        canary: {
          weights: {
            canary: { weight: 0 },
            stable: { weight: 100, podTemplateHash: stable },
          },
        },
      });
      const app = (await client.get('/api/v1/applications/shop')).body;
      expect(app.status.health.status).toBe('Degraded');
      expect(app.status.sync.status).toBe('Synced');

      await actionV2('shop', 'retry');
      ro = await rollout('shop');
      expect(ro.status.abort).toBeUndefined();
      expect(ro.status.phase).toBe('Progressing');
      h.sim.advance();
      expect((await rollout('shop')).status).toMatchObject({
        currentStepIndex: 1,
      });
    });

    it('aborts when a step analysis fails', async () => {
      h.sim.failNextAnalysis('shop');
      await syncToHead('shop');
      h.sim.advance(2);
      await actionV1('shop', 'resume');
      h.sim.advance(3);
      const ro = await rollout('shop');
      expect(ro.status).toMatchObject({ phase: 'Degraded', abort: true });
      expect(ro.status.message).toMatch(
        /^RolloutAborted: .*Metric "success-rate" assessed Failed/,
      );
      expect(ro.status.canary.currentStepAnalysisRunStatus.status).toBe(
        'Failed',
      );
    });

    it('supports skip-current-step, pause and restart', async () => {
      await syncToHead('shop');
      h.sim.advance(2);
      await actionV2('shop', 'skip-current-step');
      let ro = await rollout('shop');
      expect(ro.status.currentStepIndex).toBe(2);
      expect(ro.status.pauseConditions).toBeUndefined();

      await actionV2('shop', 'pause');
      ro = await rollout('shop');
      expect(ro.spec.paused).toBe(true);
      expect(ro.status).toMatchObject({
        phase: 'Paused',
        message: 'manually paused',
      });
      h.sim.advance();
      expect((await rollout('shop')).status.currentStepIndex).toBe(2);
      await actionV2('shop', 'resume');
      expect((await rollout('shop')).spec.paused).toBeUndefined();

      await actionV2('shop', 'restart');
      ro = await rollout('shop');
      expect(ro.spec.restartAt).toEqual(expect.any(String));
      h.sim.advance();
      expect((await rollout('shop')).status.restartedAt).toBe(
        ro.spec.restartAt,
      );
    });

    it('lists the actions discovery enables for the current state', async () => {
      const list = async () => {
        const res = await client.get(
          '/api/v1/applications/shop/resource/actions',
          {
            query: { ...ROLLOUT_REF, namespace: 'shop', resourceName: 'shop' },
          },
        );
        return Object.fromEntries(
          res.body.actions.map((a: any) => [a.name, a.disabled]),
        );
      };
      expect(await list()).toMatchObject({
        resume: true,
        abort: true,
        'promote-full': true,
        restart: false,
      });
      await syncToHead('shop');
      h.sim.advance(2);
      expect(await list()).toMatchObject({
        resume: false,
        abort: false,
        'promote-full': false,
        pause: true,
      });
    });

    it('fast-tracks a rollback to the stable revision mid-canary', async () => {
      await syncToHead('shop');
      h.sim.advance(2);
      expect(await appHealth('shop')).toBe('Suspended');
      const history = (await client.get('/api/v1/applications/shop')).body
        .status.history;
      await client.post('/api/v1/applications/shop/rollback', {
        id: history.at(-2).id,
      });
      h.sim.advance(2);
      const ro = await rollout('shop');
      expect(ro.status.phase).toBe('Healthy');
      expect(ro.status.currentPodHash).toBe(ro.status.stableRS);
      expect(ro.status.pauseConditions).toBeUndefined();
      expect(ro.spec.template.spec.containers[0].image).toMatch(
        new RegExp(`:${commits('shop', 2)[1].revision.slice(0, 7)}$`),
      );
    });

    it('rejects resources that are not part of the app', async () => {
      const res = await client.get('/api/v1/applications/shop/resource', {
        query: { ...ROLLOUT_REF, namespace: 'shop', resourceName: 'other' },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(
        'Rollout argoproj.io other not found as part of application shop',
      );
      const bad = await client.request(
        'POST',
        '/api/v1/applications/shop/resource/actions',
        {
          query: { ...ROLLOUT_REF, namespace: 'shop', resourceName: 'shop' },
          body: { action: 'resume' },
        },
      );
      expect(bad.status).toBe(400);
      const denied = await client.post(
        '/api/v1/applications/shop/resource/actions/v2',
        {
          ...ROLLOUT_REF,
          namespace: 'shop',
          resourceName: 'shop',
          action: 'abort',
        },
        { token: 'viewer-token' },
      );
      expect(denied.status).toBe(403);
    });
  });

  describe('blue-green', () => {
    it('pauses with BlueGreenPause until promoted', async () => {
      const before = await rollout('storefront');
      const stable = before.status.stableRS;
      expect(before.status.blueGreen).toEqual({
        activeSelector: stable,
        previewSelector: stable,
      });

      await syncToHead('storefront');
      h.sim.advance(); // preview ReplicaSet ready
      let ro = await rollout('storefront');
      expect(ro.status.blueGreen).toEqual({
        activeSelector: stable,
        previewSelector: ro.status.currentPodHash,
      });
      h.sim.advance(); // autoPromotionEnabled: false → pause
      ro = await rollout('storefront');
      expect(ro.status).toMatchObject({
        phase: 'Paused',
        message: 'BlueGreenPause',
        pauseConditions: [{ reason: 'BlueGreenPause' }],
      });
      expect(await appHealth('storefront')).toBe('Suspended');
      const tree = await client.get(
        '/api/v1/applications/storefront/resource-tree',
      );
      const preview = tree.body.nodes.find(
        (n: any) => n.kind === 'Service' && n.name === 'storefront-preview',
      );
      expect(
        preview.networkingInfo.targetLabels['rollouts-pod-template-hash'],
      ).toBe(ro.status.currentPodHash);

      await actionV2('storefront', 'resume');
      h.sim.advance();
      ro = await rollout('storefront');
      expect(ro.status).toMatchObject({
        phase: 'Healthy',
        stableRS: ro.status.currentPodHash,
        blueGreen: { activeSelector: ro.status.currentPodHash },
      });
      expect(await appHealth('storefront')).toBe('Healthy');
    });
  });
});

// Declared last, so it runs after every test above has recorded its exchanges.
(checker ? describe : describe.skip)('responses served in this file', () => {
  it('all validate against swagger v3.5.1 and v2.14.0', () => {
    expect(served.length).toBeGreaterThan(0);
    expect(checker?.violations(served)).toEqual([]);
  });
});
