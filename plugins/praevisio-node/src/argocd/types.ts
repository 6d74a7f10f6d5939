/*
 * The parts of the Argo CD API model (swagger v2.14–v3.5, `v1alpha1*`
 * definitions) that Praevisio reads. Every field is optional unless Argo CD
 * always sets it, because the server omits empty values.
 */

/** @public */
export type ArgoCdHealthStatusCode =
  | 'Unknown'
  | 'Progressing'
  | 'Healthy'
  | 'Suspended'
  | 'Degraded'
  | 'Missing';

/** @public */
export type ArgoCdSyncStatusCode = 'Unknown' | 'Synced' | 'OutOfSync';

/** @public */
export type ArgoCdOperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Failed'
  | 'Error'
  | 'Succeeded';

/** Kubernetes ObjectMeta, the fields we use. @public */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** `v1alpha1ApplicationSource` @public */
export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  ref?: string;
  name?: string;
  helm?: Record<string, unknown>;
  kustomize?: Record<string, unknown>;
  directory?: Record<string, unknown>;
  plugin?: Record<string, unknown>;
}

/** `v1alpha1ApplicationDestination` @public */
export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/** `v1alpha1SyncPolicyAutomated`; `enabled` exists since Argo CD 3.0. @public */
export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  enabled?: boolean;
}

/** `v1alpha1SyncPolicy` @public */
export interface SyncPolicy {
  automated?: SyncPolicyAutomated | null;
  syncOptions?: string[];
  retry?: {
    limit?: number;
    backoff?: { duration?: string; factor?: number; maxDuration?: string };
  };
}

/** `v1alpha1ApplicationSpec` @public */
export interface ApplicationSpec {
  project?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination?: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  revisionHistoryLimit?: number;
  info?: Array<{ name?: string; value?: string }>;
}

/** `v1alpha1HealthStatus` / `v1alpha1AppHealthStatus` @public */
export interface HealthStatus {
  status?: ArgoCdHealthStatusCode;
  message?: string;
  lastTransitionTime?: string;
}

/** `v1alpha1SyncStatus` @public */
export interface SyncStatus {
  status?: ArgoCdSyncStatusCode;
  revision?: string;
  revisions?: string[];
  comparedTo?: {
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    destination?: ApplicationDestination;
  };
}

/** `v1alpha1OperationInitiator` @public */
export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

/** `v1alpha1RevisionHistory`: one past sync, oldest first in `status.history`. @public */
export interface RevisionHistory {
  /** int64, unique and increasing within one application. */
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  initiatedBy?: OperationInitiator;
}

/** `v1alpha1SyncOperation` @public */
export interface SyncOperation {
  revision?: string;
  revisions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  syncOptions?: string[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  resources?: SyncOperationResource[];
}

/** `v1alpha1Operation` @public */
export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: Array<{ name?: string; value?: string }>;
  retry?: Record<string, unknown>;
}

/** `v1alpha1ResourceResult` @public */
export interface ResourceResult {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  message?: string;
  hookPhase?: string;
  hookType?: string;
  syncPhase?: string;
  images?: string[];
}

/** `v1alpha1SyncOperationResult` @public */
export interface SyncOperationResult {
  revision?: string;
  revisions?: string[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  resources?: ResourceResult[];
}

/** `v1alpha1OperationState` @public */
export interface OperationState {
  operation?: Operation;
  phase?: ArgoCdOperationPhase;
  message?: string;
  syncResult?: SyncOperationResult;
  startedAt?: string;
  finishedAt?: string;
  retryCount?: number;
}

/** `applicationv1alpha1ResourceStatus`: a managed resource in `status.resources`. @public */
export interface ResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: ArgoCdSyncStatusCode;
  health?: HealthStatus;
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
}

/** `v1alpha1ApplicationCondition` @public */
export interface ApplicationCondition {
  type?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** `v1alpha1ApplicationStatus` @public */
export interface ApplicationStatus {
  sync?: SyncStatus;
  health?: HealthStatus;
  history?: RevisionHistory[];
  operationState?: OperationState;
  conditions?: ApplicationCondition[];
  resources?: ResourceStatus[];
  reconciledAt?: string;
  sourceType?: string;
  sourceTypes?: string[];
  summary?: { externalURLs?: string[]; images?: string[] };
}

/** `v1alpha1Application` @public */
export interface Application {
  metadata: ObjectMeta & { name: string };
  spec: ApplicationSpec;
  status?: ApplicationStatus;
  /** Set while an operation is requested or running. */
  operation?: Operation;
}

/** `v1alpha1ResourceRef` @public */
export interface ResourceRef {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

/** `v1alpha1ResourceNode`: a live resource in the application's tree. @public */
export interface ResourceNode extends ResourceRef {
  parentRefs?: ResourceRef[];
  info?: Array<{ name?: string; value?: string }>;
  health?: HealthStatus;
  images?: string[];
  resourceVersion?: string;
  createdAt?: string;
  networkingInfo?: {
    externalURLs?: string[];
    labels?: Record<string, string>;
    targetLabels?: Record<string, string>;
    targetRefs?: ResourceRef[];
  };
}

/** `v1alpha1ApplicationTree` @public */
export interface ResourceTree {
  nodes: ResourceNode[];
  orphanedNodes?: ResourceNode[];
  hosts?: Array<Record<string, unknown>>;
}

/** `v1alpha1RevisionMetadata`: commit metadata of a Git revision. @public */
export interface RevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
  signatureInfo?: string;
  references?: Array<Record<string, unknown>>;
}

/** `v1alpha1SyncOperationResource` @public */
export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Identifies one live resource of an application. @public */
export interface ResourceIdentifier {
  namespace: string;
  resourceName: string;
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
}

/** A live Kubernetes object as returned by Argo CD's resource endpoint. @public */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Argo Rollouts phase; Argo CD reports `Paused` as health `Suspended`. @public */
export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

/** @public */
export type RolloutPauseReason =
  | 'CanaryPauseStep'
  | 'BlueGreenPause'
  | 'InconclusiveAnalysisRun'
  | 'InconclusiveExperiment'
  | 'PausedStepPlugin';

/** The status fields of an Argo Rollouts `Rollout` that Praevisio reads. @public */
export interface RolloutStatus {
  phase?: RolloutPhase;
  message?: string;
  abort?: boolean;
  abortedAt?: string;
  controllerPause?: boolean;
  pauseConditions?: Array<{ reason: RolloutPauseReason; startTime: string }>;
  currentStepIndex?: number;
  currentPodHash?: string;
  stableRS?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: string;
  promoteFull?: boolean;
  canary?: {
    currentStepAnalysisRunStatus?: AnalysisRunStatusRef;
    currentBackgroundAnalysisRunStatus?: AnalysisRunStatusRef;
    weights?: {
      canary?: {
        weight?: number;
        podTemplateHash?: string;
        serviceName?: string;
      };
      stable?: {
        weight?: number;
        podTemplateHash?: string;
        serviceName?: string;
      };
    };
  };
  blueGreen?: {
    activeSelector?: string;
    previewSelector?: string;
    prePromotionAnalysisRunStatus?: AnalysisRunStatusRef;
    postPromotionAnalysisRunStatus?: AnalysisRunStatusRef;
  };
  conditions?: Array<{
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
    lastUpdateTime?: string;
  }>;
}

/** @public */
export interface AnalysisRunStatusRef {
  name?: string;
  status?: string;
  message?: string;
}

/** An Argo Rollouts `Rollout` object. @public */
export interface Rollout extends KubernetesObject {
  kind?: 'Rollout';
  spec?: {
    replicas?: number;
    strategy?: {
      canary?: { steps?: Array<Record<string, unknown>> } & Record<
        string,
        unknown
      >;
      blueGreen?: Record<string, unknown>;
    };
  } & Record<string, unknown>;
  status?: RolloutStatus & Record<string, unknown>;
}

/** Built-in Argo CD resource actions for Rollouts. @public */
export type RolloutAction =
  | 'resume'
  | 'promote-full'
  | 'abort'
  | 'retry'
  | 'restart'
  | 'pause'
  | 'skip-current-step';
