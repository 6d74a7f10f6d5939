export { TabGuard } from './TabGuard';
