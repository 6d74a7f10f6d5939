/**
 * Types of the canary judge, which follows Kayenta's NetflixACAJudge.
 */

/** Which change of a metric counts as a failure. @public */
export type MetricDirection = 'increase' | 'decrease' | 'either';
/** What to do with missing (null / NaN) samples. @public */
export type NanStrategy = 'remove' | 'replace';
/** Effect size used next to the Mann–Whitney interval. @public */
export type EffectSizeMeasure = 'meanRatio' | 'cles';

/** Per-metric analysis settings (Kayenta `analysisConfigurations.canary`). @public */
export interface CanaryMetricConfig {
  name: string;
  /** Groups the metric is scored in. */
  groups: string[];
  direction: MetricDirection;
  nanStrategy: NanStrategy;
  /** A failure of a critical metric fails the whole canary (score 0). */
  critical: boolean;
  /** No data is a failure (`NodataFailMetric`) rather than `Nodata`. */
  mustHaveData: boolean;
  /** Classified and reported, but scored as a pass and never critical. */
  muted: boolean;
  effectSize: {
    measure: EffectSizeMeasure;
    /** High only when the effect size is ≥ this (default 1.0; 0.5 for CLES). */
    allowedIncrease: number;
    /** Low only when the effect size is ≤ this (default 1.0; 0.5 for CLES). */
    allowedDecrease: number;
    /** A critical metric fails critically on High only when the effect size is ≥ this. */
    criticalIncrease: number;
    /** A critical metric fails critically on Low only when the effect size is ≤ this. */
    criticalDecrease: number;
  };
}

/** Score thresholds of the canary classification. @public */
export interface CanaryThresholds {
  /** Score at or above which the canary passes. */
  pass: number;
  /** Score at or above which (and below `pass`) the canary is marginal. */
  marginal: number;
}

/** A validated canary configuration. @public */
export interface CanaryConfig {
  /** Confidence level of the Mann–Whitney interval (default 0.98). */
  confidenceLevel: number;
  /** Fraction of |estimate| the interval must clear (default 0.25). */
  tolerance: number;
  thresholds: CanaryThresholds;
  /** Percent weights by group; groups without one share the rest equally. */
  groupWeights: Record<string, number>;
  metrics: CanaryMetricConfig[];
}

/** Classification of one metric (Kayenta's labels). @public */
export type MetricClassificationLabel =
  | 'Pass'
  | 'High'
  | 'Low'
  | 'Nodata'
  | 'NodataFailMetric'
  | 'Error';

/** Statistics behind a metric's classification. @public */
export interface MetricStatistics {
  /** Interval for the shift canary − baseline; null when it could not be computed. */
  confidenceInterval: [number, number] | null;
  /** Estimate of the shift canary − baseline; null when it could not be computed. */
  estimate: number | null;
  /** Mean ratio (canary / baseline) or CLES; null when undefined (e.g. a zero mean). */
  effectSize: number | null;
}

/** Result for one metric. @public */
export interface CanaryMetricResult {
  name: string;
  groups: string[];
  classification: MetricClassificationLabel;
  /** True when this metric's result is a critical failure (or a critical metric lacks data). */
  critical: boolean;
  muted: boolean;
  reason?: string;
  statistics: MetricStatistics;
  /** Samples used after NaN handling. */
  counts: { baseline: number; canary: number };
}

/** Result for one group. @public */
export interface CanaryGroupResult {
  name: string;
  /** 100 × Pass / (Pass + High + Low + NodataFailMetric); 0 when that is empty. */
  score: number;
  /** No metric of the group had a scoring classification. */
  noData: boolean;
}

/** Overall classification. @public */
export type CanaryClassification = 'Pass' | 'Marginal' | 'Fail';

/** Result of {@link judgeCanary}. @public */
export interface CanaryJudgement {
  /** 0–100, rounded to two decimals as Kayenta does. */
  score: number;
  classification: CanaryClassification;
  /** Why the score was forced to 0, if it was. */
  reason?: string;
  groups: CanaryGroupResult[];
  metrics: CanaryMetricResult[];
}

/** Samples per metric name; `null` (or NaN) is a missing sample. @public */
export type CanarySamples = Readonly<
  Record<string, ReadonlyArray<number | null> | undefined>
>;

/** Decision a rollout takes on a canary result (as Argo Rollouts). @public */
export type CanaryDecision = 'promote' | 'pause' | 'abort';
