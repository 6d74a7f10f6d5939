import { randomUUID } from 'node:crypto';
import { GateDecisionDto } from '@praevisio/backstage-plugin-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../service/databaseErrors';

const TABLE = 'praevisio_gate_decisions';

export interface StoredGateDecision extends GateDecisionDto {
  stepKey: string;
  /**
   * `recorded`: decided, upstream action not yet confirmed; `done`;
   * `failed`: the action failed too often and was given up.
   */
  actionStatus: 'recorded' | 'done' | 'failed';
  /** Failed attempts of the upstream action so far. */
  actionAttempts: number;
  /** The last failure of the upstream action. */
  actionError?: string;
}

function fromRow(r: any): StoredGateDecision {
  return {
    id: r.id,
    entityRef: r.entity_ref,
    deploymentId: r.deployment_id,
    stepKey: r.step_key,
    application: r.application,
    environment: r.environment,
    decision: r.decision,
    decidedBy: r.decided_by,
    reason: r.reason,
    ...(r.gate_evaluation_id ? { gateEvaluationId: r.gate_evaluation_id } : {}),
    ...(r.canary_analysis_id ? { canaryAnalysisId: r.canary_analysis_id } : {}),
    actionStatus: r.action_status,
    actionAttempts: Number(r.action_attempts ?? 0),
    ...(r.action_error ? { actionError: r.action_error } : {}),
    at: r.at,
  };
}

/** Gate decisions at Rollout pauses: one per deployment and pause step. */
export class GateDecisionStore {
  constructor(private readonly knex: Knex) {}

  async find(
    deploymentId: string,
    stepKey: string,
  ): Promise<StoredGateDecision | undefined> {
    const row = await this.knex(TABLE)
      .where({ deployment_id: deploymentId, step_key: stepKey })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Records a decision; when one exists for the step already, returns that. */
  async record(
    decision: Omit<StoredGateDecision, 'id'>,
  ): Promise<{ decision: StoredGateDecision; inserted: boolean }> {
    const stored: StoredGateDecision = { id: randomUUID(), ...decision };
    try {
      await this.knex(TABLE).insert({
        id: stored.id,
        entity_ref: stored.entityRef,
        deployment_id: stored.deploymentId,
        step_key: stored.stepKey,
        application: stored.application,
        environment: stored.environment,
        decision: stored.decision,
        decided_by: stored.decidedBy,
        reason: stored.reason,
        gate_evaluation_id: stored.gateEvaluationId ?? null,
        canary_analysis_id: stored.canaryAnalysisId ?? null,
        action_status: stored.actionStatus,
        action_attempts: stored.actionAttempts,
        action_error: stored.actionError ?? null,
        at: stored.at,
      });
      return { decision: stored, inserted: true };
    } catch (error) {
      if (isUniqueViolation(error)) {
        const existing = await this.find(stored.deploymentId, stored.stepKey);
        if (existing) return { decision: existing, inserted: false };
      }
      throw error;
    }
  }

  async markDone(id: string): Promise<void> {
    await this.knex(TABLE).where({ id }).update({ action_status: 'done' });
  }

  /** Counts a failed attempt of the action; `giveUp` marks it `failed`. */
  async recordActionFailure(
    id: string,
    failure: { attempts: number; error: string; giveUp: boolean },
  ): Promise<StoredGateDecision> {
    await this.knex(TABLE)
      .where({ id })
      .update({
        action_attempts: failure.attempts,
        action_error: failure.error.slice(0, 4000),
        ...(failure.giveUp ? { action_status: 'failed' } : {}),
      });
    const row = await this.knex(TABLE).where({ id }).first();
    return fromRow(row);
  }

  async list(entityRef: string, limit = 20): Promise<GateDecisionDto[]> {
    const rows = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(r => {
      const {
        stepKey: _s,
        actionStatus,
        actionAttempts,
        actionError,
        ...dto
      } = fromRow(r);
      return actionStatus === 'failed'
        ? {
            ...dto,
            actionFailed: {
              attempts: actionAttempts,
              error: actionError ?? '',
            },
          }
        : dto;
    });
  }
}
