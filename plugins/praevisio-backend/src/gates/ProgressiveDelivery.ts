import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CanaryAnalysisDto,
  GateDecisionDto,
  GateEvaluationDto,
  TERMINAL_DEPLOYMENT_STATES,
} from '@praevisio/backstage-plugin-common';
import { Rollout } from '@praevisio/backstage-plugin-node';
import { AuditLog } from '../audit/AuditLog';
import { RolloutPauseAutomation } from '../releases/DeploymentReconciler';
import { DeploymentRecord, DeploymentStore } from '../releases/DeploymentStore';
import { Observation } from '../releases/observeDeployment';
import {
  PromotionGuard,
  ReleaseCommandService,
} from '../releases/ReleaseCommandService';
import { ConflictError } from '@backstage/errors';
import { CanaryAnalysisService } from './CanaryAnalysisService';
import { GateDecisionStore, StoredGateDecision } from './GateDecisionStore';
import { GateEvaluationService, sliContextFor } from './GateEvaluationService';

/** Who automatic decisions and commands are attributed to. */
export const AUTOMATION_ACTOR = 'praevisio';
export const AUTO_PROMOTE_ANNOTATION = 'praevisio.io/auto-promote';
const AUTOMATED_PAUSES = new Set(['CanaryPauseStep', 'BlueGreenPause']);

export interface ProgressiveDeliveryOptions {
  gates: GateEvaluationService;
  canary: CanaryAnalysisService;
  decisions: GateDecisionStore;
  commands: Pick<ReleaseCommandService, 'execute'>;
  catalog: CatalogService;
  auth: AuthService;
  auditLog: AuditLog;
  logger: LoggerService;
  /** Finds the rollout in progress, to scope the promotion block to it. */
  deployments: Pick<DeploymentStore, 'listForEntity'>;
  /** How long a pause lasts before it is judged. */
  analysisWindowMs: number;
  clock?: () => number;
}

/**
 * Automatic progressive delivery (DESIGN §6): when a deployment's Rollout
 * waits at a pause step, the deployment goes to `analysing`; once the pause
 * has lasted the analysis window, the quality gate (window = pause start →
 * now) and the canary analysis run, and a decision is recorded before any
 * action: pass + canary Pass + `praevisio.io/auto-promote: 'true'` →
 * promote-full; fail, errored or canary Fail → abort; otherwise the
 * deployment goes back to `paused`, waiting for a human. Commands go
 * through the release command path as actor `praevisio`, with idempotency
 * keys derived from deployment and step, so a restart never repeats one.
 */
export class ProgressiveDelivery
  implements RolloutPauseAutomation, PromotionGuard
{
  private readonly clock: () => number;

  constructor(private readonly options: ProgressiveDeliveryOptions) {
    this.clock = options.clock ?? (() => Date.now());
  }

  async observe(
    deployment: DeploymentRecord,
    rollout: Rollout,
    observation: Observation,
  ): Promise<Observation | undefined> {
    if (deployment.kind !== 'sync') return undefined;
    if (observation.state !== 'paused') return undefined;
    const status = rollout.status ?? {};
    const pause = (status.pauseConditions ?? []).find(c =>
      AUTOMATED_PAUSES.has(c.reason),
    );
    if (!pause) return undefined;
    const stepKey = `${status.currentPodHash ?? '?'}:${
      status.currentStepIndex ?? '?'
    }:${pause.reason}`;

    const existing = await this.options.decisions.find(deployment.id, stepKey);
    if (existing) {
      if (existing.actionStatus === 'recorded') {
        return this.act(deployment, existing);
      }
      return existing.decision === 'pause'
        ? { state: 'paused', message: waitingMessage(existing) }
        : undefined;
    }

    const pauseStart = Date.parse(pause.startTime);
    const now = this.clock();
    const windowMs = this.options.analysisWindowMs;
    if (!(now - pauseStart >= windowMs)) {
      return {
        state: 'analysing',
        message: `Analysing the ${
          pause.reason
        } pause: judging once it has lasted ${Math.round(windowMs / 1000)} s`,
      };
    }

    const entity = await this.entityOf(deployment.entityRef);
    const window = { start: new Date(pauseStart), end: new Date(now) };
    const { evaluation } = await this.options.gates.evaluate({
      entity,
      environment: deployment.environment,
      application: deployment.application,
      deploymentId: deployment.id,
      window,
      trigger: 'automatic',
      triggeredBy: AUTOMATION_ACTOR,
      // A restart mid-analysis finds this evaluation instead of making another.
      idempotencyKey: `auto:${deployment.id}:${stepKey}`,
      request: { deploymentId: deployment.id, stepKey },
    });
    let analysis: CanaryAnalysisDto | undefined;
    const baselineHash = status.stableRS;
    const canaryHash = status.currentPodHash;
    if (baselineHash && canaryHash && baselineHash !== canaryHash) {
      const documents = await this.options.gates.readDocuments(entity);
      analysis = await this.options.canary.analyse({
        entity,
        environment: deployment.environment,
        application: deployment.application,
        deploymentId: deployment.id,
        sli: documents.sli,
        context: sliContextFor(entity, deployment.environment),
        client: this.options.gates.prometheusFor(entity),
        baselineHash,
        canaryHash,
        window,
      });
    }

    const autoPromote =
      entity.metadata.annotations?.[AUTO_PROMOTE_ANNOTATION] === 'true';
    const { decision, reason } = decide(evaluation, analysis, autoPromote);
    const recorded = await this.options.decisions.record({
      entityRef: deployment.entityRef,
      deploymentId: deployment.id,
      stepKey,
      application: deployment.application,
      environment: deployment.environment,
      decision,
      decidedBy: AUTOMATION_ACTOR,
      reason,
      gateEvaluationId: evaluation.id,
      ...(analysis ? { canaryAnalysisId: analysis.id } : {}),
      actionStatus: decision === 'pause' ? 'done' : 'recorded',
      at: new Date(this.clock()).toISOString(),
    });
    if (recorded.inserted) {
      await this.options.auditLog.append({
        actor: AUTOMATION_ACTOR,
        action: 'gate.decision',
        entityRef: deployment.entityRef,
        severity: decision === 'pause' ? 'low' : 'medium',
        details: {
          decisionId: recorded.decision.id,
          deploymentId: deployment.id,
          application: deployment.application,
          environment: deployment.environment,
          step: stepKey,
          decision,
          reason,
          gateEvaluationId: evaluation.id,
          gateResult: evaluation.result,
          gateScore: evaluation.score,
          ...(analysis
            ? {
                canaryAnalysisId: analysis.id,
                canaryClassification: analysis.classification,
                canaryScore: analysis.score,
              }
            : {}),
        },
      });
    }
    const stored = recorded.decision;
    if (stored.actionStatus === 'recorded') {
      return this.act(deployment, stored);
    }
    return stored.decision === 'pause'
      ? { state: 'paused', message: waitingMessage(stored) }
      : undefined;
  }

  /**
   * A human may promote unless the newest gate evaluation of the
   * environment failed or errored without an override (fail closed; an
   * override of that evaluation lifts the block).
   */
  /**
   * A human may not promote a rollout whose latest quality gate failed or
   * errored (gates fail closed) until someone overrides that evaluation.
   * Only evaluations made since the rollout in progress started count:
   * a failed gate of an earlier release does not block a new one.
   */
  async checkPromotion(options: {
    entityRef: string;
    application: string;
    environment: string;
    actor: string;
  }): Promise<void> {
    if (options.actor === AUTOMATION_ACTOR) return;
    const inProgress = (
      await this.options.deployments.listForEntity(options.entityRef, 50)
    ).find(
      d =>
        d.application === options.application &&
        d.kind === 'sync' &&
        !TERMINAL_DEPLOYMENT_STATES.includes(d.state),
    );
    if (!inProgress) return;
    const [latest] = await this.options.gates.store.list({
      entityRef: options.entityRef,
      environment: options.environment,
      limit: 1,
    });
    if (
      latest &&
      latest.createdAt >= inProgress.requestedAt &&
      (latest.result === 'fail' || latest.result === 'errored') &&
      !latest.override
    ) {
      throw new ConflictError(
        `The latest quality gate of ${options.environment} (evaluation ${latest.id}) is ${latest.result} with score ${latest.score}; promotion is blocked until it passes or someone with praevisio.gate.override overrides it with a reason`,
      );
    }
  }

  async list(entityRef: string): Promise<GateDecisionDto[]> {
    return this.options.decisions.list(entityRef);
  }

  /** Issues the decided command once (the key makes a repeat a replay). */
  private async act(
    deployment: DeploymentRecord,
    decision: StoredGateDecision,
  ): Promise<Observation> {
    const entity = await this.entityOf(deployment.entityRef);
    const action = decision.decision === 'promote' ? 'promote-full' : 'abort';
    await this.options.commands.execute({
      entity,
      application: deployment.application,
      actor: AUTOMATION_ACTOR,
      idempotencyKey: `auto:${deployment.id}:${decision.stepKey}:${action}`,
      request: { type: 'rollout', action },
    });
    await this.options.decisions.markDone(decision.id);
    return decision.decision === 'promote'
      ? {
          state: 'promoting',
          message: `Promoted automatically: ${decision.reason}`,
        }
      : {
          state: 'paused',
          message: `Aborting automatically: ${decision.reason}`,
        };
  }

  private async entityOf(entityRef: string): Promise<Entity> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(
      parseEntityRef(entityRef),
      { credentials },
    );
    if (!entity) {
      throw new Error(`Entity ${entityRef} is no longer in the catalog`);
    }
    return entity;
  }
}

function waitingMessage(decision: StoredGateDecision): string {
  return `Waiting for a human: ${decision.reason}`;
}

/** The decision rule; any doubt pauses, any failure aborts. */
export function decide(
  evaluation: GateEvaluationDto,
  analysis: CanaryAnalysisDto | undefined,
  autoPromote: boolean,
): { decision: 'promote' | 'abort' | 'pause'; reason: string } {
  const parts = [`gate ${evaluation.result} (score ${evaluation.score})`];
  if (analysis) {
    parts.push(`canary ${analysis.classification} (score ${analysis.score})`);
  } else {
    parts.push('no canary analysis (no separate stable and canary pods)');
  }
  const summary = parts.join(', ');
  if (
    evaluation.result === 'fail' ||
    evaluation.result === 'errored' ||
    analysis?.classification === 'Fail'
  ) {
    return { decision: 'abort', reason: summary };
  }
  if (
    evaluation.result === 'pass' &&
    analysis?.classification === 'Pass' &&
    autoPromote
  ) {
    return { decision: 'promote', reason: summary };
  }
  return {
    decision: 'pause',
    reason: autoPromote
      ? summary
      : `${summary}; ${AUTO_PROMOTE_ANNOTATION} is not 'true'`,
  };
}
