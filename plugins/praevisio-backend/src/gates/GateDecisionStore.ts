import { randomUUID } from 'node:crypto';
import { GateDecisionDto } from '@praevisio/backstage-plugin-common';
import { Knex } from 'knex';

const TABLE = 'praevisio_gate_decisions';

export interface StoredGateDecision extends GateDecisionDto {
  stepKey: string;
  /** `recorded`: decided, upstream action not yet confirmed; `done`. */
  actionStatus: 'recorded' | 'done';
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(e?.message ?? '')
  );
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

  async list(entityRef: string, limit = 20): Promise<GateDecisionDto[]> {
    const rows = await this.knex(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(r => {
      const { stepKey: _s, actionStatus: _a, ...dto } = fromRow(r);
      return dto;
    });
  }
}
