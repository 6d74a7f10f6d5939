import fs from 'node:fs';
import { parseSli } from '@praevisio/backstage-plugin-common';
import {
  sendJson,
  startTestServer,
  TestServer,
} from '../http/__testUtils__/testServer';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusQueryError } from './errors';
import { fetchSliValues } from './fetchSliValues';
import {
  CONTRACTS_DIR,
  PROMETHEUS_OPENAPI_FILE,
  PrometheusOpenApiContract,
} from './__testUtils__/openapi';

const contractPresent = fs.existsSync(PROMETHEUS_OPENAPI_FILE);
const describeContract = contractPresent ? describe : describe.skip;

if (!contractPresent) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping Prometheus contract tests: ${PROMETHEUS_OPENAPI_FILE} not found (set PRAEVISIO_CONTRACTS_DIR or check out ../shared/contracts)`,
  );
}

describeContract(
  `PrometheusClient against Prometheus' OpenAPI 3.1 document (${
    contractPresent ? CONTRACTS_DIR : 'skipped: ../shared/contracts not found'
  })`,
  () => {
    let contract: PrometheusOpenApiContract;
    let server: TestServer;
    let client: PrometheusClient;

    beforeAll(async () => {
      contract = new PrometheusOpenApiContract();
      server = await startTestServer();
      client = PrometheusClient.create({
        name: 'contract',
        url: server.url,
        bearerToken: 'contract-token-123',
        http: { retry: { maxAttempts: 1 } },
      });
    });

    afterAll(() => server.close());

    beforeEach(() => {
      server.requests.length = 0;
    });

    function expectConforming() {
      expect(server.requests.length).toBeGreaterThan(0);
      const problems = server.requests.flatMap(r =>
        contract.validateRequest(r),
      );
      expect(problems).toEqual([]);
    }

    /** Serves the document's own example for the path, after checking it against the schema. */
    function serveExample(
      apiPath: string,
      status: string,
      name: string,
      httpStatus = 200,
    ) {
      const body = contract.example(apiPath, 'get', status, name);
      expect(
        contract.validateResponse('GET', `/api/v1${apiPath}`, httpStatus, body),
      ).toEqual([]);
      server.setHandler((_req, res) => sendJson(res, httpStatus, body));
    }

    it('the contract check itself catches non-conforming requests', () => {
      const request = (
        query: Record<string, string[]>,
        path = '/api/v1/query',
      ) => ({
        method: 'GET',
        path,
        query,
        headers: {},
        body: '',
      });
      expect(contract.validateRequest(request({ query: ['up'] }))).toEqual([]);
      expect(
        contract.validateRequest(
          request({ query: ['up'], time: ['1700000000.5'] }),
        ),
      ).toEqual([]);
      expect(contract.validateRequest(request({ time: ['1'] }))).toEqual([
        "GET /api/v1/query: required query parameter 'query' missing",
      ]);
      expect(
        contract.validateRequest(
          request({ query: ['up'], time: ['yesterday'] }),
        ),
      ).not.toEqual([]);
      expect(
        contract.validateRequest(request({ query: ['up'], timeout: ['PT5S'] })),
      ).not.toEqual([]);
      expect(
        contract.validateRequest(request({ query: ['up'], bogus: ['1'] })),
      ).toEqual(["GET /api/v1/query: undeclared query parameter 'bogus'"]);
      expect(
        contract.validateRequest(
          request(
            { query: ['up'], start: ['0'], end: ['1'] },
            '/api/v1/query_range',
          ),
        ),
      ).toEqual([
        "GET /api/v1/query_range: required query parameter 'step' missing",
      ]);
      expect(contract.validateRequest(request({}, '/api/v2/query'))).toEqual([
        'no operation for GET /api/v2/query',
      ]);
    });

    it('sends conforming instant queries and reads the documented answers', async () => {
      serveExample('/query', '200', 'vectorResult');
      const vector = await client.query('up', {
        time: new Date('2026-01-02T13:37:00.500Z'),
      });
      expect(vector).toMatchObject({
        resultType: 'vector',
        result: [
          { metric: { job: 'prometheus' }, timestamp: 1767436620, value: 1 },
          { metric: { job: 'alertmanager' }, timestamp: 1767436620, value: 1 },
        ],
        warnings: [],
      });

      serveExample('/query', '200', 'scalarResult');
      expect(
        await client.query('scalar(42)', { time: 1767361020, timeoutMs: 1500 }),
      ).toEqual({
        resultType: 'scalar',
        result: { timestamp: 1767436620, value: 42 },
        warnings: [],
        infos: [],
      });

      serveExample('/query', '200', 'matrixResult');
      const matrix = await client.query('up[5m]', {
        time: '2026-01-02T13:37:00Z',
      });
      expect(matrix.resultType).toBe('matrix');

      serveExample('/query', '200', 'histogramResult');
      const histogram = await client.query('http_request_duration_seconds');
      expect(histogram).toMatchObject({
        resultType: 'vector',
        result: [
          {
            histogram: {
              count: 12.5,
              sum: 42.1,
              buckets: [
                [0, 0.7071067811865475, 1, 5],
                [0, 1, 1.414213562373095, 7.5],
              ],
            },
          },
        ],
      });

      expect(server.requests.map(r => r.query)).toEqual([
        { query: ['up'], time: ['1767361020.5'] },
        { query: ['scalar(42)'], time: ['1767361020'], timeout: ['1.5'] },
        { query: ['up[5m]'], time: ['1767361020'] },
        { query: ['http_request_duration_seconds'] },
      ]);
      expect(server.requests[0].headers.authorization).toBe(
        'Bearer contract-token-123',
      );
      expectConforming();
    });

    it('sends conforming range queries', async () => {
      serveExample('/query_range', '200', 'matrixResult');
      const result = await client.queryRange(
        'rate(prometheus_http_requests_total[5m])',
        {
          start: '2026-01-02T12:37:00Z',
          end: new Date('2026-01-02T13:37:00Z'),
          step: '30m',
          timeoutMs: 30_000,
        },
      );
      expect(result.result[0].values).toEqual([
        { timestamp: 1767433020, value: 1 },
        { timestamp: 1767434820, value: 1 },
        { timestamp: 1767436620, value: 1 },
      ]);
      await client.queryRange('up', {
        start: 1767357420,
        end: 1767361020,
        step: 15,
      });
      expect(server.requests.map(r => r.query)).toEqual([
        {
          query: ['rate(prometheus_http_requests_total[5m])'],
          start: ['1767357420'],
          end: ['1767361020'],
          step: ['1800'],
          timeout: ['30'],
        },
        {
          query: ['up'],
          start: ['1767357420'],
          end: ['1767361020'],
          step: ['15'],
        },
      ]);
      expectConforming();
    });

    it('maps the documented error answer', async () => {
      serveExample('/query', 'default', 'tsdbNotReady', 500);
      const error = await client.query('up').catch(e => e);
      expect(error).toBeInstanceOf(PrometheusQueryError);
      expect(error).toMatchObject({
        errorType: 'internal',
        upstreamStatus: 500,
        upstreamMessage: 'TSDB not ready',
      });
      expectConforming();
    });

    it('sends conforming requests when fetching SLI values', async () => {
      serveExample('/query', '200', 'scalarResult');
      const sli = parseSli(`indicators:
  error_rate: sum(rate(http_requests_total{job="$SERVICE",code=~"5.."}[$DURATION_SECONDS]))
  p95: histogram_quantile(0.95, sum by (le) (rate(latency_bucket{job='$SERVICE'}[$DURATION_SECONDS])))
`);
      const result = await fetchSliValues({
        client,
        sli,
        context: { service: 'shop "prod"' },
        start: new Date('2026-01-02T13:32:00Z'),
        end: new Date('2026-01-02T13:37:00Z'),
        timeoutMs: 5000,
      });
      expect(result).toEqual({
        values: { error_rate: 42, p95: 42 },
        errors: {},
      });
      expect(server.requests.map(r => r.query.query[0]).sort()).toEqual([
        'histogram_quantile(0.95, sum by (le) (rate(latency_bucket{job=\'shop "prod"\'}[300s])))',
        'sum(rate(http_requests_total{job="shop \\"prod\\"",code=~"5.."}[300s]))',
      ]);
      expectConforming();
    });
  },
);
