import { classifyMetric } from './classify';
import { DEFAULT_CONFIDENCE_LEVEL, DEFAULT_TOLERANCE } from './parseConfig';
import type { CanaryMetricConfig, MetricClassificationLabel } from './types';

function now(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
}

/** Deterministic pseudo-random numbers (mulberry32), so benchmarks repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Latency-like samples: a log-normal-ish body around `center`, rounded to
 * `resolution` (1/n for a whole n; default 0.1 ms, about 800 distinct values
 * in 10,000), or not rounded at all (`resolution` 0: all values distinct).
 */
export function syntheticSamples(
  n: number,
  center: number,
  seed: number,
  resolution = 0.1,
): number[] {
  const rnd = seededRandom(seed);
  const perUnit = resolution > 0 ? Math.round(1 / resolution) : 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Sum of uniforms ≈ normal; exponentiate for a right tail.
    const z = rnd() + rnd() + rnd() + rnd() - 2;
    const value = center * Math.exp(0.25 * z);
    out[i] = perUnit > 0 ? Math.round(value * perUnit) / perUnit : value;
  }
  return out;
}

/**
 * Performance smoke for `yarn bench`: classifies one metric with `n` samples on
 * each side (canary 5 % slower than baseline) and reports the time. Not a timed
 * assertion. Samples are rounded to 0.1 ms unless `distinct`, where every
 * value differs (no ties: the rank test's slowest case).
 *
 * @public
 */
export function benchJudgeMetric(
  n: number,
  options: { distinct?: boolean } = {},
): {
  samplesPerSide: number;
  elapsedMs: number;
  classification: MetricClassificationLabel;
} {
  const count = Math.max(2, Math.floor(n));
  const resolution = options.distinct ? 0 : 0.1;
  const baseline = syntheticSamples(count, 100, 1, resolution);
  const canary = syntheticSamples(count, 105, 2, resolution);
  const metric: CanaryMetricConfig = {
    name: 'latency',
    groups: ['latency'],
    direction: 'increase',
    nanStrategy: 'remove',
    critical: false,
    mustHaveData: false,
    muted: false,
    effectSize: {
      measure: 'meanRatio',
      allowedIncrease: 1,
      allowedDecrease: 1,
      criticalIncrease: 1,
      criticalDecrease: 1,
    },
  };
  const start = now();
  const r = classifyMetric(metric, baseline, canary, {
    confidenceLevel: DEFAULT_CONFIDENCE_LEVEL,
    tolerance: DEFAULT_TOLERANCE,
  });
  return {
    samplesPerSide: count,
    elapsedMs: now() - start,
    classification: r.classification,
  };
}
