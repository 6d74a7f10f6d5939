import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ArgoCdClientRegistry,
  PrometheusClientRegistry,
} from '@praevisio/backstage-plugin-node';
import {
  SandboxPrometheus,
  startMetricsServer,
  startSandboxPrometheus,
  WorkloadMetrics,
} from '@praevisio/sandbox';
import { Knex } from 'knex';
import { DatabaseAuditLog } from '../audit/AuditLog';
import { applyDatabaseMigrations } from '../database/migrations';
import { DeploymentReconciler } from '../releases/DeploymentReconciler';
import { DatabaseDeploymentStore } from '../releases/DeploymentStore';
import { EnvironmentResolver } from '../releases/EnvironmentResolver';
import { ReleaseCommandService } from '../releases/ReleaseCommandService';
import { ReleasesReadModel } from '../releases/ReleasesReadModel';
import {
  ACTION_ROUTE,
  ArgoCdSimulator,
  calls,
  ENVIRONMENTS,
  sha,
  shopEntity,
  startSimulator,
  TOKEN,
} from '../releases/__testUtils__/sandbox';
import { CanaryAnalysisService } from './CanaryAnalysisService';
import { GateDecisionStore } from './GateDecisionStore';
import { GateEvaluationService } from './GateEvaluationService';
import { GateEvaluationStore } from './GateEvaluationStore';
import { decide, ProgressiveDelivery } from './ProgressiveDelivery';
import { SloSource } from './SloSource';
import { EXAMPLES, waitForScrapes } from './__testUtils__/realMetrics';

jest.setTimeout(120_000);

const logger = mockServices.rootLogger({ level: 'none' });
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ANALYSIS_WINDOW_MS = 5_000;

function shop(autoPromote: boolean, annotations: Record<string, string> = {}) {
  return {
    ...shopEntity,
    metadata: {
      ...shopEntity.metadata,
      annotations: {
        ...shopEntity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${EXAMPLES}/entities.yaml`,
        'praevisio.io/slo': './slo/payments-api.slo.yaml',
        'praevisio.io/sli': './slo/sli.yaml',
        'praevisio.io/auto-promote': autoPromote ? 'true' : 'false',
        // payments-api's demo canary configuration: slower alone is
        // Marginal, and the error rate must at least double to count.
        'praevisio.io/canary-config': './slo/payments-api.canary.json',
        ...annotations,
      },
    },
  };
}

describe('decide', () => {
  const gate = (result: any) => ({ result, score: 90 } as any);
  const canary = (classification: any) =>
    ({ classification, score: 80 } as any);
  it.each([
    ['pass', 'Pass', true, 'promote'],
    ['pass', 'Pass', false, 'pause'],
    ['pass', 'Marginal', true, 'pause'],
    ['warning', 'Pass', true, 'pause'],
    ['fail', 'Pass', true, 'abort'],
    ['errored', 'Pass', true, 'abort'],
    ['pass', 'Fail', true, 'abort'],
  ])('gate %s + canary %s (auto-promote %s) → %s', (g, c, auto, expected) => {
    expect(decide(gate(g), canary(c), auto).decision).toBe(expected);
  });
});

describe('automatic progressive delivery', () => {
  let sim: ArgoCdSimulator;
  let url: string;
  let metrics: WorkloadMetrics;
  let metricsServer: { target: string; close(): Promise<void> };
  let prometheus: SandboxPrometheus;
  let knex: Knex;

  beforeEach(async () => {
    ({ sim, url } = await startSimulator());
    metrics = WorkloadMetrics.create({
      argocd: sim,
      seed: 3,
      // Enough traffic that a healthy canary's 0.1 % errors are not a
      // handful of requests, which the judge can read as a rise by chance.
      requestsPerSecond: () => 20_000,
    });
    metricsServer = await startMetricsServer({ metrics });
    prometheus = await startSandboxPrometheus({
      targets: [metricsServer.target],
      scrapeInterval: '1s',
    });
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    await waitForScrapes(prometheus, {
      selector: 'service="shop",stage="prod",code="200"',
      samples: 4,
      series: 1,
    });
  });

  afterEach(async () => {
    await prometheus?.stop();
    await metricsServer?.close();
    await sim?.stop();
  });

  /** One backend process: releases services plus the automation. */
  function backend(
    autoPromote: boolean,
    wrapCommands: (
      c: ReleaseCommandService,
    ) => ReleaseCommandService['execute'] = c => o => c.execute(o),
    annotations: Record<string, string> = {},
  ) {
    const registry = ArgoCdClientRegistry.create({
      instances: [{ name: 'main', url, token: TOKEN }],
    });
    const readModel = ReleasesReadModel.create({
      registry,
      environments: EnvironmentResolver.fromConfig(
        new ConfigReader({ praevisio: { environments: ENVIRONMENTS } }),
      ),
      logger,
      ttlMs: 0,
      idleMs: 300_000,
    });
    const store = DatabaseDeploymentStore.create({ knex });
    const auditLog = DatabaseAuditLog.create({ knex });
    const onChanged = (ref: string) => readModel.invalidate(ref);
    const commands = ReleaseCommandService.create({
      store,
      readModel,
      registry,
      auditLog,
      logger,
      onChanged,
    });
    const reconciler = DeploymentReconciler.create({
      store,
      registry,
      auditLog,
      logger,
      onChanged,
      stuckAfterMs: 30 * 60_000,
      pendingTimeoutMs: 120_000,
    });
    const sloSource = new SloSource({} as UrlReaderService);
    const gates = new GateEvaluationService({
      store: new GateEvaluationStore(knex),
      sloSource,
      prometheus: PrometheusClientRegistry.create({
        instances: [{ name: 'sandbox', url: prometheus.url }],
      }),
      auditLog,
    });
    const canary = new CanaryAnalysisService({
      knex,
      sloSource,
      stepSeconds: 1,
      rateWindowSeconds: 4,
    });
    const decisions = new GateDecisionStore(knex);
    const automation = new ProgressiveDelivery({
      gates,
      canary,
      decisions,
      commands: { execute: wrapCommands(commands) },
      deployments: store,
      catalog: catalogServiceMock({
        entities: [shop(autoPromote, annotations)],
      }),
      auth: mockServices.auth(),
      auditLog,
      logger,
      analysisWindowMs: ANALYSIS_WINDOW_MS,
    });
    reconciler.setPauseAutomation(automation);
    commands.setPromotionGuard(automation);
    return { commands, reconciler, store, gates, canary, decisions, auditLog };
  }

  async function startRelease(
    b: ReturnType<typeof backend>,
    label: string,
    autoPromote: boolean,
  ) {
    sim.pushRevision('shop-prod', sha(label), {
      author: 'Grace Hopper <grace@example.com>',
      message: `release ${label}`,
    });
    const { deployment } = await b.commands.execute({
      entity: shop(autoPromote),
      application: 'shop-prod',
      actor: 'user:default/ada',
      idempotencyKey: `sync-${label}`,
      request: { type: 'sync' },
    });
    return deployment.id;
  }

  /** Controller passes and reconciler passes until `until` holds. */
  async function drive(
    b: ReturnType<typeof backend>,
    id: string,
    until: (state: string, message?: string) => boolean,
  ) {
    const states: string[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      sim.advance();
      await b.reconciler.reconcileOnce();
      const d = (await b.store.get(id))!;
      if (states[states.length - 1] !== d.state) states.push(d.state);
      if (until(d.state, d.message)) return states;
      if (Date.now() > deadline) {
        const decisions = await b.decisions.list('component:default/shop');
        throw new Error(
          `stuck in ${d.state} (${
            d.message
          }); seen ${states}; decisions ${JSON.stringify(decisions)}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 400));
    }
  }

  /**
   * Drives until the deployment waits for a human, then makes a few more
   * passes, in which nothing may be promoted or aborted.
   */
  async function waitForHuman(b: ReturnType<typeof backend>, id: string) {
    const states = await drive(
      b,
      id,
      (state, message) =>
        state === 'paused' && /Waiting for a human/.test(message ?? ''),
    );
    for (let i = 0; i < 3; i++) {
      sim.advance();
      await b.reconciler.reconcileOnce();
    }
    return states;
  }

  const terminal = (s: string) =>
    ['succeeded', 'failed', 'aborted', 'rolled_back'].includes(s);

  it('promotes a healthy canary automatically with one promote call', async () => {
    const b = backend(true);
    const id = await startRelease(b, 'healthy-1', true);
    sim.resetStats();
    const states = await drive(b, id, terminal);

    expect(states).toContain('analysing');
    expect(states[states.length - 1]).toBe('succeeded');
    expect(calls(sim, ACTION_ROUTE)).toBe(1);
    const [decision] = await b.decisions.list('component:default/shop');
    const evaluation = (await b.gates.store.get(decision.gateEvaluationId!))!;
    expect(evaluation.errors).toEqual({});
    expect(decision).toMatchObject({
      decision: 'promote',
      decidedBy: 'praevisio',
      deploymentId: id,
    });
    expect(evaluation).toMatchObject({
      result: 'pass',
      trigger: 'automatic',
      triggeredBy: 'praevisio',
      deploymentId: id,
    });
    const analysis = (await b.canary.get(decision.canaryAnalysisId!))!;
    expect(analysis.classification).toBe('Pass');
    const actions = (
      await b.auditLog.list({ entityRef: 'component:default/shop' })
    ).map(e => `${e.actor} ${e.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'praevisio gate.evaluate',
        'praevisio gate.decision',
      ]),
    );
    const deployments = await b.store.listForEntity(
      'component:default/shop',
      10,
    );
    expect(deployments.map(d => `${d.kind} ${d.requestedBy}`)).toContain(
      'promote-full praevisio',
    );
  });

  it('aborts a bad canary and stores the evidence', async () => {
    const b = backend(true);
    metrics.setRevisionBad(sha('bad-1'), true);
    const id = await startRelease(b, 'bad-1', true);
    sim.resetStats();
    const states = await drive(b, id, terminal);

    expect(states[states.length - 1]).toBe('aborted');
    expect(calls(sim, ACTION_ROUTE)).toBe(1);
    const [decision] = await b.decisions.list('component:default/shop');
    expect(decision.decision).toBe('abort');
    expect(decision.reason).toMatch(/canary Fail/);
    const evaluation = (await b.gates.store.get(decision.gateEvaluationId!))!;
    // 20 % of traffic on the bad canary: the service-wide gate at least
    // warns; the canary comparison fails on the critical error rate.
    expect(evaluation.errors).toEqual({});
    expect(evaluation.result).not.toBe('pass');
    expect(evaluation.values.error_rate).toBeGreaterThan(0.01);
    const analysis = (await b.canary.get(decision.canaryAnalysisId!))!;
    expect(analysis.classification).toBe('Fail');
    expect(
      analysis.metrics.find(m => m.name === 'error_rate')!.classification,
    ).toBe('High');
    expect(analysis.samples.canary.error_rate.length).toBeGreaterThan(0);
  });

  it('leaves a marginal canary paused for a human with the warning gate as evidence', async () => {
    const b = backend(true);
    metrics.setRevisionQuality(sha('marginal-1'), 'marginal');
    const id = await startRelease(b, 'marginal-1', true);
    sim.resetStats();
    const states = await waitForHuman(b, id);
    expect(states).toContain('analysing');
    expect(calls(sim, ACTION_ROUTE)).toBe(0);
    const deployment = (await b.store.get(id))!;
    expect(deployment.state).toBe('paused');
    expect(deployment.message).toMatch(
      /^Waiting for a human: gate warning \(score 75\), canary Marginal \(score 80\)$/,
    );
    expect(sim.application('shop-prod')!.status.health.status).toBe(
      'Suspended',
    );

    const [decision] = await b.decisions.list('component:default/shop');
    expect(decision).toMatchObject({
      decision: 'pause',
      decidedBy: 'praevisio',
      deploymentId: id,
    });
    const evaluation = (await b.gates.store.get(decision.gateEvaluationId!))!;
    expect(evaluation).toMatchObject({
      result: 'warning',
      score: 75,
      errors: {},
      trigger: 'automatic',
      deploymentId: id,
    });
    // The evidence: p95 in the SLO's warning band, errors within the pass.
    const p95 = evaluation.values.response_time_p95!;
    expect(p95).toBeGreaterThan(600);
    expect(p95).toBeLessThanOrEqual(800);
    expect(evaluation.values.error_rate!).toBeLessThanOrEqual(0.01);
    const statusOf = (metric: string) =>
      evaluation.indicatorResults.find(r => r.value.metric === metric)?.status;
    expect(statusOf('response_time_p95')).toBe('warning');
    expect(statusOf('error_rate')).toBe('pass');

    const analysis = (await b.canary.get(decision.canaryAnalysisId!))!;
    expect(analysis).toMatchObject({ classification: 'Marginal', score: 80 });
    const classification = (metric: string) =>
      analysis.metrics.find(m => m.name === metric)?.classification;
    expect(classification('response_time_p95')).toBe('High');
    expect(classification('error_rate')).toBe('Pass');
    const audited = (
      await b.auditLog.list({ entityRef: 'component:default/shop' })
    ).find(e => e.action === 'gate.decision');
    expect(audited?.details).toMatchObject({
      decision: 'pause',
      gateResult: 'warning',
      canaryClassification: 'Marginal',
    });

    // A warning does not block the owner: a human promote goes through.
    const promoted = await b.commands.execute({
      entity: shop(true),
      application: 'shop-prod',
      actor: 'user:default/ada',
      idempotencyKey: 'human-promote-marginal-1',
      request: { type: 'rollout', action: 'promote-full' },
    });
    expect(promoted.status).toBe(202);
    expect(calls(sim, ACTION_ROUTE)).toBe(1);
  });

  it('leaves a passing canary paused for a human when auto-promote is off', async () => {
    const b = backend(false);
    const id = await startRelease(b, 'manual-1', false);
    sim.resetStats();
    await waitForHuman(b, id);
    expect((await b.store.get(id))!.state).toBe('paused');
    expect(calls(sim, ACTION_ROUTE)).toBe(0);
    const [decision] = await b.decisions.list('component:default/shop');
    expect(decision.decision).toBe('pause');
    expect(decision.reason).toContain(
      "praevisio.io/auto-promote is not 'true'",
    );
  });

  it('blocks a human promote after a failed gate until the gate is overridden', async () => {
    const b = backend(false);
    const id = await startRelease(b, 'override-1', false);
    await drive(
      b,
      id,
      (state, message) =>
        state === 'paused' && /Waiting for a human/.test(message ?? ''),
    );
    // Someone re-evaluates while Prometheus is unreachable: errored.
    const down = new GateEvaluationService({
      store: new GateEvaluationStore(knex),
      sloSource: new SloSource({} as UrlReaderService),
      prometheus: PrometheusClientRegistry.create({
        instances: [{ name: 'sandbox', url: 'http://127.0.0.1:1' }],
        http: { retry: { maxAttempts: 1 } },
      }),
      auditLog: b.auditLog,
    });
    const { evaluation } = await down.evaluate({
      entity: shop(false),
      environment: 'prod',
      window: { start: new Date(Date.now() - 60_000), end: new Date() },
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
    });
    expect(evaluation.result).toBe('errored');
    sim.resetStats();
    const promote = (key: string) =>
      b.commands.execute({
        entity: shop(false),
        application: 'shop-prod',
        actor: 'user:default/ada',
        idempotencyKey: key,
        request: { type: 'rollout', action: 'promote-full' },
      });

    await expect(promote('p1')).rejects.toThrow(
      /quality gate of prod .* is errored/,
    );
    expect(calls(sim, ACTION_ROUTE)).toBe(0);

    await down.override({
      entity: shop(false),
      evaluationId: evaluation.id,
      reason: 'Prometheus outage INC-7, canary checked by hand',
      by: 'user:default/ada',
    });
    const accepted = await promote('p2');
    expect(accepted.status).toBe(202);
    expect(calls(sim, ACTION_ROUTE)).toBe(1);
  });

  it('does not repeat the promote after a restart between the command and its bookkeeping', async () => {
    // The first process dies right after Argo CD accepted the promote.
    const first = backend(true, c => async options => {
      await c.execute(options);
      throw new Error('process killed');
    });
    const id = await startRelease(first, 'restart-1', true);
    sim.resetStats();
    await drive(first, id, () => calls(sim, ACTION_ROUTE) === 1);
    const [decision] = await first.decisions.list('component:default/shop');
    expect(decision.decision).toBe('promote');

    // A new process takes over from the database.
    const second = backend(true);
    const states = await drive(second, id, terminal);
    expect(states[states.length - 1]).toBe('succeeded');
    expect(calls(sim, ACTION_ROUTE)).toBe(1);
    expect(await second.decisions.list('component:default/shop')).toHaveLength(
      1,
    );
    const evaluations = await second.gates.store.list({
      entityRef: 'component:default/shop',
      limit: 10,
    });
    expect(evaluations).toHaveLength(1);
  });
});
