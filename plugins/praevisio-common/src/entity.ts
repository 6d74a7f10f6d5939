import { Entity } from '@backstage/catalog-model';
import { PraevisioTab, TAB_ENABLING_ANNOTATIONS } from './annotations';

/** Whether an entity carries any annotation that enables the given tab. @public */
export function hasTabAnnotations(entity: Entity, tab: PraevisioTab): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return TAB_ENABLING_ANNOTATIONS[tab].some(a => Boolean(annotations[a]));
}

/** @public */
export const isReleasesAvailable = (entity: Entity) =>
  hasTabAnnotations(entity, 'releases');
/** @public */
export const isIncidentsAvailable = (entity: Entity) =>
  hasTabAnnotations(entity, 'incidents');
/** @public */
export const isComplianceAvailable = (entity: Entity) =>
  hasTabAnnotations(entity, 'compliance');
/** @public */
export const isBackupsAvailable = (entity: Entity) =>
  hasTabAnnotations(entity, 'backups');
