import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/**
 * A source of backup and restore-test records for entities (Velero, CloudNativePG,
 * a cloud provider's snapshots, …). Registered through
 * {@link praevisioBackupProvidersExtensionPoint}.
 * @public
 */
export interface BackupProvider {
  /** Stable id, e.g. `velero`. */
  readonly id: string;
  /** Whether this provider knows about the entity at all. */
  appliesTo(entity: Entity): boolean;
}

/**
 * A compliance control that can be checked for an entity (e.g. "prod deploys
 * passed a quality gate"). Registered through
 * {@link praevisioComplianceControlsExtensionPoint}.
 * @public
 */
export interface ComplianceControl {
  /** Stable id, e.g. `change-approval`. */
  readonly id: string;
  readonly title: string;
  /** Control sets (`praevisio.io/compliance-profile`) that include it. */
  readonly profiles: string[];
}

/**
 * A provider of SLI values for quality gates (Prometheus is built in; adopters
 * may add others).
 * @public
 */
export interface SliProvider {
  readonly id: string;
}

/** @public */
export interface PraevisioBackupProvidersExtensionPoint {
  addBackupProvider(...providers: BackupProvider[]): void;
}
/** @public */
export interface PraevisioComplianceControlsExtensionPoint {
  addComplianceControl(...controls: ComplianceControl[]): void;
}
/** @public */
export interface PraevisioSliProvidersExtensionPoint {
  addSliProvider(...providers: SliProvider[]): void;
}

/** @public */
export const praevisioBackupProvidersExtensionPoint =
  createExtensionPoint<PraevisioBackupProvidersExtensionPoint>({
    id: 'praevisio.backup-providers',
  });
/** @public */
export const praevisioComplianceControlsExtensionPoint =
  createExtensionPoint<PraevisioComplianceControlsExtensionPoint>({
    id: 'praevisio.compliance-controls',
  });
/** @public */
export const praevisioSliProvidersExtensionPoint =
  createExtensionPoint<PraevisioSliProvidersExtensionPoint>({
    id: 'praevisio.sli-providers',
  });
