/**
 * Types of the quality gate engine. The engine follows the Keptn v1
 * lighthouse-service semantics, so an existing Keptn `slo.yaml` scores the
 * same here as under Keptn.
 */

/** Comparison operators of a Keptn criterion string. @public */
export type SloOperator = '<=' | '<' | '=' | '>=' | '>';

/**
 * One parsed criterion string such as `<=+10%`, `<600` or `>=-2`.
 *
 * - `relative: false`: the target is `value` itself.
 * - `relative: true, percent: true`: target = baseline × (100 ± value) / 100.
 * - `relative: true, percent: false`: target = baseline ± value.
 *
 * `increase` is the sign: `true` for `+` (or no sign with `%`), `false` for `-`.
 *
 * @public
 */
export interface SloCriterion {
  /** The criterion as written in the SLO file. */
  raw: string;
  operator: SloOperator;
  /** The magnitude, always ≥ 0 (the sign lives in `increase`). */
  value: number;
  relative: boolean;
  percent: boolean;
  increase: boolean;
}

/** One entry under `pass:` or `warning:`; its criteria are AND-combined. @public */
export interface SloCriteriaSet {
  criteria: SloCriterion[];
}

/** One objective of an SLO document. @public */
export interface SloObjective {
  sli: string;
  /** `displayName` as written; empty string when absent (as Keptn reports it). */
  displayName: string;
  /** Entries are OR-combined. Empty: the objective is informational. */
  pass: SloCriteriaSet[];
  /** Entries are OR-combined. Empty: no warning band. */
  warning: SloCriteriaSet[];
  /** Whole number ≥ 1 (Keptn turns a missing or zero weight into 1). */
  weight: number;
  keySli: boolean;
}

/** Values of `comparison.compare_with`, as Keptn spells them. @public */
export type SloCompareWith = 'single_result' | 'several_results';
/** Values of `comparison.include_result_with_score`. @public */
export type SloIncludeResultWithScore = 'pass' | 'pass_or_warn' | 'all';
/** Values of `comparison.aggregate_function`. @public */
export type SloAggregateFunction = 'avg' | 'p50' | 'p90' | 'p95';

/** The `comparison` block with Keptn's defaults applied. @public */
export interface SloComparison {
  /** Whether the document had a `comparison` block at all. */
  specified: boolean;
  /** `undefined` when the block has no `compare_with` (Keptn then uses 3 results). */
  compareWith?: SloCompareWith;
  includeResultWithScore: SloIncludeResultWithScore;
  /** As written, or Keptn's default (1 without a block, 3 with a block lacking it). */
  numberOfComparisonResults: number;
  aggregateFunction: SloAggregateFunction;
}

/** A parsed, validated Keptn `slo.yaml` (spec 1.0). @public */
export interface SloDocument {
  specVersion?: string;
  filter: Record<string, string>;
  comparison: SloComparison;
  objectives: SloObjective[];
  totalScore: {
    /** Percent, e.g. 90 for `"90%"`. */
    pass: number;
    /** Percent; `undefined` when the document has no warning target. */
    warning?: number;
  };
}

/** Overall outcome of a gate evaluation. @public */
export type GateResult = 'pass' | 'warning' | 'fail' | 'errored';

/** Outcome of one objective. @public */
export type IndicatorStatus = 'pass' | 'warning' | 'fail' | 'info';

/** One evaluated criterion, as in Keptn's `passTargets` / `warningTargets`. @public */
export interface SliTarget {
  criteria: string;
  /** The threshold the value was compared with; 0 when none was computed (as Keptn). */
  targetValue: number;
  violated: boolean;
}

/** The SLI value part of an indicator result (Keptn `SLIResult`). @public */
export interface SliValue {
  metric: string;
  value: number;
  /** The aggregated baseline; 0 when there is none (as Keptn). */
  comparedValue: number;
  success: boolean;
  message?: string;
}

/** One objective's result, as in Keptn's `evaluation.finished` event data. @public */
export interface IndicatorResult {
  displayName: string;
  keySli: boolean;
  status: IndicatorStatus;
  score: number;
  value: SliValue;
  passTargets: SliTarget[] | null;
  warningTargets: SliTarget[] | null;
}

/** Result of {@link evaluateGate}. @public */
export interface GateEvaluation {
  result: GateResult;
  /** 0–100. */
  score: number;
  indicatorResults: IndicatorResult[];
  /** Why the result is what it is, when that is not obvious (errored, key SLI, …). */
  message?: string;
  /** How many previous evaluations were used as the baseline. */
  comparedEvaluations: number;
}

/**
 * The parts of an earlier evaluation that the baseline needs. An earlier
 * {@link GateEvaluation} fits; so does a Keptn `evaluation.finished` `data.evaluation`
 * object with a `result` added.
 *
 * @public
 */
export interface PreviousEvaluation {
  result: string;
  score?: number;
  indicatorResults?: ReadonlyArray<{
    value?: {
      metric?: string;
      value?: number | null;
      success?: boolean;
    } | null;
  } | null> | null;
}

/** Input of {@link evaluateGate}. @public */
export interface EvaluateGateInput {
  slo: SloDocument;
  /**
   * SLI values by SLI name. An absent key means the provider gave no answer for
   * that SLI; `null` (or a non-finite number) means it answered without a value.
   */
  values: Readonly<Record<string, number | null | undefined>>;
  /** Earlier evaluations of the same service and stage, newest first. */
  previous?: ReadonlyArray<PreviousEvaluation>;
  /**
   * Set when the SLI provider failed or timed out. The evaluation is then
   * `errored` (fail closed), whatever the values say. A string is kept as the message.
   */
  providerError?: boolean | string | null;
}
