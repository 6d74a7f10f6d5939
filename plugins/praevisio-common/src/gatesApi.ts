/**
 * Quality gate and canary analysis API contract (DTOs) between the Praevisio
 * backend and frontend. Served under
 * /api/praevisio/entities/{kind}/{namespace}/{name}/gates/…
 */
import type { CanaryClassification, CanaryJudgement } from './canary/types';
import type { GateResult, IndicatorResult } from './gates/types';

/** One stored quality-gate evaluation; the score is reproducible from it. @public */
export interface GateEvaluationDto {
  id: string;
  entityRef: string;
  environment: string;
  application?: string;
  /** The deployment this evaluation judged, when automatic. */
  deploymentId?: string;
  provider: 'prometheus' | 'keptn';
  /** The configured Prometheus or Keptn instance that answered. */
  providerInstance?: string;
  /** Keptn's context of the evaluation (provider `keptn`): its evidence in Keptn. */
  keptnContext?: string;
  window: { start: string; end: string };
  /** `errored` (provider failure, timeout, missing data) blocks like `fail`. */
  result: GateResult;
  score: number;
  /** Keptn `evaluation.finished` shape: value, baseline (comparedValue), targets, status, points. */
  indicatorResults: IndicatorResult[];
  /** Raw SLI values as the provider answered (null = answered without a value). */
  values: Record<string, number | null>;
  /** Why an SLI has no value (provider error, empty result, NaN…). */
  errors: Record<string, string>;
  /** Earlier evaluations used as the comparison baseline, newest first. */
  comparedEvaluationIds: string[];
  /** Where the slo.yaml was read from. */
  sloLocation?: string;
  trigger: 'manual' | 'automatic';
  triggeredBy: string;
  createdAt: string;
  override?: {
    /** What the gate counts as after the override. */
    result: 'pass';
    reason: string;
    by: string;
    at: string;
  };
  message?: string;
}

/** One metric's samples summarised for display, with the judge's verdict. @public */
export interface CanaryMetricDto {
  name: string;
  classification: CanaryJudgement['metrics'][number]['classification'];
  critical: boolean;
  baseline: { count: number; mean?: number };
  canary: { count: number; mean?: number };
  statistics: CanaryJudgement['metrics'][number]['statistics'];
}

/** One stored canary analysis (Kayenta-style judge on Prometheus samples). @public */
export interface CanaryAnalysisDto {
  id: string;
  entityRef: string;
  environment: string;
  application: string;
  deploymentId?: string;
  window: { start: string; end: string };
  /** pod-template-hash of the stable (baseline) and canary pods. */
  baselineHash?: string;
  canaryHash?: string;
  score: number;
  classification: CanaryClassification;
  reason?: string;
  groups: Array<{ name: string; score: number }>;
  metrics: CanaryMetricDto[];
  createdAt: string;
}

/** What Praevisio decided at a Rollout pause, and why. @public */
export interface GateDecisionDto {
  id: string;
  entityRef: string;
  deploymentId: string;
  application: string;
  environment: string;
  decision: 'promote' | 'abort' | 'pause';
  /** `praevisio` for automatic decisions, else the user's entity ref. */
  decidedBy: string;
  reason: string;
  gateEvaluationId?: string;
  canaryAnalysisId?: string;
  at: string;
  /** The automatic promote/abort failed too often and was given up: a human must act. */
  actionFailed?: { attempts: number; error: string };
}

/** Body of POST …/gates/evaluate. @public */
export interface EvaluateGateRequestDto {
  environment: string;
  application?: string;
  /** ISO 8601; default: `end` minus 5 minutes. */
  start?: string;
  /** ISO 8601; default: now. */
  end?: string;
}

/** Body of POST …/gates/evaluations/{id}/override. @public */
export interface OverrideGateRequestDto {
  /** Written justification, at least 10 characters; audited with high severity. */
  reason: string;
}

/** @public */
export interface GatesOverviewDto {
  evaluations: GateEvaluationDto[];
  canaryAnalyses: CanaryAnalysisDto[];
  decisions: GateDecisionDto[];
}
