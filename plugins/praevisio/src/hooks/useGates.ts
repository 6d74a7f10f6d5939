import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EvaluateGateRequestDto,
  GateEvaluationDto,
  GatesOverviewDto,
  OverrideGateRequestDto,
  praevisioGateOverridePermission,
} from '@praevisio/backstage-plugin-common';
import { praevisioApiRef } from '../api/PraevisioApi';
import { errorStatus } from '../lib/errors';
import type { PermissionState } from './useReleasePermissions';

/** @public */
export interface UseGatesResult {
  /** The last overview that loaded; kept while a refresh is in flight or fails. */
  overview?: GatesOverviewDto;
  /** The backend answered 404: it has no quality gate routes (yet). */
  unavailable: boolean;
  error?: Error;
  loading: boolean;
  refresh: () => void;
}

interface GatesData {
  entityRef: string;
  overview?: GatesOverviewDto;
  unavailable: boolean;
  error?: Error;
  loading: boolean;
}

/**
 * Quality gate evaluations, canary analyses and decisions of an entity. The
 * backend signals gate changes on `releasesSignalChannel`, which `useReleases`
 * already listens to; pass its `loadCount` as `refreshKey` so the gates are
 * re-read after every releases load (signal, poll or refresh) rather than
 * opening a second subscription to the same channel.
 */
export function useGates(
  entity: Entity,
  options: { refreshKey?: unknown } = {},
): UseGatesResult {
  const api = useApi(praevisioApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [data, setData] = useState<GatesData>({
    entityRef,
    loading: true,
    unavailable: false,
  });
  const latestLoad = useRef(0);

  const load = useCallback(async () => {
    const id = ++latestLoad.current;
    setData(prev =>
      prev.entityRef === entityRef
        ? { ...prev, loading: true }
        : { entityRef, loading: true, unavailable: false },
    );
    try {
      const overview = await api.getGates(entityRef);
      if (id !== latestLoad.current) return;
      setData({ entityRef, overview, unavailable: false, loading: false });
    } catch (e) {
      if (id !== latestLoad.current) return;
      // An older backend without the gates routes: the tab works without them.
      if (errorStatus(e) === 404) {
        setData({ entityRef, unavailable: true, loading: false });
        return;
      }
      setData(prev => ({
        ...prev,
        entityRef,
        loading: false,
        error: e instanceof Error ? e : new Error(String(e)),
      }));
    }
  }, [api, entityRef]);

  useEffect(() => {
    const loads = latestLoad;
    load();
    return () => {
      loads.current++;
    };
  }, [load, options.refreshKey]);

  const current = data.entityRef === entityRef ? data : undefined;
  return {
    overview: current?.overview,
    unavailable: current?.unavailable ?? false,
    error: current?.error,
    loading: current?.loading ?? true,
    refresh: load,
  };
}

/** Whether the user may override a failed gate of the entity. */
export function useGateOverridePermission(entityRef: string): PermissionState {
  const { loading, allowed } = usePermission({
    permission: praevisioGateOverridePermission,
    resourceRef: entityRef,
  });
  return { loading, allowed };
}

/**
 * Gate commands for one entity. Each takes the idempotency key of the user
 * intent; `onChanged` runs after each accepted one.
 * @public
 */
export interface GateCommandHandlers {
  evaluate(
    body: EvaluateGateRequestDto,
    idempotencyKey: string,
  ): Promise<GateEvaluationDto>;
  override(
    evaluationId: string,
    body: OverrideGateRequestDto,
    idempotencyKey: string,
  ): Promise<GateEvaluationDto>;
}

export function useGateCommands(
  entityRef: string,
  onChanged: () => void,
): GateCommandHandlers {
  const api = useApi(praevisioApiRef);
  const alertApi = useApi(alertApiRef);
  return useMemo(() => {
    const accepted = (evaluation: GateEvaluationDto, message: string) => {
      alertApi.post({ message, severity: 'success', display: 'transient' });
      onChanged();
      return evaluation;
    };
    return {
      evaluate: async (body, key) => {
        const ev = await api.evaluateGate(entityRef, body, key);
        return accepted(
          ev,
          `Quality gate ${body.environment}: ${ev.result} (score ${ev.score})`,
        );
      },
      override: async (evaluationId, body, key) =>
        accepted(
          await api.overrideGate(entityRef, evaluationId, body, key),
          'Quality gate overridden',
        ),
    };
  }, [api, alertApi, entityRef, onChanged]);
}
