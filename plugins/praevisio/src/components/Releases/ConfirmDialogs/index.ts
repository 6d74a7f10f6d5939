export { SyncDialog } from './SyncDialog';
export type { SyncDialogProps } from './SyncDialog';
export { RollbackDialog, rollbackCandidates } from './RollbackDialog';
export type { RollbackDialogProps } from './RollbackDialog';
export { RolloutCommandDialog, ROLLOUT_COMMANDS } from './RolloutCommandDialog';
export type { RolloutCommandDialogProps } from './RolloutCommandDialog';
