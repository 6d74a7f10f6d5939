import { mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { UpstreamResponseError, UpstreamUnavailableError } from '../http';
import {
  sendJson,
  startTestServer,
  TestServer,
} from '../http/__testUtils__/testServer';
import { PrometheusQueryError } from './errors';
import { parsePrometheusValue } from './parse';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusClientRegistry } from './PrometheusClientRegistry';

const TOKEN = 'sekret-bearer-token-42';

describe('PrometheusClient', () => {
  let server: TestServer;
  let client: PrometheusClient;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  beforeEach(() => {
    server.requests.length = 0;
    client = PrometheusClient.create({
      name: 'prod',
      url: server.url,
      bearerToken: TOKEN,
      http: {
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      },
    });
  });

  it.each([
    ['bad_data', 400, 400],
    ['execution', 422, 422],
    ['canceled', 499, 502],
    ['timeout', 503, 503],
    ['internal', 500, 502],
  ])(
    'maps the %s envelope (HTTP %i) to a typed error',
    async (errorType, status, statusCode) => {
      server.setHandler((_req, res) =>
        sendJson(res, status, {
          status: 'error',
          errorType,
          error: `something about ${errorType} (token ${TOKEN})`,
          warnings: ['w1'],
        }),
      );
      const error = await client.query('sum(up)').catch(e => e);
      expect(error).toBeInstanceOf(PrometheusQueryError);
      expect(PrometheusQueryError.is(error)).toBe(true);
      expect(error).toMatchObject({
        instance: 'prod',
        errorType,
        upstreamStatus: status,
        statusCode,
        warnings: ['w1'],
      });
      expect(error.message).toMatch(
        new RegExp(
          `^Prometheus 'prod' answered ${errorType} \\(HTTP ${status}\\) to sum\\(up\\): something about`,
        ),
      );
      expect(error.message).not.toContain(TOKEN);
      expect(error.upstreamMessage).not.toContain(TOKEN);
      // 503 is retried like any gateway failure; the others are answered at once.
      expect(server.requests).toHaveLength(status === 503 ? 2 : 1);
    },
  );

  it('treats an answer without the envelope as an upstream failure', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await expect(client.query('up')).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );

    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('not json');
    });
    await expect(client.query('up')).rejects.toThrow(
      /answered 200 without the API envelope/,
    );

    server.setHandler((_req, res) => sendJson(res, 404, { message: 'nope' }));
    await expect(client.query('up')).rejects.toBeInstanceOf(
      UpstreamResponseError,
    );
  });

  it('refuses malformed results', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [{ metric: {}, value: [1, ''] }],
        },
      }),
    );
    await expect(client.query('up')).rejects.toThrow(
      /malformed result: invalid sample value ""/,
    );
    server.setHandler((_req, res) =>
      sendJson(res, 200, { status: 'success', data: { resultType: 'blob' } }),
    );
    await expect(client.query('up')).rejects.toThrow(/unknown resultType/);
  });

  it('parses NaN and infinities and keeps warnings and infos', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { a: '1' }, value: [10.5, 'NaN'] },
            { metric: { a: '2' }, value: [10.5, '+Inf'] },
            { metric: { a: '3' }, value: [10.5, '-Inf'] },
            { metric: { a: '4' }, value: [10.5, '-1.5e-3'] },
          ],
        },
        warnings: ['PromQL warning: something'],
        infos: ['PromQL info: something'],
      }),
    );
    const result = await client.query('x');
    expect(result.resultType).toBe('vector');
    const values = (result.result as Array<{ value: number }>).map(
      s => s.value,
    );
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([Infinity, -Infinity, -0.0015]);
    expect(result.warnings).toEqual(['PromQL warning: something']);
    expect(result.infos).toEqual(['PromQL info: something']);
  });

  it('refuses, without calling Prometheus, a range over 11,000 points per series', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'matrix', result: [] },
      }),
    );
    // 11,000 intervals (11,001 points) is what Prometheus still accepts.
    await client.queryRange('up', { start: 0, end: 11_000, step: 1 });
    await client.queryRange('up', { start: 0, end: 1_100, step: '100ms' });
    expect(server.requests).toHaveLength(2);

    const error = await client
      .queryRange('up', { start: 0, end: 11_001, step: '1s' })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'query_range from 0 to 11001 every 1s would return 11002 points per series; Prometheus refuses more than 11,000. Use a step of at least 2s or a shorter range',
    );
    // A week at 1m: 10,080 intervals, accepted.
    await client.queryRange('up', {
      start: '2024-01-01T00:00:00Z',
      end: '2024-01-08T00:00:00Z',
      step: '1m',
    });
    await expect(
      client.queryRange('up', {
        start: '2024-01-01T00:00:00Z',
        end: '2024-01-31T00:00:00Z',
        step: '1m',
      }),
    ).rejects.toThrow(/43201 points per series.*at least 236s/);
    expect(server.requests).toHaveLength(3);
  });

  it('validates times, steps, timeouts and the query locally', async () => {
    await expect(
      client.queryRange('up', { start: 10, end: 5, step: 1 }),
    ).rejects.toThrow(/end \(5\) is before start \(10\)/);
    for (const step of [0, -1, 'abc', '1.5m', '']) {
      await expect(
        client.queryRange('up', { start: 0, end: 5, step }),
      ).rejects.toThrow(/Invalid query_range step/);
    }
    await expect(client.query('up', { time: 'yesterday' })).rejects.toThrow(
      /Invalid evaluation time "yesterday"/,
    );
    await expect(
      client.query('up', { time: new Date('nope') }),
    ).rejects.toThrow(InputError);
    await expect(client.query('up', { timeoutMs: 0 })).rejects.toThrow(
      /Invalid query timeout/,
    );
    await expect(client.query('  ')).rejects.toThrow(/non-empty string/);
    expect(server.requests).toHaveLength(0);
  });

  it('times out and honours the caller signal', async () => {
    server.setHandler(() => {
      // never answers
    });
    const slow = PrometheusClient.create({
      name: 'slow',
      url: server.url,
      http: { timeoutMs: 50, retry: { maxAttempts: 1 } },
    });
    await expect(slow.query('up')).rejects.toThrow(/timed out after 50 ms/);
    const controller = new AbortController();
    const pending = slow.query('up', { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('asks for an uncompressed answer only when compression is off', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'scalar', result: [1, '1'] },
      }),
    );
    await client.query('1');
    await client.query('1', { compression: false });
    await client.query('1', { compression: true });
    expect(server.requests.map(r => r.headers['accept-encoding'])).toEqual([
      expect.stringContaining('gzip'),
      'identity',
      expect.stringContaining('gzip'),
    ]);
  });
});

describe('parsePrometheusValue', () => {
  it('parses the forms Go writes and nothing else', () => {
    expect(parsePrometheusValue('1')).toBe(1);
    expect(parsePrometheusValue('0.25')).toBe(0.25);
    expect(parsePrometheusValue('1e+21')).toBe(1e21);
    expect(parsePrometheusValue('NaN')).toBeNaN();
    expect(parsePrometheusValue('+Inf')).toBe(Infinity);
    expect(parsePrometheusValue('-Inf')).toBe(-Infinity);
    for (const bad of ['', ' ', '0x10', 'abc', '1,5', null]) {
      expect(() => parsePrometheusValue(bad)).toThrow();
    }
  });
});

describe('PrometheusClientRegistry', () => {
  const instances = [
    {
      name: 'prod',
      url: 'https://prometheus.example.com',
      bearerToken: 't0k3n-prod',
    },
    { name: 'dev', url: 'http://prometheus.dev:9090/prefix' },
  ];

  it('reads praevisio.prometheus.instances[], the first being the default', () => {
    const registry = PrometheusClientRegistry.fromConfig(
      mockServices.rootConfig({
        data: { praevisio: { prometheus: { instances } } },
      }),
    );
    expect(registry.isConfigured).toBe(true);
    expect(registry.instanceNames).toEqual(['prod', 'dev']);
    expect(registry.get().name).toBe('prod');
    expect(registry.get('dev').name).toBe('dev');
    expect(registry.list()).toHaveLength(2);
    expect(() => registry.get('staging')).toThrow(
      "Prometheus instance 'staging' is not configured (configured: prod, dev)",
    );
  });

  it('caps queries in flight at maxConcurrentQueries (default 20) and refuses a bad value', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slowFetch: typeof fetch = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise(resolve => setTimeout(resolve, 20));
      inFlight--;
      return new Response(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [] },
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    };
    const inFlightFor = async (extra: Record<string, unknown>) => {
      maxInFlight = 0;
      const client = PrometheusClientRegistry.fromConfig(
        mockServices.rootConfig({
          data: {
            praevisio: {
              prometheus: {
                instances: [{ name: 'p', url: 'http://prom.test', ...extra }],
              },
            },
          },
        }),
        { http: { fetch: slowFetch } },
      ).get();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => client.query(`up * ${i}`)),
      );
      return maxInFlight;
    };
    expect(await inFlightFor({})).toBe(20);
    expect(await inFlightFor({ maxConcurrentQueries: 3 })).toBe(3);
    await expect(inFlightFor({ maxConcurrentQueries: 0 })).rejects.toThrow(
      'praevisio.prometheus.instances[p].maxConcurrentQueries must be a positive integer, got 0',
    );
  });

  it('is valid without instances and says how to configure one', () => {
    const registry = PrometheusClientRegistry.fromConfig(
      mockServices.rootConfig({ data: {} }),
    );
    expect(registry.isConfigured).toBe(false);
    expect(() => registry.get()).toThrow(NotFoundError);
    expect(() => registry.get()).toThrow(/praevisio.prometheus.instances/);
  });

  it('refuses duplicates and invalid URLs', () => {
    expect(() =>
      PrometheusClientRegistry.create({
        instances: [instances[0], instances[0]],
      }),
    ).toThrow(InputError);
    expect(() =>
      PrometheusClientRegistry.create({
        instances: [{ name: 'x', url: 'https://user:pw@prom.example.com' }],
      }),
    ).toThrow(/credentials in the URL are not allowed/);
  });

  it('sends the bearer token and keeps a path prefix', async () => {
    const server = await startTestServer((_req, res) =>
      sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'scalar', result: [1, '1'] },
      }),
    );
    try {
      const registry = PrometheusClientRegistry.create({
        instances: [
          { name: 'p', url: `${server.url}/prom/`, bearerToken: 'tok-abc-123' },
        ],
      });
      await registry.get('p').query('1');
      expect(server.requests[0].path).toBe('/prom/api/v1/query');
      expect(server.requests[0].headers.authorization).toBe(
        'Bearer tok-abc-123',
      );
    } finally {
      await server.close();
    }
  });
});
