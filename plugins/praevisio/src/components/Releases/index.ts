export { ReleasesView } from './ReleasesView';
export { EnvironmentCards } from './EnvironmentCards';
export { RolloutProgress } from './RolloutProgress';
export { ReleaseActions } from './ReleaseActions';
export {
  SyncDialog,
  RollbackDialog,
  RolloutCommandDialog,
} from './ConfirmDialogs';
export { ReleaseHistoryTable } from './ReleaseHistoryTable';
export { DeploymentsTable } from './DeploymentsTable';
