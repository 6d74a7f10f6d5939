import { uniroot } from './brent';
import { qnorm } from './normal';

/** Result of {@link mannWhitneyTest}. @public */
export interface MannWhitneyResult {
  /** R's `W`: rank sum of `x` minus nx(nx+1)/2 (with mid-ranks for ties). */
  statistic: number;
  /** Standardized statistic with tie and continuity corrections. */
  z: number;
  /** Two-sided confidence interval for the location shift x − y. */
  confidenceInterval: [number, number];
  /** Hodges–Lehmann-type estimate of the location shift x − y. */
  estimate: number;
}

/** Thrown when the test cannot be computed (e.g. every observation tied). @public */
export class MannWhitneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MannWhitneyError';
  }
}

/** A sorted sample as its distinct values and how often each occurs. */
interface Runs {
  values: Float64Array;
  counts: Float64Array;
  /** `before[k]`: how many observations are smaller than `values[k]`; `before[length]` = n. */
  before: Float64Array;
  /** Σ (c³ − c) over the values: R's tie term for this sample alone. */
  tieSum: number;
}

function runsOf(sorted: Float64Array): Runs {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  const before = new Float64Array(values.length + 1);
  let tieSum = 0;
  for (let k = 0; k < values.length; k++) {
    before[k + 1] = before[k] + counts[k];
    tieSum += counts[k] * counts[k] * counts[k] - counts[k];
  }
  return {
    values: Float64Array.from(values),
    counts: Float64Array.from(counts),
    before,
    tieSum,
  };
}

/**
 * The two samples, sorted once. Shifting `x` by a constant keeps it sorted, so
 * the ranks of `c(x - d, y)` come from one linear merge: O(n) per evaluation
 * after an O(n log n) sort, and the n² Walsh differences are never formed.
 * The merge walks distinct values with their counts, so tied data (rounded
 * latencies, error counts that are mostly 0) cost in proportion to the
 * number of distinct values, not of observations.
 */
export class RankSumShift {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly nx: number;
  readonly ny: number;
  private readonly xRuns: Runs;
  private readonly yRuns: Runs;
  /** Set by {@link RankSumShift.eval}: rank sum of x − d, and Σ(t³ − t) over tie groups. */
  rankSumX = 0;
  tieSum = 0;

  /** `sorted`: both inputs are Float64Arrays already in ascending order (they are used as they are). */
  constructor(x: ArrayLike<number>, y: ArrayLike<number>, sorted = false) {
    this.xs =
      sorted && x instanceof Float64Array ? x : Float64Array.from(x).sort();
    this.ys =
      sorted && y instanceof Float64Array ? y : Float64Array.from(y).sort();
    this.nx = this.xs.length;
    this.ny = this.ys.length;
    this.xRuns = runsOf(this.xs);
    this.yRuns = runsOf(this.ys);
  }

  /**
   * Ranks `c(x - d, y)` with average ranks for ties, as R's `rank`, on the
   * shifted values as doubles: distinct x values that round to the same
   * `x - d` tie, as they do in R.
   *
   * The rank sum of x is nx(nx+1)/2 plus, for each x, the number of y below
   * it and half the number of y equal to it. Tie groups of y alone do not
   * change with d; a group only changes where x − d meets it. Every partial
   * sum is a multiple of ½ far below 2⁵³, so the result is exact.
   */
  eval(d: number): void {
    const { values: xv, counts: xc } = this.xRuns;
    const { values: yv, counts: yc, before: yBefore } = this.yRuns;
    const nux = xv.length;
    const nuy = yv.length;
    let k = 0;
    let m = 0;
    let twiceU = 0;
    let ties = this.yRuns.tieSum;
    while (k < nux) {
      const v = xv[k] - d;
      let cx = xc[k++];
      while (k < nux && xv[k] - d === v) cx += xc[k++];
      while (m < nuy && yv[m] < v) m++;
      if (m < nuy && yv[m] === v) {
        const cy = yc[m];
        const t = cx + cy;
        twiceU += cx * (2 * yBefore[m] + cy);
        ties += t * t * t - t - (cy * cy * cy - cy);
      } else {
        twiceU += 2 * cx * yBefore[m];
        if (cx > 1) ties += cx * cx * cx - cx;
      }
    }
    this.rankSumX = (this.nx * (this.nx + 1)) / 2 + twiceU / 2;
    this.tieSum = ties;
  }

  /**
   * R's `W(d)` inside `wilcox.test.default` (two-sample, normal approximation):
   * the standardized rank-sum statistic of `x - d` against `y`, with the tie
   * correction in the variance and, when `correct`, the continuity correction.
   * Returns NaN when every observation is tied (the variance is 0).
   */
  standardized(d: number, correct: boolean): number {
    this.eval(d);
    const nx = this.nx;
    const ny = this.ny;
    const dz = this.rankSumX - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
    const correction = correct ? Math.sign(dz) * 0.5 : 0;
    const sigma = Math.sqrt(
      ((nx * ny) / 12) *
        (nx + ny + 1 - this.tieSum / ((nx + ny) * (nx + ny - 1))),
    );
    if (sigma === 0) return NaN;
    return (dz - correction) / sigma;
  }
}

/**
 * Two-sample Wilcoxon rank-sum (Mann–Whitney U) test with a confidence interval
 * and estimate of the location shift `x − y`, computed as R's
 * `wilcox.test(x, y, conf.int = TRUE, conf.level, correct, exact = FALSE)`:
 * normal approximation with tie correction (and continuity correction when
 * `correct`, the default), interval end points by `uniroot` (Brent, tol 1e-4)
 * on the standardized statistic against `qnorm(alpha/2)` quantiles, the
 * estimate by `uniroot` at 0 without continuity correction (as R does).
 *
 * Throws {@link MannWhitneyError} for empty samples, non-finite values, or when
 * every observation is tied.
 *
 * @public
 */
export function mannWhitneyTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: {
    confLevel?: number;
    correct?: boolean;
    tol?: number;
    /** Both samples are Float64Arrays sorted ascending; skips a copy and sort. */
    sorted?: boolean;
  } = {},
): MannWhitneyResult {
  const confLevel = options.confLevel ?? 0.95;
  const correct = options.correct ?? true;
  const tol = options.tol ?? 1e-4;
  if (!(confLevel > 0 && confLevel < 1)) {
    throw new MannWhitneyError('confLevel must be a number between 0 and 1');
  }
  if (x.length < 1 || y.length < 1) {
    throw new MannWhitneyError('both samples need at least one observation');
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]))
      throw new MannWhitneyError('x has a non-finite value');
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]))
      throw new MannWhitneyError('y has a non-finite value');
  }
  const s = new RankSumShift(x, y, options.sorted);
  const nx = s.nx;
  const ny = s.ny;

  const z0 = s.standardized(0, correct);
  if (Number.isNaN(z0)) {
    throw new MannWhitneyError(
      'cannot compute confidence interval when all observations are tied',
    );
  }
  const statistic = s.rankSumX - (nx * (nx + 1)) / 2;

  const alpha = 1 - confLevel;
  const mumin = s.xs[0] - s.ys[ny - 1];
  const mumax = s.xs[nx - 1] - s.ys[0];
  const wMin = s.standardized(mumin, correct);
  const wMax = s.standardized(mumax, correct);
  if (Number.isNaN(wMin) || Number.isNaN(wMax)) {
    // R stops here too ("missing value where TRUE/FALSE needed").
    throw new MannWhitneyError(
      'cannot compute confidence interval when all observations are tied',
    );
  }
  const standardizedAt = (d: number) => s.standardized(d, correct);

  const root = (zq: number): number => {
    const fLower = wMin - zq;
    if (fLower <= 0) return mumin;
    const fUpper = wMax - zq;
    if (fUpper >= 0) return mumax;
    return uniroot(d => standardizedAt(d) - zq, mumin, mumax, {
      fLower,
      fUpper,
      tol,
    }).root;
  };
  const lo = root(qnorm(alpha / 2, false));
  const hi = root(qnorm(alpha / 2));

  // R sets correct <- FALSE before the estimate, so it has no continuity correction.
  if (!(mumin < mumax)) {
    throw new MannWhitneyError(
      'cannot estimate the shift: lower < upper is not fulfilled',
    );
  }
  const uncorrectedAt = (d: number) => s.standardized(d, false);
  const estimate = uniroot(uncorrectedAt, mumin, mumax, { tol }).root;

  return { statistic, z: z0, confidenceInterval: [lo, hi], estimate };
}
