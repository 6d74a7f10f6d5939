import { classifyMetric } from './classify';
import { CanaryValidationError } from './errors';
import { parseCanaryConfig } from './parseConfig';
import type {
  CanaryClassification,
  CanaryConfig,
  CanaryDecision,
  CanaryGroupResult,
  CanaryJudgement,
  CanaryMetricResult,
  CanarySamples,
  MetricClassificationLabel,
} from './types';

/** Kayenta's WeightedSumScorer: 50 % or more Nodata metrics fail the canary. */
const NODATA_THRESHOLD = 50;

/**
 * Rounds half up to two decimals on the decimal form of the number, as
 * Commons Math `MathUtils.round(x, 2)` (Kayenta's summary score) does.
 */
export function roundScore(x: number): number {
  if (!Number.isFinite(x)) return x;
  const s = String(Math.abs(x));
  if (/e/i.test(s)) return Math.round(x * 100) / 100;
  const [int, frac = ''] = s.split('.');
  if (frac.length <= 2) return x;
  const digits = `${int}${frac.slice(0, 2)}`;
  let n = Number(digits);
  if (frac.charCodeAt(2) >= 53 /* '5' */) n += 1;
  const r = n / 100;
  return x < 0 ? -r : r;
}

function validateSamples(samples: unknown, path: string): CanarySamples {
  if (samples === undefined || samples === null) return {};
  if (typeof samples !== 'object' || Array.isArray(samples)) {
    throw new CanaryValidationError(
      path,
      'must be an object of metric name → list of samples',
    );
  }
  for (const [name, list] of Object.entries(
    samples as Record<string, unknown>,
  )) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new CanaryValidationError(
        `${path}.${name}`,
        'must be a list of numbers (null for a missing sample)',
      );
    }
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v !== null && typeof v !== 'number') {
        throw new CanaryValidationError(
          `${path}.${name}[${i}]`,
          `must be a number or null, got ${typeof v}`,
        );
      }
    }
  }
  return samples as CanarySamples;
}

/** The label a metric counts with in the scores: a muted metric counts as a pass. */
function scoringLabel(m: CanaryMetricResult): MetricClassificationLabel {
  return m.muted ? 'Pass' : m.classification;
}

function groupScores(metrics: CanaryMetricResult[]): CanaryGroupResult[] {
  const counts = new Map<string, { pass: number; total: number }>();
  for (const m of metrics) {
    const label = scoringLabel(m);
    for (const g of m.groups) {
      let c = counts.get(g);
      if (!c) {
        c = { pass: 0, total: 0 };
        counts.set(g, c);
      }
      if (label === 'Pass') {
        c.pass++;
        c.total++;
      } else if (
        label === 'High' ||
        label === 'Low' ||
        label === 'NodataFailMetric'
      ) {
        c.total++;
      }
    }
  }
  return [...counts].map(([name, c]) => ({
    name,
    score: c.total === 0 ? 0 : (c.pass / c.total) * 100,
    noData: c.total === 0,
  }));
}

/**
 * Weighted sum of group scores. Groups with a configured weight use it; the
 * others share what is left of 100 equally; a group without data counts as 100
 * (all as Kayenta). The weights of the groups present are then normalised, so
 * weights that do not add up to 100 still give a 0–100 score.
 */
function summaryScore(
  groups: CanaryGroupResult[],
  weights: Record<string, number>,
): number {
  if (groups.length === 0) return 0;
  const configuredSum = Object.values(weights).reduce((a, b) => a + b, 0);
  const unweighted = groups.filter(g => !(g.name in weights)).length;
  const shared =
    unweighted > 0 ? Math.max(0, 100 - configuredSum) / unweighted : 0;
  let sum = 0;
  let weightSum = 0;
  for (const g of groups) {
    const w = g.name in weights ? weights[g.name] : shared;
    sum += (g.noData ? 100 : g.score) * (w / 100);
    weightSum += w;
  }
  if (weightSum <= 0) {
    // No weight anywhere: plain average.
    return (
      groups.reduce((a, g) => a + (g.noData ? 100 : g.score), 0) / groups.length
    );
  }
  return Math.abs(weightSum - 100) < 1e-9 ? sum : (sum * 100) / weightSum;
}

/**
 * Judges a canary the way Kayenta's NetflixACAJudge does: each configured
 * metric is classified ({@link classifyMetric}); group score = 100 × Pass /
 * (Pass + High + Low + NodataFailMetric); the score is the weighted sum of the
 * group scores, rounded to two decimals; any critical failure, or 50 % or more
 * metrics without data, forces 0 (and `Fail`); otherwise `Pass` at or above
 * `thresholds.pass`, `Marginal` at or above `thresholds.marginal`, else `Fail`.
 *
 * `config` may be a validated {@link CanaryConfig} or raw JSON, which is
 * validated with {@link parseCanaryConfig}. Samples are per metric name; a
 * configured metric without samples has no data.
 *
 * @public
 */
export function judgeCanary(input: {
  config: CanaryConfig | unknown;
  baseline: CanarySamples;
  canary: CanarySamples;
}): CanaryJudgement {
  const config = parseCanaryConfig(input.config);
  const baseline = validateSamples(input.baseline, 'baseline');
  const canary = validateSamples(input.canary, 'canary');
  const options = {
    confidenceLevel: config.confidenceLevel,
    tolerance: config.tolerance,
  };
  const metrics = config.metrics.map(m =>
    classifyMetric(m, baseline[m.name], canary[m.name], options),
  );
  const groups = groupScores(metrics);

  const criticalFailures = metrics.filter(
    m => m.critical && scoringLabel(m) !== 'Pass',
  );
  const nodata = metrics.filter(m => scoringLabel(m) === 'Nodata').length;
  const tooManyNodata = (nodata / metrics.length) * 100 >= NODATA_THRESHOLD;

  let score: number;
  let reason: string | undefined;
  if (criticalFailures.length > 0) {
    score = 0;
    reason = `Canary Failed: ${
      criticalFailures[0].reason ??
      `critical metric ${criticalFailures[0].name} failed`
    }`;
  } else if (tooManyNodata) {
    score = 0;
    reason = `Canary Failed: ${NODATA_THRESHOLD}% or more metrics returned NODATA`;
  } else {
    score = roundScore(summaryScore(groups, config.groupWeights));
  }

  let classification: CanaryClassification;
  if (reason) classification = 'Fail';
  else if (score >= config.thresholds.pass) classification = 'Pass';
  else if (score >= config.thresholds.marginal) classification = 'Marginal';
  else classification = 'Fail';

  return {
    score,
    classification,
    ...(reason ? { reason } : {}),
    groups,
    metrics,
  };
}

/**
 * What a rollout does with a canary classification, as Argo Rollouts does:
 * `Fail` → abort, `Marginal` → pause for a human, `Pass` → promote. With
 * `autoPromote: false` a pass pauses for a human too.
 *
 * @public
 */
export function canaryDecision(
  classification: CanaryClassification,
  options: { autoPromote?: boolean } = {},
): CanaryDecision {
  switch (classification) {
    case 'Pass':
      return options.autoPromote === false ? 'pause' : 'promote';
    case 'Marginal':
      return 'pause';
    default:
      return 'abort';
  }
}
