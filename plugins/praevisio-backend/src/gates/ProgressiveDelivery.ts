import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AUTO_PROMOTE,
  ANNOTATION_KEPTN_PROJECT,
  ANNOTATION_SLO,
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
import { ConflictError, InputError } from '@backstage/errors';
import { CanaryAnalysisService } from './CanaryAnalysisService';
import { GateDecisionStore, StoredGateDecision } from './GateDecisionStore';
import { GateEvaluationService, sliContextFor } from './GateEvaluationService';
import { gateProviderOf } from './KeptnGateProvider';

/** Who automatic decisions and commands are attributed to. */
export const AUTOMATION_ACTOR = 'praevisio';
const AUTOMATED_PAUSES = new Set(['CanaryPauseStep', 'BlueGreenPause']);
/**
 * Failed attempts of an automatic promote/abort before it is given up and
 * left to a human (one attempt per reconciler pass).
 */
export const MAX_ACTION_ATTEMPTS = 5;

export interface ProgressiveDeliveryOptions {
  gates: GateEvaluationService;
  canary: CanaryAnalysisService;
  decisions: GateDecisionStore;
  commands: Pick<ReleaseCommandService, 'execute'>;
  catalog: CatalogService;
  auth: AuthService;
  auditLog: AuditLog;
  /** Backstage's auditor: automatic decisions and commands are events too. */
  auditor?: AuditorService;
  logger: LoggerService;
  /** Finds the rollout in progress, to scope the promotion block to it. */
  deployments: Pick<DeploymentStore, 'listForEntity' | 'findByIdempotencyKey'>;
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
      return this.resume(deployment, existing);
    }

    const entity = await this.entityOf(deployment.entityRef);
    const notJudged = gateNotConfigured(entity);
    if (notJudged) {
      // Not opted in: the pause is a plain manual step.
      return {
        state: 'paused',
        message: `No automatic analysis (${notJudged}); promote or abort by hand`,
      };
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

    const window = { start: new Date(pauseStart), end: new Date(now) };
    let evaluation: GateEvaluationDto;
    let analysis: CanaryAnalysisDto | undefined;
    let noCanary: string | undefined;
    try {
      let replayed: boolean;
      ({ evaluation, replayed } = await this.options.gates.evaluate({
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
      }));
      if (!replayed) {
        // The same event a manual evaluation gets from the route.
        await this.auditorEvent('gate-evaluate', 'medium', {
          entityRef: deployment.entityRef,
          environment: deployment.environment,
          deploymentId: deployment.id,
          step: stepKey,
          trigger: 'automatic',
          evaluationId: evaluation.id,
          result: evaluation.result,
          score: evaluation.score,
        });
      }
      const baselineHash = status.stableRS;
      const canaryHash = status.currentPodHash;
      noCanary =
        baselineHash && canaryHash && baselineHash !== canaryHash
          ? this.options.gates.canaryAnalysisUnavailable(entity)
          : 'no separate stable and canary pods';
      if (!noCanary) {
        const { sli } = await this.options.gates.readSli(entity);
        analysis = await this.options.canary.analyse({
          entity,
          environment: deployment.environment,
          application: deployment.application,
          deploymentId: deployment.id,
          sli,
          context: sliContextFor(entity, deployment.environment),
          client: this.options.gates.prometheusFor(entity),
          baselineHash: baselineHash!,
          canaryHash: canaryHash!,
          window,
        });
      }
    } catch (error) {
      // A broken slo.yaml/sli.yaml will not mend itself: record that a human
      // is needed (nothing is promoted). Anything else (catalog or database
      // hiccup) is retried on the next pass.
      if (!(error instanceof InputError)) throw error;
      return this.recordDecision(deployment, stepKey, {
        decision: 'pause',
        reason: `the gate cannot be evaluated: ${error.message}`,
      });
    }

    const autoPromote =
      entity.metadata.annotations?.[ANNOTATION_AUTO_PROMOTE] === 'true';
    const { decision, reason } = decide(
      evaluation,
      analysis,
      autoPromote,
      noCanary,
    );
    return this.recordDecision(deployment, stepKey, {
      decision,
      reason,
      evaluation,
      analysis,
    });
  }

  /**
   * Records the decision for the step (before any action, so a restart
   * finds it), audits it once, then acts on it.
   */
  private async recordDecision(
    deployment: DeploymentRecord,
    stepKey: string,
    judged: {
      decision: 'promote' | 'abort' | 'pause';
      reason: string;
      evaluation?: GateEvaluationDto;
      analysis?: CanaryAnalysisDto;
    },
  ): Promise<Observation | undefined> {
    const { decision, reason, evaluation, analysis } = judged;
    const recorded = await this.options.decisions.record({
      entityRef: deployment.entityRef,
      deploymentId: deployment.id,
      stepKey,
      application: deployment.application,
      environment: deployment.environment,
      decision,
      decidedBy: AUTOMATION_ACTOR,
      reason,
      ...(evaluation ? { gateEvaluationId: evaluation.id } : {}),
      ...(analysis ? { canaryAnalysisId: analysis.id } : {}),
      actionStatus: decision === 'pause' ? 'done' : 'recorded',
      actionAttempts: 0,
      at: new Date(this.clock()).toISOString(),
    });
    if (recorded.inserted) {
      const details = {
        decisionId: recorded.decision.id,
        deploymentId: deployment.id,
        application: deployment.application,
        environment: deployment.environment,
        step: stepKey,
        decision,
        reason,
        ...(evaluation
          ? {
              gateEvaluationId: evaluation.id,
              gateResult: evaluation.result,
              gateScore: evaluation.score,
            }
          : {}),
        ...(analysis
          ? {
              canaryAnalysisId: analysis.id,
              canaryClassification: analysis.classification,
              canaryScore: analysis.score,
            }
          : {}),
      };
      const severity = decision === 'pause' ? 'low' : 'medium';
      await this.options.auditLog.append({
        actor: AUTOMATION_ACTOR,
        action: 'gate.decision',
        entityRef: deployment.entityRef,
        severity,
        details,
      });
      await this.auditorEvent('gate-decision', severity, {
        entityRef: deployment.entityRef,
        ...details,
      });
    }
    return this.resume(deployment, recorded.decision);
  }

  /** What a recorded decision means now: act on it, or report it. */
  private async resume(
    deployment: DeploymentRecord,
    decision: StoredGateDecision,
  ): Promise<Observation | undefined> {
    switch (decision.actionStatus) {
      case 'recorded':
        return this.act(deployment, decision);
      case 'failed':
        return { state: 'paused', message: gaveUpMessage(decision) };
      default:
        return decision.decision === 'pause'
          ? { state: 'paused', message: waitingMessage(decision) }
          : undefined;
    }
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

  /**
   * Issues the decided command once (the key makes a repeat a replay). A
   * refused or failing command is retried on later passes, at most
   * {@link MAX_ACTION_ATTEMPTS} times; then it is given up, audited with
   * severity high, and the rollout waits for a human.
   */
  private async act(
    deployment: DeploymentRecord,
    decision: StoredGateDecision,
  ): Promise<Observation> {
    const entity = await this.entityOf(deployment.entityRef);
    const action = decision.decision === 'promote' ? 'promote-full' : 'abort';
    // A new key per retry of a refused command (its key would replay the
    // refusal); only refused or never-sent commands are retried.
    const idempotencyKey = `auto:${deployment.id}:${
      decision.stepKey
    }:${action}${
      decision.actionAttempts > 0 ? `:retry-${decision.actionAttempts}` : ''
    }`;
    const command = {
      decisionId: decision.id,
      deploymentId: deployment.id,
      application: deployment.application,
      environment: deployment.environment,
      step: decision.stepKey,
      action,
    };
    try {
      await this.options.commands.execute({
        entity,
        application: deployment.application,
        actor: AUTOMATION_ACTOR,
        idempotencyKey,
        request: { type: 'rollout', action },
      });
    } catch (error) {
      // Argo CD took the command and only our bookkeeping failed: the next
      // pass replays the same key and learns the outcome, never re-sending.
      const sent = await this.options.deployments.findByIdempotencyKey(
        AUTOMATION_ACTOR,
        idempotencyKey,
      );
      if (sent && sent.state !== 'failed') throw error;
      const attempts = decision.actionAttempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const failed = attempts >= MAX_ACTION_ATTEMPTS;
      const updated = await this.options.decisions.recordActionFailure(
        decision.id,
        { attempts, error: message, giveUp: failed },
      );
      this.options.logger.warn(
        `Automatic ${action} of deployment ${deployment.id} failed (attempt ${attempts} of ${MAX_ACTION_ATTEMPTS}): ${message}`,
      );
      if (!failed) {
        return {
          state: deployment.state,
          message: `Automatic ${action} failed (attempt ${attempts} of ${MAX_ACTION_ATTEMPTS}, retrying): ${message}`,
        };
      }
      const details = { ...command, attempts, error: message };
      await this.options.auditLog.append({
        actor: AUTOMATION_ACTOR,
        action: 'gate.action.failed',
        entityRef: deployment.entityRef,
        severity: 'high',
        details,
      });
      await this.auditorEvent(
        'gate-automatic-command',
        'high',
        { entityRef: deployment.entityRef, ...details },
        error,
      );
      return { state: 'paused', message: gaveUpMessage(updated) };
    }
    await this.options.decisions.markDone(decision.id);
    await this.auditorEvent('gate-automatic-command', 'medium', {
      entityRef: deployment.entityRef,
      ...command,
    });
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

  /**
   * A Backstage auditor event for work nobody requested over HTTP (there is
   * no request to attach: the initiator is the plugin itself).
   */
  private async auditorEvent(
    eventId: string,
    severityLevel: 'low' | 'medium' | 'high',
    meta: Record<string, unknown>,
    error?: unknown,
  ): Promise<void> {
    const { auditor } = this.options;
    if (!auditor) return;
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      meta: { actor: AUTOMATION_ACTOR, ...meta },
    });
    if (error === undefined) {
      await event.success();
    } else {
      await event.fail({
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
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

function gaveUpMessage(decision: StoredGateDecision): string {
  const action = decision.decision === 'promote' ? 'promote' : 'abort';
  return `Automatic ${action} gave up after ${
    decision.actionAttempts
  } failed attempts (${
    decision.actionError ?? 'unknown error'
  }); a human must ${action} or roll back. Decided: ${decision.reason}`;
}

/**
 * Why an entity's gate is not set up for automatic judging, or undefined
 * when it is (Prometheus: a `praevisio.io/slo`; Keptn: a `keptn.sh/project`).
 */
function gateNotConfigured(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  let provider;
  try {
    provider = gateProviderOf(entity);
  } catch (error) {
    return (error as Error).message;
  }
  if (provider === 'keptn') {
    return annotations[ANNOTATION_KEPTN_PROJECT]
      ? undefined
      : `no ${ANNOTATION_KEPTN_PROJECT} annotation`;
  }
  return annotations[ANNOTATION_SLO]
    ? undefined
    : `no ${ANNOTATION_SLO} annotation`;
}

/** The decision rule; any doubt pauses, any failure aborts. */
export function decide(
  evaluation: GateEvaluationDto,
  analysis: CanaryAnalysisDto | undefined,
  autoPromote: boolean,
  noCanaryReason = 'no separate stable and canary pods',
): { decision: 'promote' | 'abort' | 'pause'; reason: string } {
  const parts = [`gate ${evaluation.result} (score ${evaluation.score})`];
  if (analysis) {
    parts.push(`canary ${analysis.classification} (score ${analysis.score})`);
  } else {
    parts.push(`no canary analysis (${noCanaryReason})`);
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
      : `${summary}; ${ANNOTATION_AUTO_PROMOTE} is not 'true'`,
  };
}
