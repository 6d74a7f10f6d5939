import { createHash, randomUUID } from 'node:crypto';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ANNOTATION_GATE_PROVIDER,
  ANNOTATION_KEPTN_PROJECT,
  ANNOTATION_KEPTN_SERVICE,
  ANNOTATION_PROMETHEUS_SERVICE_NAME,
  ANNOTATION_SLI,
  canonicalJson,
  evaluateGate,
  GateEvaluationDto,
  selectComparisonEvaluations,
  SliRenderContext,
} from '@praevisio/backstage-plugin-common';
import {
  fetchSliValues,
  PrometheusClient,
  PrometheusClientRegistry,
} from '@praevisio/backstage-plugin-node';
import { AuditLog } from '../audit/AuditLog';
import {
  GateEvaluationStore,
  StoredGateEvaluation,
  toGateEvaluationDto,
} from './GateEvaluationStore';
import {
  gateProviderOf,
  GateProviderOutcome,
  KeptnGateProvider,
} from './KeptnGateProvider';
import { SloSource } from './SloSource';

/** How many earlier evaluations are read to pick the baseline from. */
const BASELINE_CANDIDATES = 100;
/** Longest window an evaluation may span. */
const MAX_WINDOW_MS = 31 * 24 * 3600_000;

export interface EvaluateGateOptions {
  entity: Entity;
  environment: string;
  window: { start: Date; end: Date };
  application?: string;
  deploymentId?: string;
  trigger: 'manual' | 'automatic';
  triggeredBy: string;
  /** Manual evaluations: a replay with the same key returns the first one. */
  idempotencyKey?: string;
  /**
   * What the caller asked for (e.g. the request body, before defaults such
   * as "end = now" were applied); a replay must ask for the same. Default:
   * the resolved window.
   */
  request?: Record<string, unknown>;
}

export interface GateEvaluationServiceOptions {
  store: GateEvaluationStore;
  sloSource: SloSource;
  prometheus: PrometheusClientRegistry;
  /** The Keptn v1 adapter, for entities with `praevisio.io/gate-provider: keptn`. */
  keptn?: KeptnGateProvider;
  auditLog: AuditLog;
  /** Per SLI query. Default 30 s. */
  queryTimeoutMs?: number;
  clock?: () => Date;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Evaluates an entity's quality gate on Prometheus (DESIGN §6): reads its
 * slo.yaml/sli.yaml, fetches the SLI values for the window, takes earlier
 * stored evaluations of the same entity and environment as the baseline,
 * scores with `evaluateGate` and stores everything that reproduces the
 * score. Any provider failure makes the evaluation `errored` (fail closed).
 */
export class GateEvaluationService {
  private readonly clock: () => Date;

  constructor(private readonly options: GateEvaluationServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  get store(): GateEvaluationStore {
    return this.options.store;
  }

  async evaluate(
    input: EvaluateGateOptions,
  ): Promise<{ evaluation: GateEvaluationDto; replayed: boolean }> {
    const { store, auditLog } = this.options;
    const entityRef = stringifyEntityRef(input.entity);
    const { start, end } = input.window;
    const requestHash = createHash('sha256')
      .update(
        canonicalJson({
          entityRef,
          request: input.request ?? {
            environment: input.environment,
            application: input.application ?? null,
            start: start.toISOString(),
            end: end.toISOString(),
          },
        }),
      )
      .digest('hex');
    if (input.idempotencyKey) {
      const existing = await store.findByIdempotencyKey(
        input.triggeredBy,
        input.idempotencyKey,
      );
      if (existing) {
        return {
          evaluation: checkReplay(existing, requestHash),
          replayed: true,
        };
      }
    }

    const provider = gateProviderOf(input.entity);
    const outcome =
      provider === 'keptn'
        ? await this.keptnProvider().evaluate({
            entity: input.entity,
            environment: input.environment,
            window: input.window,
            triggeredBy: input.triggeredBy,
            idempotencyKey: input.idempotencyKey,
          })
        : await this.evaluateOnPrometheus(input, entityRef);

    const evaluation: StoredGateEvaluation = {
      id: randomUUID(),
      entityRef,
      environment: input.environment,
      ...(input.application ? { application: input.application } : {}),
      ...(input.deploymentId ? { deploymentId: input.deploymentId } : {}),
      provider,
      ...(outcome.providerInstance
        ? { providerInstance: outcome.providerInstance }
        : {}),
      ...(outcome.keptnContext ? { keptnContext: outcome.keptnContext } : {}),
      window: { start: start.toISOString(), end: end.toISOString() },
      result: outcome.result,
      score: outcome.score,
      indicatorResults: outcome.indicatorResults,
      values: outcome.values,
      errors: outcome.errors,
      comparedEvaluationIds: outcome.comparedEvaluationIds,
      ...(outcome.sloLocation ? { sloLocation: outcome.sloLocation } : {}),
      ...(outcome.sliLocation ? { sliLocation: outcome.sliLocation } : {}),
      ...(outcome.sloText !== undefined ? { sloText: outcome.sloText } : {}),
      trigger: input.trigger,
      triggeredBy: input.triggeredBy,
      createdAt: this.clock().toISOString(),
      ...(outcome.message ? { message: outcome.message } : {}),
      ...(input.idempotencyKey
        ? { idempotencyKey: input.idempotencyKey, requestHash }
        : {}),
    };
    const stored = await store.insert(evaluation);
    if (!stored.inserted) {
      return {
        evaluation: checkReplay(stored.evaluation, requestHash),
        replayed: true,
      };
    }
    await auditLog.append({
      actor: input.triggeredBy,
      action: 'gate.evaluate',
      entityRef,
      severity: 'medium',
      details: {
        evaluationId: evaluation.id,
        environment: evaluation.environment,
        ...(evaluation.deploymentId
          ? { deploymentId: evaluation.deploymentId }
          : {}),
        trigger: evaluation.trigger,
        window: evaluation.window,
        result: evaluation.result,
        score: evaluation.score,
      },
    });
    return { evaluation: toGateEvaluationDto(evaluation), replayed: false };
  }

  /**
   * Praevisio's own scoring: the entity's slo.yaml/sli.yaml, SLI values from
   * Prometheus for the window, earlier stored evaluations as the baseline.
   */
  private async evaluateOnPrometheus(
    input: EvaluateGateOptions,
    entityRef: string,
  ): Promise<GateProviderOutcome> {
    const { start, end } = input.window;
    const documents = await this.options.sloSource.readGateDocuments(
      input.entity,
    );
    const client = this.prometheusFor(input.entity);
    const context = sliContextFor(input.entity, input.environment);
    const indicators = [...new Set(documents.slo.objectives.map(o => o.sli))];

    let values: Record<string, number | null> = {};
    let errors: Record<string, string> = {};
    try {
      ({ values, errors } = await fetchSliValues({
        client,
        sli: documents.sli,
        context,
        start,
        end,
        indicators,
        timeoutMs: this.options.queryTimeoutMs ?? 30_000,
      }));
    } catch (error) {
      const message = describeError(error);
      values = Object.fromEntries(indicators.map(name => [name, null]));
      errors = Object.fromEntries(indicators.map(name => [name, message]));
    }
    const failed = Object.entries(errors);
    const providerError =
      failed.length > 0
        ? `SLI provider failed for ${failed
            .map(([name, reason]) => `${name} (${reason})`)
            .join('; ')}`
        : null;

    const candidates = await this.options.store.list({
      entityRef,
      environment: input.environment,
      provider: 'prometheus',
      limit: BASELINE_CANDIDATES,
    });
    const compared = selectComparisonEvaluations(documents.slo, candidates);
    const result = evaluateGate({
      slo: documents.slo,
      values,
      previous: compared,
      providerError,
    });
    return {
      result: result.result,
      score: result.score,
      indicatorResults: result.indicatorResults,
      values,
      errors,
      comparedEvaluationIds: compared.map(e => (e as StoredGateEvaluation).id),
      providerInstance: client.name,
      sloText: documents.sloText,
      sloLocation: documents.sloLocation,
      sliLocation: documents.sliLocation,
      ...(result.message ? { message: result.message } : {}),
    };
  }

  private keptnProvider(): KeptnGateProvider {
    if (!this.options.keptn) {
      throw new ServiceUnavailableError(
        `${ANNOTATION_GATE_PROVIDER} is keptn, but no Keptn instance is configured; add praevisio.keptn.instances[] to app-config.yaml`,
      );
    }
    return this.options.keptn;
  }

  /**
   * Lets a failed, errored or warning gate count as `pass`, with a written
   * reason; audited with severity high.
   */
  async override(options: {
    entity: Entity;
    evaluationId: string;
    reason: string;
    by: string;
  }): Promise<GateEvaluationDto> {
    const entityRef = stringifyEntityRef(options.entity);
    const reason = options.reason.trim();
    if (reason.length < 10) {
      throw new InputError(
        'reason: a written justification of at least 10 characters is required to override a gate',
      );
    }
    const evaluation = await this.options.store.get(options.evaluationId);
    if (!evaluation || evaluation.entityRef !== entityRef) {
      throw new NotFoundError(
        `Gate evaluation ${options.evaluationId} not found for ${entityRef}`,
      );
    }
    if (evaluation.result === 'pass') {
      throw new ConflictError(
        `Gate evaluation ${options.evaluationId} passed; there is nothing to override`,
      );
    }
    if (evaluation.override) {
      throw new ConflictError(
        `Gate evaluation ${options.evaluationId} is already overridden`,
      );
    }
    const override = {
      result: 'pass' as const,
      reason,
      by: options.by,
      at: this.clock().toISOString(),
    };
    const updated = await this.options.store.setOverride(
      evaluation.id,
      override,
    );
    await this.options.auditLog.append({
      actor: options.by,
      action: 'gate.override',
      entityRef,
      severity: 'high',
      details: {
        evaluationId: evaluation.id,
        environment: evaluation.environment,
        originalResult: evaluation.result,
        score: evaluation.score,
        overriddenTo: 'pass',
        reason,
      },
    });
    return toGateEvaluationDto(updated);
  }

  async list(entity: Entity, limit = 50): Promise<GateEvaluationDto[]> {
    const rows = await this.options.store.list({
      entityRef: stringifyEntityRef(entity),
      limit,
    });
    return rows.map(toGateEvaluationDto);
  }

  /** The entity's sli.yaml (400 on problems). */
  readSli(entity: Entity) {
    return this.options.sloSource.readSli(entity);
  }

  /**
   * Why no canary analysis can run for the entity (it needs a Prometheus
   * and an sli.yaml), or undefined when it can.
   */
  canaryAnalysisUnavailable(entity: Entity): string | undefined {
    if (!this.options.prometheus.isConfigured) {
      return 'no Prometheus is configured';
    }
    if (!entity.metadata.annotations?.[ANNOTATION_SLI]) {
      return `the entity has no ${ANNOTATION_SLI} annotation`;
    }
    return undefined;
  }

  /** The entity's Prometheus (`prometheus.io/service-name`, else the first). */
  prometheusFor(entity: Entity): PrometheusClient {
    const { prometheus } = this.options;
    if (!prometheus.isConfigured) {
      throw new ServiceUnavailableError(
        'No Prometheus instance is configured; add praevisio.prometheus.instances[] to app-config.yaml',
      );
    }
    const name =
      entity.metadata.annotations?.[ANNOTATION_PROMETHEUS_SERVICE_NAME];
    if (name && !prometheus.instanceNames.includes(name)) {
      throw new InputError(
        `Annotation ${ANNOTATION_PROMETHEUS_SERVICE_NAME}: Prometheus instance '${name}' is not configured (configured: ${prometheus.instanceNames.join(
          ', ',
        )})`,
      );
    }
    return prometheus.get(name || undefined);
  }
}

/** SLI placeholders of an entity in an environment. */
export function sliContextFor(
  entity: Entity,
  environment: string,
): SliRenderContext {
  const annotations = entity.metadata.annotations ?? {};
  return {
    service: annotations[ANNOTATION_KEPTN_SERVICE] || entity.metadata.name,
    stage: environment,
    ...(annotations[ANNOTATION_KEPTN_PROJECT]
      ? { project: annotations[ANNOTATION_KEPTN_PROJECT] }
      : {}),
  };
}

function checkReplay(
  existing: StoredGateEvaluation,
  requestHash: string,
): GateEvaluationDto {
  if (existing.requestHash && existing.requestHash !== requestHash) {
    throw new ConflictError(
      'This Idempotency-Key was already used for a different gate evaluation request',
    );
  }
  return toGateEvaluationDto(existing);
}

/** Parses and checks an evaluation window; 400s name the field. */
export function parseWindow(
  input: { start?: string; end?: string },
  now: Date,
): { start: Date; end: Date } {
  const end = input.end !== undefined ? new Date(input.end) : now;
  if (!Number.isFinite(end.getTime())) {
    throw new InputError('end: not a valid ISO 8601 date-time');
  }
  const start =
    input.start !== undefined
      ? new Date(input.start)
      : new Date(end.getTime() - 5 * 60_000);
  if (!Number.isFinite(start.getTime())) {
    throw new InputError('start: not a valid ISO 8601 date-time');
  }
  if (start.getTime() >= end.getTime()) {
    throw new InputError('start: must be before end');
  }
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS) {
    throw new InputError('start: the window may span at most 31 days');
  }
  return { start, end };
}
