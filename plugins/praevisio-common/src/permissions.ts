import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Same value as RESOURCE_TYPE_CATALOG_ENTITY in @backstage/plugin-catalog-common. */
const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Every Praevisio permission is a `catalog-entity` resource permission, so the
 * usual owner-based policies (`isEntityOwner`) apply to it unchanged.
 */
function entityPermission(
  name: string,
  action: 'read' | 'create' | 'update' | 'delete',
): ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY> {
  return createPermission({
    name,
    attributes: { action },
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  });
}

/** @public */
export const praevisioReleaseReadPermission = entityPermission(
  'praevisio.release.read',
  'read',
);
/** @public */
export const praevisioReleaseDeployPermission = entityPermission(
  'praevisio.release.deploy',
  'update',
);
/** @public */
export const praevisioReleaseRollbackPermission = entityPermission(
  'praevisio.release.rollback',
  'update',
);
/** @public */
export const praevisioReleasePromotePermission = entityPermission(
  'praevisio.release.promote',
  'update',
);
/** @public */
export const praevisioGateOverridePermission = entityPermission(
  'praevisio.gate.override',
  'update',
);
/** @public */
export const praevisioIncidentReadPermission = entityPermission(
  'praevisio.incident.read',
  'read',
);
/** @public */
export const praevisioIncidentWritePermission = entityPermission(
  'praevisio.incident.write',
  'update',
);
/** @public */
export const praevisioComplianceReadPermission = entityPermission(
  'praevisio.compliance.read',
  'read',
);
/** @public */
export const praevisioComplianceExportPermission = entityPermission(
  'praevisio.compliance.export',
  'read',
);
/** @public */
export const praevisioComplianceExemptPermission = entityPermission(
  'praevisio.compliance.exempt',
  'update',
);
/** @public */
export const praevisioBackupReadPermission = entityPermission(
  'praevisio.backup.read',
  'read',
);
/** @public */
export const praevisioBackupWritePermission = entityPermission(
  'praevisio.backup.write',
  'update',
);

/**
 * Reading the organisation-wide audit chain (verification). Not tied to one
 * entity, so it is a basic permission.
 * @public
 */
export const praevisioAuditReadPermission = createPermission({
  name: 'praevisio.audit.read',
  attributes: { action: 'read' },
});

/** @public */
export const praevisioPermissions = [
  praevisioReleaseReadPermission,
  praevisioReleaseDeployPermission,
  praevisioReleaseRollbackPermission,
  praevisioReleasePromotePermission,
  praevisioGateOverridePermission,
  praevisioIncidentReadPermission,
  praevisioIncidentWritePermission,
  praevisioComplianceReadPermission,
  praevisioComplianceExportPermission,
  praevisioComplianceExemptPermission,
  praevisioBackupReadPermission,
  praevisioBackupWritePermission,
  praevisioAuditReadPermission,
];
