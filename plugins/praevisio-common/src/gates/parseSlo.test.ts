import { parseSloCriterion } from './criteria';
import { SloValidationError } from './errors';
import { parseSlo } from './parseSlo';

const KEPTN_EXAMPLE = `---
spec_version: "1.0"
comparison:
  aggregate_function: "avg"
  compare_with: "single_result"
  include_result_with_score: "pass"
  number_of_comparison_results: 1
filter:
objectives:
  - sli: "response_time_p95"
    displayName: "Response time P95"
    key_sli: false
    pass:             # pass if (relative change <= 10% AND absolute value is < 600ms)
      - criteria:
          - "<=+10%"  # relative values require a prefixed sign (plus or minus)
          - "<600"    # absolute values only require a logical operator
    warning:          # if the response time is below 800ms, the result should be a warning
      - criteria:
          - "<=800"
    weight: 1
  - sli: "throughput"
    pass:
      - criteria:
          - "<=+100%"
          - ">=-80%"
  - sli: "error_rate"
    weight: 2
    pass:
      - criteria:
          - "<=1"
    warning:
      - criteria:
          - "<=2"
    key_sli: yes
  - sli: "cpu"        # informational
total_score:
  pass: "90%"
  warning: "75%"
`;

function errorOf(text: string): SloValidationError {
  try {
    parseSlo(text);
  } catch (e) {
    if (e instanceof SloValidationError) return e;
    throw e;
  }
  throw new Error('expected a SloValidationError');
}

describe('parseSlo', () => {
  it('parses a Keptn slo.yaml (spec 1.0)', () => {
    const slo = parseSlo(KEPTN_EXAMPLE);
    expect(slo.specVersion).toBe('1.0');
    expect(slo.filter).toEqual({});
    expect(slo.comparison).toEqual({
      specified: true,
      compareWith: 'single_result',
      includeResultWithScore: 'pass',
      numberOfComparisonResults: 1,
      aggregateFunction: 'avg',
    });
    expect(slo.totalScore).toEqual({ pass: 90, warning: 75 });
    expect(
      slo.objectives.map(o => [
        o.sli,
        o.weight,
        o.keySli,
        o.pass.length,
        o.warning.length,
      ]),
    ).toEqual([
      ['response_time_p95', 1, false, 1, 1],
      ['throughput', 1, false, 1, 0],
      ['error_rate', 2, true, 1, 1],
      ['cpu', 1, false, 0, 0],
    ]);
    expect(slo.objectives[0].displayName).toBe('Response time P95');
    expect(slo.objectives[1].displayName).toBe('');
    expect(slo.objectives[0].pass[0].criteria).toEqual([
      {
        raw: '<=+10%',
        operator: '<=',
        value: 10,
        relative: true,
        percent: true,
        increase: true,
      },
      {
        raw: '<600',
        operator: '<',
        value: 600,
        relative: false,
        percent: false,
        increase: true,
      },
    ]);
  });

  it('parses the same document written as JSON', () => {
    const json = JSON.stringify({
      spec_version: '1.0',
      objectives: [
        { sli: 'rt', pass: [{ criteria: ['<=+10%', '<600'] }], weight: 3 },
      ],
      total_score: { pass: '90%' },
    });
    const slo = parseSlo(json);
    expect(slo.objectives[0].weight).toBe(3);
    expect(slo.totalScore).toEqual({ pass: 90 });
  });

  it('applies Keptn defaults without a comparison block: 1 previous result, avg', () => {
    const slo = parseSlo('objectives: [{sli: a}]\ntotal_score: {pass: "90%"}');
    expect(slo.comparison).toEqual({
      specified: false,
      compareWith: 'single_result',
      includeResultWithScore: 'all',
      numberOfComparisonResults: 1,
      aggregateFunction: 'avg',
    });
  });

  it('applies Keptn defaults to a comparison block missing fields: 3 results, all, avg', () => {
    const slo = parseSlo(
      'comparison: {}\nobjectives: [{sli: a}]\ntotal_score: {pass: 90}',
    );
    expect(slo.comparison).toEqual({
      specified: true,
      compareWith: undefined,
      includeResultWithScore: 'all',
      numberOfComparisonResults: 3,
      aggregateFunction: 'avg',
    });
    const several = parseSlo(
      'comparison: {compare_with: several}\nobjectives: [{sli: a}]\ntotal_score: {pass: 90}',
    );
    expect(several.comparison.compareWith).toBe('several_results');
    expect(several.comparison.numberOfComparisonResults).toBe(3);
  });

  it('turns a missing or zero weight into 1 and keeps filters as strings', () => {
    const slo = parseSlo(
      'filter: {id: 42, name: svc}\nobjectives: [{sli: a, weight: 0}, {sli: b}]\ntotal_score: {pass: 90}',
    );
    expect(slo.objectives.map(o => o.weight)).toEqual([1, 1]);
    expect(slo.filter).toEqual({ id: '42', name: 'svc' });
  });

  it('treats a criteria set without criteria as an empty (always satisfied) set, as Keptn', () => {
    const slo = parseSlo(
      'objectives: [{sli: a, pass: [{}]}]\ntotal_score: {pass: 90}',
    );
    expect(slo.objectives[0].pass).toEqual([{ criteria: [] }]);
  });

  describe('rejects bad documents with path, line and reason', () => {
    it.each([
      [
        'unknown criteria syntax',
        `objectives:
  - sli: a
    pass:
      - criteria: ["<1"]
  - sli: b
  - sli: c
    pass:
      - criteria:
          - "<=+10%"
          - "<=10ms"
total_score: {pass: "90%"}
`,
        'objectives[2].pass[0].criteria[1]',
        10,
        /unknown criteria syntax "<=10ms"/,
      ],
      [
        'an operator Keptn cannot parse',
        'objectives: [{sli: a, pass: [{criteria: ["=>5"]}]}]\ntotal_score: {pass: 90}',
        'objectives[0].pass[0].criteria[0]',
        1,
        /unknown criteria syntax/,
      ],
      [
        'a doubled operator',
        'objectives: [{sli: a, pass: [{criteria: ["==5"]}]}]\ntotal_score: {pass: 90}',
        'objectives[0].pass[0].criteria[0]',
        1,
        /unknown criteria syntax/,
      ],
      [
        'a criterion without operator',
        'objectives: [{sli: a, pass: [{criteria: [5]}]}]\ntotal_score: {pass: 90}',
        'objectives[0].pass[0].criteria[0]',
        1,
        /must be a string/,
      ],
      [
        'criteria that is not a list',
        'objectives:\n  - sli: a\n    warning:\n      - criteria: "<5"\ntotal_score: {pass: 90}',
        'objectives[0].warning[0].criteria',
        4,
        /list of criterion strings/,
      ],
      [
        'a missing total_score',
        'objectives: [{sli: a}]\n',
        'total_score',
        1,
        /is required/,
      ],
      [
        'a total_score without pass',
        'objectives: [{sli: a}]\ntotal_score:\n  warning: "75%"\n',
        'total_score.pass',
        3,
        /is required/,
      ],
      [
        'a non-numeric total_score',
        'objectives: [{sli: a}]\ntotal_score: {pass: "ninety"}\n',
        'total_score.pass',
        2,
        /percentage/,
      ],
      [
        'a duplicate objective',
        'objectives:\n  - sli: rt\n  - sli: err\n  - sli: rt\ntotal_score: {pass: 90}',
        'objectives[2].sli',
        4,
        /duplicate objective for SLI "rt" \(first at objectives\[0\]\)/,
      ],
      [
        'a non-numeric weight',
        'objectives:\n  - sli: rt\n    weight: heavy\ntotal_score: {pass: 90}',
        'objectives[0].weight',
        3,
        /must be a number/,
      ],
      [
        'a fractional weight',
        'objectives:\n  - sli: rt\n    weight: 1.5\ntotal_score: {pass: 90}',
        'objectives[0].weight',
        3,
        /whole number/,
      ],
      [
        'a missing sli',
        'objectives:\n  - displayName: x\ntotal_score: {pass: 90}',
        'objectives[0].sli',
        2,
        /is required/,
      ],
      [
        'a non-boolean key_sli',
        'objectives:\n  - sli: a\n    key_sli: maybe\ntotal_score: {pass: 90}',
        'objectives[0].key_sli',
        3,
        /true or false/,
      ],
      [
        'an unknown compare_with',
        'comparison:\n  compare_with: all_results\nobjectives: [{sli: a}]\ntotal_score: {pass: 90}',
        'comparison.compare_with',
        2,
        /single_result/,
      ],
      [
        'an unknown aggregate_function',
        'comparison:\n  aggregate_function: p99\nobjectives: [{sli: a}]\ntotal_score: {pass: 90}',
        'comparison.aggregate_function',
        2,
        /avg, p50, p90, p95/,
      ],
      [
        'an unknown include_result_with_score',
        'comparison:\n  include_result_with_score: warn\nobjectives: [{sli: a}]\ntotal_score: {pass: 90}',
        'comparison.include_result_with_score',
        2,
        /pass_or_warn/,
      ],
      [
        'a fractional number_of_comparison_results',
        'comparison:\n  number_of_comparison_results: 2.5\nobjectives: [{sli: a}]\ntotal_score: {pass: 90}',
        'comparison.number_of_comparison_results',
        2,
        /whole number/,
      ],
      [
        'objectives that are not a list',
        'objectives: {sli: a}\ntotal_score: {pass: 90}',
        'objectives',
        1,
        /must be a list/,
      ],
      [
        'no objectives',
        'objectives: []\ntotal_score: {pass: 90}',
        'objectives',
        1,
        /at least one/,
      ],
      [
        'pass that is not a list',
        'objectives:\n  - sli: a\n    pass: "<5"\ntotal_score: {pass: 90}',
        'objectives[0].pass',
        3,
        /list of criteria sets/,
      ],
    ])('%s', (_name, text, path, line, reason) => {
      const e = errorOf(text);
      expect(e.path).toBe(path);
      expect(e.line).toBe(line);
      expect(e.reason).toMatch(reason);
      expect(e.message).toContain(path);
    });

    it('reports invalid YAML with its line', () => {
      const e = errorOf(
        'objectives:\n  - sli: a\n    pass: [\ntotal_score: {pass: 90}',
      );
      expect(e.path).toBe('');
      expect(e.reason).toMatch(/^invalid YAML/);
      expect(e.line).toBeGreaterThanOrEqual(3);
    });

    it('reports duplicate keys as invalid YAML', () => {
      const e = errorOf(
        'objectives: [{sli: a}]\ntotal_score: {pass: 90}\ntotal_score: {pass: 80}',
      );
      expect(e.reason).toMatch(/invalid YAML/);
      expect(e.line).toBe(3);
    });

    it('rejects empty and non-mapping documents', () => {
      expect(errorOf('').reason).toMatch(/empty/);
      expect(errorOf('- a\n- b').reason).toMatch(/must be a mapping/);
    });
  });
});

describe('parseSloCriterion (Keptn parseCriteriaString cases)', () => {
  it.each([
    ['<10', '<', 10, false, false, true],
    ['<=10', '<=', 10, false, false, true],
    ['=10', '=', 10, false, false, true],
    ['>=10', '>=', 10, false, false, true],
    ['>10', '>', 10, false, false, true],
    ['>-10%', '>', 10, true, true, false],
    ['<=+10.5%', '<=', 10.5, true, true, true],
    ['<=+10', '<=', 10, true, false, true],
    ['  <=+10   %', '<=', 10, true, true, true],
    ['  <=10%', '<=', 10, true, true, true],
    ['>=-2', '>=', 2, true, false, false],
    ['<1e3', '<', 1000, false, false, true],
    ['<.5', '<', 0.5, false, false, true],
  ] as const)('%s', (raw, operator, value, relative, percent, increase) => {
    expect(parseSloCriterion(raw)).toEqual({
      raw,
      operator,
      value,
      relative,
      percent,
      increase,
    });
  });

  it.each([
    '',
    '10',
    '<',
    '<=abc',
    '=<5',
    '<>5',
    '<=+-5',
    '<=10%%',
    '<=10ms',
    '≤10',
    '<=Infinity',
    '<=0x10',
  ])('rejects %j', raw => {
    expect(() => parseSloCriterion(raw)).toThrow(SloValidationError);
  });
});
