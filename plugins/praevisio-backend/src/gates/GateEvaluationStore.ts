import { ConflictError } from '@backstage/errors';
import {
  GateEvaluationDto,
  GateResult,
  IndicatorResult,
} from '@praevisio/backstage-plugin-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../service/databaseErrors';

const TABLE = 'praevisio_gate_evaluations';

/** A stored evaluation: the DTO plus what reproduces it. */
export interface StoredGateEvaluation extends GateEvaluationDto {
  sloText?: string;
  sliLocation?: string;
  idempotencyKey?: string;
  requestHash?: string;
}

interface Row {
  id: string;
  entity_ref: string;
  environment: string;
  application: string | null;
  deployment_id: string | null;
  provider: string;
  provider_instance: string | null;
  keptn_context: string | null;
  window_start: string;
  window_end: string;
  result: string;
  score: number | string;
  indicator_results: string;
  sli_values: string;
  sli_errors: string;
  compared_evaluation_ids: string;
  slo_text: string | null;
  slo_location: string | null;
  sli_location: string | null;
  message: string | null;
  trigger: string;
  triggered_by: string;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: string;
  override_result: string | null;
  override_reason: string | null;
  override_by: string | null;
  override_at: string | null;
}

function toRow(e: StoredGateEvaluation): Row {
  return {
    id: e.id,
    entity_ref: e.entityRef,
    environment: e.environment,
    application: e.application ?? null,
    deployment_id: e.deploymentId ?? null,
    provider: e.provider,
    provider_instance: e.providerInstance ?? null,
    keptn_context: e.keptnContext ?? null,
    window_start: e.window.start,
    window_end: e.window.end,
    result: e.result,
    score: e.score,
    indicator_results: JSON.stringify(e.indicatorResults),
    sli_values: JSON.stringify(e.values),
    sli_errors: JSON.stringify(e.errors),
    compared_evaluation_ids: JSON.stringify(e.comparedEvaluationIds),
    slo_text: e.sloText ?? null,
    slo_location: e.sloLocation ?? null,
    sli_location: e.sliLocation ?? null,
    message: e.message ?? null,
    trigger: e.trigger,
    triggered_by: e.triggeredBy,
    idempotency_key: e.idempotencyKey ?? null,
    request_hash: e.requestHash ?? null,
    created_at: e.createdAt,
    override_result: e.override?.result ?? null,
    override_reason: e.override?.reason ?? null,
    override_by: e.override?.by ?? null,
    override_at: e.override?.at ?? null,
  };
}

function fromRow(r: Row): StoredGateEvaluation {
  return {
    id: r.id,
    entityRef: r.entity_ref,
    environment: r.environment,
    ...(r.application ? { application: r.application } : {}),
    ...(r.deployment_id ? { deploymentId: r.deployment_id } : {}),
    provider: r.provider as GateEvaluationDto['provider'],
    ...(r.provider_instance ? { providerInstance: r.provider_instance } : {}),
    ...(r.keptn_context ? { keptnContext: r.keptn_context } : {}),
    window: { start: r.window_start, end: r.window_end },
    result: r.result as GateResult,
    score: Number(r.score),
    indicatorResults: JSON.parse(r.indicator_results) as IndicatorResult[],
    values: JSON.parse(r.sli_values),
    errors: JSON.parse(r.sli_errors),
    comparedEvaluationIds: JSON.parse(r.compared_evaluation_ids),
    ...(r.slo_location ? { sloLocation: r.slo_location } : {}),
    ...(r.sli_location ? { sliLocation: r.sli_location } : {}),
    ...(r.slo_text !== null ? { sloText: r.slo_text } : {}),
    trigger: r.trigger as GateEvaluationDto['trigger'],
    triggeredBy: r.triggered_by,
    createdAt: r.created_at,
    ...(r.message !== null ? { message: r.message } : {}),
    ...(r.idempotency_key !== null
      ? { idempotencyKey: r.idempotency_key }
      : {}),
    ...(r.request_hash !== null ? { requestHash: r.request_hash } : {}),
    ...(r.override_result
      ? {
          override: {
            result: 'pass' as const,
            reason: r.override_reason ?? '',
            by: r.override_by ?? '',
            at: r.override_at ?? '',
          },
        }
      : {}),
  };
}

/** The DTO without the stored-only fields. */
export function toGateEvaluationDto(
  e: StoredGateEvaluation,
): GateEvaluationDto {
  const {
    sloText: _s,
    sliLocation: _l,
    idempotencyKey: _k,
    requestHash: _h,
    ...dto
  } = e;
  return dto;
}

/** Gate evaluations in the database; append-only except for the override. */
export class GateEvaluationStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Inserts the evaluation. When another one with the same
   * `(triggeredBy, idempotencyKey)` exists, returns that one instead
   * (`inserted: false`).
   */
  async insert(
    evaluation: StoredGateEvaluation,
  ): Promise<{ evaluation: StoredGateEvaluation; inserted: boolean }> {
    try {
      await this.knex(TABLE).insert(toRow(evaluation));
      return { evaluation, inserted: true };
    } catch (error) {
      if (isUniqueViolation(error) && evaluation.idempotencyKey) {
        const existing = await this.findByIdempotencyKey(
          evaluation.triggeredBy,
          evaluation.idempotencyKey,
        );
        if (existing) return { evaluation: existing, inserted: false };
      }
      throw error;
    }
  }

  async get(id: string): Promise<StoredGateEvaluation | undefined> {
    const row = await this.knex<Row>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async findByIdempotencyKey(
    triggeredBy: string,
    idempotencyKey: string,
  ): Promise<StoredGateEvaluation | undefined> {
    const row = await this.knex<Row>(TABLE)
      .where({ triggered_by: triggeredBy, idempotency_key: idempotencyKey })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Newest first (ties broken by id, so the order is stable). */
  async list(options: {
    entityRef: string;
    environment?: string;
    provider?: GateEvaluationDto['provider'];
    limit: number;
  }): Promise<StoredGateEvaluation[]> {
    const query = this.knex<Row>(TABLE).where({
      entity_ref: options.entityRef,
    });
    if (options.environment !== undefined) {
      query.andWhere({ environment: options.environment });
    }
    if (options.provider !== undefined) {
      query.andWhere({ provider: options.provider });
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(fromRow);
  }

  /**
   * Records an override once; a second override (or a race) is a 409.
   */
  async setOverride(
    id: string,
    override: NonNullable<GateEvaluationDto['override']>,
  ): Promise<StoredGateEvaluation> {
    const updated = await this.knex<Row>(TABLE)
      .where({ id })
      .whereNull('override_result')
      .update({
        override_result: override.result,
        override_reason: override.reason,
        override_by: override.by,
        override_at: override.at,
      });
    if (updated !== 1) {
      throw new ConflictError(`Gate evaluation ${id} is already overridden`);
    }
    return (await this.get(id))!;
  }
}
