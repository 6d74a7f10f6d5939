import { randomUUID } from 'node:crypto';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_CANARY_CONFIG,
  CanaryAnalysisDto,
  CanaryValidationError,
  compileSliTemplate,
  judgeCanary,
  parseCanaryConfig,
  promqlString,
  renderSliTemplate,
  SliDocument,
  SliRenderContext,
} from '@praevisio/backstage-plugin-common';
import { PrometheusClient } from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { withLabelMatcher } from './promqlSelector';
import { SloSource } from './SloSource';

const TABLE = 'praevisio_canary_analyses';

/** Canary thresholds when the entity brings no configuration. */
export const DEFAULT_CANARY_THRESHOLDS = { pass: 95, marginal: 75 };

/** Judge settings of the SLIs the default configuration knows. */
const DEFAULT_METRICS: Record<string, { group: string; critical: boolean }> = {
  error_rate: { group: 'errors', critical: true },
  response_time_p95: { group: 'latency', critical: false },
};

/**
 * The default canary configuration, built from the SLI names the entity's
 * sli.yaml defines: `error_rate` (increase is a failure, critical) and
 * `response_time_p95` (increase is a failure); thresholds pass 95,
 * marginal 75.
 */
export function defaultCanaryConfig(sli: SliDocument): Record<string, unknown> {
  const metrics = Object.keys(DEFAULT_METRICS)
    .filter(name => Object.prototype.hasOwnProperty.call(sli.indicators, name))
    .map(name => ({
      name,
      groups: [DEFAULT_METRICS[name].group],
      direction: 'increase',
      critical: DEFAULT_METRICS[name].critical,
    }));
  if (metrics.length === 0) {
    throw new InputError(
      `The sli.yaml defines neither ${Object.keys(DEFAULT_METRICS).join(
        ' nor ',
      )}; add them or point ${ANNOTATION_CANARY_CONFIG} to a canary configuration`,
    );
  }
  return { thresholds: DEFAULT_CANARY_THRESHOLDS, metrics };
}

export interface CanaryAnalysisOptions {
  entity: Entity;
  environment: string;
  application: string;
  deploymentId?: string;
  sli: SliDocument;
  context: SliRenderContext;
  client: Pick<PrometheusClient, 'queryRange'>;
  baselineHash: string;
  canaryHash: string;
  window: { start: Date; end: Date };
}

export interface CanaryAnalysisServiceOptions {
  knex: Knex;
  sloSource: SloSource;
  /** Range step. Default 10 s. */
  stepSeconds?: number;
  /** `$DURATION_SECONDS` of each sample, the rate() window. Default 60 s. */
  rateWindowSeconds?: number;
  queryTimeoutMs?: number;
  clock?: () => Date;
}

type Samples = Record<string, number[]>;

function finiteMean(values: number[]): number | undefined {
  const finite = values.filter(v => Number.isFinite(v));
  return finite.length
    ? finite.reduce((a, b) => a + b, 0) / finite.length
    : undefined;
}

/**
 * Canary analysis on Prometheus: for each configured metric, the SLI query
 * narrowed to the stable (baseline) and canary pods by `pod_template_hash`,
 * sampled over the window, judged with `judgeCanary`, stored with its
 * samples and configuration. A failed query fails the analysis (fail
 * closed).
 */
export class CanaryAnalysisService {
  private readonly clock: () => Date;

  constructor(private readonly options: CanaryAnalysisServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The entity's canary configuration, or the default one; 400 on errors. */
  async configFor(
    entity: Entity,
    sli: SliDocument,
  ): Promise<Record<string, unknown>> {
    const file = await this.options.sloSource.readAnnotated(
      entity,
      ANNOTATION_CANARY_CONFIG,
    );
    if (!file) return defaultCanaryConfig(sli);
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch (error) {
      throw new InputError(
        `Annotation ${ANNOTATION_CANARY_CONFIG}: invalid JSON (${
          file.location
        }): ${(error as Error).message}`,
      );
    }
    try {
      const config = parseCanaryConfig(json);
      for (const m of config.metrics) {
        if (!Object.prototype.hasOwnProperty.call(sli.indicators, m.name)) {
          throw new InputError(
            `Annotation ${ANNOTATION_CANARY_CONFIG}: metric ${m.name} (${file.location}) has no query in the sli.yaml`,
          );
        }
      }
      return json as Record<string, unknown>;
    } catch (error) {
      if (error instanceof CanaryValidationError) {
        throw new InputError(
          `Annotation ${ANNOTATION_CANARY_CONFIG}: invalid canary configuration (${file.location}): ${error.message}`,
        );
      }
      throw error;
    }
  }

  async analyse(options: CanaryAnalysisOptions): Promise<CanaryAnalysisDto> {
    const config = await this.configFor(options.entity, options.sli);
    const parsed = parseCanaryConfig(config);
    const step = this.options.stepSeconds ?? 10;
    const context: SliRenderContext = {
      ...options.context,
      duration: `${this.options.rateWindowSeconds ?? 60}s`,
    };
    const baseline: Samples = {};
    const canary: Samples = {};
    const errors: Record<string, string> = {};
    for (const metric of parsed.metrics) {
      let promql: string;
      try {
        promql = renderSliTemplate(
          compileSliTemplate(options.sli.indicators[metric.name]),
          context,
        );
      } catch (error) {
        errors[metric.name] = (error as Error).message;
        continue;
      }
      for (const [track, hash, into] of [
        ['baseline', options.baselineHash, baseline],
        ['canary', options.canaryHash, canary],
      ] as const) {
        try {
          const result = await options.client.queryRange(
            withLabelMatcher(promql, `pod_template_hash=${promqlString(hash)}`),
            {
              start: options.window.start,
              end: options.window.end,
              step,
              timeoutMs: this.options.queryTimeoutMs ?? 30_000,
            },
          );
          into[metric.name] = result.result.flatMap(s =>
            s.values.map(p => p.value),
          );
        } catch (error) {
          errors[`${metric.name}.${track}`] = (error as Error).message;
        }
      }
    }
    const judgement = judgeCanary({ config: parsed, baseline, canary });
    const failed = Object.entries(errors);
    const providerFailure =
      failed.length > 0
        ? `Canary Failed: the metrics provider failed for ${failed
            .map(([k, v]) => `${k} (${v})`)
            .join('; ')}`
        : undefined;
    const analysis: CanaryAnalysisDto = {
      id: randomUUID(),
      entityRef: stringifyEntityRef(options.entity),
      environment: options.environment,
      application: options.application,
      ...(options.deploymentId ? { deploymentId: options.deploymentId } : {}),
      window: {
        start: options.window.start.toISOString(),
        end: options.window.end.toISOString(),
      },
      baselineHash: options.baselineHash,
      canaryHash: options.canaryHash,
      score: providerFailure ? 0 : judgement.score,
      classification: providerFailure ? 'Fail' : judgement.classification,
      ...(providerFailure || judgement.reason
        ? { reason: providerFailure ?? judgement.reason }
        : {}),
      groups: judgement.groups.map(g => ({ name: g.name, score: g.score })),
      metrics: judgement.metrics.map(m => ({
        name: m.name,
        classification: m.classification,
        critical: m.critical,
        baseline: {
          count: m.counts.baseline,
          ...meanOf(baseline[m.name]),
        },
        canary: { count: m.counts.canary, ...meanOf(canary[m.name]) },
        statistics: m.statistics,
      })),
      createdAt: this.clock().toISOString(),
    };
    await this.options.knex(TABLE).insert({
      id: analysis.id,
      entity_ref: analysis.entityRef,
      environment: analysis.environment,
      application: analysis.application,
      deployment_id: analysis.deploymentId ?? null,
      window_start: analysis.window.start,
      window_end: analysis.window.end,
      baseline_hash: analysis.baselineHash ?? null,
      canary_hash: analysis.canaryHash ?? null,
      score: analysis.score,
      classification: analysis.classification,
      reason: analysis.reason ?? null,
      groups: JSON.stringify(analysis.groups),
      metrics: JSON.stringify(analysis.metrics),
      config: JSON.stringify(config),
      samples: JSON.stringify({ baseline, canary, errors }),
      created_at: analysis.createdAt,
    });
    return analysis;
  }

  async get(id: string): Promise<
    | (CanaryAnalysisDto & {
        config: unknown;
        samples: { baseline: Samples; canary: Samples; errors: object };
      })
    | undefined
  > {
    const row = await this.options.knex(TABLE).where({ id }).first();
    if (!row) return undefined;
    return {
      ...fromRow(row),
      config: JSON.parse(row.config),
      samples: JSON.parse(row.samples),
    };
  }

  async list(entityRef: string, limit = 20): Promise<CanaryAnalysisDto[]> {
    const rows = await this.options
      .knex(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(fromRow);
  }
}

function meanOf(values: number[] | undefined): { mean?: number } {
  const mean = finiteMean(values ?? []);
  return mean === undefined ? {} : { mean };
}

function fromRow(row: any): CanaryAnalysisDto {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    application: row.application,
    ...(row.deployment_id ? { deploymentId: row.deployment_id } : {}),
    window: { start: row.window_start, end: row.window_end },
    ...(row.baseline_hash ? { baselineHash: row.baseline_hash } : {}),
    ...(row.canary_hash ? { canaryHash: row.canary_hash } : {}),
    score: Number(row.score),
    classification: row.classification,
    ...(row.reason ? { reason: row.reason } : {}),
    groups: JSON.parse(row.groups),
    metrics: JSON.parse(row.metrics),
    createdAt: row.created_at,
  };
}
