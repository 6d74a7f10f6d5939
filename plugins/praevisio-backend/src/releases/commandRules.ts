import { createHash } from 'node:crypto';
import {
  canonicalJson,
  ReleaseCommandKind,
  RolloutCommand,
} from '@praevisio/backstage-plugin-common';
import {
  ArgoCdAuthenticationError,
  Rollout,
  RolloutAction,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '@praevisio/backstage-plugin-node';
import { statusCodeOf } from './errors';
import { isFullyPromoted, isPaused } from './releaseMapping';

/*
 * Pure rules of release commands: what kind a request is, which lock it
 * takes, whether a Rollout action applies, and whether a failed call may
 * still have reached Argo CD.
 */

/** The body of a release command, as the routes parsed it. */
export type ReleaseCommandRequest =
  | { type: 'sync'; revision?: string }
  | { type: 'rollback'; historyId: number; disableAutoSync: boolean }
  | { type: 'rollout'; action: RolloutCommand };

export const ROLLOUT_ACTION: Record<RolloutCommand, RolloutAction> = {
  promote: 'resume',
  'promote-full': 'promote-full',
  abort: 'abort',
  retry: 'retry',
};

export function commandKindOf(
  request: ReleaseCommandRequest,
): ReleaseCommandKind {
  switch (request.type) {
    case 'sync':
      return 'sync';
    case 'rollback':
      return request.disableAutoSync
        ? 'disable-auto-sync-and-rollback'
        : 'rollback';
    case 'rollout':
      return request.action;
    default:
      throw new Error(`Unknown request ${JSON.stringify(request)}`);
  }
}

/**
 * Operations (sync, rollback) of one application exclude each other, and so
 * do promotions; an abort is never held back.
 */
export function lockKeyOf(
  kind: ReleaseCommandKind,
  target: { instance: string; application: string },
) {
  const app = `${target.instance}/${target.application}`;
  switch (kind) {
    case 'sync':
    case 'rollback':
    case 'disable-auto-sync-and-rollback':
      return `operation:${app}`;
    case 'promote':
    case 'promote-full':
    case 'retry':
      return `rollout:${app}`;
    default:
      return undefined;
  }
}

/**
 * Whether a failed call certainly did not change anything in Argo CD. Argo
 * CD's own refusals (4xx) and calls that never left (open circuit, full
 * queue, 502/503 from the gateway) did not; a timeout or a dropped
 * connection may have.
 */
export function certainlyNotApplied(error: unknown): boolean {
  if (UpstreamUnavailableError.is(error)) {
    return (
      error.reason === 'circuit-open' ||
      error.reason === 'overloaded' ||
      (error.reason === 'http-status' && error.upstreamStatus !== 504)
    );
  }
  if (UpstreamResponseError.is(error)) {
    return (error.upstreamStatus ?? 0) >= 300;
  }
  if (ArgoCdAuthenticationError.is(error)) {
    return true; // Argo CD rejected our credentials and ran nothing
  }
  const status = statusCodeOf(error);
  return status >= 400 && status < 500;
}

/** Why a Rollout action does not apply to the Rollout as it is, if it does not. */
export function rolloutRefusal(
  action: RolloutCommand,
  rollout: Rollout,
  where: string,
): string | undefined {
  const status = rollout.status ?? {};
  switch (action) {
    case 'promote':
      if (status.abort) return `${where} is aborted; retry it instead`;
      if (!isPaused(rollout)) {
        return `${where} is not paused (phase ${
          status.phase ?? 'unknown'
        }), so there is nothing to promote`;
      }
      return undefined;
    case 'promote-full':
      return isFullyPromoted(rollout)
        ? `${where} is already fully promoted`
        : undefined;
    case 'abort':
      if (isFullyPromoted(rollout)) {
        return `${where} is fully promoted; there is nothing to abort (roll back instead)`;
      }
      return status.abort ? `${where} is already aborted` : undefined;
    case 'retry':
      return status.abort
        ? undefined
        : `${where} is not aborted, so there is nothing to retry`;
    default:
      throw new Error(`Unknown rollout action ${action satisfies never}`);
  }
}

function normalizeRequest(request: ReleaseCommandRequest) {
  switch (request.type) {
    case 'sync':
      return { type: 'sync', revision: request.revision ?? null };
    case 'rollback':
      return {
        type: 'rollback',
        historyId: request.historyId,
        disableAutoSync: request.disableAutoSync,
      };
    default:
      return { type: 'rollout', action: request.action };
  }
}

/** Same entity, application and body: same hash, whoever sends it. */
export function requestHash(
  entityRef: string,
  application: string,
  request: ReleaseCommandRequest,
): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        entityRef,
        application,
        request: normalizeRequest(request),
      }),
    )
    .digest('hex');
}
