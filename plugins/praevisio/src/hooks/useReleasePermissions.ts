import { usePermission } from '@backstage/plugin-permission-react';
import {
  praevisioReleaseDeployPermission,
  praevisioReleasePromotePermission,
  praevisioReleaseRollbackPermission,
} from '@praevisio/backstage-plugin-common';

/** @public */
export interface PermissionState {
  loading: boolean;
  allowed: boolean;
}

/** What the signed-in user may do to an entity's releases. @public */
export interface ReleasePermissions {
  /** Sync to a revision. */
  deploy: PermissionState;
  rollback: PermissionState;
  /** Every Argo Rollouts command: promote, promote fully, abort, retry. */
  promote: PermissionState;
}

function only(result: { loading: boolean; allowed: boolean }): PermissionState {
  return { loading: result.loading, allowed: result.allowed };
}

/**
 * Release permissions, checked against the entity so owner-based policies
 * apply. The backend checks again; this only decides what the UI offers.
 */
export function useReleasePermissions(entityRef: string): ReleasePermissions {
  const deploy = usePermission({
    permission: praevisioReleaseDeployPermission,
    resourceRef: entityRef,
  });
  const rollback = usePermission({
    permission: praevisioReleaseRollbackPermission,
    resourceRef: entityRef,
  });
  const promote = usePermission({
    permission: praevisioReleasePromotePermission,
    resourceRef: entityRef,
  });
  return {
    deploy: only(deploy),
    rollback: only(rollback),
    promote: only(promote),
  };
}
