import { ConflictError } from '@backstage/errors';
import {
  DeploymentState,
  ReleaseCommandKind,
  TERMINAL_DEPLOYMENT_STATES,
} from '@praevisio/backstage-plugin-common';

/*
 * The deployment state machine of DESIGN §5, in one place:
 *
 *   requested → syncing → progressing → [paused → analysing → promoting]* →
 *   succeeded | failed | aborted | rolled_back
 *
 * The reconciler observes Argo CD every few seconds, so it may see several
 * steps at once (a sync that finished between two passes). A transition may
 * therefore skip forward, and the rollout states (paused, analysing,
 * promoting) may follow each other in any order, but a deployment never goes
 * back and never leaves a terminal state.
 */

const RANK: Record<DeploymentState, number> = {
  requested: 0,
  syncing: 1,
  progressing: 2,
  paused: 3,
  analysing: 3,
  promoting: 3,
  succeeded: 4,
  failed: 4,
  aborted: 4,
  rolled_back: 4,
};

/** How each kind of command may end. */
const TERMINAL_STATES_BY_KIND: Record<ReleaseCommandKind, DeploymentState[]> = {
  sync: ['succeeded', 'failed', 'aborted'],
  rollback: ['rolled_back', 'failed', 'aborted'],
  'disable-auto-sync-and-rollback': ['rolled_back', 'failed', 'aborted'],
  promote: ['succeeded', 'failed', 'aborted'],
  'promote-full': ['succeeded', 'failed', 'aborted'],
  retry: ['succeeded', 'failed', 'aborted'],
  abort: ['aborted', 'failed'],
};

export function isTerminalState(state: DeploymentState): boolean {
  return TERMINAL_DEPLOYMENT_STATES.includes(state);
}

/** Where a successful deployment of `kind` ends: rollbacks end `rolled_back`. */
export function successStateOf(kind: ReleaseCommandKind): DeploymentState {
  return kind === 'rollback' || kind === 'disable-auto-sync-and-rollback'
    ? 'rolled_back'
    : 'succeeded';
}

/** The state once Argo CD has accepted the command. */
export function acceptedStateOf(kind: ReleaseCommandKind): DeploymentState {
  switch (kind) {
    case 'sync':
    case 'rollback':
    case 'disable-auto-sync-and-rollback':
      return 'syncing';
    case 'promote':
    case 'promote-full':
    case 'retry':
      return 'promoting';
    case 'abort':
      // Nothing to show until the Rollout reports the abort.
      return 'requested';
    default:
      throw new Error(`Unknown command kind ${kind satisfies never}`);
  }
}

/** Whether a deployment of `kind` may go from `from` to `to` (not equal). */
export function canTransition(
  kind: ReleaseCommandKind,
  from: DeploymentState,
  to: DeploymentState,
): boolean {
  if (from === to || isTerminalState(from)) {
    return false;
  }
  if (isTerminalState(to)) {
    return TERMINAL_STATES_BY_KIND[kind].includes(to);
  }
  return RANK[to] >= RANK[from];
}

/** @throws ConflictError - the transition is not allowed */
export function assertTransition(
  kind: ReleaseCommandKind,
  from: DeploymentState,
  to: DeploymentState,
): void {
  if (!canTransition(kind, from, to)) {
    throw new ConflictError(
      `A ${kind} deployment cannot go from '${from}' to '${to}'`,
    );
  }
}

/** Ranks below the rollout states: a human has not been involved yet. */
export function isBeforeRolloutSteps(state: DeploymentState): boolean {
  return RANK[state] < RANK.paused;
}
