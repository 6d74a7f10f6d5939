import { aggregateBaseline, keptnPercentile } from './aggregate';
import { benchScoreObjectives } from './bench';
import { comparisonWindow, evaluateGate } from './evaluate';
import { parseSlo } from './parseSlo';
import type { GateEvaluation, PreviousEvaluation, SliTarget } from './types';

/** An earlier evaluation with the given result and SLI values (success unless null). */
function prev(
  result: string,
  values: Record<string, number | null>,
): PreviousEvaluation {
  return {
    result,
    indicatorResults: Object.entries(values).map(([metric, value]) => ({
      value: { metric, value: value ?? 0, success: value !== null },
    })),
  };
}

/** SLO from objectives (as in slo.yaml) plus optional comparison and total_score. */
function slo(
  objectives: unknown[],
  extra: { comparison?: unknown; total_score?: unknown } = {},
) {
  return parseSlo(
    JSON.stringify({
      spec_version: '1.0',
      ...(extra.comparison !== undefined
        ? { comparison: extra.comparison }
        : {}),
      objectives,
      total_score: extra.total_score ?? { pass: '90%', warning: '75%' },
    }),
  );
}

const rt = (
  pass: string[][],
  warning?: string[][],
  more: Record<string, unknown> = {},
) => ({
  sli: 'rt',
  pass: pass.map(criteria => ({ criteria })),
  ...(warning ? { warning: warning.map(criteria => ({ criteria })) } : {}),
  ...more,
});

interface Case {
  name: string;
  objectives: unknown[];
  comparison?: unknown;
  total_score?: unknown;
  values: Record<string, number | null>;
  previous?: PreviousEvaluation[];
  result: GateEvaluation['result'];
  score: number;
  /** Checks on the first indicator result. */
  first?: {
    status?: string;
    targets?: Array<[string, number, boolean]>;
    warningTargets?: Array<[string, number, boolean]> | null;
    comparedValue?: number;
  };
}

const CASES: Case[] = [
  {
    name: 'fixed thresholds hold → pass 100',
    objectives: [rt([['<600']]), { sli: 'err', pass: [{ criteria: ['<=1'] }] }],
    values: { rt: 500, err: 0.5 },
    result: 'pass',
    score: 100,
    first: { status: 'pass', targets: [['<600', 600, false]] },
  },
  {
    name: 'relative <=+10%: target = baseline × 110/100',
    objectives: [rt([['<=+10%']])],
    values: { rt: 110 },
    previous: [prev('pass', { rt: 100 })],
    result: 'pass',
    score: 100,
    first: { targets: [['<=+10%', 110, false]], comparedValue: 100 },
  },
  {
    name: 'relative <=+10% violated just above the target',
    objectives: [rt([['<=+10%']])],
    values: { rt: 110.01 },
    previous: [prev('pass', { rt: 100 })],
    result: 'fail',
    score: 0,
    first: { status: 'fail', targets: [['<=+10%', 110, true]] },
  },
  {
    name: 'a plain <=10% means +10%',
    objectives: [rt([['<=10%']])],
    values: { rt: 105 },
    previous: [prev('pass', { rt: 100 })],
    result: 'pass',
    score: 100,
    first: { targets: [['<=10%', 110, false]] },
  },
  {
    name: 'relative <=-5%: target = baseline × 95/100',
    objectives: [rt([['<=-5%']])],
    values: { rt: 191 },
    previous: [prev('pass', { rt: 200 })],
    result: 'fail',
    score: 0,
    first: { targets: [['<=-5%', 190, true]] },
  },
  {
    name: 'absolute delta <=+5 and >=-2 on the baseline',
    objectives: [rt([['<=+5', '>=-2']])],
    values: { rt: 104 },
    previous: [prev('pass', { rt: 100 })],
    result: 'pass',
    score: 100,
    first: {
      targets: [
        ['<=+5', 105, false],
        ['>=-2', 98, false],
      ],
    },
  },
  {
    name: 'no earlier evaluation: relative criteria hold, target 0, compared 0 (Keptn)',
    objectives: [rt([['<=+10%', '<600']])],
    values: { rt: 599 },
    result: 'pass',
    score: 100,
    first: {
      targets: [
        ['<=+10%', 0, false],
        ['<600', 600, false],
      ],
      comparedValue: 0,
    },
  },
  {
    name: 'earlier value unsuccessful: no usable baseline, relative criteria hold',
    objectives: [rt([['<=+10%']])],
    values: { rt: 1000 },
    previous: [prev('pass', { rt: null })],
    result: 'pass',
    score: 100,
    first: { targets: [['<=+10%', 0, false]], comparedValue: 0 },
  },
  {
    name: 'criteria in one list are AND-combined',
    objectives: [rt([['<600', '<=+10%']])],
    values: { rt: 500 },
    previous: [prev('pass', { rt: 400 })],
    result: 'fail',
    score: 0,
    first: {
      status: 'fail',
      targets: [
        ['<600', 600, false],
        ['<=+10%', 440, true],
      ],
    },
  },
  {
    name: 'separate criteria entries are OR-combined (all still reported)',
    objectives: [rt([['<100'], ['<=+10%']])],
    values: { rt: 105 },
    previous: [prev('pass', { rt: 100 })],
    result: 'pass',
    score: 100,
    first: {
      status: 'pass',
      targets: [
        ['<100', 100, true],
        ['<=+10%', 110, false],
      ],
    },
  },
  {
    name: 'warning criteria give half the weight',
    objectives: [
      rt([['<=+10%']], [['<=+20%']], { weight: 2 }),
      { sli: 'err', pass: [{ criteria: ['<1'] }] },
    ],
    values: { rt: 115, err: 0 },
    previous: [prev('pass', { rt: 100, err: 0 })],
    // (0.5 × 2 + 1) / 3
    result: 'fail',
    score: (100 * 2) / 3,
    first: {
      status: 'warning',
      targets: [['<=+10%', 110, true]],
      warningTargets: [['<=+20%', 120, false]],
    },
  },
  {
    name: 'warning criteria are evaluated and reported even when pass holds',
    objectives: [rt([['<600']], [['<800']])],
    values: { rt: 500 },
    result: 'pass',
    score: 100,
    first: { status: 'pass', warningTargets: [['<800', 800, false]] },
  },
  {
    name: 'total score between warning and pass → warning',
    objectives: [
      { sli: 'a', pass: [{ criteria: ['<1'] }] },
      { sli: 'b', pass: [{ criteria: ['<1'] }] },
      { sli: 'c', pass: [{ criteria: ['<1'] }] },
      {
        sli: 'd',
        pass: [{ criteria: ['<1'] }],
        warning: [{ criteria: ['<2'] }],
      },
    ],
    values: { a: 0, b: 0, c: 0, d: 1.5 },
    result: 'warning',
    score: 87.5,
  },
  {
    name: 'below the warning target → fail',
    objectives: [
      { sli: 'a', pass: [{ criteria: ['<1'] }] },
      { sli: 'b', pass: [{ criteria: ['<1'] }] },
    ],
    values: { a: 0, b: 5 },
    result: 'fail',
    score: 50,
  },
  {
    name: 'without a warning target a score below pass fails',
    objectives: [
      { sli: 'a', pass: [{ criteria: ['<1'] }] },
      {
        sli: 'b',
        pass: [{ criteria: ['<1'] }],
        warning: [{ criteria: ['<9'] }],
      },
    ],
    total_score: { pass: '90%' },
    values: { a: 0, b: 5 },
    result: 'fail',
    score: 75,
  },
  {
    name: 'a failed key_sli forces fail whatever the score',
    objectives: [
      { sli: 'key', key_sli: true, pass: [{ criteria: ['<1'] }] },
      ...Array.from({ length: 19 }, (_, i) => ({
        sli: `s${i}`,
        pass: [{ criteria: ['<1'] }],
      })),
    ],
    values: {
      key: 3,
      ...Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`s${i}`, 0])),
    },
    result: 'fail',
    score: 95,
    first: { status: 'fail' },
  },
  {
    name: 'a key_sli in its warning band does not force fail',
    objectives: [
      {
        sli: 'key',
        key_sli: true,
        pass: [{ criteria: ['<1'] }],
        warning: [{ criteria: ['<5'] }],
      },
      ...Array.from({ length: 9 }, (_, i) => ({
        sli: `s${i}`,
        pass: [{ criteria: ['<1'] }],
      })),
    ],
    values: {
      key: 3,
      ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`s${i}`, 0])),
    },
    result: 'pass',
    score: 95,
    first: { status: 'warning' },
  },
  {
    name: 'only informational objectives → pass, 100',
    objectives: [
      { sli: 'cpu' },
      { sli: 'mem', warning: [{ criteria: ['<1'] }] },
    ],
    values: { cpu: 99, mem: 5 },
    result: 'pass',
    score: 100,
    first: {
      status: 'info',
      targets: [],
      warningTargets: null,
      comparedValue: 0,
    },
  },
  {
    name: 'informational objectives are left out of the maximum',
    objectives: [{ sli: 'cpu' }, { sli: 'a', pass: [{ criteria: ['<1'] }] }],
    values: { cpu: 99, a: 0 },
    result: 'pass',
    score: 100,
  },
  {
    name: 'an SLI without answer scores 0 with status fail',
    objectives: [rt([['<600']]), { sli: 'err', pass: [{ criteria: ['<1'] }] }],
    values: { err: 0 },
    result: 'fail',
    score: 50,
    first: {
      status: 'fail',
      targets: [],
      warningTargets: null,
      comparedValue: 0,
    },
  },
  {
    name: 'an SLI answered without value (null) violates every criterion',
    objectives: [
      rt([['<600']], [['<800']]),
      { sli: 'err', pass: [{ criteria: ['<1'] }] },
    ],
    values: { rt: null, err: 0 },
    result: 'fail',
    score: 50,
    first: {
      status: 'fail',
      targets: [['<600', 0, true]],
      warningTargets: [['<800', 0, true]],
    },
  },
  {
    name: 'an informational SLI without value is a fail too (and still outside the maximum)',
    objectives: [{ sli: 'cpu' }, { sli: 'a', pass: [{ criteria: ['<1'] }] }],
    values: { cpu: null, a: 0 },
    result: 'pass',
    score: 100,
    first: { status: 'fail' },
  },
  {
    name: '= is exact equality (absolute)',
    objectives: [{ sli: 'restarts', pass: [{ criteria: ['=0'] }] }],
    values: { restarts: 0 },
    result: 'pass',
    score: 100,
  },
  {
    name: '= is exact equality (0.0001 ≠ 0)',
    objectives: [{ sli: 'restarts', pass: [{ criteria: ['=0'] }] }],
    values: { restarts: 0.0001 },
    result: 'fail',
    score: 0,
  },
  {
    name: '= with a delta compares with baseline + delta (Keptn: 11 = avg(10,10) + 1)',
    objectives: [rt([['=+1']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
    },
    values: { rt: 11 },
    previous: [prev('pass', { rt: 10 }), prev('pass', { rt: 10 })],
    result: 'pass',
    score: 100,
    first: { targets: [['=+1', 11, false]] },
  },
  {
    name: 'Keptn: 10 >= p50(10, 5) − 10 % holds',
    objectives: [rt([['>=-10%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
      aggregate_function: 'p50',
    },
    values: { rt: 10 },
    previous: [prev('pass', { rt: 10 }), prev('pass', { rt: 5 })],
    result: 'pass',
    score: 100,
    // p50 of [5, 10]: position 1.5 → 7.5; × 0.9
    first: { targets: [['>=-10%', 6.75, false]], comparedValue: 7.5 },
  },
  {
    name: 'no comparison block: only the newest earlier evaluation, averaged',
    objectives: [rt([['<=+0%']])],
    values: { rt: 100 },
    previous: [prev('pass', { rt: 100 }), prev('pass', { rt: 1000 })],
    result: 'pass',
    score: 100,
    first: { comparedValue: 100 },
  },
  {
    name: 'comparison block without compare_with: the 3 newest',
    objectives: [rt([['<=+0%']])],
    comparison: { aggregate_function: 'avg', number_of_comparison_results: 5 },
    values: { rt: 200 },
    previous: [
      prev('pass', { rt: 100 }),
      prev('pass', { rt: 200 }),
      prev('pass', { rt: 300 }),
      prev('pass', { rt: 400 }),
    ],
    result: 'pass',
    score: 100,
    first: { comparedValue: 200 },
  },
  {
    name: 'several_results with number_of_comparison_results 2',
    objectives: [rt([['<=+0%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
    },
    values: { rt: 150 },
    previous: [
      prev('pass', { rt: 100 }),
      prev('pass', { rt: 200 }),
      prev('pass', { rt: 300 }),
    ],
    result: 'pass',
    score: 100,
    first: { comparedValue: 150 },
  },
  {
    name: 'include_result_with_score: pass skips earlier fail and warning results',
    objectives: [rt([['<=+0%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
      include_result_with_score: 'pass',
    },
    values: { rt: 150 },
    previous: [
      prev('fail', { rt: 1000 }),
      prev('warning', { rt: 500 }),
      prev('pass', { rt: 100 }),
      prev('pass', { rt: 200 }),
      prev('pass', { rt: 300 }),
    ],
    result: 'pass',
    score: 100,
    first: { comparedValue: 150 },
  },
  {
    name: 'include_result_with_score: pass_or_warn keeps warnings',
    objectives: [rt([['<=+0%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
      include_result_with_score: 'pass_or_warn',
    },
    values: { rt: 300 },
    previous: [
      prev('fail', { rt: 1000 }),
      prev('warning', { rt: 500 }),
      prev('pass', { rt: 100 }),
    ],
    result: 'pass',
    score: 100,
    first: { comparedValue: 300 },
  },
  {
    name: 'include_result_with_score: all keeps every result',
    objectives: [rt([['<=+0%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
      include_result_with_score: 'all',
    },
    values: { rt: 750 },
    previous: [
      prev('fail', { rt: 1000 }),
      prev('warning', { rt: 500 }),
      prev('pass', { rt: 100 }),
    ],
    result: 'pass',
    score: 100,
    first: { comparedValue: 750 },
  },
  {
    name: 'an earlier errored evaluation takes a slot (as Keptn’s failed event) but gives no value',
    objectives: [rt([['<=+0%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 2,
    },
    values: { rt: 100 },
    previous: [
      prev('errored', { rt: 5000 }),
      prev('pass', { rt: 100 }),
      prev('pass', { rt: 900 }),
    ],
    result: 'pass',
    score: 100,
    first: { comparedValue: 100 },
  },
  {
    name: 'p90 aggregate with Keptn’s percentile (position p·(n+1))',
    objectives: [rt([['<=+0%']])],
    comparison: {
      compare_with: 'several_results',
      number_of_comparison_results: 10,
      aggregate_function: 'p90',
    },
    values: { rt: 9.9 },
    previous: Array.from({ length: 10 }, (_, i) => prev('pass', { rt: i + 1 })),
    result: 'pass',
    score: 100,
    first: { targets: [['<=+0%', 9.9, false]], comparedValue: 9.9 },
  },
  {
    name: 'the compared value is reported for fixed criteria too',
    objectives: [rt([['<600']])],
    values: { rt: 100 },
    previous: [prev('pass', { rt: 321 })],
    result: 'pass',
    score: 100,
    first: { comparedValue: 321 },
  },
];

describe('evaluateGate (Keptn lighthouse semantics)', () => {
  it.each(CASES)('$name', c => {
    const r = evaluateGate({
      slo: slo(c.objectives, {
        comparison: c.comparison,
        total_score: c.total_score,
      }),
      values: c.values,
      previous: c.previous,
    });
    expect(r.result).toBe(c.result);
    expect(r.score).toBeCloseTo(c.score, 10);
    const ir = r.indicatorResults[0];
    const asTuples = (ts: SliTarget[] | null) =>
      ts ? ts.map(t => [t.criteria, t.targetValue, t.violated]) : null;
    const actual = {
      status: ir.status,
      targets: asTuples(ir.passTargets) ?? [],
      warningTargets: asTuples(ir.warningTargets),
      comparedValue: ir.value.comparedValue,
    };
    expect(actual).toMatchObject(c.first ?? {});
  });

  it('mirrors the evaluation.finished data of Keptn', () => {
    const r = evaluateGate({
      slo: slo([
        rt([['<=+10%', '<600']], [['<=800']], { displayName: 'Response time' }),
        { sli: 'err', key_sli: true, weight: 2, pass: [{ criteria: ['<=1'] }] },
        { sli: 'gone', pass: [{ criteria: ['<1'] }] },
      ]),
      values: { rt: 650, err: 0.5 },
      previous: [prev('pass', { rt: 600, err: 1 })],
    });
    expect(r).toEqual({
      result: 'fail',
      score: 62.5, // (0.5 + 2 + 0) / 4
      message: 'score 62.5 is below the warning target 75',
      comparedEvaluations: 1,
      indicatorResults: [
        {
          displayName: 'Response time',
          keySli: false,
          status: 'warning',
          score: 0.5,
          value: {
            metric: 'rt',
            value: 650,
            comparedValue: 600,
            success: true,
          },
          passTargets: [
            { criteria: '<=+10%', targetValue: 660, violated: false },
            { criteria: '<600', targetValue: 600, violated: true },
          ],
          warningTargets: [
            { criteria: '<=800', targetValue: 800, violated: false },
          ],
        },
        {
          displayName: '',
          keySli: true,
          status: 'pass',
          score: 2,
          value: { metric: 'err', value: 0.5, comparedValue: 1, success: true },
          passTargets: [{ criteria: '<=1', targetValue: 1, violated: false }],
          warningTargets: null,
        },
        {
          displayName: '',
          keySli: false,
          status: 'fail',
          score: 0,
          value: {
            metric: 'gone',
            value: 0,
            comparedValue: 0,
            success: false,
            message: 'no value received from SLI provider',
          },
          passTargets: null,
          warningTargets: null,
        },
      ],
    });
  });

  it('is errored (never pass) when the SLI provider failed', () => {
    const s = slo([rt([['<600']])]);
    const r = evaluateGate({
      slo: s,
      values: { rt: 1 },
      providerError: 'timeout after 30s',
    });
    expect(r.result).toBe('errored');
    expect(r.score).toBe(0);
    expect(r.message).toMatch(/timeout after 30s/);
    expect(
      evaluateGate({ slo: s, values: {}, providerError: true }).result,
    ).toBe('errored');
    expect(
      evaluateGate({ slo: s, values: { rt: 1 }, providerError: false }).result,
    ).toBe('pass');
  });

  it('forces fail when a key SLI has no value', () => {
    const r = evaluateGate({
      slo: slo([
        { sli: 'key', key_sli: true, pass: [{ criteria: ['<1'] }] },
        ...Array.from({ length: 19 }, (_, i) => ({
          sli: `s${i}`,
          pass: [{ criteria: ['<1'] }],
        })),
      ]),
      values: Object.fromEntries(
        Array.from({ length: 19 }, (_, i) => [`s${i}`, 0]),
      ),
    });
    expect(r.score).toBe(95);
    expect(r.result).toBe('fail');
    expect(r.message).toMatch(/key SLI "key" failed/);
  });

  it('treats non-finite values as answered without value', () => {
    const r = evaluateGate({ slo: slo([rt([['<600']])]), values: { rt: NaN } });
    expect(r.indicatorResults[0].value).toMatchObject({
      success: false,
      value: 0,
    });
    expect(r.result).toBe('fail');
  });

  it('uses a weight of 1 for weight 0 (Keptn)', () => {
    const r = evaluateGate({
      slo: slo([
        { sli: 'a', weight: 0, pass: [{ criteria: ['<1'] }] },
        { sli: 'b', weight: 3, pass: [{ criteria: ['<1'] }] },
      ]),
      values: { a: 5, b: 0 },
    });
    expect(r.score).toBe(75);
  });
});

describe('comparisonWindow', () => {
  it.each([
    ['no block', undefined, 1],
    [
      'single_result',
      { compare_with: 'single_result', number_of_comparison_results: 5 },
      1,
    ],
    [
      'several_results with 5',
      { compare_with: 'several_results', number_of_comparison_results: 5 },
      5,
    ],
    ['several_results without number', { compare_with: 'several_results' }, 3],
    ['block without compare_with', { number_of_comparison_results: 7 }, 3],
  ])('%s → %d', (_n, comparison, count) => {
    expect(comparisonWindow(slo([{ sli: 'a' }], { comparison })).count).toBe(
      count,
    );
  });
});

describe('Keptn percentile and aggregates', () => {
  it.each([
    [0.5, 5],
    [0.9, 9.8],
    [0.95, 10],
  ])('p%p of 0..10 = %p (Keptn TestCalculatePercentile)', (p, expected) => {
    expect(keptnPercentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p)).toBeCloseTo(
      expected,
      12,
    );
  });

  it('clamps to the smallest and largest value', () => {
    expect(keptnPercentile([3, 1, 2], 0.1)).toBe(1);
    expect(keptnPercentile([3, 1, 2], 0.95)).toBe(3);
    expect(keptnPercentile([], 0.5)).toBe(0);
    expect(aggregateBaseline([1, 2, 6], 'avg')).toBe(3);
    expect(aggregateBaseline([4], 'p95')).toBe(4);
  });
});

describe('performance smoke', () => {
  it('scores many objectives (see benchScoreObjectives)', () => {
    benchScoreObjectives(1000); // warm-up
    const r = benchScoreObjectives(50000);
    expect(r.objectives).toBe(50000);
    expect(r.objectivesPerSecond).toBeGreaterThan(0);
    expect(['pass', 'warning', 'fail']).toContain(r.result);
  });
});
