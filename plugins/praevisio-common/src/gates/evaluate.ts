import { aggregateBaseline } from './aggregate';
import { compareValue, relativeTarget } from './criteria';
import type {
  EvaluateGateInput,
  GateEvaluation,
  GateResult,
  IndicatorResult,
  IndicatorStatus,
  PreviousEvaluation,
  SliTarget,
  SloCriteriaSet,
  SloDocument,
  SloIncludeResultWithScore,
  SloObjective,
} from './types';

/**
 * Which earlier evaluations make the baseline, exactly as Keptn's lighthouse
 * chooses them: `compare_with: single_result` → 1, `several_results` →
 * `number_of_comparison_results`, and a `comparison` block without
 * `compare_with` → 3. Earlier evaluations are first filtered by their result
 * (`include_result_with_score`), newest first, then the first `count` are used.
 *
 * A caller that loads earlier evaluations from a store can use this to decide
 * how many to fetch.
 *
 * @public
 */
export function comparisonWindow(slo: SloDocument): {
  count: number;
  includeResultWithScore: SloIncludeResultWithScore;
} {
  const c = slo.comparison;
  let count = 3;
  if (c.compareWith === 'single_result') count = 1;
  else if (c.compareWith === 'several_results') {
    count = c.numberOfComparisonResults;
  }
  return { count, includeResultWithScore: c.includeResultWithScore };
}

/** Keptn stores errored evaluations with result "fail"; read them so. */
function normalisedResult(e: PreviousEvaluation): string {
  const r = typeof e?.result === 'string' ? e.result.toLowerCase() : '';
  return r === 'errored' ? 'fail' : r;
}

/**
 * Picks the earlier evaluations that form the baseline (newest first).
 *
 * @public
 */
export function selectComparisonEvaluations(
  slo: SloDocument,
  previous: ReadonlyArray<PreviousEvaluation> | undefined,
): PreviousEvaluation[] {
  if (!previous || previous.length === 0) return [];
  const { count, includeResultWithScore } = comparisonWindow(slo);
  const out: PreviousEvaluation[] = [];
  for (const e of previous) {
    if (out.length >= count) break;
    if (!e) continue;
    const r = normalisedResult(e);
    if (includeResultWithScore === 'pass' && r !== 'pass') continue;
    if (
      includeResultWithScore === 'pass_or_warn' &&
      r !== 'pass' &&
      r !== 'warning'
    ) {
      continue;
    }
    out.push(e);
  }
  return out;
}

/** Successful earlier values per SLI name, in evaluation order. */
function baselineValues(
  selected: ReadonlyArray<PreviousEvaluation>,
): Map<string, number[]> {
  const byMetric = new Map<string, number[]>();
  for (const e of selected) {
    // An errored evaluation holds a slot (as in Keptn) but no usable values.
    if (typeof e.result === 'string' && e.result.toLowerCase() === 'errored') {
      continue;
    }
    const results = e.indicatorResults;
    if (!results) continue;
    for (const ir of results) {
      const v = ir?.value;
      if (!v || v.success !== true || typeof v.metric !== 'string') continue;
      if (typeof v.value !== 'number' || !Number.isFinite(v.value)) continue;
      const list = byMetric.get(v.metric);
      if (list) list.push(v.value);
      else byMetric.set(v.metric, [v.value]);
    }
  }
  return byMetric;
}

interface SetOutcome {
  satisfied: boolean;
}

/**
 * Evaluates OR-combined criteria sets (each an AND of criteria) and appends
 * every evaluated target, as Keptn's `evaluateOrCombinedCriteria` does: all sets
 * are evaluated, so all violations are reported.
 */
function evaluateSets(
  sets: ReadonlyArray<SloCriteriaSet>,
  measured: number | undefined,
  baseline: number | undefined,
  targets: SliTarget[],
): SetOutcome {
  let any = false;
  for (const set of sets) {
    let all = true;
    for (const c of set.criteria) {
      let ok: boolean;
      let targetValue = 0;
      if (measured === undefined) {
        // Keptn: an unsuccessful SLI value violates every criterion.
        ok = false;
      } else if (!c.relative) {
        targetValue = c.value;
        ok = compareValue(measured, c.operator, targetValue);
      } else if (baseline === undefined) {
        // Keptn: no usable baseline, so a relative criterion holds.
        ok = true;
      } else {
        targetValue = relativeTarget(c, baseline);
        ok = compareValue(measured, c.operator, targetValue);
      }
      targets.push({ criteria: c.raw, targetValue, violated: !ok });
      if (!ok) all = false;
    }
    if (all) any = true;
  }
  return { satisfied: any };
}

function hasCriteria(o: SloObjective): boolean {
  for (const s of o.pass) if (s.criteria.length > 0) return true;
  for (const s of o.warning) if (s.criteria.length > 0) return true;
  return false;
}

function evaluateObjective(
  o: SloObjective,
  present: boolean,
  raw: number | null | undefined,
  previousValues: number[] | undefined,
  slo: SloDocument,
): IndicatorResult {
  const base = { displayName: o.displayName, keySli: o.keySli };
  if (!present) {
    return {
      ...base,
      status: 'fail',
      score: 0,
      value: {
        metric: o.sli,
        value: 0,
        comparedValue: 0,
        success: false,
        message: 'no value received from SLI provider',
      },
      passTargets: null,
      warningTargets: null,
    };
  }
  const success = typeof raw === 'number' && Number.isFinite(raw);
  const measured = success ? (raw as number) : undefined;

  // Keptn computes the compared value whenever a criterion is evaluated on a
  // successful value; it stays 0 when there is no usable baseline.
  let baseline: number | undefined;
  if (
    success &&
    previousValues &&
    previousValues.length > 0 &&
    hasCriteria(o)
  ) {
    baseline = aggregateBaseline(
      previousValues,
      slo.comparison.aggregateFunction,
    );
  }

  const passTargets: SliTarget[] = [];
  const warningTargets: SliTarget[] = [];
  let status: IndicatorStatus;
  let score = 0;
  let isPassed = true;
  if (o.pass.length > 0) {
    isPassed = evaluateSets(o.pass, measured, baseline, passTargets).satisfied;
    status = isPassed ? 'pass' : 'fail';
    if (isPassed) score = o.weight;
  } else {
    status = 'info';
  }
  if (o.warning.length > 0) {
    // Keptn (0.8+) evaluates the warning criteria even when pass holds, to report them.
    const isWarning = evaluateSets(
      o.warning,
      measured,
      baseline,
      warningTargets,
    ).satisfied;
    if (!isPassed && isWarning) {
      status = 'warning';
      score = 0.5 * o.weight;
    }
  }
  if (!success) {
    // A missing value scores 0 with status fail, whatever the objective's kind.
    status = 'fail';
    score = 0;
  }
  return {
    ...base,
    status,
    score,
    value: {
      metric: o.sli,
      value: measured ?? 0,
      comparedValue: baseline ?? 0,
      success,
      ...(success
        ? {}
        : {
            message:
              raw === null || raw === undefined
                ? 'SLI provider returned no value'
                : `SLI provider returned a non-finite value (${String(raw)})`,
          }),
    },
    passTargets: passTargets.length > 0 ? passTargets : null,
    warningTargets: warningTargets.length > 0 ? warningTargets : null,
  };
}

/**
 * Evaluates a quality gate the way Keptn's lighthouse-service does
 * (`evaluateObjectives` and `calculateScore`):
 *
 * - objective without `pass` criteria: informational (`info`), not in the maximum;
 * - pass criteria hold: full weight; else warning criteria hold: half weight; else 0;
 * - a missing value (absent, `null`, non-finite) scores 0 with status `fail`;
 * - score = 100 × Σ scores / Σ weights of objectives with pass criteria;
 * - `pass` if score ≥ total_score.pass, `warning` if ≥ total_score.warning, else `fail`;
 *   a failed `key_sli` objective forces `fail`; only informational objectives → `pass`, 100;
 * - `providerError` set → `errored` with score 0 (fail closed, never a pass).
 *
 * Pure and isomorphic: no I/O, no clock, no randomness.
 *
 * @public
 */
export function evaluateGate(input: EvaluateGateInput): GateEvaluation {
  const { slo, values } = input;
  const selected = selectComparisonEvaluations(slo, input.previous);
  const prev = baselineValues(selected);

  const indicatorResults: IndicatorResult[] = new Array(slo.objectives.length);
  let maximum = 0;
  let total = 0;
  let keySliFailed: string | undefined;
  for (let i = 0; i < slo.objectives.length; i++) {
    const o = slo.objectives[i];
    if (o.pass.length > 0) maximum += o.weight;
    const present =
      Object.prototype.hasOwnProperty.call(values, o.sli) &&
      values[o.sli] !== undefined;
    const r = evaluateObjective(
      o,
      present,
      values[o.sli],
      prev.get(o.sli),
      slo,
    );
    indicatorResults[i] = r;
    total += r.score;
    if (o.keySli && r.status === 'fail' && keySliFailed === undefined) {
      keySliFailed = o.sli;
    }
  }

  const comparedEvaluations = selected.length;
  if (input.providerError) {
    const detail =
      typeof input.providerError === 'string' && input.providerError
        ? `: ${input.providerError}`
        : '';
    return {
      result: 'errored',
      score: 0,
      indicatorResults,
      message: `SLI provider failed${detail}; the evaluation is errored and blocks promotion`,
      comparedEvaluations,
    };
  }

  if (maximum === 0) {
    // Only informational objectives: Keptn passes with 100.
    return keySliFailed
      ? {
          result: 'fail',
          score: 100,
          indicatorResults,
          message: `key SLI "${keySliFailed}" failed`,
          comparedEvaluations,
        }
      : { result: 'pass', score: 100, indicatorResults, comparedEvaluations };
  }

  const score = 100.0 * (total / maximum);
  const { pass, warning } = slo.totalScore;
  let result: GateResult;
  let message: string | undefined;
  if (score >= pass && !keySliFailed) {
    result = 'pass';
  } else if (warning !== undefined && !keySliFailed && score >= warning) {
    result = 'warning';
  } else {
    result = 'fail';
    message = keySliFailed
      ? `key SLI "${keySliFailed}" failed`
      : `score ${score} is below the ${
          warning !== undefined ? 'warning' : 'pass'
        } target ${warning ?? pass}`;
  }
  return {
    result,
    score,
    indicatorResults,
    ...(message ? { message } : {}),
    comparedEvaluations,
  };
}
