/**
 * `praevisio gate evaluate` in Prometheus mode against a real Prometheus
 * (Debian's /usr/bin/prometheus and /usr/bin/promtool), started once for this
 * file with backfilled series of known values.
 */
import { memoryIo } from '../__testUtils__/memoryIo';
import { SLO_YAML } from '../__testUtils__/fixtures';
import {
  MiniPrometheus,
  startMiniPrometheus,
} from '../__testUtils__/realPrometheus';
import { runGateEvaluate } from './gateEvaluate';

jest.setTimeout(60_000);

const T0 = 1_700_000_000;
const TE = T0 + 607;

function series(): string {
  const lines: string[] = [];
  const ks = Array.from({ length: 41 }, (_, k) => k);
  lines.push('# TYPE latency_p95_ms gauge');
  for (const k of ks)
    lines.push(`latency_p95_ms{job="shop"} 450 ${T0 + 15 * k}`);
  lines.push('# TYPE errors_ratio gauge');
  for (const k of ks) {
    lines.push(`errors_ratio{job="shop",stage="prod"} 0.2 ${T0 + 15 * k}`);
  }
  lines.push('# TYPE requests gauge');
  for (const k of ks)
    lines.push(`requests{job="shop"} ${10 * k} ${T0 + 15 * k}`);
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

const SLI_YAML = `spec_version: "1.0"
indicators:
  response_time_p95: max(max_over_time(latency_p95_ms{job="$SERVICE"}[$DURATION_SECONDS]))
  error_rate: avg(avg_over_time(errors_ratio{job='$SERVICE',stage='$STAGE'}[$DURATION_SECONDS]))
  throughput: sum(count_over_time(requests{job=~"$SERVICE"}[$DURATION_SECONDS]))
`;

describe('praevisio gate evaluate against a real Prometheus', () => {
  let prometheus: MiniPrometheus;

  beforeAll(async () => {
    prometheus = await startMiniPrometheus(series());
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  async function evaluate(extra: string[] = []) {
    const io = memoryIo({ 'slo.yaml': SLO_YAML, 'sli.yaml': SLI_YAML });
    const args: Record<string, unknown> = {
      slo: 'slo.yaml',
      sli: 'sli.yaml',
      prometheus: prometheus.url,
      start: String(TE - 300),
      end: new Date(TE * 1000).toISOString(),
      service: 'shop',
      stage: 'prod',
    };
    for (let i = 0; i < extra.length; i += 2) args[extra[i]] = extra[i + 1];
    const code = await runGateEvaluate(args as any, io);
    return { code, out: io.out, err: io.err };
  }

  it('passes with the exact values Prometheus holds (exit 0)', async () => {
    const r = await evaluate();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const output = JSON.parse(r.out);
    expect(output.result).toBe('pass');
    expect(output.score).toBe(100);
    expect(
      output.indicatorResults.map((i: any) => [
        i.value.metric,
        i.value.value,
        i.status,
      ]),
    ).toEqual([
      ['response_time_p95', 450, 'pass'],
      ['error_rate', 0.2, 'pass'],
      // (TE-300s, TE] holds 20 samples.
      ['throughput', 20, 'info'],
    ]);
  });

  it('is errored (exit 3) when a query finds no data, and says which', async () => {
    const r = await evaluate(['stage', 'canary']);
    expect(r.code).toBe(3);
    const output = JSON.parse(r.out);
    expect(output).toMatchObject({ result: 'errored', score: 0 });
    expect(r.err).toBe(
      [
        'SLI "error_rate": the query returned no data (an empty vector); check the labels and the time window',
        'SLI provider failed: 1 of 3 SLIs could not be fetched (error_rate); the evaluation is errored and blocks promotion',
        '',
      ].join('\n'),
    );
  });

  it('cannot be steered into another series by a hostile service name', async () => {
    const r = await evaluate(['service', 'shop"} or vector(1) #']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out).result).toBe('errored');
    expect(r.err).toMatch(
      /^SLI "response_time_p95": the query returned no data/,
    );
  });
});
