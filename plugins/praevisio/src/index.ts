/**
 * Praevisio Ops frontend plugin (legacy frontend system exports). The new
 * frontend system plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  praevisioPlugin,
  EntityReleasesContent,
  EntityIncidentsContent,
  EntityComplianceContent,
  EntityBackupsContent,
  PraevisioOperationsPage,
} from './plugin';
export {
  praevisioApiRef,
  type PraevisioApi,
  type EntityRefLike,
} from './api/PraevisioApi';
export { PraevisioClient } from './api/PraevisioClient';
export { operationsRouteRef } from './routes';
export {
  isReleasesAvailable,
  isIncidentsAvailable,
  isComplianceAvailable,
  isBackupsAvailable,
} from '@praevisio/backstage-plugin-common';
