import { benchJudgeMetric, syntheticSamples } from './bench';
import { CanaryValidationError } from './errors';
import { canaryDecision, judgeCanary, roundScore } from './judge';
import { parseCanaryConfig } from './parseConfig';

const BASE = syntheticSamples(150, 100, 31);
const SAME = syntheticSamples(150, 100, 32);
const UP = syntheticSamples(150, 125, 33);

/** Baseline/canary pairs that classify as Pass, High or no data. */
const pass = { b: BASE, c: SAME };
const high = { b: BASE, c: UP };
const none = { b: BASE, c: [] as number[] };

function run(
  metrics: Array<{
    name: string;
    groups?: string[];
    data: { b: number[]; c: number[] };
    [k: string]: unknown;
  }>,
  extra: Record<string, unknown> = {},
) {
  const baseline: Record<string, number[]> = {};
  const canary: Record<string, number[]> = {};
  for (const m of metrics) {
    baseline[m.name] = m.data.b;
    canary[m.name] = m.data.c;
  }
  return judgeCanary({
    config: {
      thresholds: { pass: 95, marginal: 60 },
      ...extra,
      metrics: metrics.map(({ data: _data, ...m }) => m),
    },
    baseline,
    canary,
  });
}

describe('judgeCanary (Kayenta NetflixACAJudge scoring)', () => {
  it('scores groups as 100 × Pass / (Pass + High + Low + NodataFailMetric) and weighs them', () => {
    const r = run(
      [
        { name: 'p99', groups: ['latency'], data: high },
        { name: 'p50', groups: ['latency'], data: pass },
        { name: 'errors', groups: ['errors'], data: pass },
      ],
      { groupWeights: { latency: 70, errors: 30 } },
    );
    expect(r.metrics.map(m => m.classification)).toEqual([
      'High',
      'Pass',
      'Pass',
    ]);
    expect(r.groups).toEqual([
      { name: 'latency', score: 50, noData: false },
      { name: 'errors', score: 100, noData: false },
    ]);
    expect(r.score).toBe(65);
    expect(r.classification).toBe('Marginal');
  });

  it('lets groups without a weight share what is left of 100 equally', () => {
    const r = run(
      [
        { name: 'a', groups: ['latency'], data: high },
        { name: 'b', groups: ['errors'], data: pass },
        { name: 'c', groups: ['saturation'], data: pass },
      ],
      { groupWeights: { latency: 50 } },
    );
    // 0 × 0.5 + 100 × 0.25 + 100 × 0.25
    expect(r.score).toBe(50);
    expect(r.classification).toBe('Fail');
  });

  it('weighs groups equally without weights and normalises weights that do not sum to 100', () => {
    const metrics = [
      { name: 'a', groups: ['x'], data: high },
      { name: 'b', groups: ['y'], data: pass },
    ];
    expect(run(metrics).score).toBe(50);
    expect(run(metrics, { groupWeights: { x: 1, y: 3 } }).score).toBe(75);
    // A weighted group without metrics does not drag the score down.
    expect(
      run(metrics, { groupWeights: { x: 25, y: 25, unused: 50 } }).score,
    ).toBe(50);
  });

  it('rounds the score to two decimals', () => {
    const r = run([
      { name: 'a', data: high },
      { name: 'b', data: pass },
      { name: 'c', data: pass },
    ]);
    expect(r.groups[0].score).toBeCloseTo(66.6666666, 6);
    expect(r.score).toBe(66.67);
  });

  it('counts NodataFailMetric as a failure and leaves Nodata out of the group score', () => {
    const r = run([
      { name: 'a', data: pass },
      { name: 'b', data: none, mustHaveData: true },
      { name: 'c', data: pass },
      { name: 'd', data: none },
      { name: 'e', data: pass },
    ]);
    expect(r.metrics.map(m => m.classification)).toEqual([
      'Pass',
      'NodataFailMetric',
      'Pass',
      'Nodata',
      'Pass',
    ]);
    expect(r.score).toBe(75);
  });

  it('scores a group without data as 100 in the total (Kayenta)', () => {
    const r = run([
      { name: 'a', groups: ['x'], data: high },
      { name: 'b', groups: ['x'], data: pass },
      { name: 'c', groups: ['y'], data: none },
      { name: 'd', groups: ['x'], data: pass },
    ]);
    expect(r.groups.find(g => g.name === 'y')).toEqual({
      name: 'y',
      score: 0,
      noData: true,
    });
    // x: 66.67, y: no data → 100; equal weights.
    expect(r.score).toBe(83.33);
  });

  it('fails with score 0 when 50 % or more metrics have no data', () => {
    const r = run([
      { name: 'a', data: pass },
      { name: 'b', data: none },
    ]);
    expect(r.score).toBe(0);
    expect(r.classification).toBe('Fail');
    expect(r.reason).toMatch(/50% or more metrics returned NODATA/);
  });

  it('fails with score 0 on any critical failure', () => {
    const r = run([
      { name: 'a', data: pass },
      { name: 'b', data: pass },
      { name: 'c', data: high, critical: true },
    ]);
    expect(r.metrics[2]).toMatchObject({
      classification: 'High',
      critical: true,
    });
    expect(r.score).toBe(0);
    expect(r.classification).toBe('Fail');
    expect(r.reason).toMatch(/^Canary Failed: .*High \(Critical\)/);
  });

  it('fails with score 0 when a critical metric has no data', () => {
    const r = run([
      { name: 'a', data: pass },
      { name: 'b', data: pass },
      { name: 'c', data: none, critical: true },
    ]);
    expect(r.score).toBe(0);
    expect(r.classification).toBe('Fail');
  });

  it('scores a muted metric as a pass (never critical)', () => {
    const r = run([
      { name: 'a', data: pass },
      { name: 'b', data: high, muted: true, critical: true },
    ]);
    expect(r.metrics[1]).toMatchObject({
      classification: 'High',
      muted: true,
      critical: false,
    });
    expect(r.score).toBe(100);
    expect(r.classification).toBe('Pass');
  });

  it('classifies the score against the thresholds', () => {
    const metrics = [
      { name: 'a', data: high },
      { name: 'b', data: pass },
      { name: 'c', data: pass },
      { name: 'd', data: pass },
    ];
    expect(
      run(metrics, { thresholds: { pass: 75, marginal: 50 } }).classification,
    ).toBe('Pass');
    expect(
      run(metrics, { thresholds: { pass: 76, marginal: 75 } }).classification,
    ).toBe('Marginal');
    expect(
      run(metrics, { thresholds: { pass: 90, marginal: 80 } }).classification,
    ).toBe('Fail');
  });

  it('reads a Kayenta-shaped canary config', () => {
    const config = {
      name: 'checkout',
      judge: { name: 'NetflixACAJudge-v1.0' },
      classifier: {
        groupWeights: { latency: 60, errors: 40 },
        scoreThresholds: { pass: 95, marginal: 75 },
      },
      metrics: [
        {
          name: 'p99',
          groups: ['latency'],
          analysisConfigurations: {
            canary: {
              direction: 'increase',
              effectSize: { allowedIncrease: 1.1 },
              critical: false,
            },
          },
        },
        {
          name: 'errors',
          groups: ['errors'],
          analysisConfigurations: {
            canary: { direction: 'increase', nanStrategy: 'replace' },
          },
        },
      ],
    };
    const r = judgeCanary({
      config,
      baseline: { p99: BASE, errors: [null, null, 0, 0] },
      canary: { p99: UP, errors: [null, 0, 0, null] },
    });
    expect(r.metrics.map(m => m.classification)).toEqual(['High', 'Pass']);
    expect(r.score).toBe(40);
    expect(r.classification).toBe('Fail');
  });

  it('validates the samples', () => {
    const config = {
      thresholds: { pass: 90, marginal: 50 },
      metrics: [{ name: 'a' }],
    };
    expect(() =>
      judgeCanary({ config, baseline: { a: [1, '2' as never] }, canary: {} }),
    ).toThrow(expect.objectContaining({ path: 'baseline.a[1]' }));
    expect(() =>
      judgeCanary({ config, baseline: {}, canary: { a: 5 as never } }),
    ).toThrow(CanaryValidationError);
  });
});

describe('parseCanaryConfig', () => {
  const minimal = {
    thresholds: { pass: 90, marginal: 50 },
    metrics: [{ name: 'latency' }],
  };

  it('applies Kayenta defaults', () => {
    const c = parseCanaryConfig(minimal);
    expect(c.confidenceLevel).toBe(0.98);
    expect(c.tolerance).toBe(0.25);
    expect(c.metrics[0]).toEqual({
      name: 'latency',
      groups: ['default'],
      direction: 'either',
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
    });
    const cl = parseCanaryConfig({
      ...minimal,
      metrics: [{ name: 'x', effectSize: { measure: 'cles' } }],
    });
    expect(cl.metrics[0].effectSize.allowedIncrease).toBe(0.5);
  });

  it('is idempotent on its own output', () => {
    const c = parseCanaryConfig({ ...minimal, groupWeights: { default: 100 } });
    expect(parseCanaryConfig(c)).toEqual(c);
  });

  it.each([
    [{ metrics: [{ name: 'a' }] }, 'thresholds', /is required/],
    [
      { thresholds: { pass: 90 }, metrics: [{ name: 'a' }] },
      'thresholds.marginal',
      /is required/,
    ],
    [
      { thresholds: { pass: 50, marginal: 60 }, metrics: [{ name: 'a' }] },
      'thresholds.marginal',
      /above pass/,
    ],
    [
      { thresholds: { pass: 150, marginal: 60 }, metrics: [{ name: 'a' }] },
      'thresholds.pass',
      /between 0 and 100/,
    ],
    [
      {
        classifier: { scoreThresholds: { pass: 'x', marginal: 1 } },
        metrics: [{ name: 'a' }],
      },
      'classifier.scoreThresholds.pass',
      /finite number/,
    ],
    [{ ...minimal, metrics: [] }, 'metrics', /non-empty/],
    [
      { ...minimal, metrics: [{ name: 'a' }, { name: 'a' }] },
      'metrics[1].name',
      /duplicate metric/,
    ],
    [{ ...minimal, metrics: [{}] }, 'metrics[0].name', /is required/],
    [
      { ...minimal, metrics: [{ name: 'a', direction: 'up' }] },
      'metrics[0].direction',
      /increase, decrease, either/,
    ],
    [
      { ...minimal, metrics: [{ name: 'a', nanStrategy: 'zero' }] },
      'metrics[0].nanStrategy',
      /remove, replace/,
    ],
    [
      { ...minimal, metrics: [{ name: 'a', critical: 'yes' }] },
      'metrics[0].critical',
      /true or false/,
    ],
    [
      { ...minimal, metrics: [{ name: 'a', groups: [] }] },
      'metrics[0].groups',
      /non-empty/,
    ],
    [
      {
        ...minimal,
        metrics: [
          { name: 'a' },
          { name: 'b', effectSize: { allowedIncrease: '1.2' } },
        ],
      },
      'metrics[1].effectSize.allowedIncrease',
      /finite number/,
    ],
    [
      {
        ...minimal,
        metrics: [
          {
            name: 'a',
            analysisConfigurations: {
              canary: { effectSize: { measure: 'cohen' } },
            },
          },
        ],
      },
      'metrics[0].analysisConfigurations.canary.effectSize.measure',
      /meanRatio, cles/,
    ],
    [
      {
        ...minimal,
        metrics: [
          { name: 'a', effectSize: { measure: 'cles', allowedIncrease: 1.5 } },
        ],
      },
      'metrics[0].effectSize.allowedIncrease',
      /between 0 and 1/,
    ],
    [
      { ...minimal, groupWeights: { default: -1 } },
      'groupWeights.default',
      /≥ 0/,
    ],
    [
      {
        ...minimal,
        metrics: [
          { name: 'a', groups: ['x'] },
          { name: 'b', groups: ['y'] },
        ],
        groupWeights: { x: 120 },
      },
      'groupWeights',
      /leaving nothing/,
    ],
    [{ ...minimal, confidenceLevel: 1 }, 'confidenceLevel', /between 0 and 1/],
    [{ ...minimal, tolerance: -0.1 }, 'tolerance', /≥ 0/],
    [[], '', /must be an object/],
  ])('rejects %j at %s', (input, path, reason) => {
    let error: unknown;
    try {
      parseCanaryConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CanaryValidationError);
    expect((error as CanaryValidationError).path).toBe(path);
    expect((error as CanaryValidationError).reason).toMatch(reason);
  });
});

describe('canaryDecision (Argo Rollouts mapping)', () => {
  it('maps Fail → abort, Marginal → pause, Pass → promote', () => {
    expect(canaryDecision('Fail')).toBe('abort');
    expect(canaryDecision('Marginal')).toBe('pause');
    expect(canaryDecision('Pass')).toBe('promote');
    expect(canaryDecision('Pass', { autoPromote: false })).toBe('pause');
  });
});

describe('roundScore (Commons Math MathUtils.round half up)', () => {
  it.each([
    [66.66666666666667, 66.67],
    [83.335, 83.34],
    [12.344999, 12.34],
    [100, 100],
    [0, 0],
    [1e-9, 0],
  ])('%p → %p', (x, expected) => {
    expect(roundScore(x)).toBe(expected);
  });
});

describe('performance smoke', () => {
  it('classifies a metric with 10,000 samples per side (see benchJudgeMetric)', () => {
    benchJudgeMetric(10000); // warm-up
    const r = benchJudgeMetric(10000);
    expect(r.samplesPerSide).toBe(10000);
    expect(r.classification).toBe('High');
    expect(Number.isFinite(r.elapsedMs)).toBe(true);
    const distinct = benchJudgeMetric(10000, { distinct: true });
    expect(distinct.classification).toBe('High');
  });
});
