import { useMemo } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  DeploymentDto,
  RollbackRequestDto,
  RolloutRequestDto,
  SyncPreviewDto,
} from '@praevisio/backstage-plugin-common';
import { praevisioApiRef } from '../api/PraevisioApi';
import { newIdempotencyKey } from '../lib/idempotencyKey';
import { humanize, shortRevision } from '../lib/format';

/**
 * The release commands a view can issue. Each mutation takes the idempotency
 * key of the user intent (made when its dialog opened) and rejects with the
 * server's refusal, which the dialog shows.
 * @public
 */
export interface ReleaseCommandHandlers {
  previewSync(application: string, revision?: string): Promise<SyncPreviewDto>;
  sync(
    application: string,
    body: { revision?: string },
    idempotencyKey: string,
  ): Promise<DeploymentDto>;
  rollback(
    application: string,
    body: RollbackRequestDto,
    idempotencyKey: string,
  ): Promise<DeploymentDto>;
  rollout(
    application: string,
    body: RolloutRequestDto,
    idempotencyKey: string,
  ): Promise<DeploymentDto>;
}

/** Release commands for one entity; `onChanged` runs after each accepted one. */
export function useReleaseCommands(
  entityRef: string,
  onChanged: () => void,
): ReleaseCommandHandlers {
  const api = useApi(praevisioApiRef);
  const alertApi = useApi(alertApiRef);

  return useMemo(() => {
    const accepted = (deployment: DeploymentDto, what: string) => {
      alertApi.post({
        message: `${what}: ${humanize(deployment.state).toLocaleLowerCase(
          'en-US',
        )}`,
        severity: 'success',
        display: 'transient',
      });
      onChanged();
      return deployment;
    };
    return {
      // A dry run changes nothing, so every preview is its own intent.
      previewSync: (application, revision) =>
        api.sync(
          entityRef,
          application,
          { revision, dryRun: true },
          newIdempotencyKey(),
        ),
      sync: async (application, body, key) =>
        accepted(
          await api.sync(entityRef, application, body, key),
          `Sync of ${application} to ${shortRevision(
            body.revision ?? 'its target revision',
          )}`,
        ),
      rollback: async (application, body, key) =>
        accepted(
          await api.rollback(entityRef, application, body, key),
          body.disableAutoSync
            ? `Disabling auto-sync and rollback of ${application}`
            : `Rollback of ${application}`,
        ),
      rollout: async (application, body, key) =>
        accepted(
          await api.rolloutAction(entityRef, application, body, key),
          `${humanize(body.action)} of ${application}`,
        ),
    };
  }, [api, alertApi, entityRef, onChanged]);
}
