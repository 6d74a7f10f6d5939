import { SyncPreviewDto } from '@praevisio/backstage-plugin-common';
import { Application } from '@praevisio/backstage-plugin-node';
import { deployedRevision } from './releaseMapping';

/**
 * What a sync would change, from Argo CD's own comparison of the live state
 * with the tracked revision (`status.resources[].status`). Argo CD's dry-run
 * sync is not used: it starts an operation, which blocks real syncs while it
 * runs. A revision other than the tracked one cannot be compared this way;
 * its resources are listed as Unknown, with the reason.
 */
export function buildSyncPreview(
  app: Application,
  revision?: string,
): SyncPreviewDto {
  const tracked = [
    app.status?.sync?.revision,
    app.spec?.source?.targetRevision,
  ].filter(Boolean);
  const comparable = !revision || tracked.includes(revision);
  const toRevision = revision ?? app.status?.sync?.revision;
  const fromRevision = deployedRevision(app);
  return {
    application: app.metadata.name,
    ...(fromRevision ? { fromRevision } : {}),
    ...(toRevision ? { toRevision } : {}),
    resources: (app.status?.resources ?? []).map(r => {
      let message = 'unchanged';
      if (!comparable) {
        message =
          `Argo CD compares the live state only with the tracked revision ${
            tracked[0] ?? ''
          }`.trim();
      } else if (r.status === 'OutOfSync') {
        message = 'will be updated';
      }
      return {
        ...(r.group ? { group: r.group } : {}),
        kind: r.kind ?? 'Unknown',
        ...(r.namespace ? { namespace: r.namespace } : {}),
        name: r.name ?? '',
        status: comparable ? r.status ?? 'Unknown' : 'Unknown',
        message,
      };
    }),
  };
}
