import { memoryIo } from '../__testUtils__/memoryIo';
import {
  BASELINE,
  canaryConfig,
  HIGHER,
  SAME,
} from '../__testUtils__/fixtures';
import { runCanaryJudge } from './canaryJudge';

async function judge(inputs: Record<string, string>) {
  const io = memoryIo(inputs);
  const code = await runCanaryJudge(
    {
      config: 'canary.json',
      baseline: 'baseline.json',
      canary: 'canary.json.samples',
    },
    io,
  );
  return { code, out: io.out, err: io.err };
}

function files(
  metrics: Array<Record<string, unknown>>,
  samples: Record<string, [number[], number[]]>,
): Record<string, string> {
  const baseline: Record<string, number[]> = {};
  const canary: Record<string, number[]> = {};
  for (const [name, [b, c]] of Object.entries(samples)) {
    baseline[name] = b;
    canary[name] = c;
  }
  return {
    'canary.json': canaryConfig(metrics),
    'baseline.json': JSON.stringify(baseline),
    'canary.json.samples': JSON.stringify(canary),
  };
}

describe('praevisio canary judge', () => {
  it('prints the judgement in its fixed shape and exits 0 on Pass', async () => {
    const r = await judge(
      files([{ name: 'latency' }, { name: 'errors', groups: ['errors'] }], {
        latency: [BASELINE, SAME],
        errors: [BASELINE, SAME],
      }),
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const output = JSON.parse(r.out);
    expect(Object.keys(output)).toEqual([
      'score',
      'classification',
      'groups',
      'metrics',
    ]);
    expect(output).toMatchObject({
      score: 100,
      classification: 'Pass',
      groups: [
        { name: 'default', score: 100 },
        { name: 'errors', score: 100 },
      ],
    });
    expect(Object.keys(output.groups[0])).toEqual(['name', 'score']);
    expect(output.metrics).toHaveLength(2);
    const m = output.metrics[0];
    expect(Object.keys(m)).toEqual([
      'name',
      'classification',
      'critical',
      'statistics',
    ]);
    expect(Object.keys(m.statistics)).toEqual([
      'confidenceInterval',
      'estimate',
      'effectSize',
    ]);
    expect(m).toMatchObject({
      name: 'latency',
      classification: 'Pass',
      critical: false,
    });
    expect(m.statistics.confidenceInterval).toHaveLength(2);
    expect(typeof m.statistics.estimate).toBe('number');
    expect(m.statistics.effectSize).toBeCloseTo(1, 1);
  });

  it('exits 1 on Marginal', async () => {
    const r = await judge(
      files([{ name: 'a' }, { name: 'b' }, { name: 'c' }], {
        a: [BASELINE, HIGHER],
        b: [BASELINE, SAME],
        c: [BASELINE, SAME],
      }),
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      score: 66.67,
      classification: 'Marginal',
    });
    expect(JSON.parse(r.out).metrics[0].classification).toBe('High');
  });

  it('exits 2 on Fail and says why a critical metric forced 0', async () => {
    const r = await judge(
      files([{ name: 'a', critical: true }, { name: 'b' }], {
        a: [BASELINE, HIGHER],
        b: [BASELINE, SAME],
      }),
    );
    expect(r.code).toBe(2);
    const output = JSON.parse(r.out);
    expect(output).toMatchObject({ score: 0, classification: 'Fail' });
    expect(output.metrics[0]).toMatchObject({
      classification: 'High',
      critical: true,
    });
    expect(r.err).toMatch(/^Canary Failed: /);
  });

  it('reports null statistics for a metric without data', async () => {
    const r = await judge(
      files([{ name: 'a' }, { name: 'b' }, { name: 'c' }], {
        a: [BASELINE, SAME],
        b: [BASELINE, SAME],
        c: [BASELINE, []],
      }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).metrics[2]).toEqual({
      name: 'c',
      classification: 'Nodata',
      critical: false,
      statistics: {
        confidenceInterval: null,
        estimate: null,
        effectSize: null,
      },
    });
  });

  describe('bad input exits 3 with file, line and reason', () => {
    const good = files([{ name: 'a' }], { a: [BASELINE, SAME] });

    it.each([
      [
        'a config field',
        {
          'canary.json': canaryConfig([
            { name: 'a' },
            { name: 'b', effectSize: { allowedIncrease: 'x' } },
          ]),
        },
        'canary.json:13: metrics[1].effectSize.allowedIncrease: must be a finite number, got "x"\n',
      ],
      [
        'missing thresholds',
        { 'canary.json': '{\n  "metrics": [{"name": "a"}]\n}' },
        'canary.json:1: thresholds: is required: give the score thresholds, e.g. { "pass": 95, "marginal": 75 }\n',
      ],
      [
        'a sample that is not a number',
        { 'baseline.json': '{\n  "a": [1, 2,\n    "3"]\n}' },
        'baseline.json:3: a[2]: must be a number or null, got string "3"\n',
      ],
      [
        'samples that are not a list',
        { 'canary.json.samples': '{"a": 5}' },
        'canary.json.samples:1: a: must be a list of samples (numbers, null for a missing one), got number 5\n',
      ],
      [
        'invalid JSON',
        { 'baseline.json': '{"a": [1, 2,]}' },
        'baseline.json:1:13: invalid JSON: unexpected "]"\n',
      ],
      [
        'a missing file',
        { 'baseline.json': undefined },
        'baseline.json: cannot read the baseline samples: no such file\n',
      ],
    ])('%s', async (_what, override, message) => {
      const all: Record<string, string | undefined> = { ...good, ...override };
      const present = Object.fromEntries(
        Object.entries(all).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      );
      const r = await judge(present);
      expect(r.code).toBe(3);
      expect(r.out).toBe('');
      expect(r.err).toBe(message);
    });
  });
});
