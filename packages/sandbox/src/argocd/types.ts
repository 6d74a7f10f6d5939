/**
 * The subset of Argo CD's v1alpha1 API types the simulator serves. Field names
 * and nesting follow the swagger (`assets/swagger.json`); only the fields we
 * populate are declared.
 */

export type HealthStatusCode =
  | 'Unknown'
  | 'Progressing'
  | 'Healthy'
  | 'Suspended'
  | 'Degraded'
  | 'Missing';

export type SyncStatusCode = 'Unknown' | 'Synced' | 'OutOfSync';

export type OperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Failed'
  | 'Error'
  | 'Succeeded';

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  [extra: string]: unknown;
}

export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  /** Argo CD 3.x only; absent means enabled. */
  enabled?: boolean;
}

export interface RetryStrategy {
  limit?: number;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
}

export interface SyncPolicy {
  automated?: SyncPolicyAutomated | null;
  syncOptions?: string[];
  retry?: RetryStrategy;
}

export interface InfoEntry {
  name: string;
  value: string;
}

export interface ApplicationSpec {
  project: string;
  source?: ApplicationSource;
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy | null;
  revisionHistoryLimit?: number;
  info?: InfoEntry[];
  [extra: string]: unknown;
}

export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface SyncStrategy {
  apply?: { force?: boolean };
  /** Real servers send `{hook: {force}}` flat, not the swagger's nesting. */
  hook?: { force?: boolean; syncStrategyApply?: { force?: boolean } };
}

export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface SyncOperation {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  syncStrategy?: SyncStrategy;
  resources?: SyncOperationResource[];
  source?: ApplicationSource;
  syncOptions?: string[];
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: InfoEntry[];
  retry?: RetryStrategy;
}

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status?: string;
  message?: string;
  hookPhase?: string;
  syncPhase?: string;
}

export interface SyncOperationResult {
  revision: string;
  source?: ApplicationSource;
  resources?: ResourceResult[];
}

export interface OperationState {
  operation: Operation;
  phase: OperationPhase;
  message?: string;
  syncResult?: SyncOperationResult;
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
}

export interface RevisionHistory {
  id: number;
  revision: string;
  deployedAt: string;
  deployStartedAt?: string;
  source: ApplicationSource;
  initiatedBy?: OperationInitiator;
}

export interface HealthStatus {
  status: HealthStatusCode;
  message?: string;
  lastTransitionTime?: string;
}

export interface ResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status: SyncStatusCode;
  health?: HealthStatus;
}

export interface ApplicationStatus {
  resources?: ResourceStatus[];
  sync: {
    status: SyncStatusCode;
    revision?: string;
    comparedTo?: {
      source?: ApplicationSource;
      destination?: ApplicationDestination;
    };
  };
  health: { status: HealthStatusCode; lastTransitionTime?: string };
  history?: RevisionHistory[];
  reconciledAt?: string;
  operationState?: OperationState;
  sourceType?: string;
  summary?: { images?: string[]; externalURLs?: string[] };
  controllerNamespace?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface Application {
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status: ApplicationStatus;
  operation?: Operation;
}

export interface ResourceRef {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface ResourceNode extends ResourceRef {
  version: string;
  uid: string;
  resourceVersion?: string;
  createdAt?: string;
  parentRefs?: ResourceRef[];
  health?: HealthStatus;
  info?: InfoEntry[];
  images?: string[];
  networkingInfo?: {
    labels?: Record<string, string>;
    targetLabels?: Record<string, string>;
    targetRefs?: ResourceRef[];
    externalURLs?: string[];
  };
}

export interface ApplicationTree {
  nodes: ResourceNode[];
}

export interface RevisionMetadata {
  author: string;
  date: string;
  message: string;
  tags?: string[];
}

/** A Kubernetes object as served by `GET .../resource` (JSON in `manifest`). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
