import { DeploymentState } from '@praevisio/backstage-plugin-common';
import { Application, Rollout } from '@praevisio/backstage-plugin-node';
import { DeploymentRecord } from './DeploymentStore';
import { isBeforeRolloutSteps, successStateOf } from './deploymentStateMachine';
import {
  historyMaxId,
  isFullyPromoted,
  isPaused,
  observedCurrentSpec,
  runningAnalysis,
} from './releaseMapping';

/*
 * Pure: what Argo CD's current state means for one deployment. The reconciler
 * feeds it the application (and its Rollout) and applies the answer through
 * the state machine, which refuses anything that would go backwards.
 */

export interface Observation {
  state: DeploymentState;
  message?: string;
}

/** `status.operationState` as compared with the context's `operationBefore`. */
export function operationFingerprint(app: Application): string {
  const op = app.status?.operationState;
  return JSON.stringify(
    op
      ? [
          op.startedAt ?? null,
          op.finishedAt ?? null,
          op.phase ?? null,
          op.message ?? null,
        ]
      : null,
  );
}

export function observeDeployment(
  deployment: DeploymentRecord,
  app: Application,
  rollout: Rollout | undefined,
): Observation {
  switch (deployment.kind) {
    case 'sync':
    case 'rollback':
    case 'disable-auto-sync-and-rollback':
      return observeOperation(deployment, app, rollout);
    case 'promote':
    case 'promote-full':
    case 'retry':
      return observeRolloutAction(deployment, rollout);
    case 'abort':
      return observeAbort(deployment, rollout);
    default:
      throw new Error(
        `Unknown command kind ${deployment.kind satisfies never}`,
      );
  }
}

/**
 * Whether the operation Argo CD reports is ours. The command set
 * `app.operation`; while it is queued, `status.operationState` still shows the
 * previous operation. Ours has begun once that state differs from the one
 * recorded before the command, or once the history has grown, or once
 * `app.operation` is gone (the controller took it).
 */
function operationBegan(deployment: DeploymentRecord, app: Application) {
  const { operationBefore, historyMaxIdBefore } = deployment.context;
  return (
    operationFingerprint(app) !== operationBefore ||
    historyMaxId(app) > (historyMaxIdBefore ?? -1) ||
    (!app.operation && deployment.commandStatus === 'accepted')
  );
}

function observeOperation(
  deployment: DeploymentRecord,
  app: Application,
  rollout: Rollout | undefined,
): Observation {
  if (!operationBegan(deployment, app)) {
    return { state: deployment.state };
  }
  const op = app.status?.operationState;
  switch (op?.phase) {
    case 'Running':
    case 'Terminating':
      return { state: 'syncing', message: op.message };
    case 'Failed':
    case 'Error':
      return {
        state: 'failed',
        message: `Argo CD operation ${op.phase}: ${op.message ?? 'no message'}`,
      };
    default:
      break;
  }
  const success = successStateOf(deployment.kind);
  if (rollout) {
    return observeRollout(deployment.state, rollout, success);
  }
  switch (app.status?.health?.status) {
    case 'Healthy':
      return { state: success };
    case 'Degraded':
      return {
        state: 'failed',
        message: `Application is Degraded: ${
          app.status.health.message ?? 'no message'
        }`,
      };
    default:
      return { state: 'progressing' };
  }
}

/** A Rollout carrying a sync or rollback through its steps. */
function observeRollout(
  current: DeploymentState,
  rollout: Rollout,
  success: DeploymentState,
): Observation {
  const status = rollout.status ?? {};
  if (!observedCurrentSpec(rollout)) {
    return { state: 'progressing' };
  }
  if (status.abort) {
    return {
      state: 'aborted',
      message: status.message || 'Rollout aborted',
    };
  }
  if (isFullyPromoted(rollout)) {
    return { state: success };
  }
  if (status.phase === 'Degraded') {
    return {
      state: 'failed',
      message: status.message || 'Rollout is Degraded',
    };
  }
  if (isPaused(rollout)) {
    const reasons = (status.pauseConditions ?? []).map(c => c.reason);
    return {
      state: 'paused',
      message: `Paused (${
        reasons.join(', ') || 'manually'
      }), waiting for promotion`,
    };
  }
  if (runningAnalysis(rollout)?.phase === 'Running') {
    return { state: 'analysing', message: status.message };
  }
  return {
    state: isBeforeRolloutSteps(current) ? 'progressing' : 'promoting',
    message: status.message,
  };
}

/**
 * promote (resume one pause), promote-full and retry: done when the Rollout
 * is fully promoted, or, for promote and retry, when it has moved past the
 * step it was at and waits for a human again.
 */
function observeRolloutAction(
  deployment: DeploymentRecord,
  rollout: Rollout | undefined,
): Observation {
  if (!rollout) {
    return { state: 'failed', message: 'The Rollout is gone' };
  }
  const before = deployment.context.rollout ?? { namespace: '', name: '' };
  const status = rollout.status ?? {};
  if (status.abort && status.abortedAt !== before.abortedAt) {
    return { state: 'aborted', message: status.message || 'Rollout aborted' };
  }
  if (deployment.kind === 'retry' && status.abort) {
    return { state: deployment.state }; // the retry has not landed yet
  }
  if (
    before.currentPodHash &&
    status.currentPodHash &&
    status.currentPodHash !== before.currentPodHash
  ) {
    return {
      state: 'failed',
      message: 'A newer revision replaced the one being promoted',
    };
  }
  if (isFullyPromoted(rollout)) {
    return { state: 'succeeded' };
  }
  if (status.phase === 'Degraded') {
    return {
      state: 'failed',
      message: status.message || 'Rollout is Degraded',
    };
  }
  const moved =
    deployment.kind === 'retry' ||
    (status.currentStepIndex ?? -1) > (before.stepIndex ?? -1);
  if (isPaused(rollout) && moved && deployment.kind !== 'promote-full') {
    return {
      state: 'succeeded',
      message: `Rollout moved on and paused again at step ${
        status.currentStepIndex ?? '?'
      }`,
    };
  }
  if (runningAnalysis(rollout)?.phase === 'Running') {
    return { state: 'analysing', message: status.message };
  }
  return { state: 'promoting', message: status.message };
}

function observeAbort(
  deployment: DeploymentRecord,
  rollout: Rollout | undefined,
): Observation {
  if (!rollout) {
    return { state: 'failed', message: 'The Rollout is gone' };
  }
  const status = rollout.status ?? {};
  if (status.abort) {
    return {
      state: 'aborted',
      message: status.message || 'Rollout aborted',
    };
  }
  if (isFullyPromoted(rollout)) {
    return {
      state: 'failed',
      message: 'The Rollout finished before the abort took effect',
    };
  }
  return { state: deployment.state };
}
