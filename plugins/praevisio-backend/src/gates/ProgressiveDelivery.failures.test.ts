/*
 * The automation's failure paths, with the Argo CD and Prometheus sides
 * replaced by small fakes (the happy paths run against the simulator and a
 * real Prometheus in ProgressiveDelivery.test.ts).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GateEvaluationDto } from '@praevisio/backstage-plugin-common';
import { Rollout } from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { DatabaseAuditLog } from '../audit/AuditLog';
import { applyDatabaseMigrations } from '../database/migrations';
import { DeploymentRecord } from '../releases/DeploymentStore';
import { auditorMock } from '../__testUtils__/auditorMock';
import { CanaryAnalysisService } from './CanaryAnalysisService';
import { GateDecisionStore } from './GateDecisionStore';
import { GateEvaluationService } from './GateEvaluationService';
import {
  MAX_ACTION_ATTEMPTS,
  ProgressiveDelivery,
} from './ProgressiveDelivery';

const ENTITY_REF = 'component:default/shop';
const PAUSED_AT = '2026-11-27T10:00:00.000Z';
const NOW = Date.parse('2026-11-27T10:10:00.000Z');
const STEP_KEY = 'canary1:1:CanaryPauseStep';

function shop(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'shop',
      namespace: 'default',
      annotations: {
        'praevisio.io/slo': './slo.yaml',
        'praevisio.io/auto-promote': 'true',
        ...annotations,
      },
    },
    spec: { owner: 'group:default/team-a' },
  };
}

const deployment = {
  id: 'deployment-1',
  kind: 'sync',
  entityRef: ENTITY_REF,
  application: 'shop-prod',
  environment: 'prod',
  state: 'analysing',
  requestedAt: PAUSED_AT,
} as DeploymentRecord;

const rollout = {
  status: {
    currentPodHash: 'canary1',
    stableRS: 'stable1',
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: PAUSED_AT }],
  },
} as unknown as Rollout;

function evaluation(result: GateEvaluationDto['result']): GateEvaluationDto {
  return {
    id: `evaluation-${result}`,
    entityRef: ENTITY_REF,
    environment: 'prod',
    provider: 'prometheus',
    window: { start: PAUSED_AT, end: new Date(NOW).toISOString() },
    result,
    score: result === 'pass' ? 100 : 0,
    indicatorResults: [],
    values: {},
    errors: {},
    comparedEvaluationIds: [],
    trigger: 'automatic',
    triggeredBy: 'praevisio',
    createdAt: new Date(NOW).toISOString(),
  };
}

describe('automatic progressive delivery when things go wrong', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
  });

  function automation(options: {
    entity?: Entity;
    gate?: () => Promise<GateEvaluationDto>;
    execute?: (o: { idempotencyKey: string }) => Promise<unknown>;
    sent?: (key: string) => DeploymentRecord | undefined;
    /** The evaluation service found the evaluation made before a restart. */
    replayed?: boolean;
  }) {
    const evaluate = jest.fn(async () => ({
      evaluation: await (options.gate ?? (async () => evaluation('fail')))(),
      replayed: options.replayed ?? false,
    }));
    const execute = jest.fn(
      options.execute ??
        (async () => {
          throw new ConflictError('Rollout shop is not paused');
        }),
    );
    const auditor = auditorMock();
    const auditLog = DatabaseAuditLog.create({ knex });
    const decisions = new GateDecisionStore(knex);
    const gates = {
      evaluate,
      canaryAnalysisUnavailable: () => 'no Prometheus is configured',
    } as unknown as GateEvaluationService;
    const delivery = new ProgressiveDelivery({
      gates,
      canary: {} as CanaryAnalysisService,
      decisions,
      commands: { execute: execute as any },
      deployments: {
        listForEntity: async () => [],
        findByIdempotencyKey: async (_actor: string, key: string) =>
          options.sent?.(key),
      },
      catalog: catalogServiceMock({ entities: [options.entity ?? shop()] }),
      auth: mockServices.auth(),
      auditLog,
      auditor,
      logger: mockServices.logger.mock(),
      analysisWindowMs: 60_000,
      clock: () => NOW,
    });
    const observe = () =>
      delivery.observe(deployment, rollout, { state: 'paused' });
    return {
      delivery,
      observe,
      evaluate,
      execute,
      auditor,
      auditLog,
      decisions,
    };
  }

  it(`gives up a refused automatic abort after ${MAX_ACTION_ATTEMPTS} attempts, audited high, and leaves it to a human`, async () => {
    const a = automation({});
    const messages: Array<string | undefined> = [];
    for (let pass = 0; pass < MAX_ACTION_ATTEMPTS + 3; pass++) {
      messages.push((await a.observe())?.message);
    }

    // One gate evaluation, then one command per pass until it is given up.
    expect(a.evaluate).toHaveBeenCalledTimes(1);
    expect(a.execute).toHaveBeenCalledTimes(MAX_ACTION_ATTEMPTS);
    const keys = a.execute.mock.calls.map(([o]) => o.idempotencyKey);
    expect(keys[0]).toBe(`auto:deployment-1:${STEP_KEY}:abort`);
    expect(keys[1]).toBe(`auto:deployment-1:${STEP_KEY}:abort:retry-1`);
    expect(new Set(keys).size).toBe(MAX_ACTION_ATTEMPTS);
    expect(messages[0]).toMatch(
      /Automatic abort failed \(attempt 1 of 5, retrying\): Rollout shop is not paused/,
    );
    for (const message of messages.slice(MAX_ACTION_ATTEMPTS - 1)) {
      expect(message).toMatch(
        /Automatic abort gave up after 5 failed attempts \(Rollout shop is not paused\); a human must abort or roll back/,
      );
    }

    const [decision] = await a.decisions.list(ENTITY_REF);
    expect(decision).toMatchObject({
      decision: 'abort',
      actionFailed: { attempts: 5, error: 'Rollout shop is not paused' },
    });
    expect(decision.reason).toContain(
      'no canary analysis (no Prometheus is configured)',
    );
    const audit = await a.auditLog.list({ entityRef: ENTITY_REF });
    expect(audit.map(e => `${e.actor} ${e.action} ${e.severity}`)).toEqual(
      expect.arrayContaining([
        'praevisio gate.decision medium',
        'praevisio gate.action.failed high',
      ]),
    );
    expect(a.auditor.events).toEqual([
      { eventId: 'gate-evaluate', severityLevel: 'medium', outcome: 'success' },
      { eventId: 'gate-decision', severityLevel: 'medium', outcome: 'success' },
      {
        eventId: 'gate-automatic-command',
        severityLevel: 'high',
        outcome: 'fail',
      },
    ]);
  });

  it('never re-sends a command Argo CD took when only the bookkeeping failed', async () => {
    let sentKey: string | undefined;
    const a = automation({
      execute: async o => {
        sentKey = o.idempotencyKey;
        throw new Error('database connection lost');
      },
      sent: key =>
        key === sentKey
          ? ({ state: 'promoting' } as DeploymentRecord)
          : undefined,
    });
    await expect(a.observe()).rejects.toThrow('database connection lost');
    await expect(a.observe()).rejects.toThrow('database connection lost');
    // The same key both times: the command path replays, never re-sends.
    expect(a.execute.mock.calls.map(([o]) => o.idempotencyKey)).toEqual([
      `auto:deployment-1:${STEP_KEY}:abort`,
      `auto:deployment-1:${STEP_KEY}:abort`,
    ]);
    const [decision] = await a.decisions.list(ENTITY_REF);
    expect(decision.actionFailed).toBeUndefined();
  });

  it('acts once on a decision and reports it to the auditor', async () => {
    const a = automation({
      gate: async () => evaluation('errored'),
      execute: async () => ({}),
    });
    expect(await a.observe()).toMatchObject({
      state: 'paused',
      message: expect.stringMatching(/^Aborting automatically: gate errored/),
    });
    expect(await a.observe()).toBeUndefined();
    expect(a.execute).toHaveBeenCalledTimes(1);
    expect(a.auditor.events).toEqual([
      { eventId: 'gate-evaluate', severityLevel: 'medium', outcome: 'success' },
      { eventId: 'gate-decision', severityLevel: 'medium', outcome: 'success' },
      {
        eventId: 'gate-automatic-command',
        severityLevel: 'medium',
        outcome: 'success',
      },
    ]);
  });

  it('does not report an evaluation to the auditor again when it was made before a restart', async () => {
    const a = automation({
      gate: async () => evaluation('errored'),
      execute: async () => ({}),
      replayed: true,
    });
    await a.observe();
    expect(a.auditor.events.map(e => e.eventId)).toEqual([
      'gate-decision',
      'gate-automatic-command',
    ]);
  });

  it('leaves the pause to a human when the gate files are broken, without retrying the evaluation', async () => {
    const a = automation({
      gate: async () => {
        throw new InputError(
          'Annotation praevisio.io/slo: slo.yaml line 3: unknown criteria syntax',
        );
      },
    });
    for (let pass = 0; pass < 3; pass++) {
      expect(await a.observe()).toEqual({
        state: 'paused',
        message:
          'Waiting for a human: the gate cannot be evaluated: Annotation praevisio.io/slo: slo.yaml line 3: unknown criteria syntax',
      });
    }
    expect(a.evaluate).toHaveBeenCalledTimes(1);
    expect(a.execute).not.toHaveBeenCalled();
    const [decision] = await a.decisions.list(ENTITY_REF);
    expect(decision.decision).toBe('pause');
  });

  it('does not judge an entity whose gate is not set up', async () => {
    const a = automation({
      entity: shop({ 'praevisio.io/slo': '' }),
    });
    expect(await a.observe()).toEqual({
      state: 'paused',
      message:
        'No automatic analysis (no praevisio.io/slo annotation); promote or abort by hand',
    });
    const keptn = automation({
      entity: shop({ 'praevisio.io/gate-provider': 'keptn' }),
    });
    expect((await keptn.observe())?.message).toMatch(
      /No automatic analysis \(no keptn\.sh\/project annotation\)/,
    );
    expect(a.evaluate).not.toHaveBeenCalled();
    expect(keptn.evaluate).not.toHaveBeenCalled();
    expect(await a.decisions.list(ENTITY_REF)).toEqual([]);
  });
});
