/**
 * Releases API contract (DTOs) between the Praevisio backend and frontend.
 * Served under /api/praevisio/entities/{kind}/{namespace}/{name}/…
 */

/** Deployment state machine (DESIGN §5). @public */
export type DeploymentState =
  | 'requested'
  | 'syncing'
  | 'progressing'
  | 'paused'
  | 'analysing'
  | 'promoting'
  | 'succeeded'
  | 'failed'
  | 'aborted'
  | 'rolled_back';

/** @public */
export const TERMINAL_DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'succeeded',
  'failed',
  'aborted',
  'rolled_back',
];

/** @public */
export type ReleaseCommandKind =
  | 'sync'
  | 'rollback'
  | 'disable-auto-sync-and-rollback'
  | 'promote'
  | 'promote-full'
  | 'abort'
  | 'retry';

/** Rollout actions a user may run (Argo Rollouts built-ins). @public */
export type RolloutCommand = 'promote' | 'promote-full' | 'abort' | 'retry';

/** One step of a canary strategy, flattened for display. @public */
export interface RolloutStepDto {
  index: number;
  kind: 'setWeight' | 'pause' | 'analysis' | 'experiment' | 'other';
  /** e.g. "20%" for setWeight, "30s" or "indefinite" for pause, template names for analysis. */
  description: string;
}

/** Argo Rollouts state of an application's Rollout. @public */
export interface RolloutStatusDto {
  name: string;
  namespace: string;
  strategy: 'canary' | 'blueGreen';
  /** Healthy | Progressing | Paused | Degraded */
  phase: string;
  message?: string;
  steps: RolloutStepDto[];
  currentStepIndex?: number;
  /** Canary traffic weight in percent, when known. */
  canaryWeight?: number;
  /** CanaryPauseStep | BlueGreenPause | InconclusiveAnalysisRun | … */
  pauseReasons: string[];
  aborted: boolean;
  analysisRun?: { name: string; phase: string };
  stableRevision?: string;
  canaryRevision?: string;
  activeSelector?: string;
  previewSelector?: string;
}

/** One application of the entity in one environment. @public */
export interface EnvironmentReleaseDto {
  environment: string;
  instance: string;
  application: string;
  project: string;
  namespace?: string;
  /** Revision currently synced (status.sync.revision). */
  revision?: string;
  /** spec.source.targetRevision */
  targetRevision?: string;
  /** Synced | OutOfSync | Unknown */
  syncStatus: string;
  /** Healthy | Progressing | Suspended | Degraded | Missing | Unknown */
  healthStatus: string;
  /** Running | Succeeded | Failed | Error | Terminating */
  operationPhase?: string;
  operationMessage?: string;
  images: string[];
  lastDeployedAt?: string;
  lastDeployedBy?: string;
  autoSync: boolean;
  /** Ids usable for rollback, newest first (status.history). */
  rollbackTargets: Array<{ id: number; revision: string; deployedAt?: string }>;
  rollout?: RolloutStatusDto;
  /** Link to the application in the Argo CD UI. */
  argoCdUrl?: string;
}

/** @public */
export interface ReleasesOverviewDto {
  entityRef: string;
  /** Ordered by praevisio.environments. */
  environments: EnvironmentReleaseDto[];
  /** When the data was read from Argo CD (ISO 8601). */
  fetchedAt: string;
  /** True when Argo CD could not be reached and this is the last known state. */
  stale: boolean;
  staleReason?: string;
  /** Per-application problems that did not prevent the rest from loading. */
  problems: Array<{ instance?: string; application?: string; message: string }>;
}

/** @public */
export interface ReleaseHistoryEntryDto {
  id: number;
  environment: string;
  application: string;
  revision: string;
  deployedAt: string;
  deployStartedAt?: string;
  initiatedBy?: string;
  author?: string;
  message?: string;
}

/** @public */
export interface ReleaseHistoryPageDto {
  items: ReleaseHistoryEntryDto[];
  total: number;
  page: number;
  pageSize: number;
}

/** A command issued through Praevisio and what became of it. @public */
export interface DeploymentDto {
  id: string;
  entityRef: string;
  instance: string;
  application: string;
  environment: string;
  kind: ReleaseCommandKind;
  fromRevision?: string;
  toRevision?: string;
  state: DeploymentState;
  requestedBy: string;
  requestedAt: string;
  updatedAt: string;
  message?: string;
}

/** What a sync would change (dry run). @public */
export interface SyncPreviewDto {
  application: string;
  fromRevision?: string;
  toRevision?: string;
  resources: Array<{
    group?: string;
    kind: string;
    namespace?: string;
    name: string;
    status?: string;
    message?: string;
  }>;
}

/** Body of POST …/releases/{application}/sync. @public */
export interface SyncRequestDto {
  revision?: string;
  dryRun?: boolean;
}

/** Body of POST …/releases/{application}/rollback. @public */
export interface RollbackRequestDto {
  historyId: number;
  /** Explicitly disable auto-sync first (separately permitted and audited). */
  disableAutoSync?: boolean;
}

/** Body of POST …/releases/{application}/rollout. @public */
export interface RolloutRequestDto {
  action: RolloutCommand;
}

/** Signal channel for live release updates of one entity. @public */
export function releasesSignalChannel(entityRef: string): string {
  return `praevisio:releases:${entityRef}`;
}
