import { useCallback, useEffect, useRef, useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  DeploymentDto,
  releasesSignalChannel,
  ReleasesOverviewDto,
  TERMINAL_DEPLOYMENT_STATES,
} from '@praevisio/backstage-plugin-common';
import { praevisioApiRef } from '../api/PraevisioApi';

/** How often to re-read while something is moving and no signal arrived. */
export const RELEASES_POLL_INTERVAL_MS = 10_000;

const RUNNING_OPERATION_PHASES = ['Running', 'Terminating'];
const MOVING_ROLLOUT_PHASES = ['Progressing', 'Paused'];

/** Whether any deployment, Argo CD operation or rollout is still under way. */
export function isReleaseInProgress(
  overview?: ReleasesOverviewDto,
  deployments?: DeploymentDto[],
): boolean {
  if (deployments?.some(d => !TERMINAL_DEPLOYMENT_STATES.includes(d.state))) {
    return true;
  }
  return (overview?.environments ?? []).some(
    env =>
      RUNNING_OPERATION_PHASES.includes(env.operationPhase ?? '') ||
      env.healthStatus === 'Progressing' ||
      (env.rollout !== undefined &&
        !env.rollout.aborted &&
        MOVING_ROLLOUT_PHASES.includes(env.rollout.phase)),
  );
}

interface ReleasesData {
  entityRef: string;
  overview?: ReleasesOverviewDto;
  deployments?: DeploymentDto[];
  error?: Error;
  deploymentsError?: Error;
  loading: boolean;
  /** Bumped after every finished load; restarts the poll timer. */
  loadCount: number;
}

/** @public */
export interface UseReleasesResult {
  entityRef: string;
  /** The last overview that loaded; kept while a refresh is in flight or fails. */
  overview?: ReleasesOverviewDto;
  deployments?: DeploymentDto[];
  /** The latest overview load failed (the previous overview may still be shown). */
  error?: Error;
  deploymentsError?: Error;
  loading: boolean;
  inProgress: boolean;
  /** Whether the app has Backstage signals wired in for live updates. */
  isSignalsAvailable: boolean;
  refresh: () => void;
  /** Counts finished loads (initial, signal, poll, refresh); data that changes with the releases can follow it. */
  loadCount: number;
}

/**
 * Releases overview and Praevisio deployments of an entity. Reloads whenever
 * the backend sends a signal on `releasesSignalChannel(entityRef)`; while
 * something is in progress it also re-reads every 10 s after the last load,
 * so a missed or unavailable signal never leaves a rollout frozen on screen.
 */
export function useReleases(
  entity: Entity,
  options: { pollIntervalMs?: number; deploymentsLimit?: number } = {},
): UseReleasesResult {
  const { pollIntervalMs = RELEASES_POLL_INTERVAL_MS, deploymentsLimit = 20 } =
    options;
  const api = useApi(praevisioApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [data, setData] = useState<ReleasesData>({
    entityRef,
    loading: true,
    loadCount: 0,
  });
  const latestLoad = useRef(0);

  const load = useCallback(async () => {
    const id = ++latestLoad.current;
    setData(prev =>
      prev.entityRef === entityRef
        ? { ...prev, loading: true }
        : { entityRef, loading: true, loadCount: prev.loadCount },
    );
    const [overview, deployments] = await Promise.allSettled([
      api.getReleases(entityRef),
      api.getDeployments(entityRef, { limit: deploymentsLimit }),
    ]);
    // A newer load (signal, poll, entity change) supersedes this one.
    if (id !== latestLoad.current) return;
    setData(prev => ({
      entityRef,
      loading: false,
      loadCount: prev.loadCount + 1,
      overview:
        overview.status === 'fulfilled' ? overview.value : prev.overview,
      error: overview.status === 'rejected' ? overview.reason : undefined,
      deployments:
        deployments.status === 'fulfilled'
          ? deployments.value
          : prev.deployments,
      deploymentsError:
        deployments.status === 'rejected' ? deployments.reason : undefined,
    }));
  }, [api, entityRef, deploymentsLimit]);

  useEffect(() => {
    const loads = latestLoad;
    load();
    return () => {
      // Ignore whatever is still in flight once unmounted or re-targeted.
      loads.current++;
    };
  }, [load]);

  const { lastSignal, isSignalsAvailable } = useSignal(
    releasesSignalChannel(entityRef),
  );
  useEffect(() => {
    if (lastSignal) load();
  }, [lastSignal, load]);

  const current = data.entityRef === entityRef ? data : undefined;
  const inProgress = isReleaseInProgress(
    current?.overview,
    current?.deployments,
  );

  useEffect(() => {
    if (!inProgress || data.loading) return undefined;
    const timer = setTimeout(load, pollIntervalMs);
    return () => clearTimeout(timer);
  }, [inProgress, data.loading, data.loadCount, load, pollIntervalMs]);

  return {
    entityRef,
    overview: current?.overview,
    deployments: current?.deployments,
    error: current?.error,
    deploymentsError: current?.deploymentsError,
    loading: current?.loading ?? true,
    inProgress,
    isSignalsAvailable,
    refresh: load,
    loadCount: data.loadCount,
  };
}
