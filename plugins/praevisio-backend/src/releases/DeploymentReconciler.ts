import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Application,
  ArgoCdClientRegistry,
  Rollout,
} from '@praevisio/backstage-plugin-node';
import { AuditLog } from '../audit/AuditLog';
import { DeploymentRecord, DeploymentStore } from './DeploymentStore';
import { canTransition, isTerminalState } from './deploymentStateMachine';
import { observeDeployment, Observation } from './observeDeployment';
import { ReleasesChangedListener } from './ReleaseCommandService';
import { findRolloutRef } from './releaseMapping';

export interface DeploymentReconcilerOptions {
  store: DeploymentStore;
  registry: ArgoCdClientRegistry;
  auditLog: AuditLog;
  logger: LoggerService;
  onChanged: ReleasesChangedListener;
  /** A deployment that makes no progress for this long (except while paused for a human) fails. */
  stuckAfterMs: number;
  /** A command still `pending` after this long was abandoned by a crashed process. */
  pendingTimeoutMs: number;
  clock?: () => number;
  /** Deployments looked at per pass. */
  batchSize?: number;
}

/**
 * Takes part in following deployments whose Rollout waits at a pause step
 * (automatic progressive delivery, src/gates): given what the reconciler
 * observed, answers the observation to apply instead, or undefined to leave
 * it. It must never repeat an upstream command (idempotency keys).
 */
export interface RolloutPauseAutomation {
  observe(
    deployment: DeploymentRecord,
    rollout: Rollout,
    observation: Observation,
    signal?: AbortSignal,
  ): Promise<Observation | undefined>;
}

export interface ReconcileSummary {
  checked: number;
  changed: number;
}

const RECONCILER_ACTOR = 'plugin:praevisio/reconciler';

/**
 * Drives open deployments by reading Argo CD, never by repeating a command:
 * a pass loads every non-terminal deployment from the database (so a
 * restarted backend picks up where it left off), reads each application and
 * its Rollout once, and moves each deployment along the state machine.
 * Runs as a global scheduled task, so one replica does it at a time.
 */
export class DeploymentReconciler {
  private readonly clock: () => number;
  private pauseAutomation?: RolloutPauseAutomation;

  static create(options: DeploymentReconcilerOptions): DeploymentReconciler {
    return new DeploymentReconciler(options);
  }

  private constructor(private readonly options: DeploymentReconcilerOptions) {
    this.clock = options.clock ?? (() => Date.now());
  }

  /** Set once at startup, when gates are configured. */
  setPauseAutomation(automation: RolloutPauseAutomation): void {
    this.pauseAutomation = automation;
  }

  async reconcileOnce(signal?: AbortSignal): Promise<ReconcileSummary> {
    const active = await this.options.store.listActive(
      this.options.batchSize ?? 200,
    );
    const byApplication = new Map<string, DeploymentRecord[]>();
    for (const deployment of active) {
      const key = `${deployment.instance}\n${deployment.application}`;
      byApplication.set(key, [...(byApplication.get(key) ?? []), deployment]);
    }
    const summary: ReconcileSummary = { checked: 0, changed: 0 };
    for (const deployments of byApplication.values()) {
      if (signal?.aborted) {
        break;
      }
      try {
        const result = await this.reconcileApplication(deployments, signal);
        summary.checked += result.checked;
        summary.changed += result.changed;
      } catch (error) {
        // Argo CD unreachable or the like: try again on the next pass.
        this.options.logger.warn(
          `Could not reconcile deployments of ${deployments[0].instance}/${
            deployments[0].application
          }: ${(error as Error).message}`,
        );
      }
    }
    return summary;
  }

  private async reconcileApplication(
    deployments: DeploymentRecord[],
    signal?: AbortSignal,
  ): Promise<ReconcileSummary> {
    const live = await this.takeOverAbandoned(deployments);
    if (live.length === 0) {
      return { checked: 0, changed: 0 };
    }
    const { instance, application, context } = live[0];
    let app: Application;
    let rollout: Rollout | undefined;
    try {
      const client = this.options.registry.get(instance);
      app = await client.getApplication(application, {
        project: context.project,
        signal,
      });
      const ref =
        findRolloutRef(app) ??
        live.find(d => d.context.rollout)?.context.rollout;
      if (ref) {
        rollout = await client.getRollout(application, {
          project: context.project,
          namespace: ref.namespace,
          resourceName: ref.name,
          signal,
        });
      }
    } catch (error) {
      if ((error as Error)?.name !== NotFoundError.name) {
        throw error;
      }
      // The application (or instance) is gone: nothing will ever progress.
      let changed = 0;
      for (const deployment of live) {
        changed += await this.apply(deployment, {
          state: 'failed',
          message: (error as Error).message,
        });
      }
      return { checked: live.length, changed };
    }

    let changed = 0;
    for (const deployment of live) {
      let observation = observeDeployment(deployment, app, rollout);
      if (this.pauseAutomation && rollout) {
        try {
          observation =
            (await this.pauseAutomation.observe(
              deployment,
              rollout,
              observation,
              signal,
            )) ?? observation;
        } catch (error) {
          // Keep the state (an analysis stays 'analysing') and retry next pass.
          this.options.logger.warn(
            `Automatic analysis of deployment ${deployment.id} failed: ${
              (error as Error).message
            }`,
          );
          observation = { state: deployment.state };
        }
      }
      if (observation.state === deployment.state) {
        observation = this.stuck(deployment) ?? observation;
      }
      changed += await this.apply(deployment, observation);
    }
    return { checked: live.length, changed };
  }

  /**
   * A `pending` command belongs to the request still calling Argo CD, unless
   * it is older than any call can take: then that process died, and whether
   * Argo CD got the command is unknown. Observation will tell.
   */
  private async takeOverAbandoned(
    deployments: DeploymentRecord[],
  ): Promise<DeploymentRecord[]> {
    const live: DeploymentRecord[] = [];
    for (const deployment of deployments) {
      if (deployment.commandStatus !== 'pending') {
        live.push(deployment);
        continue;
      }
      const age = this.clock() - Date.parse(deployment.requestedAt);
      if (age < this.options.pendingTimeoutMs) {
        continue;
      }
      const taken = await this.options.store.update(deployment.id, {
        commandStatus: 'unknown',
        message:
          'The backend handling this command stopped before Argo CD answered; following Argo CD to learn the outcome',
        ifCommandStatus: 'pending',
      });
      if (taken) {
        live.push(taken);
      }
    }
    return live;
  }

  private stuck(deployment: DeploymentRecord): Observation | undefined {
    if (deployment.state === 'paused') {
      return undefined; // waiting for a human is not being stuck
    }
    const idleMs = this.clock() - Date.parse(deployment.updatedAt);
    if (idleMs < this.options.stuckAfterMs) {
      return undefined;
    }
    const minutes = Math.round(this.options.stuckAfterMs / 60_000);
    return {
      state: 'failed',
      message:
        deployment.commandStatus === 'unknown'
          ? `Argo CD showed no sign of the command within ${minutes} minutes`
          : `No progress for ${minutes} minutes (last state: ${deployment.state})`,
    };
  }

  /** Applies an observation through the state machine; returns 1 if it changed. */
  private async apply(
    deployment: DeploymentRecord,
    observation: Observation,
  ): Promise<number> {
    if (!canTransition(deployment.kind, deployment.state, observation.state)) {
      return 0;
    }
    const updated = await this.options.store.transition(deployment.id, {
      kind: deployment.kind,
      from: deployment.state,
      to: observation.state,
      ...(observation.message ? { message: observation.message } : {}),
    });
    if (!updated) {
      return 0; // moved by someone else meanwhile
    }
    if (isTerminalState(updated.state)) {
      await this.options.auditLog
        .append({
          actor: RECONCILER_ACTOR,
          action: 'release.deployment-finished',
          entityRef: updated.entityRef,
          severity: updated.state === 'failed' ? 'medium' : 'low',
          details: {
            deploymentId: updated.id,
            kind: updated.kind,
            state: updated.state,
            instance: updated.instance,
            application: updated.application,
            environment: updated.environment,
            toRevision: updated.toRevision,
            requestedBy: updated.requestedBy,
            message: updated.message,
          },
        })
        .catch(error =>
          this.options.logger.error(
            `Could not append the end of deployment ${updated.id} to the audit chain`,
            error,
          ),
        );
    }
    this.options.onChanged(updated.entityRef);
    return 1;
  }
}
