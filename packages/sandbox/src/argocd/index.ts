/**
 * Argo CD API simulator (with Argo Rollouts) for demos, local development and
 * end-to-end tests. Typical use:
 *
 *   const sim = ArgoCdSimulator.create({ applications: seedDemoApplications(), tickMs: 0 });
 *   const { url } = await sim.start();
 *   // POST {url}/api/v1/session {"username":"admin","password":"admin"} → {token}
 *   sim.advance(); // drive the controller deterministically
 *
 * Never imported by plugins or production code.
 */
export { ArgoCdSimulator } from './ArgoCdSimulator';
export type { ArgoCdSimulatorOptions, SimulatorStats } from './ArgoCdSimulator';
export type {
  SeedApplication,
  SeedDeployment,
  SeedWorkload,
} from './application';
export type { SimulatorToken, SimulatorUser } from './auth';
export { DEFAULT_USERS } from './auth';
export type { CommitInfo } from './git';
export type { LiveResource } from './workload';
export type {
  BlueGreenStrategy,
  CanaryStep,
  CanaryStrategy,
  PauseReason,
  RolloutAnalysis,
  RolloutPhase,
  RolloutStatus,
  RolloutStrategy,
} from './rolloutTypes';
export { ROLLOUT_ACTIONS } from './rollouts';
export type * from './types';
export { seedDemoApplications, DEMO_ENTITIES } from './demoData';
