import { MannWhitneyError, RankSumShift, mannWhitneyTest } from './mannWhitney';
import type {
  CanaryMetricConfig,
  CanaryMetricResult,
  MetricClassificationLabel,
  MetricStatistics,
  NanStrategy,
} from './types';

/** Mean as Apache Commons Math's `StatUtils.mean` (Kayenta's): with a correction pass. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const m = sum / n;
  let corr = 0;
  for (let i = 0; i < n; i++) corr += values[i] - m;
  return m + corr / n;
}

/**
 * Kayenta's mean ratio effect size: mean(canary) / mean(baseline), NaN when
 * either mean is 0.
 *
 * @public
 */
export function meanRatio(
  baseline: ArrayLike<number>,
  canary: ArrayLike<number>,
): number {
  const c = mean(baseline);
  const e = mean(canary);
  if (c === 0 || e === 0 || Number.isNaN(c) || Number.isNaN(e)) return NaN;
  return e / c;
}

/**
 * Common-language effect size: the probability that a random canary sample
 * exceeds a random baseline sample, ties counting one half (U / (n·m)).
 *
 * @public
 */
export function cles(
  baseline: ArrayLike<number>,
  canary: ArrayLike<number>,
): number {
  if (baseline.length === 0 || canary.length === 0) return NaN;
  const sorted = isSortedF64(canary) && isSortedF64(baseline);
  const s = new RankSumShift(canary, baseline, sorted);
  s.eval(0);
  const u = s.rankSumX - (s.nx * (s.nx + 1)) / 2;
  return u / (s.nx * s.ny);
}

function isSortedF64(a: ArrayLike<number>): a is Float64Array {
  if (!(a instanceof Float64Array)) return false;
  for (let i = 1; i < a.length; i++) if (!(a[i - 1] <= a[i])) return false;
  return true;
}

/** Applies the NaN strategy: drop missing samples, or read them as 0. */
export function cleanSamples(
  values: ReadonlyArray<number | null | undefined> | undefined,
  strategy: NanStrategy,
): Float64Array {
  if (!values) return new Float64Array(0);
  let n = 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) {
      if (strategy === 'replace') out[n++] = 0;
    } else {
      out[n++] = v;
    }
  }
  return n === out.length ? out : out.slice(0, n);
}

function sameSorted(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const IDENTICAL = 'The Canary and Baseline data are identical';

const NO_STATS: MetricStatistics = {
  confidenceInterval: null,
  estimate: null,
  effectSize: null,
};

/**
 * Classifies one metric as Kayenta's `MannWhitneyClassifier` does, after the
 * NaN handling of `NetflixACAJudge`:
 *
 * 1. no data on either side: `Nodata` (critical when the metric is critical),
 *    `NodataFailMetric` when `mustHaveData` on a non-critical metric, or `Pass`
 *    when NaNs are replaced by 0;
 * 2. identical samples, or one single value on both sides: `Pass`;
 * 3. otherwise the Mann–Whitney interval for canary − baseline at `confidenceLevel`:
 *    `High` when its lower end is above `tolerance × |estimate|` and the effect size is
 *    ≥ `allowedIncrease`; `Low` when its upper end is below `−tolerance × |estimate|` and
 *    the effect size is ≤ `allowedDecrease`; `direction` limits which of the two
 *    counts; an effect size that cannot be computed (zero mean) does not block;
 * 4. a critical metric's High (Low) is a critical failure when the effect size is
 *    ≥ `criticalIncrease` (≤ `criticalDecrease`);
 * 5. a computation failure (e.g. an infinite sample) is `Error`.
 *
 * Muted metrics are classified the same; {@link judgeCanary} scores them as a pass.
 *
 * @public
 */
export function classifyMetric(
  metric: CanaryMetricConfig,
  baselineRaw: ReadonlyArray<number | null> | undefined,
  canaryRaw: ReadonlyArray<number | null> | undefined,
  options: { confidenceLevel: number; tolerance: number },
): CanaryMetricResult {
  const control = cleanSamples(baselineRaw, metric.nanStrategy).sort();
  const experiment = cleanSamples(canaryRaw, metric.nanStrategy).sort();
  const base = {
    name: metric.name,
    groups: metric.groups,
    muted: metric.muted,
    counts: { baseline: control.length, canary: experiment.length },
  };
  const result = (
    classification: MetricClassificationLabel,
    critical: boolean,
    statistics: MetricStatistics,
    reason?: string,
  ): CanaryMetricResult => ({
    ...base,
    classification,
    critical: critical && !metric.muted,
    ...(reason ? { reason } : {}),
    statistics,
  });

  if (experiment.length === 0 || control.length === 0) {
    if (metric.nanStrategy === 'remove') {
      const reason = `Missing data for ${metric.name}`;
      if (metric.mustHaveData && !metric.critical) {
        return result('NodataFailMetric', false, NO_STATS, reason);
      }
      return result('Nodata', metric.critical, NO_STATS, reason);
    }
    return result('Pass', false, NO_STATS);
  }
  // Kayenta's sort puts infinities at the ends; they break the rank test.
  const infinite =
    !Number.isFinite(control[0]) ||
    !Number.isFinite(control[control.length - 1]) ||
    !Number.isFinite(experiment[0]) ||
    !Number.isFinite(experiment[experiment.length - 1]);
  if (infinite) {
    return result(
      'Error',
      metric.critical,
      NO_STATS,
      `Metric Classification Failed: ${metric.name} has infinite samples`,
    );
  }

  const es = metric.effectSize;
  const effect =
    es.measure === 'cles'
      ? cles(control, experiment)
      : meanRatio(control, experiment);
  const effectSize = Number.isNaN(effect) ? null : effect;

  const cMin = control[0];
  const cMax = control[control.length - 1];
  const eMin = experiment[0];
  const eMax = experiment[experiment.length - 1];

  if (cMin === cMax && eMin === eMax && cMin === eMin) {
    // Every observation is the same value: nothing to test.
    return result('Pass', false, { ...NO_STATS, effectSize });
  }

  const identical = sameSorted(control, experiment);
  let interval: [number, number];
  let estimate: number;
  if (cMin === cMax && eMin === eMax) {
    // Two different constants. Kayenta adds Gaussian noise of 1e-5 × the value so
    // that the rank test runs; the samples are then fully separated and the
    // interval collapses onto the difference, which is used here without noise.
    estimate = eMin - cMin;
    interval = [estimate, estimate];
  } else {
    try {
      const mw = mannWhitneyTest(experiment, control, {
        confLevel: options.confidenceLevel,
        sorted: true,
      });
      interval = mw.confidenceInterval;
      estimate = mw.estimate;
    } catch (e) {
      if (!(e instanceof MannWhitneyError) && !(e instanceof RangeError))
        throw e;
      if (identical) {
        return result('Pass', false, { ...NO_STATS, effectSize }, IDENTICAL);
      }
      return result(
        'Error',
        metric.critical,
        { ...NO_STATS, effectSize },
        `Metric Classification Failed: ${(e as Error).message}`,
      );
    }
  }
  const statistics: MetricStatistics = {
    confidenceInterval: interval,
    estimate,
    effectSize,
  };

  if (identical) return result('Pass', false, statistics, IDENTICAL);

  const criticalValue = options.tolerance * Math.abs(estimate);
  const nan = effectSize === null;
  const up = metric.direction === 'increase' || metric.direction === 'either';
  const down = metric.direction === 'decrease' || metric.direction === 'either';
  const isHigh =
    up && interval[0] > criticalValue && (nan || effect >= es.allowedIncrease);
  const isLow =
    down &&
    interval[1] < -criticalValue &&
    (nan || effect <= es.allowedDecrease);

  if (isHigh) {
    const critical = metric.critical && (nan || effect >= es.criticalIncrease);
    return result(
      'High',
      critical,
      statistics,
      `The metric ${metric.name} was classified as High${
        critical ? ' (Critical)' : ''
      }`,
    );
  }
  if (isLow) {
    const critical = metric.critical && (nan || effect <= es.criticalDecrease);
    return result(
      'Low',
      critical,
      statistics,
      `The metric ${metric.name} was classified as Low${
        critical ? ' (Critical)' : ''
      }`,
    );
  }
  return result('Pass', false, statistics);
}
