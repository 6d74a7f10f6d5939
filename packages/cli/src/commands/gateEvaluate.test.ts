import { memoryIo } from '../__testUtils__/memoryIo';
import { SLO_YAML } from '../__testUtils__/fixtures';
import { runGateEvaluate, GateEvaluateArgs } from './gateEvaluate';

const SLI_YAML = `spec_version: "1.0"
indicators:
  response_time_p95: histogram_quantile(0.95, sum by (le) (rate(latency_bucket{job="$SERVICE"}[$DURATION_SECONDS])))
  error_rate: sum(rate(errors_total{job="$SERVICE",stage="$STAGE"}[$DURATION_SECONDS]))
  throughput: sum(rate(requests_total{job="$SERVICE"}[$DURATION_SECONDS]))
`;

async function evaluate(
  args: Partial<GateEvaluateArgs>,
  files: Record<string, string>,
  extra: { fetch?: typeof fetch; env?: Record<string, string> } = {},
) {
  const io = memoryIo({ 'slo.yaml': SLO_YAML, ...files }, extra.env);
  if (extra.fetch) io.fetch = extra.fetch;
  const code = await runGateEvaluate({ slo: 'slo.yaml', ...args }, io);
  return { code, out: io.out, err: io.err };
}

function values(v: Record<string, unknown>) {
  return { 'values.json': JSON.stringify(v, null, 2) };
}

describe('praevisio gate evaluate --sli-values', () => {
  it("prints the evaluation in exactly Keptn's shape and exits 0 on pass", async () => {
    const r = await evaluate(
      { sliValues: 'values.json' },
      values({ response_time_p95: 500, error_rate: 0.5, throughput: 120 }),
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const output = JSON.parse(r.out);
    expect(output).toEqual({
      result: 'pass',
      score: 100,
      indicatorResults: [
        {
          displayName: 'Response time P95',
          keySli: false,
          status: 'pass',
          score: 1,
          value: {
            metric: 'response_time_p95',
            value: 500,
            comparedValue: 0,
            success: true,
          },
          passTargets: [
            { criteria: '<=+10%', targetValue: 0, violated: false },
            { criteria: '<600', targetValue: 600, violated: false },
          ],
          warningTargets: [
            { criteria: '<=800', targetValue: 800, violated: false },
          ],
        },
        {
          displayName: 'Error rate',
          keySli: true,
          status: 'pass',
          score: 1,
          value: {
            metric: 'error_rate',
            value: 0.5,
            comparedValue: 0,
            success: true,
          },
          passTargets: [{ criteria: '<=1', targetValue: 1, violated: false }],
          warningTargets: null,
        },
        {
          displayName: '',
          keySli: false,
          status: 'info',
          score: 0,
          value: {
            metric: 'throughput',
            value: 120,
            comparedValue: 0,
            success: true,
          },
          passTargets: null,
          warningTargets: null,
        },
      ],
    });
    // Exactly these keys, in Keptn's order; no internal fields.
    expect(Object.keys(output)).toEqual([
      'result',
      'score',
      'indicatorResults',
    ]);
    expect(Object.keys(output.indicatorResults[0])).toEqual([
      'displayName',
      'keySli',
      'status',
      'score',
      'value',
      'passTargets',
      'warningTargets',
    ]);
    expect(r.out.endsWith('}\n')).toBe(true);
  });

  it('exits 1 on warning', async () => {
    const r = await evaluate(
      { sliValues: 'values.json' },
      values({ response_time_p95: 700, error_rate: 0.5 }),
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ result: 'warning', score: 75 });
  });

  it('exits 2 on fail, saying why on stderr', async () => {
    const r = await evaluate(
      { sliValues: 'values.json' },
      values({ response_time_p95: 500, error_rate: 2 }),
    );
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ result: 'fail', score: 50 });
    expect(r.err).toBe('key SLI "error_rate" failed\n');
  });

  it('fails an objective whose value is null or absent', async () => {
    const r = await evaluate(
      { sliValues: 'values.json' },
      values({ response_time_p95: null, throughput: 1 }),
    );
    expect(r.code).toBe(2);
    const output = JSON.parse(r.out);
    expect(output.indicatorResults.map((i: any) => i.value)).toEqual([
      {
        metric: 'response_time_p95',
        value: 0,
        comparedValue: 0,
        success: false,
        message: 'SLI provider returned no value',
      },
      {
        metric: 'error_rate',
        value: 0,
        comparedValue: 0,
        success: false,
        message: 'no value received from SLI provider',
      },
      {
        metric: 'throughput',
        value: 1,
        comparedValue: 0,
        success: true,
      },
    ]);
  });

  it('uses --previous as the baseline (newest first)', async () => {
    const previous = [
      {
        result: 'pass',
        score: 100,
        indicatorResults: [
          {
            displayName: 'ignored',
            value: { metric: 'response_time_p95', value: 400, success: true },
          },
          null,
        ],
        extra: 'ignored',
      },
      {
        result: 'pass',
        indicatorResults: [
          { value: { metric: 'response_time_p95', value: 100, success: true } },
        ],
      },
    ];
    const r = await evaluate(
      { sliValues: 'values.json', previous: 'previous.json' },
      {
        ...values({ response_time_p95: 500, error_rate: 0.5 }),
        'previous.json': JSON.stringify(previous),
      },
    );
    // <=+10% of 400 is 440: violated, so p95 only warns: (0.5 + 1) / 2 = 75 %.
    expect(r.code).toBe(1);
    const output = JSON.parse(r.out);
    expect(output.indicatorResults[0].value.comparedValue).toBe(400);
    expect(output.indicatorResults[0].passTargets[0]).toEqual({
      criteria: '<=+10%',
      targetValue: 440,
      violated: true,
    });
  });
});

describe('praevisio gate evaluate: bad input exits 3 with file, line and reason', () => {
  it.each<[string, Record<string, string | undefined>, RegExp]>([
    [
      'an unknown criterion',
      { 'slo.yaml': SLO_YAML.replace('"<=1"', '"=>5"') },
      /^slo\.yaml:22: objectives\[1\]\.pass\[0\]\.criteria\[0\]: unknown criteria syntax "=>5"/,
    ],
    [
      'invalid YAML',
      { 'slo.yaml': 'objectives:\n  - sli: a\n   pass: [\n' },
      /^slo\.yaml:\d+:\d+: invalid YAML: /,
    ],
    [
      'invalid JSON',
      { 'values.json': '{\n  "error_rate": 1,\n  "p95": 2\n  "x": 3\n}' },
      /^values\.json:4:3: invalid JSON: expected ',' or '}' after a property value, found "\\""\n$/,
    ],
    [
      'a value that is not a number',
      values({ response_time_p95: 500, error_rate: 'low' }),
      /^values\.json:3: error_rate: must be a number or null, got string "low"\n$/,
    ],
    [
      'values that are not an object',
      { 'values.json': '[1, 2]' },
      /^values\.json:1: must be a JSON object of SLI name → number or null, got a list\n$/,
    ],
    [
      'a missing file',
      { 'values.json': undefined },
      /^values\.json: cannot read the SLI values file: no such file\n$/,
    ],
  ])('%s', async (_what, files, message) => {
    const io = memoryIo({ 'slo.yaml': SLO_YAML, ...values({}) });
    for (const [name, text] of Object.entries(files)) {
      if (text === undefined) delete io.files[name];
      else io.files[name] = text;
    }
    const code = await runGateEvaluate(
      { slo: 'slo.yaml', sliValues: 'values.json' },
      io,
    );
    expect(code).toBe(3);
    expect(io.out).toBe('');
    expect(io.err).toMatch(message);
  });

  it.each([
    [
      'not a list',
      '{"result": "pass"}',
      /^previous\.json:1: must be a JSON list of earlier evaluations/,
    ],
    [
      'no result',
      '[\n  {"score": 1}\n]',
      /^previous\.json:2: \[0\]\.result: is required\n$/,
    ],
    [
      'a bad value',
      '[{"result": "pass", "indicatorResults": [\n {"value": {"metric": "a", "value": "9"}}]}]',
      /^previous\.json:2: \[0\]\.indicatorResults\[0\]\.value\.value: must be a number, got string "9"\n$/,
    ],
  ])('a previous file that is %s', async (_what, text, message) => {
    const r = await evaluate(
      { sliValues: 'values.json', previous: 'previous.json' },
      { ...values({ error_rate: 0 }), 'previous.json': text },
    );
    expect(r.code).toBe(3);
    expect(r.err).toMatch(message);
  });

  it.each<[string, Partial<GateEvaluateArgs>, string]>([
    [
      'no source of values',
      {},
      'no SLI values: give --sli-values <file>, or --sli <file> --prometheus <url> --start <time> --end <time>\n',
    ],
    [
      'both sources',
      { sliValues: 'values.json', sli: 'sli.yaml', start: '1' },
      '--sli-values cannot be combined with --sli, --start: give either SLI values or a Prometheus to query\n',
    ],
    [
      'an incomplete Prometheus mode',
      { sli: 'sli.yaml', prometheus: 'http://127.0.0.1:9' },
      'querying Prometheus also needs --start, --end\n',
    ],
    [
      'a bad time',
      {
        sli: 'sli.yaml',
        prometheus: 'http://127.0.0.1:9',
        start: 'yesterday',
        end: '1700000300',
      },
      '--start: invalid time "yesterday": use RFC 3339 (e.g. 2024-05-01T10:00:00Z) or Unix seconds\n',
    ],
    [
      'an empty window',
      {
        sli: 'sli.yaml',
        prometheus: 'http://127.0.0.1:9',
        start: '2024-05-01T10:05:00Z',
        end: '2024-05-01T10:00:00Z',
      },
      '--end: must be after --start\n',
    ],
    [
      'a bad label name',
      {
        sli: 'sli.yaml',
        prometheus: 'http://127.0.0.1:9',
        start: '1700000000',
        end: '1700000300',
        label: ['build-id=5'],
      },
      '--label: label name "build-id" must match [a-zA-Z_][a-zA-Z0-9_]* (it is used as $LABEL.build-id)\n',
    ],
    [
      'a label without a value',
      {
        sli: 'sli.yaml',
        prometheus: 'http://127.0.0.1:9',
        start: '1700000000',
        end: '1700000300',
        label: ['team'],
      },
      '--label: expected key=value, got "team"\n',
    ],
    [
      'a bad timeout',
      {
        sli: 'sli.yaml',
        prometheus: 'http://127.0.0.1:9',
        start: '1700000000',
        end: '1700000300',
        timeout: '0',
      },
      '--timeout: must be a positive number of seconds, got "0"\n',
    ],
    [
      'a bad Prometheus URL',
      {
        sli: 'sli.yaml',
        prometheus: 'ftp://prometheus',
        start: '1700000000',
        end: '1700000300',
      },
      '--prometheus: Invalid base URL for prometheus:cli: only http and https are allowed\n',
    ],
    [
      'a bad SLI template',
      {
        sli: 'bad-sli.yaml',
        prometheus: 'http://127.0.0.1:9',
        start: '1700000000',
        end: '1700000300',
      },
      'bad-sli.yaml:3: indicators.error_rate: Placeholder $SERVICE: must stand inside a quoted string literal of the template, e.g. job="$SERVICE"; only $DURATION_SECONDS may stand outside quotes\n',
    ],
  ])('%s', async (_what, args, message) => {
    const r = await evaluate(args, {
      ...values({}),
      'sli.yaml': SLI_YAML,
      'bad-sli.yaml':
        'indicators:\n  ok: up\n  error_rate: sum(x{job=$SERVICE})\n',
    });
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toBe(message);
  });
});

describe('praevisio gate evaluate --sli … --prometheus … (fail closed)', () => {
  /** Answers each query by its first metric name; records the queries. */
  function fakePrometheus(answers: Record<string, [number, unknown]>) {
    const queries: Array<Record<string, string>> = [];
    const fakeFetch = (async (
      input: string | URL | Request,
      init?: RequestInit,
    ) => {
      const url = new URL(String(input));
      queries.push({
        ...Object.fromEntries(url.searchParams),
        authorization: String(
          (init?.headers as Record<string, string>)?.authorization ?? '',
        ),
      });
      const name = /(\w+)\{/.exec(url.searchParams.get('query')!)![1];
      const [status, body] = answers[name];
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    return { fakeFetch, queries };
  }

  const scalar = (v: string) =>
    [
      200,
      {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1, v] }] },
      },
    ] as [number, unknown];

  const args: Partial<GateEvaluateArgs> = {
    sli: 'sli.yaml',
    prometheus: 'http://prometheus.test:9090',
    start: '2024-05-01T10:00:00Z',
    end: '2024-05-01T10:05:00Z',
    service: 'shop',
    stage: 'prod',
  };

  it('queries every SLI of the SLO at --end and scores the values', async () => {
    const { fakeFetch, queries } = fakePrometheus({
      latency_bucket: scalar('450'),
      errors_total: scalar('0.2'),
      requests_total: scalar('30'),
    });
    const r = await evaluate(
      args,
      { 'sli.yaml': SLI_YAML },
      { fetch: fakeFetch, env: { PRAEVISIO_PROMETHEUS_TOKEN: 'tok-secret-1' } },
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ result: 'pass', score: 100 });
    expect(queries.map(q => q.query).sort()).toEqual([
      'histogram_quantile(0.95, sum by (le) (rate(latency_bucket{job="shop"}[300s])))',
      'sum(rate(errors_total{job="shop",stage="prod"}[300s]))',
      'sum(rate(requests_total{job="shop"}[300s]))',
    ]);
    expect(queries.every(q => q.time === '1714557900')).toBe(true);
    expect(queries.every(q => q.timeout === '30')).toBe(true);
    expect(queries[0].authorization).toBe('Bearer tok-secret-1');
  });

  it('is errored (exit 3) when any SLI cannot be fetched, with the reasons on stderr', async () => {
    const { fakeFetch } = fakePrometheus({
      latency_bucket: scalar('450'),
      errors_total: [
        400,
        { status: 'error', errorType: 'bad_data', error: 'parse error: boom' },
      ],
      requests_total: [
        200,
        { status: 'success', data: { resultType: 'vector', result: [] } },
      ],
    });
    const r = await evaluate(
      args,
      { 'sli.yaml': SLI_YAML },
      { fetch: fakeFetch },
    );
    expect(r.code).toBe(3);
    const output = JSON.parse(r.out);
    expect(output.result).toBe('errored');
    expect(output.score).toBe(0);
    expect(output.indicatorResults[1].value).toEqual({
      metric: 'error_rate',
      value: 0,
      comparedValue: 0,
      success: false,
      message:
        'Prometheus \'cli\' answered bad_data (HTTP 400) to sum(rate(errors_total{job="shop",stage="prod"}[300s])): parse error: boom',
    });
    expect(r.err.split('\n')).toEqual([
      'SLI "error_rate": Prometheus \'cli\' answered bad_data (HTTP 400) to sum(rate(errors_total{job="shop",stage="prod"}[300s])): parse error: boom',
      'SLI "throughput": the query returned no data (an empty vector); check the labels and the time window',
      'SLI provider failed: 2 of 3 SLIs could not be fetched (error_rate, throughput); the evaluation is errored and blocks promotion',
      '',
    ]);
  });

  it('is errored when a placeholder has no value', async () => {
    const { fakeFetch, queries } = fakePrometheus({
      latency_bucket: scalar('450'),
      requests_total: scalar('1'),
    });
    const r = await evaluate(
      { ...args, stage: undefined },
      { 'sli.yaml': SLI_YAML },
      { fetch: fakeFetch },
    );
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^SLI "error_rate": Placeholder \$STAGE: has no value: give the stage name\n/,
    );
    expect(queries).toHaveLength(2);
  });

  it('is errored when the SLO names an SLI that sli.yaml does not define', async () => {
    const { fakeFetch } = fakePrometheus({ latency_bucket: scalar('1') });
    const r = await evaluate(
      args,
      {
        'sli.yaml':
          'indicators:\n  response_time_p95: sum(latency_bucket{job="$SERVICE"})\n',
      },
      { fetch: fakeFetch },
    );
    expect(r.code).toBe(3);
    expect(r.err).toContain(
      'SLI "error_rate": no query is defined for SLI "error_rate" in the SLI definitions\n',
    );
  });
});
