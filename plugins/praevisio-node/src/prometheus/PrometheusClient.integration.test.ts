/**
 * Integration tests against a real Prometheus (Debian's /usr/bin/prometheus
 * and /usr/bin/promtool), started once for this file on a free 127.0.0.1 port
 * with backfilled series of known values. Missing binaries fail these tests.
 */
import { parseSli } from '@praevisio/backstage-plugin-common';
import { HttpTransport, undiciTransport } from '../http';
import { PrometheusQueryError } from './errors';
import { fetchSliValues } from './fetchSliValues';
import { PrometheusClient } from './PrometheusClient';
import {
  OpenMetricsFamily,
  RealPrometheus,
  startRealPrometheus,
} from './__testUtils__/realPrometheus';

jest.setTimeout(60_000);

const T0 = 1_700_000_000;
/** Samples every 15 s from T0 to T0 + 600 s: k = 0…40. */
const KS = Array.from({ length: 41 }, (_, k) => k);
const ts = (k: number) => T0 + 15 * k;
/** Evaluation time, off the sample grid so that range boundaries never hit a sample. */
const TE = T0 + 607;

const HOSTILE = [
  '"}) or vector(1) #',
  '"} or vector(1000)',
  "'}) or vector(1) #",
  'back\\slash\\',
  'line\nbreak',
  '}',
  '{a="b"}',
  '.*',
  'a|b',
  '$SERVICE',
  'Grüße 🚀 中文',
  '`raw`',
  `long-${'x'.repeat(2000)}"})`,
];

function families(): OpenMetricsFamily[] {
  return [
    {
      name: 'requests_total',
      samples: KS.flatMap(k => [
        {
          labels: { job: 'shop', stage: 'prod', code: '200' },
          value: 10 * k,
          timestamp: ts(k),
        },
        {
          labels: { job: 'shop', stage: 'prod', code: '500' },
          value: k,
          timestamp: ts(k),
        },
      ]),
    },
    {
      name: 'latency_seconds',
      samples: KS.map(k => ({
        labels: { job: 'shop' },
        value: 0.25,
        timestamp: ts(k),
      })),
    },
    {
      name: 'nan_metric',
      samples: KS.map(k => ({
        labels: { job: 'shop' },
        value: 'NaN' as const,
        timestamp: ts(k),
      })),
    },
    {
      name: 'multi',
      samples: KS.flatMap(k => [
        { labels: { i: '1' }, value: 1, timestamp: ts(k) },
        { labels: { i: '2' }, value: 2, timestamp: ts(k) },
      ]),
    },
    {
      name: 'hostile',
      samples: KS.flatMap(k =>
        HOSTILE.map((svc, i) => ({
          labels: { svc },
          value: i + 1,
          timestamp: ts(k),
        })),
      ),
    },
  ];
}

describe('PrometheusClient against a real Prometheus', () => {
  let prometheus: RealPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prometheus = await startRealPrometheus({ families: families() });
    client = PrometheusClient.create({
      name: 'real',
      url: prometheus.url,
      http: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } },
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('answers instant queries with the exact backfilled values', async () => {
    expect(
      await client.query('sum(latency_seconds{job="shop"})', { time: TE }),
    ).toEqual({
      resultType: 'vector',
      result: [{ metric: {}, timestamp: TE, value: 0.25 }],
      warnings: [],
      infos: [],
    });
    // (TE-300s, TE] holds the samples at T0+315 … T0+600: 20 of them.
    const count = await client.query(
      'sum(count_over_time(requests_total{job="shop",code="500"}[300s]))',
      { time: new Date(TE * 1000) },
    );
    expect(count.result).toEqual([{ metric: {}, timestamp: TE, value: 20 }]);
    const max = await client.query(
      'max_over_time(requests_total{code="200"}[5m])',
      { time: `${new Date(TE * 1000).toISOString()}` },
    );
    expect(max.result).toEqual([
      {
        metric: { job: 'shop', stage: 'prod', code: '200' },
        timestamp: TE,
        value: 400,
      },
    ]);
    const nan = await client.query('nan_metric', { time: TE });
    expect(nan.resultType === 'vector' && nan.result[0].value).toBeNaN();
    const inf = await client.query('sum(latency_seconds) / 0', { time: TE });
    expect(inf.resultType === 'vector' && inf.result[0].value).toBe(Infinity);
    expect(await client.query('scalar(multi{i="2"})', { time: TE })).toEqual({
      resultType: 'scalar',
      result: { timestamp: TE, value: 2 },
      warnings: [],
      infos: [],
    });
  });

  it('answers range queries with the exact series', async () => {
    const result = await client.queryRange('sum(requests_total{job="shop"})', {
      start: T0,
      end: T0 + 600,
      step: '1m',
    });
    expect(result.result).toHaveLength(1);
    // At T0 + 60 j, k = 4 j and the sum is 10 k + k = 44 j.
    expect(result.result[0].values).toEqual(
      Array.from({ length: 11 }, (_, j) => ({
        timestamp: T0 + 60 * j,
        value: 44 * j,
      })),
    );
  });

  it('maps error envelopes: bad PromQL → bad_data 400, many-to-many → execution 422, timeout → 503', async () => {
    const bad = await client
      .query('sum(requests_total', { time: TE })
      .catch(e => e);
    expect(bad).toBeInstanceOf(PrometheusQueryError);
    expect(bad).toMatchObject({
      errorType: 'bad_data',
      upstreamStatus: 400,
      statusCode: 400,
    });
    expect(bad.upstreamMessage).toMatch(/parse error/);

    const execution = await client
      .query('requests_total + on(job) requests_total', { time: TE })
      .catch(e => e);
    expect(execution).toMatchObject({
      errorType: 'execution',
      upstreamStatus: 422,
    });
    expect(execution.upstreamMessage).toMatch(
      /many-to-many matching not allowed/,
    );

    const timeout = await client
      .query('sum(count_over_time(requests_total[100y]))', {
        time: TE,
        timeoutMs: 0.000001,
      })
      .catch(e => e);
    expect(timeout).toMatchObject({
      errorType: 'timeout',
      upstreamStatus: 503,
      statusCode: 503,
    });
  });

  it('refuses locally exactly the ranges Prometheus refuses (11,000 points per series)', async () => {
    const accepted = await client.queryRange('vector(1)', {
      start: T0,
      end: T0 + 11_000,
      step: 1,
    });
    expect(accepted.result[0].values).toHaveLength(11_001);
    await expect(
      client.queryRange('vector(1)', { start: T0, end: T0 + 11_001, step: 1 }),
    ).rejects.toThrow(
      /11002 points per series; Prometheus refuses more than 11,000/,
    );
    // Prometheus itself draws the line at the same place.
    const res = await fetch(
      `${prometheus.url}/api/v1/query_range?query=vector(1)&start=${T0}&end=${
        T0 + 11_001
      }&step=1`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: 'error',
      errorType: 'bad_data',
      error: expect.stringMatching(
        /exceeded maximum resolution of 11,000 points/,
      ),
    });
  });

  it('renders hostile label values so that they match exactly their own series', async () => {
    const sli = parseSli(`indicators:
  double: sum(hostile{svc="$SERVICE"})
  single: sum(hostile{svc='$SERVICE'})
  regex: sum(hostile{svc=~"$SERVICE"})
  negative_regex: count(hostile{svc!~"$SERVICE"})
`);
    for (const [i, svc] of HOSTILE.entries()) {
      const { values, errors } = await fetchSliValues({
        client,
        sli,
        context: { service: svc },
        start: new Date((TE - 300) * 1000),
        end: new Date(TE * 1000),
      });
      expect({ svc, errors }).toEqual({ svc, errors: {} });
      expect({ svc, values }).toEqual({
        svc,
        values: {
          double: i + 1,
          single: i + 1,
          regex: i + 1,
          negative_regex: HOSTILE.length - 1,
        },
      });
    }
  });

  it('fetches SLI values and fails closed per SLI', async () => {
    const sli = parseSli(`indicators:
  error_rate: sum(count_over_time(requests_total{job="$SERVICE",stage="$STAGE",code=~"5.."}[$DURATION_SECONDS]))
  latency: avg(latency_seconds{job="$SERVICE"})
  no_data: sum(latency_seconds{job="$SERVICE-nope"})
  two_series: multi
  nan: sum(nan_metric{job="$SERVICE"})
  broken: sum(latency_seconds{job="$SERVICE"}
  by_label: sum(requests_total{code="$LABEL.code"})
`);
    const { values, errors } = await fetchSliValues({
      client,
      sli,
      context: { service: 'shop', stage: 'prod', labels: { code: '200' } },
      start: new Date((TE - 300) * 1000),
      end: new Date(TE * 1000),
    });
    expect(values).toEqual({
      error_rate: 20,
      latency: 0.25,
      no_data: null,
      two_series: null,
      nan: null,
      broken: null,
      by_label: 400,
    });
    expect(Object.keys(errors).sort()).toEqual([
      'broken',
      'nan',
      'no_data',
      'two_series',
    ]);
    expect(errors.broken).toMatch(/answered bad_data \(HTTP 400\)/);
    expect(errors.no_data).toMatch(/no data/);
    expect(errors.two_series).toMatch(/returned 2 series/);
    expect(errors.nan).toBe('the query returned NaN');
  });

  it('gets SLI answers uncompressed and other answers gzipped', async () => {
    const encodings: Array<string | null> = [];
    const recordingTransport: HttpTransport = async request => {
      const res = await undiciTransport(request);
      encodings.push(res.headers.get('content-encoding'));
      return res;
    };
    const recording = PrometheusClient.create({
      name: 'recording',
      url: prometheus.url,
      http: { transport: recordingTransport },
    });
    const promql = 'sum(latency_seconds{job="shop"})';
    const gzipped = await recording.query(promql, { time: TE });
    const plain = await recording.query(promql, {
      time: TE,
      compression: false,
    });
    expect(plain).toEqual(gzipped);
    const { values, errors } = await fetchSliValues({
      client: recording,
      sli: { indicators: { latency: promql } },
      context: { service: 'shop' },
      start: new Date((TE - 300) * 1000),
      end: new Date(TE * 1000),
    });
    expect(errors).toEqual({});
    expect(values).toEqual({ latency: 0.25 });
    expect(encodings).toEqual(['gzip', null, null]);
  });

  it.each([
    [8, 8],
    [undefined, 20],
  ])(
    'runs 20 SLI queries concurrently (cap %s → %i in flight)',
    async (maxConcurrency, expectedInFlight) => {
      let inFlight = 0;
      let maxInFlight = 0;
      const countingTransport: HttpTransport = async request => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await undiciTransport(request);
        } finally {
          inFlight--;
        }
      };
      const concurrent = PrometheusClient.create({
        name: 'concurrent',
        url: prometheus.url,
        http: { maxConcurrency, transport: countingTransport },
      });
      const indicators: Record<string, string> = {};
      for (let i = 0; i < 20; i++) {
        indicators[
          `sli_${i}`
        ] = `sum(count_over_time(requests_total{job="$SERVICE",code="500"}[$DURATION_SECONDS])) * ${i}`;
      }
      const started = Date.now();
      const { values, errors } = await fetchSliValues({
        client: concurrent,
        sli: { indicators },
        context: { service: 'shop' },
        start: new Date((TE - 300) * 1000),
        end: new Date(TE * 1000),
      });
      const elapsed = Date.now() - started;
      expect(errors).toEqual({});
      expect(values).toEqual(
        Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`sli_${i}`, 20 * i]),
        ),
      );
      expect(maxInFlight).toBe(expectedInFlight);
      // eslint-disable-next-line no-console
      console.log(
        `20 SLI queries with cap ${
          maxConcurrency ?? 'default (20)'
        }: ${elapsed} ms, max ${maxInFlight} in flight`,
      );
    },
  );
});
