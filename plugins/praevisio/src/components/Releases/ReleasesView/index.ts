export { ReleasesView } from './ReleasesView';
