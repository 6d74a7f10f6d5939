import { syntheticSamples } from './bench';
import { classifyMetric, cles, meanRatio } from './classify';
import type { CanaryMetricConfig } from './types';

const OPTS = { confidenceLevel: 0.98, tolerance: 0.25 };

type MetricOverrides = Partial<Omit<CanaryMetricConfig, 'effectSize'>> & {
  effectSize?: Partial<CanaryMetricConfig['effectSize']>;
};

function metric(over: MetricOverrides = {}): CanaryMetricConfig {
  const { effectSize, ...rest } = over;
  return {
    name: 'latency',
    groups: ['latency'],
    direction: 'either',
    nanStrategy: 'remove',
    critical: false,
    mustHaveData: false,
    muted: false,
    ...rest,
    effectSize: {
      measure: 'meanRatio',
      allowedIncrease: 1,
      allowedDecrease: 1,
      criticalIncrease: 1,
      criticalDecrease: 1,
      ...effectSize,
    },
  };
}

const BASE = syntheticSamples(200, 100, 11);
const UP = syntheticSamples(200, 120, 12); // about 20 % slower
const DOWN = syntheticSamples(200, 80, 13); // about 20 % faster
const SAME = syntheticSamples(200, 100, 14); // same distribution, other draw

describe('classifyMetric (Kayenta MannWhitneyClassifier)', () => {
  it('classifies a clear increase as High, with interval, estimate and mean ratio', () => {
    const r = classifyMetric(metric(), BASE, UP, OPTS);
    expect(r.classification).toBe('High');
    expect(r.critical).toBe(false);
    const { confidenceInterval, estimate, effectSize } = r.statistics;
    expect(confidenceInterval![0]).toBeGreaterThan(0.25 * Math.abs(estimate!));
    expect(estimate).toBeGreaterThan(10);
    expect(effectSize).toBeCloseTo(meanRatio(BASE, UP), 12);
    expect(effectSize!).toBeGreaterThan(1.1);
  });

  it('classifies a clear decrease as Low', () => {
    const r = classifyMetric(metric(), BASE, DOWN, OPTS);
    expect(r.classification).toBe('Low');
    expect(r.statistics.confidenceInterval![1]).toBeLessThan(
      -0.25 * Math.abs(r.statistics.estimate!),
    );
  });

  it('passes samples from the same distribution', () => {
    const r = classifyMetric(metric(), BASE, SAME, OPTS);
    expect(r.classification).toBe('Pass');
    expect(r.statistics.confidenceInterval![0]).toBeLessThan(0);
    expect(r.statistics.confidenceInterval![1]).toBeGreaterThan(0);
  });

  it.each([
    ['increase', 'up', 'High'],
    ['increase', 'down', 'Pass'],
    ['decrease', 'up', 'Pass'],
    ['decrease', 'down', 'Low'],
    ['either', 'up', 'High'],
    ['either', 'down', 'Low'],
  ] as const)(
    'direction %s with the canary %s → %s',
    (direction, move, expected) => {
      const r = classifyMetric(
        metric({ direction }),
        BASE,
        move === 'up' ? UP : DOWN,
        OPTS,
      );
      expect(r.classification).toBe(expected);
    },
  );

  it('needs the effect size beyond allowedIncrease / allowedDecrease', () => {
    const ratio = meanRatio(BASE, UP);
    expect(
      classifyMetric(
        metric({ effectSize: { allowedIncrease: ratio + 0.01 } }),
        BASE,
        UP,
        OPTS,
      ).classification,
    ).toBe('Pass');
    expect(
      classifyMetric(
        metric({ effectSize: { allowedIncrease: ratio - 0.01 } }),
        BASE,
        UP,
        OPTS,
      ).classification,
    ).toBe('High');
    const down = meanRatio(BASE, DOWN);
    expect(
      classifyMetric(
        metric({ effectSize: { allowedDecrease: down - 0.01 } }),
        BASE,
        DOWN,
        OPTS,
      ).classification,
    ).toBe('Pass');
  });

  it('requires the interval to clear tolerance × |estimate| (Kayenta bounds)', () => {
    // A small shift in wide data: the interval clears 0 but not a large tolerance band.
    const base = syntheticSamples(2000, 100, 21);
    const canary = syntheticSamples(2000, 104, 22);
    const strict = classifyMetric(metric(), base, canary, {
      ...OPTS,
      tolerance: 0,
    });
    expect(strict.classification).toBe('High');
    const { confidenceInterval, estimate } = strict.statistics;
    const tolerance = (confidenceInterval![0] / Math.abs(estimate!)) * 1.01;
    expect(tolerance).toBeLessThan(1);
    const lenient = classifyMetric(metric(), base, canary, {
      ...OPTS,
      tolerance,
    });
    expect(lenient.classification).toBe('Pass');
  });

  it('marks a critical High as critical only beyond criticalIncrease', () => {
    const ratio = meanRatio(BASE, UP);
    const critical = classifyMetric(
      metric({
        critical: true,
        effectSize: { criticalIncrease: ratio - 0.01 },
      }),
      BASE,
      UP,
      OPTS,
    );
    expect(critical.classification).toBe('High');
    expect(critical.critical).toBe(true);
    expect(critical.reason).toMatch(/\(Critical\)/);
    const notCritical = classifyMetric(
      metric({ critical: true, effectSize: { criticalIncrease: ratio + 0.5 } }),
      BASE,
      UP,
      OPTS,
    );
    expect(notCritical.classification).toBe('High');
    expect(notCritical.critical).toBe(false);
    const low = classifyMetric(
      metric({ critical: true, effectSize: { criticalDecrease: 0.95 } }),
      BASE,
      DOWN,
      OPTS,
    );
    expect(low.classification).toBe('Low');
    expect(low.critical).toBe(true);
  });

  describe('no data', () => {
    it('is Nodata when a side is empty after removing NaNs', () => {
      const r = classifyMetric(metric(), BASE, [null, NaN, null], OPTS);
      expect(r.classification).toBe('Nodata');
      expect(r.critical).toBe(false);
      expect(r.counts).toEqual({ baseline: 200, canary: 0 });
      expect(r.statistics).toEqual({
        confidenceInterval: null,
        estimate: null,
        effectSize: null,
      });
    });

    it('is a critical Nodata for a critical metric', () => {
      const r = classifyMetric(metric({ critical: true }), [], UP, OPTS);
      expect(r.classification).toBe('Nodata');
      expect(r.critical).toBe(true);
    });

    it('is NodataFailMetric when mustHaveData on a non-critical metric', () => {
      expect(
        classifyMetric(metric({ mustHaveData: true }), undefined, UP, OPTS)
          .classification,
      ).toBe('NodataFailMetric');
      // Critical wins over mustHaveData, as in Kayenta.
      const r = classifyMetric(
        metric({ mustHaveData: true, critical: true }),
        [],
        UP,
        OPTS,
      );
      expect(r.classification).toBe('Nodata');
      expect(r.critical).toBe(true);
    });

    it('passes when NaNs are replaced by zero', () => {
      expect(
        classifyMetric(metric({ nanStrategy: 'replace' }), [], [], OPTS)
          .classification,
      ).toBe('Pass');
      expect(
        classifyMetric(
          metric({ nanStrategy: 'replace' }),
          [null, null],
          [NaN, null],
          OPTS,
        ).classification,
      ).toBe('Pass');
    });

    it('counts replaced NaNs as zeros (errors appearing only in the canary)', () => {
      const baseline = Array.from({ length: 30 }, () => null);
      const canary = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0 ? null : 1 + (i % 4),
      );
      const r = classifyMetric(
        metric({ nanStrategy: 'replace', direction: 'increase' }),
        baseline,
        canary,
        OPTS,
      );
      expect(r.counts).toEqual({ baseline: 30, canary: 30 });
      expect(r.classification).toBe('High');
      // The baseline mean is 0, so the mean ratio is undefined and does not block High.
      expect(r.statistics.effectSize).toBeNull();
    });

    it('removes NaNs before testing', () => {
      const withGaps = [...UP.slice(0, 100), null, NaN, ...UP.slice(100)];
      const r = classifyMetric(metric(), BASE, withGaps, OPTS);
      expect(r.counts.canary).toBe(200);
      expect(r).toEqual(classifyMetric(metric(), BASE, UP, OPTS));
    });
  });

  it('passes identical samples, with estimate 0 and an interval around 0', () => {
    const r = classifyMetric(metric(), BASE, [...BASE].reverse(), OPTS);
    expect(r.classification).toBe('Pass');
    expect(r.reason).toMatch(/identical/);
    expect(Math.abs(r.statistics.estimate!)).toBeLessThan(1e-4);
    expect(r.statistics.confidenceInterval![0]).toBeLessThanOrEqual(0);
    expect(r.statistics.confidenceInterval![1]).toBeGreaterThanOrEqual(0);
    expect(r.statistics.effectSize).toBe(1);
  });

  it('passes when every sample has one value', () => {
    const r = classifyMetric(metric(), [5, 5, 5], [5, 5], OPTS);
    expect(r.classification).toBe('Pass');
    expect(r.statistics.confidenceInterval).toBeNull();
  });

  it('compares two different constants by their difference', () => {
    const r = classifyMetric(
      metric(),
      [100, 100, 100, 100],
      [130, 130, 130],
      OPTS,
    );
    expect(r.classification).toBe('High');
    expect(r.statistics.estimate).toBe(30);
    expect(r.statistics.confidenceInterval).toEqual([30, 30]);
    expect(r.statistics.effectSize).toBeCloseTo(1.3, 12);
  });

  it('is Error for infinite samples (critical when the metric is)', () => {
    const r = classifyMetric(
      metric({ critical: true }),
      [1, 2, Infinity],
      [1, 2, 3],
      OPTS,
    );
    expect(r.classification).toBe('Error');
    expect(r.critical).toBe(true);
    expect(r.reason).toMatch(/infinite/);
  });

  it('classifies a muted metric but never makes it critical', () => {
    const r = classifyMetric(
      metric({ muted: true, critical: true }),
      BASE,
      UP,
      OPTS,
    );
    expect(r.classification).toBe('High');
    expect(r.muted).toBe(true);
    expect(r.critical).toBe(false);
  });

  it('uses CLES with 0.5 as the neutral effect size', () => {
    const clesMetric = metric({
      effectSize: {
        measure: 'cles',
        allowedIncrease: 0.5,
        allowedDecrease: 0.5,
        criticalIncrease: 0.5,
        criticalDecrease: 0.5,
      },
    });
    const high = classifyMetric(clesMetric, BASE, UP, OPTS);
    expect(high.classification).toBe('High');
    expect(high.statistics.effectSize).toBeGreaterThan(0.5);
    expect(high.statistics.effectSize).toBeCloseTo(cles(BASE, UP), 15);
    const strict = classifyMetric(
      metric({
        effectSize: { ...clesMetric.effectSize, allowedIncrease: 0.999 },
      }),
      BASE,
      UP,
      OPTS,
    );
    expect(strict.classification).toBe('Pass');
  });
});

describe('effect sizes', () => {
  it('meanRatio is canary mean / baseline mean, NaN on a zero mean', () => {
    expect(meanRatio([1, 2, 3], [2, 4, 6])).toBe(2);
    expect(meanRatio([0, 0], [1, 2])).toBeNaN();
    expect(meanRatio([1, 2], [0, 0])).toBeNaN();
  });

  it('CLES is P(canary > baseline) with ties counting half', () => {
    expect(cles([1, 2], [3, 4])).toBe(1);
    expect(cles([3, 4], [1, 2])).toBe(0);
    expect(cles([1, 2], [1, 2])).toBe(0.5);
    // pairs: (1,2)>,(1,3)>,(2,2)=,(2,3)> → 3.5 / 4
    expect(cles([1, 2], [2, 3])).toBe(0.875);
  });
});
