import { parseSli } from '@praevisio/backstage-plugin-common';
import { PrometheusQueryError } from './errors';
import { fetchSliValues } from './fetchSliValues';
import type { PrometheusQueryOptions } from './PrometheusClient';
import type { PrometheusQueryResult } from './types';

const START = new Date('2024-05-01T10:00:00Z');
const END = new Date('2024-05-01T10:05:00Z');

function vector(...values: number[]): PrometheusQueryResult {
  return {
    resultType: 'vector',
    result: values.map((value, i) => ({
      metric: { i: String(i) },
      timestamp: END.getTime() / 1000,
      value,
    })),
    warnings: [],
    infos: [],
  };
}

/** A fake client answering by the query's metric name. */
function fakeClient(
  answers: Record<string, () => Promise<PrometheusQueryResult>>,
) {
  const calls: Array<{ promql: string; options?: PrometheusQueryOptions }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    async query(promql: string, options?: PrometheusQueryOptions) {
      calls.push({ promql, options });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise(r => setTimeout(r, 5));
        const metric = /^[a-z_]+/.exec(promql)![0];
        return await answers[metric]();
      } finally {
        inFlight--;
      }
    },
  };
}

const SLI = parseSli(`indicators:
  ok: ok{job="$SERVICE",stage="$STAGE"}
  empty: empty{job="$SERVICE"}
  many: many{job="$SERVICE"}
  nan: nan{job="$SERVICE"}
  inf: inf{job="$SERVICE"}
  histogram: histogram{job="$SERVICE"}
  failing: failing{job="$SERVICE"}
  matrix: matrix{job="$SERVICE"}[$DURATION_SECONDS]
  scalar: scalar{job="$SERVICE"}
  needs_label: ok{team="$LABEL.team"}
`);

describe('fetchSliValues', () => {
  it('runs every query concurrently and fails closed on anything but one finite sample', async () => {
    const client = fakeClient({
      ok: async () => vector(0.25),
      empty: async () => vector(),
      many: async () => vector(1, 2),
      nan: async () => vector(NaN),
      inf: async () => vector(Infinity),
      histogram: async () => ({
        resultType: 'vector',
        result: [
          {
            metric: {},
            timestamp: 1,
            histogram: { count: 1, sum: 1, buckets: [] },
          },
        ],
        warnings: [],
        infos: [],
      }),
      failing: async () => {
        throw new PrometheusQueryError(
          "Prometheus 'p' answered timeout (HTTP 503) to failing: query timed out",
          'p',
          'timeout',
          'query timed out',
          503,
        );
      },
      matrix: async () => ({
        resultType: 'matrix',
        result: [],
        warnings: [],
        infos: [],
      }),
      scalar: async () => ({
        resultType: 'scalar',
        result: { timestamp: 1, value: 7 },
        warnings: [],
        infos: [],
      }),
    });
    const result = await fetchSliValues({
      client,
      sli: SLI,
      context: { service: 'shop', stage: 'prod' },
      start: START,
      end: END,
      indicators: [
        ...Object.keys(SLI.indicators),
        'not_defined',
        'ok', // duplicates are fetched once
      ],
      timeoutMs: 2500,
    });
    expect(result.values).toEqual({
      ok: 0.25,
      empty: null,
      many: null,
      nan: null,
      inf: null,
      histogram: null,
      failing: null,
      matrix: null,
      scalar: 7,
      needs_label: null,
      not_defined: null,
    });
    expect(result.errors).toEqual({
      empty:
        'the query returned no data (an empty vector); check the labels and the time window',
      many: 'the query returned 2 series; an SLI query must return exactly one (aggregate with sum, avg, max, …)',
      nan: 'the query returned NaN',
      inf: 'the query returned +Inf',
      histogram:
        'the query returned a native histogram; an SLI needs a float (use histogram_quantile, histogram_sum, …)',
      failing:
        "Prometheus 'p' answered timeout (HTTP 503) to failing: query timed out",
      matrix:
        'the query returned a matrix result; an SLI query must return one sample (an instant vector with one series, or a scalar)',
      needs_label:
        'Placeholder $LABEL.team: has no value: give a label with this name',
      not_defined:
        'no query is defined for SLI "not_defined" in the SLI definitions',
    });
    // All nine renderable queries were in flight together.
    expect(client.calls).toHaveLength(9);
    expect(client.maxInFlight).toBe(9);
    expect(client.calls.find(c => c.promql.startsWith('ok'))).toEqual({
      promql: 'ok{job="shop",stage="prod"}',
      // An SLI answer is one sample: not worth gzipping.
      options: {
        time: END,
        timeoutMs: 2500,
        signal: undefined,
        compression: false,
      },
    });
    expect(client.calls.find(c => c.promql.startsWith('matrix'))!.promql).toBe(
      'matrix{job="shop"}[300s]',
    );
  });

  it('uses a duration given in the context', async () => {
    const client = fakeClient({ matrix: async () => vector(1) });
    await fetchSliValues({
      client,
      sli: SLI,
      context: { service: 's', duration: '1h' },
      start: START,
      end: END,
      indicators: ['matrix'],
    });
    expect(client.calls[0].promql).toBe('matrix{job="s"}[1h]');
  });

  it('refuses an invalid window', async () => {
    const client = fakeClient({});
    await expect(
      fetchSliValues({ client, sli: SLI, context: {}, start: END, end: START }),
    ).rejects.toThrow(/end after start/);
    await expect(
      fetchSliValues({
        client,
        sli: SLI,
        context: {},
        start: new Date('x'),
        end: END,
      }),
    ).rejects.toThrow(/valid start and end/);
  });
});
