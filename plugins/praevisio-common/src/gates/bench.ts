import { parseSloCriterion } from './criteria';
import { evaluateGate } from './evaluate';
import type {
  GateEvaluation,
  PreviousEvaluation,
  SloDocument,
  SloObjective,
} from './types';

function now(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
}

/** Builds a synthetic SLO with `n` objectives, their values and 3 earlier evaluations. */
export function makeBenchGate(n: number): {
  slo: SloDocument;
  values: Record<string, number | null>;
  previous: PreviousEvaluation[];
} {
  const c = {
    abs: parseSloCriterion('<600'),
    rel: parseSloCriterion('<=+10%'),
    delta: parseSloCriterion('<=+5'),
    warn: parseSloCriterion('<=800'),
    low: parseSloCriterion('>=-5%'),
  };
  const objectives: SloObjective[] = [];
  const values: Record<string, number | null> = {};
  const prevResults: Array<{
    value: { metric: string; value: number; success: boolean };
  }> = [];
  for (let i = 0; i < n; i++) {
    const sli = `sli_${i}`;
    const kind = i % 4;
    objectives.push({
      sli,
      displayName: '',
      pass:
        kind === 3
          ? []
          : [
              { criteria: kind === 0 ? [c.abs, c.rel] : [c.delta] },
              { criteria: [c.low] },
            ],
      warning: kind === 3 ? [] : [{ criteria: [c.warn] }],
      weight: 1 + (i % 3),
      keySli: false,
    });
    // Deterministic spread of values around the thresholds.
    values[sli] = i % 97 === 0 ? null : 400 + ((i * 37) % 500);
    prevResults.push({
      value: { metric: sli, value: 450 + ((i * 13) % 300), success: true },
    });
  }
  const slo: SloDocument = {
    filter: {},
    comparison: {
      specified: true,
      compareWith: 'several_results',
      includeResultWithScore: 'pass_or_warn',
      numberOfComparisonResults: 3,
      aggregateFunction: 'p90',
    },
    objectives,
    totalScore: { pass: 90, warning: 75 },
  };
  const previous: PreviousEvaluation[] = [
    { result: 'pass', indicatorResults: prevResults },
    { result: 'fail', indicatorResults: prevResults },
    { result: 'warning', indicatorResults: prevResults },
    { result: 'pass', indicatorResults: prevResults },
  ];
  return { slo, values, previous };
}

/**
 * Performance smoke for `yarn bench`: scores one gate with `n` objectives
 * (criteria parsed beforehand, as `parseSlo` does once per document) and
 * reports the throughput. Not a timed assertion.
 *
 * @public
 */
export function benchScoreObjectives(n: number): {
  objectives: number;
  elapsedMs: number;
  objectivesPerSecond: number;
  result: GateEvaluation['result'];
  score: number;
} {
  const count = Math.max(1, Math.floor(n));
  const input = makeBenchGate(count);
  const start = now();
  const evaluation = evaluateGate(input);
  const elapsedMs = Math.max(now() - start, 1e-3);
  return {
    objectives: count,
    elapsedMs,
    objectivesPerSecond: (count / elapsedMs) * 1000,
    result: evaluation.result,
    score: evaluation.score,
  };
}
