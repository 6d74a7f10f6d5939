import { TestDatabases } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { judgeCanary } from '@praevisio/backstage-plugin-common';
import { PrometheusClient } from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { CanaryAnalysisService } from './CanaryAnalysisService';
import { sliContextFor } from './GateEvaluationService';
import { withLabelMatcher } from './promqlSelector';
import { SloSource } from './SloSource';
import {
  RealMetrics,
  sloEntity,
  startRealMetrics,
} from './__testUtils__/realMetrics';

jest.setTimeout(90_000);

const GOOD = 'a'.repeat(40);
const GOOD2 = 'c'.repeat(40);
const BAD = 'b'.repeat(40);
const MARGINAL = 'd'.repeat(40);

describe('withLabelMatcher', () => {
  it('adds the matcher to every selector, leaving strings alone', () => {
    expect(
      withLabelMatcher(
        'sum(rate(x{a="}{",b=~"5.."}[5m])) / sum(rate(x{}[5m])) + y{c="d",}',
        'h="1"',
      ),
    ).toBe(
      'sum(rate(x{a="}{",b=~"5..",h="1"}[5m])) / sum(rate(x{h="1"}[5m])) + y{c="d",h="1"}',
    );
  });
});

describe('CanaryAnalysisService on a real Prometheus', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let real: RealMetrics;
  let knex: Knex;

  beforeAll(async () => {
    const group = (
      name: string,
      hash: string,
      track: 'stable' | 'canary',
      revision: string,
    ) => ({
      app: `${name}-prod`,
      service: name,
      stage: 'prod',
      podTemplateHash: hash,
      track,
      revision,
      replicas: 2,
      weight: 50,
    });
    real = await startRealMetrics({
      podGroups: () => [
        group('payments-api', 'stable-p', 'stable', GOOD),
        group('payments-api', 'canary-p', 'canary', GOOD2),
        group('checkout', 'stable-c', 'stable', GOOD),
        group('checkout', 'canary-c', 'canary', BAD),
        group('search', 'stable-s', 'stable', GOOD),
        group('search', 'canary-s', 'canary', MARGINAL),
      ],
      badRevisions: [BAD],
      qualities: { [MARGINAL]: 'marginal' },
    });
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    await real.waitForScrapes(6);
  });

  afterAll(async () => {
    await real?.stop();
  });

  function service() {
    return new CanaryAnalysisService({
      knex,
      sloSource: new SloSource({} as UrlReaderService),
      stepSeconds: 1,
      rateWindowSeconds: 3,
    });
  }

  async function analyse(
    name: string,
    stable: string,
    canary: string,
    annotations: Record<string, string> = {},
  ) {
    const entity = sloEntity(name, annotations);
    const sli = (
      await new SloSource({} as UrlReaderService).readGateDocuments(entity)
    ).sli;
    const end = new Date();
    return service().analyse({
      entity,
      environment: 'prod',
      application: `${name}-prod`,
      sli,
      context: sliContextFor(entity, 'prod'),
      client: PrometheusClient.create({
        name: 'sandbox',
        url: real.prometheus.url,
      }),
      baselineHash: stable,
      canaryHash: canary,
      window: { start: new Date(end.getTime() - 8_000), end },
    });
  }

  it('passes a healthy canary and stores samples that reproduce the judgement', async () => {
    const analysis = await analyse('payments-api', 'stable-p', 'canary-p');
    expect(analysis.classification).toBe('Pass');
    expect(analysis.score).toBe(100);
    expect(analysis.metrics.map(m => m.name)).toEqual([
      'error_rate',
      'response_time_p95',
    ]);
    for (const m of analysis.metrics) {
      expect(m.baseline.count).toBeGreaterThan(3);
      expect(m.canary.count).toBeGreaterThan(3);
    }
    const stored = (await service().get(analysis.id))!;
    expect(stored.classification).toBe('Pass');
    const again = judgeCanary({
      config: stored.config,
      baseline: stored.samples.baseline,
      canary: stored.samples.canary,
    });
    expect(again.score).toBe(stored.score);
  });

  it('fails a bad canary on the critical error rate, with the evidence stored', async () => {
    const analysis = await analyse('checkout', 'stable-c', 'canary-c');
    expect(analysis.classification).toBe('Fail');
    expect(analysis.score).toBe(0);
    const errorRate = analysis.metrics.find(m => m.name === 'error_rate')!;
    expect(errorRate.classification).toBe('High');
    expect(errorRate.canary.mean!).toBeGreaterThan(errorRate.baseline.mean!);
    const stored = (await service().get(analysis.id))!;
    expect(stored.samples.canary.error_rate.length).toBeGreaterThan(3);
  });

  it('judges a slower canary by the entity’s canary configuration', async () => {
    // Default configuration: errors and latency weigh the same, so the
    // latency group alone fails the canary.
    const byDefault = await analyse('search', 'stable-s', 'canary-s');
    expect(byDefault).toMatchObject({ classification: 'Fail', score: 50 });
    const latency = byDefault.metrics.find(
      m => m.name === 'response_time_p95',
    )!;
    expect(latency.classification).toBe('High');
    expect(latency.canary.mean!).toBeGreaterThan(600);
    expect(latency.baseline.mean!).toBeLessThan(400);
    expect(
      byDefault.metrics.find(m => m.name === 'error_rate')!.classification,
    ).toBe('Pass');

    // payments-api's demo configuration weighs errors 80, latency 20.
    const weighted = await analyse('search', 'stable-s', 'canary-s', {
      'praevisio.io/canary-config': './slo/payments-api.canary.json',
    });
    expect(weighted).toMatchObject({ classification: 'Marginal', score: 80 });
    expect(weighted.groups).toEqual(
      expect.arrayContaining([
        { name: 'errors', score: 100 },
        { name: 'latency', score: 0 },
      ]),
    );
  });

  it('fails closed when Prometheus is down', async () => {
    const entity = sloEntity('payments-api');
    const sli = (
      await new SloSource({} as UrlReaderService).readGateDocuments(entity)
    ).sli;
    const end = new Date();
    const analysis = await service().analyse({
      entity,
      environment: 'prod',
      application: 'payments-api-prod',
      sli,
      context: sliContextFor(entity, 'prod'),
      client: PrometheusClient.create({
        name: 'down',
        url: 'http://127.0.0.1:1',
        http: { retry: { maxAttempts: 1 } },
      }),
      baselineHash: 'stable-p',
      canaryHash: 'canary-p',
      window: { start: new Date(end.getTime() - 8_000), end },
    });
    expect(analysis.classification).toBe('Fail');
    expect(analysis.reason).toMatch(/provider failed/);
  });
});
