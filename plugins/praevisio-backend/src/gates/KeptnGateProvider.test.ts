import fs from 'node:fs';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { evaluateGate, parseSlo } from '@praevisio/backstage-plugin-common';
import {
  KeptnClientRegistry,
  PrometheusClientRegistry,
} from '@praevisio/backstage-plugin-node';
import { KeptnSimulator } from '@praevisio/sandbox';
import { Knex } from 'knex';
import { DatabaseAuditLog } from '../audit/AuditLog';
import { applyDatabaseMigrations } from '../database/migrations';
import { GateEvaluationService } from './GateEvaluationService';
import { GateEvaluationStore } from './GateEvaluationStore';
import {
  gateProviderOf,
  KeptnGateProvider,
  KeptnTriggerStore,
} from './KeptnGateProvider';
import { SloSource } from './SloSource';

jest.setTimeout(60_000);

const TOKEN = 'keptn-test-token';
const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const SLO = fs.readFileSync(
  path.join(EXAMPLES, 'slo/payments-api.slo.yaml'),
  'utf8',
);
const WINDOW = {
  start: new Date('2026-11-27T10:00:00Z'),
  end: new Date('2026-11-27T10:05:00Z'),
};

function keptnEntity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'billing',
      namespace: 'default',
      annotations: {
        'praevisio.io/gate-provider': 'keptn',
        'keptn.sh/project': 'finance',
        'keptn.sh/service': 'billing-svc',
        ...annotations,
      },
    },
    spec: {},
  };
}

/** What the route passes for a manual evaluation of `entity` in prod. */
function manualEvaluation(entity: Entity) {
  return {
    entity,
    environment: 'prod',
    window: WINDOW,
    trigger: 'manual' as const,
    triggeredBy: 'user:default/ada',
  };
}

describe('Keptn v1 adapter for quality gates', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sim: KeptnSimulator;
  let url: string;
  let knex: Knex;

  beforeEach(async () => {
    // Evaluations finish on the simulator's own timer, as Keptn's lighthouse
    // answers a little after the trigger.
    sim = KeptnSimulator.create({ apiToken: TOKEN, tickMs: 50 });
    ({ url } = await sim.start());
    sim.seed({
      project: 'finance',
      stage: 'prod',
      service: 'billing-svc',
      slo: SLO,
      values: { response_time_p95: 420, error_rate: 0.015, throughput: 35 },
    });
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
  });

  afterEach(async () => {
    await sim?.stop();
  });

  function setup(
    options: {
      keptnUrl?: string;
      timeoutMs?: number;
      /** More instances after 'legacy' (the simulator, or `keptnUrl`). */
      moreInstances?: Array<{ name: string; url: string }>;
    } = {},
  ) {
    const keptn = KeptnClientRegistry.create({
      instances: [
        { name: 'legacy', url: options.keptnUrl ?? url, apiToken: TOKEN },
        ...(options.moreInstances ?? []).map(i => ({ ...i, apiToken: TOKEN })),
      ],
      http: { timeoutMs: 2_000, retry: { maxAttempts: 1 } },
    });
    const provider = new KeptnGateProvider({
      keptn,
      triggers: new KeptnTriggerStore(knex),
      timeoutMs: options.timeoutMs ?? 10_000,
      pollMs: 25,
    });
    const store = new GateEvaluationStore(knex);
    const gates = new GateEvaluationService({
      store,
      sloSource: new SloSource({} as UrlReaderService),
      prometheus: PrometheusClientRegistry.create({ instances: [] }),
      keptn: provider,
      auditLog: DatabaseAuditLog.create({ knex }),
    });
    return { gates, provider, store };
  }

  it('has Keptn score the gate and stores what reproduces its score', async () => {
    const { gates, store } = setup();
    const { evaluation } = await gates.evaluate(
      manualEvaluation(keptnEntity()),
    );

    expect(evaluation).toMatchObject({
      provider: 'keptn',
      providerInstance: 'legacy',
      environment: 'prod',
      // error_rate (key SLI) 0.015 is inside its warning band: half points.
      result: 'warning',
      values: { response_time_p95: 420, error_rate: 0.015, throughput: 35 },
      errors: {},
    });
    expect(evaluation.keptnContext).toMatch(/^[0-9a-f-]{36}$/);
    const [triggered] = sim
      .allEvents()
      .filter(e => e.type.endsWith('evaluation.triggered'));
    expect(triggered.shkeptncontext).toBe(evaluation.keptnContext);
    expect(triggered.data).toMatchObject({
      project: 'finance',
      stage: 'prod',
      service: 'billing-svc',
      labels: {
        'praevisio.io/entity': 'component:default/billing',
        'praevisio.io/triggered-by': 'user:default/ada',
      },
    });

    // The stored slo.yaml is the one Keptn scored with; re-scoring the stored
    // values with it gives Keptn's score and per-objective results.
    const stored = (await store.get(evaluation.id))!;
    expect(stored.sloText).toBe(SLO);
    const rescored = evaluateGate({
      slo: parseSlo(stored.sloText!),
      values: stored.values,
    });
    expect(rescored.score).toBe(evaluation.score);
    expect(rescored.result).toBe(evaluation.result);
    expect(
      rescored.indicatorResults.map(r => [r.value.metric, r.status]),
    ).toEqual(evaluation.indicatorResults.map(r => [r.value.metric, r.status]));
  });

  it('waits for the evaluation it already triggered under the same key (restart, replay)', async () => {
    const { provider } = setup();
    const input = {
      entity: keptnEntity(),
      environment: 'prod',
      window: WINDOW,
      triggeredBy: 'praevisio',
      idempotencyKey: 'auto:deployment-1:abc:0:CanaryPauseStep',
    };
    const first = await provider.evaluate(input);
    // A restarted backend asks again for the same step: no second trigger.
    const second = await provider.evaluate(input);
    expect(second.keptnContext).toBe(first.keptnContext);
    expect(second.score).toBe(first.score);
    expect(sim.stats().evaluationsTriggered).toBe(1);

    await provider.evaluate({ ...input, idempotencyKey: 'another-step' });
    expect(sim.stats().evaluationsTriggered).toBe(2);
  });

  it('stores an errored evaluation, never a pass, when Keptn refuses or does not answer', async () => {
    const { gates } = setup({ timeoutMs: 300 });
    const unknown = await gates.evaluate(
      manualEvaluation(keptnEntity({ 'keptn.sh/project': 'nope' })),
    );
    expect(unknown.evaluation).toMatchObject({
      provider: 'keptn',
      result: 'errored',
      score: 0,
    });
    expect(unknown.evaluation.message).toMatch(
      /Keptn 'legacy' gave no result for nope\/prod\/billing-svc/,
    );

    // Keptn accepts the trigger but its lighthouse never finishes.
    await sim.stop();
    sim = KeptnSimulator.create({ apiToken: TOKEN, tickMs: 0 });
    const { url: stalled } = await sim.start();
    sim.seed({
      project: 'finance',
      stage: 'prod',
      service: 'billing-svc',
      slo: SLO,
      values: { response_time_p95: 100, error_rate: 0, throughput: 35 },
    });
    const slow = await setup({
      keptnUrl: stalled,
      timeoutMs: 300,
    }).gates.evaluate(manualEvaluation(keptnEntity()));
    expect(slow.evaluation.result).toBe('errored');
    expect(slow.evaluation.keptnContext).toBeDefined();
    expect(slow.evaluation.message).toMatch(/gave no result/);
  });

  it('reports an errored Keptn evaluation as errored, not as its fail score', async () => {
    sim.seed({
      project: 'finance',
      stage: 'prod',
      service: 'billing-svc',
      slo: 'spec_version: "1.0"\nobjectives: [}',
      values: {},
    });
    const { gates } = setup();
    const { evaluation } = await gates.evaluate(
      manualEvaluation(keptnEntity()),
    );
    expect(evaluation.result).toBe('errored');
    expect(evaluation.score).toBe(0);
  });

  it('uses the Keptn instance the entity names, and refuses one that is not configured', async () => {
    // The first instance does not answer: only the named one can score.
    const { gates, store } = setup({
      keptnUrl: 'http://127.0.0.1:1',
      moreInstances: [{ name: 'main', url }],
    });
    const { evaluation } = await gates.evaluate(
      manualEvaluation(keptnEntity({ 'praevisio.io/keptn-instance': 'main' })),
    );
    expect(evaluation).toMatchObject({
      providerInstance: 'main',
      result: 'warning',
    });

    await expect(
      gates.evaluate(
        manualEvaluation(
          keptnEntity({ 'praevisio.io/keptn-instance': 'staging' }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Annotation praevisio.io/keptn-instance: Keptn instance 'staging' is not configured (configured: legacy, main)",
    });
    expect(
      await store.list({ entityRef: 'component:default/billing', limit: 10 }),
    ).toHaveLength(1);
    expect(sim.stats().evaluationsTriggered).toBe(1);
  });

  it('needs a Keptn project and a configured Keptn, and a known provider name', async () => {
    const { gates } = setup();
    await expect(
      gates.evaluate(manualEvaluation(keptnEntity({ 'keptn.sh/project': '' }))),
    ).rejects.toThrow(/keptn\.sh\/project/);

    const noKeptn = new GateEvaluationService({
      store: new GateEvaluationStore(knex),
      sloSource: new SloSource({} as UrlReaderService),
      prometheus: PrometheusClientRegistry.create({ instances: [] }),
      auditLog: DatabaseAuditLog.create({ knex }),
    });
    await expect(
      noKeptn.evaluate(manualEvaluation(keptnEntity())),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/praevisio\.keptn\.instances/),
    });

    expect(() =>
      gateProviderOf(keptnEntity({ 'praevisio.io/gate-provider': 'datadog' })),
    ).toThrow(/praevisio\.io\/gate-provider: 'datadog' is not a gate provider/);
    expect(
      gateProviderOf(keptnEntity({ 'praevisio.io/gate-provider': ' Keptn ' })),
    ).toBe('keptn');
    expect(
      gateProviderOf(keptnEntity({ 'praevisio.io/gate-provider': '' })),
    ).toBe('prometheus');
    expect(sim.stats().evaluationsTriggered).toBe(0);
  });
});
