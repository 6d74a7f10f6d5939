export { ReleaseActions, applicableActions, ownerName } from './ReleaseActions';
export type { ReleaseActionsProps, ReleaseAction } from './ReleaseActions';
