export {
  ReleaseActions,
  applicableActions,
  deniedReason,
  ownerName,
} from './ReleaseActions';
export type { ReleaseActionsProps, ReleaseAction } from './ReleaseActions';
