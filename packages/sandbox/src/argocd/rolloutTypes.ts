/** Argo Rollouts types, with field names from the Rollout CRD (argoproj.io/v1alpha1). */

export interface RolloutAnalysis {
  templates: Array<{ templateName: string; clusterScope?: boolean }>;
  args?: Array<{ name: string; value?: string }>;
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: RolloutAnalysis;
  setCanaryScale?: Record<string, unknown>;
  experiment?: Record<string, unknown>;
}

export interface CanaryStrategy {
  steps?: CanaryStep[];
  canaryService?: string;
  stableService?: string;
  /** Present means traffic is shaped by weight, which is what fills `status.canary.weights`. */
  trafficRouting?: Record<string, unknown>;
  maxSurge?: string | number;
  maxUnavailable?: string | number;
}

export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string;
  autoPromotionEnabled?: boolean;
  autoPromotionSeconds?: number;
  scaleDownDelaySeconds?: number;
}

export interface RolloutStrategy {
  canary?: CanaryStrategy;
  blueGreen?: BlueGreenStrategy;
}

export type RolloutPhase = 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';

export type PauseReason =
  | 'CanaryPauseStep'
  | 'BlueGreenPause'
  | 'InconclusiveAnalysisRun'
  | 'InconclusiveExperiment';

export interface RolloutCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  lastUpdateTime: string;
}

export interface WeightDestination {
  weight: number;
  podTemplateHash: string;
  serviceName?: string;
}

export interface AnalysisRunStatus {
  name: string;
  status: 'Running' | 'Successful' | 'Failed';
  message?: string;
}

/** `status` of a Rollout, following the Rollout CRD. */
export interface RolloutStatus {
  HPAReplicas: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  abort?: boolean;
  abortedAt?: string;
  promoteFull?: boolean;
  controllerPause?: boolean;
  restartedAt?: string;
  currentPodHash: string;
  stableRS: string;
  currentStepIndex?: number;
  currentStepHash?: string;
  observedGeneration: string;
  phase: RolloutPhase;
  message: string;
  pauseConditions?: Array<{ reason: PauseReason; startTime: string }>;
  canary: {
    weights?: { canary: WeightDestination; stable: WeightDestination };
    currentStepAnalysisRunStatus?: AnalysisRunStatus;
  };
  blueGreen: { activeSelector?: string; previewSelector?: string };
  conditions: RolloutCondition[];
  selector: string;
}
