import { TestDatabases } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { evaluateGate, parseSlo } from '@praevisio/backstage-plugin-common';
import { PrometheusClientRegistry } from '@praevisio/backstage-plugin-node';
import {
  SandboxPrometheus,
  startMetricsServer,
  startSandboxPrometheus,
  WorkloadMetrics,
} from '@praevisio/sandbox';
import { Knex } from 'knex';
import { DatabaseAuditLog } from '../audit/AuditLog';
import {
  applyDatabaseMigrations,
  rollbackDatabaseMigrations,
} from '../database/migrations';
import { GateEvaluationService } from './GateEvaluationService';
import { GateEvaluationStore } from './GateEvaluationStore';
import { SloSource } from './SloSource';
import { sloEntity, waitForScrapes } from './__testUtils__/realMetrics';

jest.setTimeout(90_000);

const GOOD = 'a'.repeat(40);
const BAD = 'b'.repeat(40);

const noUrls = { readUrl: jest.fn() } as unknown as UrlReaderService;

function service(knex: Knex, prometheusUrl: string) {
  const store = new GateEvaluationStore(knex);
  return {
    store,
    auditLog: DatabaseAuditLog.create({ knex }),
    gates: new GateEvaluationService({
      store,
      sloSource: new SloSource(noUrls),
      prometheus: PrometheusClientRegistry.create({
        instances: [{ name: 'sandbox', url: prometheusUrl }],
        http: { timeoutMs: 2_000, retry: { maxAttempts: 1 } },
      }),
      auditLog: DatabaseAuditLog.create({ knex }),
      queryTimeoutMs: 2_000,
    }),
  };
}

describe('gate evaluations store', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'migrates up and down and stores evaluations exactly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = new GateEvaluationStore(knex);
      const evaluation = {
        id: '00000000-0000-4000-8000-000000000001',
        entityRef: 'component:default/payments-api',
        environment: 'prod',
        provider: 'prometheus' as const,
        window: {
          start: '2026-11-27T10:00:00.000Z',
          end: '2026-11-27T10:05:00.000Z',
        },
        result: 'warning' as const,
        score: 83.33333333333333,
        indicatorResults: [],
        values: { error_rate: 0.0123456789012345, response_time_p95: null },
        errors: { response_time_p95: 'empty result' },
        comparedEvaluationIds: ['x', 'y'],
        sloText: 'spec_version: "1.0"\n',
        trigger: 'manual' as const,
        triggeredBy: 'user:default/ada',
        createdAt: '2026-11-27T10:05:01.000Z',
        idempotencyKey: 'k1',
        requestHash: 'h',
      };
      expect((await store.insert(evaluation)).inserted).toBe(true);
      const again = await store.insert({ ...evaluation, id: 'other' });
      expect(again.inserted).toBe(false);
      expect(again.evaluation.id).toBe(evaluation.id);
      expect(await store.get(evaluation.id)).toEqual(evaluation);

      await rollbackDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('praevisio_gate_evaluations')).toBe(
        false,
      );
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('praevisio_gate_evaluations')).toBe(
        true,
      );
    },
  );
});

describe('GateEvaluationService on a real Prometheus', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let prometheus: SandboxPrometheus;
  let metricsServer: { target: string; close(): Promise<void> };
  let metrics: WorkloadMetrics;
  let knex: Knex;

  beforeAll(async () => {
    metrics = WorkloadMetrics.create({
      seed: 7,
      requestsPerSecond: () => 200,
      podGroups: () => [
        {
          app: 'payments-api-prod',
          service: 'payments-api',
          stage: 'prod',
          podTemplateHash: 'stable1',
          track: 'stable',
          revision: GOOD,
          replicas: 2,
          weight: 100,
        },
        {
          app: 'ledger-prod',
          service: 'ledger',
          stage: 'prod',
          podTemplateHash: 'stable2',
          track: 'stable',
          revision: BAD,
          replicas: 2,
          weight: 100,
        },
      ],
    });
    metrics.setRevisionBad(BAD, true);
    metricsServer = await startMetricsServer({ metrics });
    // Fails (never skips) when /usr/bin/prometheus is missing.
    prometheus = await startSandboxPrometheus({
      targets: [metricsServer.target],
      scrapeInterval: '1s',
    });
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    // Both services scraped often enough for rate().
    await waitForScrapes(prometheus, {
      selector: 'code="200"',
      samples: 3,
      series: 2,
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await metricsServer?.close();
  });

  const window = () => {
    const end = new Date();
    return { start: new Date(end.getTime() - 10_000), end };
  };

  it('scores a healthy service as pass and stores what reproduces the score', async () => {
    const { gates, store, auditLog } = service(knex, prometheus.url);
    const { evaluation } = await gates.evaluate({
      entity: sloEntity('payments-api', {
        'prometheus.io/service-name': 'sandbox',
      }),
      environment: 'prod',
      window: window(),
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
    });
    expect(evaluation.errors).toEqual({});
    expect(evaluation.result).toBe('pass');
    expect(evaluation.score).toBe(100);
    expect(evaluation.values.error_rate).toBeLessThan(0.01);
    expect(evaluation.values.response_time_p95).toBeGreaterThan(50);
    expect(evaluation.values.response_time_p95).toBeLessThan(600);

    const stored = (await store.get(evaluation.id))!;
    expect(stored.result).toBe('pass');
    expect(stored.score).toBe(100);
    expect(stored.values).toEqual(evaluation.values);
    // Reproducible: the stored SLO text and values give the same result.
    const replay = evaluateGate({
      slo: parseSlo(stored.sloText!),
      values: stored.values,
      previous: [],
    });
    expect(replay.score).toBe(stored.score);
    expect(replay.indicatorResults).toEqual(stored.indicatorResults);

    const audit = await auditLog.list({
      entityRef: 'component:default/payments-api',
    });
    expect(audit.map(a => a.action)).toContain('gate.evaluate');
  });

  it('takes the previous stored evaluation as the baseline', async () => {
    const { gates, store } = service(knex, prometheus.url);
    const [previous] = await store.list({
      entityRef: 'component:default/payments-api',
      environment: 'prod',
      limit: 1,
    });
    const { evaluation } = await gates.evaluate({
      entity: sloEntity('payments-api'),
      environment: 'prod',
      window: window(),
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
    });
    expect(evaluation.comparedEvaluationIds).toEqual([previous.id]);
    const p95 = evaluation.indicatorResults.find(
      r => r.value.metric === 'response_time_p95',
    )!;
    expect(p95.value.comparedValue).toBe(previous.values.response_time_p95);
  });

  it('fails the gate of a bad revision (key SLI error_rate)', async () => {
    const { gates, store } = service(knex, prometheus.url);
    const { evaluation } = await gates.evaluate({
      entity: sloEntity('ledger'),
      environment: 'prod',
      window: window(),
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
    });
    expect(evaluation.values.error_rate).toBeGreaterThan(0.02);
    expect(evaluation.result).toBe('fail');
    expect((await store.get(evaluation.id))!.result).toBe('fail');
  });

  it('stores an errored evaluation, never a pass, when Prometheus is down', async () => {
    const { gates, store } = service(knex, 'http://127.0.0.1:1');
    const { evaluation } = await gates.evaluate({
      entity: sloEntity('payments-api'),
      environment: 'staging',
      window: window(),
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
    });
    expect(evaluation.result).toBe('errored');
    expect(Object.keys(evaluation.errors).sort()).toEqual([
      'error_rate',
      'response_time_p95',
      'throughput',
    ]);
    expect(evaluation.values.error_rate).toBeNull();
    const stored = (await store.get(evaluation.id))!;
    expect(stored.result).toBe('errored');
    expect(stored.errors).toEqual(evaluation.errors);
  });

  it('is errored when a query answers without data (unknown stage)', async () => {
    const { gates } = service(knex, prometheus.url);
    const { evaluation } = await gates.evaluate({
      entity: sloEntity('payments-api'),
      environment: 'nowhere',
      window: window(),
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
    });
    expect(evaluation.result).toBe('errored');
    expect(evaluation.errors.error_rate).toBeDefined();
  });
});
