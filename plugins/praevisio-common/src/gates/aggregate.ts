import type { SloAggregateFunction } from './types';

/**
 * Percentile as Keptn's lighthouse computes it (`calculatePercentile`): the
 * position is `p × (n + 1)` in the sorted values (1-based), linearly
 * interpolated, clamped to the smallest and largest value.
 *
 * @public
 */
export function keptnPercentile(
  values: ReadonlyArray<number>,
  p: number,
): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const pos = p * (n + 1);
  if (pos < 1) return sorted[0];
  if (pos >= n) return sorted[n - 1];
  const k = Math.floor(pos);
  const lower = sorted[k - 1];
  const upper = sorted[k];
  return lower + (pos - k) * (upper - lower);
}

/** Keptn's `calculateAverage`: plain sum then divide. */
function average(values: ReadonlyArray<number>): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Aggregates baseline values with one of Keptn's aggregate functions.
 *
 * @public
 */
export function aggregateBaseline(
  values: ReadonlyArray<number>,
  fn: SloAggregateFunction,
): number {
  switch (fn) {
    case 'avg':
      return average(values);
    case 'p50':
      return keptnPercentile(values, 0.5);
    case 'p90':
      return keptnPercentile(values, 0.9);
    case 'p95':
      return keptnPercentile(values, 0.95);
    default:
      return 0;
  }
}
