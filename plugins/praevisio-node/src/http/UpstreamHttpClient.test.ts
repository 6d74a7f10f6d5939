import { InputError } from '@backstage/errors';
import { ServerResponse } from 'node:http';
import {
  RecordedRequest,
  sendJson,
  startTestServer,
  TestServer,
} from './__testUtils__/testServer';
import {
  UpstreamRedirectError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from './errors';
import {
  encodePathSegment,
  UpstreamHttpClient,
  UpstreamHttpClientOptions,
} from './UpstreamHttpClient';
import { fetchTransport } from './transport';

const TOKEN = 's3cr3t-static-token-value';

/** Resolves with the rejection reason; fails the test if the call succeeded. */
function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    error => error,
  );
}

// Every behaviour below must hold whichever transport carries the calls: the
// default one (undici's request) and the fetch one the CLI's tests inject.
describe.each([
  ['the default transport', undefined],
  ['a fetch transport', fetchTransport(globalThis.fetch)],
])('UpstreamHttpClient over %s', (_transportName, transport) => {
  let server: TestServer;
  let now: number;
  let sleeps: number[];

  beforeEach(async () => {
    server = await startTestServer();
    now = 1_000_000;
    sleeps = [];
  });

  afterEach(async () => {
    await server.close();
  });

  function client(options: Partial<UpstreamHttpClientOptions> = {}) {
    return UpstreamHttpClient.create({
      name: 'test-upstream',
      baseUrl: server.url,
      clock: { now: () => now },
      sleep: async ms => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      transport,
      ...options,
    });
  }

  describe('requests', () => {
    it('joins path and query onto the configured base URL, keeping its path prefix', async () => {
      const http = client({ baseUrl: `${server.url}/argocd/` });
      await http.request({
        method: 'GET',
        path: `/api/v1/applications/${encodePathSegment('a b')}`,
        query: { projects: ['p1', 'p2'], selector: 'team=x', skip: undefined },
      });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({
        method: 'GET',
        path: '/argocd/api/v1/applications/a%20b',
        query: { projects: ['p1', 'p2'], selector: ['team=x'] },
      });
      expect(server.requests[0].headers.accept).toBe('application/json');
      expect(server.requests[0].headers['content-type']).toBeUndefined();
    });

    it('sends JSON bodies with Content-Type exactly application/json', async () => {
      await client().request({
        method: 'POST',
        path: '/x',
        body: 'resume',
      });
      expect(server.requests[0].headers['content-type']).toBe(
        'application/json',
      );
      expect(server.requests[0].body).toBe('"resume"');
    });

    it('returns non-2xx answers for the caller to interpret', async () => {
      server.setHandler((_req, res) =>
        sendJson(res, 404, { message: 'not here' }),
      );
      const response = await client().request({ method: 'GET', path: '/x' });
      expect(response.status).toBe(404);
      expect(response.ok).toBe(false);
      expect(response.json()).toEqual({ message: 'not here' });
      await expect(
        client().requestJson({ method: 'GET', path: '/x' }),
      ).rejects.toBeInstanceOf(UpstreamResponseError);
    });

    it('rejects a body that is not JSON with a typed error', async () => {
      server.setHandler((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      });
      await expect(
        client().requestJson({ method: 'GET', path: '/x' }),
      ).rejects.toBeInstanceOf(UpstreamResponseError);
    });

    it('refuses paths that would leave the base URL', async () => {
      const http = client();
      for (const path of ['x', '//evil.example/x', '/a/../b', '/a?b=1']) {
        await expect(http.request({ method: 'GET', path })).rejects.toThrow(
          InputError,
        );
      }
      expect(() => encodePathSegment('..')).toThrow(InputError);
      expect(() => encodePathSegment('')).toThrow(InputError);
      expect(server.requests).toHaveLength(0);
    });

    it('refuses base URLs with credentials or other schemes', () => {
      expect(() =>
        client({ baseUrl: 'https://admin:hunter2@argocd.example.com' }),
      ).toThrow(/credentials in the URL/);
      expect(() => client({ baseUrl: 'file:///etc/passwd' })).toThrow(
        /only http and https/,
      );
    });

    it('refuses bodies larger than the limit', async () => {
      server.setHandler((_req, res) => sendJson(res, 200, 'x'.repeat(2000)));
      await expect(
        client({ maxResponseBytes: 1000 }).request({
          method: 'GET',
          path: '/x',
        }),
      ).rejects.toThrow(UpstreamResponseError);
    });
  });

  describe('redirects', () => {
    it('refuses a redirect and never follows it', async () => {
      const elsewhere = await startTestServer();
      try {
        server.setHandler((_req, res) => {
          res.writeHead(302, { location: `${elsewhere.url}/steal?token=abc` });
          res.end();
        });
        const error = await failure(
          client({
            headers: { authorization: `Bearer ${TOKEN}` },
          }).request({ method: 'GET', path: '/x' }),
        );
        expect(error).toBeInstanceOf(UpstreamRedirectError);
        expect(error.upstreamStatus).toBe(302);
        expect(error.message).toMatch(/redirect \(302/);
        expect(error.message).not.toContain('token=abc');
        expect(elsewhere.requests).toHaveLength(0);
        expect(server.requests).toHaveLength(1); // and no retry
      } finally {
        await elsewhere.close();
      }
    });
  });

  describe('retries', () => {
    function failTimes(times: number, status = 503) {
      let calls = 0;
      server.setHandler((_req, res) => {
        calls += 1;
        if (calls <= times) {
          sendJson(res, status, { message: 'busy' });
        } else {
          sendJson(res, 200, { ok: true });
        }
      });
    }

    it('retries idempotent calls on 502/503/504 with full-jitter backoff', async () => {
      failTimes(2);
      const http = client({
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      });
      await expect(
        http.requestJson({ method: 'GET', path: '/x' }),
      ).resolves.toEqual({ ok: true });
      expect(server.requests).toHaveLength(3);
      // random() = 0.5: half of 100, then half of 200
      expect(sleeps).toEqual([50, 100]);
    });

    it('gives up after maxAttempts and returns the last answer', async () => {
      failTimes(10, 504);
      const response = await client({ retry: { maxAttempts: 2 } }).request({
        method: 'GET',
        path: '/x',
      });
      expect(response.status).toBe(504);
      expect(server.requests).toHaveLength(2);
    });

    it('never repeats a non-idempotent call', async () => {
      failTimes(1);
      const response = await client().request({
        method: 'POST',
        path: '/sync',
        body: {},
      });
      expect(response.status).toBe(503);
      expect(server.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('retries a non-GET call marked idempotent', async () => {
      failTimes(1, 502);
      const response = await client().request({
        method: 'PATCH',
        path: '/x',
        body: {},
        idempotent: true,
      });
      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(2);
    });

    it('does not retry other errors', async () => {
      failTimes(1, 500);
      const response = await client().request({ method: 'GET', path: '/x' });
      expect(response.status).toBe(500);
      expect(server.requests).toHaveLength(1);
    });

    it('retries network errors and then reports the upstream unavailable', async () => {
      const gone = await startTestServer();
      await gone.close();
      const error = await failure(
        client({
          baseUrl: gone.url,
          retry: { maxAttempts: 3 },
        }).request({ method: 'GET', path: '/x' }),
      );
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('network');
      expect(error.statusCode).toBe(503);
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(sleeps).toHaveLength(2);
    });
  });

  describe('timeouts and cancellation', () => {
    function hang() {
      const held: ServerResponse[] = [];
      server.setHandler((_req, res) => {
        held.push(res); // never answers
      });
      return held;
    }

    it('times out a call that takes too long', async () => {
      hang();
      const started = Date.now();
      const error = await failure(
        client({ timeoutMs: 50, retry: { maxAttempts: 1 } }).request({
          method: 'GET',
          path: '/slow',
        }),
      );
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('timeout');
      expect(error.message).toMatch(/timed out after 50 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('uses the per-call timeout over the client default', async () => {
      hang();
      const error = await failure(
        client({ timeoutMs: 60_000, retry: { maxAttempts: 1 } }).request({
          method: 'GET',
          path: '/slow',
          timeoutMs: 30,
        }),
      );
      expect(error.reason).toBe('timeout');
    });

    it('stops when the caller aborts, without blaming the upstream', async () => {
      hang();
      const http = client({
        timeoutMs: 60_000,
        circuitBreaker: { failureThreshold: 1 },
      });
      const controller = new AbortController();
      const pending = http.request({
        method: 'GET',
        path: '/slow',
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(new Error('user navigated away')), 30);
      await expect(pending).rejects.toThrow('user navigated away');
      expect(http.breaker.state).toBe('closed');
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('circuit breaker', () => {
    it('opens after consecutive failures, fails fast, then probes after the cool-down', async () => {
      let status = 503;
      server.setHandler((_req, res) => sendJson(res, status, {}));
      const http = client({
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 2, cooldownMs: 30_000 },
      });

      await http.request({ method: 'GET', path: '/x' });
      await http.request({ method: 'GET', path: '/x' });
      expect(http.breaker.state).toBe('open');

      const error = await failure(http.request({ method: 'GET', path: '/x' }));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('circuit-open');
      expect(error.message).toMatch(
        /circuit breaker is open; next attempt in 30 s/,
      );
      expect(server.requests).toHaveLength(2); // the third call never left

      now += 30_000;
      status = 200;
      const probe = await http.request({ method: 'GET', path: '/x' });
      expect(probe.status).toBe(200);
      expect(http.breaker.state).toBe('closed');
      expect(server.requests).toHaveLength(3);
    });

    it('stops retrying once the breaker opens', async () => {
      server.setHandler((_req, res) => sendJson(res, 503, {}));
      const http = client({
        retry: { maxAttempts: 5 },
        circuitBreaker: { failureThreshold: 2 },
      });
      const response = await http.request({ method: 'GET', path: '/x' });
      expect(response.status).toBe(503);
      expect(server.requests).toHaveLength(2);
    });

    it('does not count client errors as upstream failures', async () => {
      server.setHandler((_req, res) => sendJson(res, 400, {}));
      const http = client({ circuitBreaker: { failureThreshold: 1 } });
      await http.request({ method: 'GET', path: '/x' });
      await http.request({ method: 'GET', path: '/x' });
      expect(http.breaker.state).toBe('closed');
    });
  });

  describe('concurrency cap', () => {
    it('keeps at most maxConcurrency calls in flight and queues the rest', async () => {
      let inFlight = 0;
      let maxSeen = 0;
      const held: Array<() => void> = [];
      server.setHandler(
        (_req, res) =>
          new Promise<void>(resolve => {
            inFlight += 1;
            maxSeen = Math.max(maxSeen, inFlight);
            held.push(() => {
              inFlight -= 1;
              sendJson(res, 200, {});
              resolve();
            });
          }),
      );
      const http = client({ maxConcurrency: 2 });
      const calls = Array.from({ length: 5 }, () =>
        http.request({ method: 'GET', path: '/x' }),
      );
      const arrived = async (n: number) => {
        while (server.requests.length < n) {
          await new Promise(r => setTimeout(r, 5));
        }
      };
      for (let done = 0; done < 5; done++) {
        await arrived(Math.min(done + 2, 5));
        // give any over-eager extra call a chance to show up
        await new Promise(r => setTimeout(r, 20));
        expect(server.requests.length).toBe(Math.min(done + 2, 5));
        held.shift()!();
      }
      await Promise.all(calls);
      expect(maxSeen).toBe(2);
    });

    it('fails fast when the queue is full', async () => {
      const held: ServerResponse[] = [];
      server.setHandler((_req, res) => {
        held.push(res);
      });
      const http = client({
        maxConcurrency: 1,
        maxQueue: 1,
        timeoutMs: 60_000,
      });
      const controller = new AbortController();
      const first = http.request({
        method: 'GET',
        path: '/x',
        signal: controller.signal,
      });
      const second = http.request({
        method: 'GET',
        path: '/x',
        signal: controller.signal,
      });
      const error = await failure(http.request({ method: 'GET', path: '/x' }));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('overloaded');
      // Both are watched before the abort: either may reject first.
      const outcomes = [failure(first), failure(second)];
      controller.abort(new Error('done'));
      for (const outcome of outcomes) {
        expect((await outcome).message).toBe('done');
      }
    });
  });

  describe('secret scrubbing', () => {
    it('keeps tokens out of every error message', async () => {
      const echo = (req: RecordedRequest, res: ServerResponse) =>
        sendJson(res, 503, {
          message: `bad auth header ${req.headers.authorization} cookie ${req.headers.cookie}`,
        });
      server.setHandler(echo);
      const http = client({
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          Cookie: `argocd.token=${TOKEN}`,
        },
        retry: { maxAttempts: 1 },
      });
      const error = await failure(
        http.requestJson({ method: 'GET', path: '/x' }),
      );
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.message).toContain('bad auth header');
      expect(error.message).not.toContain(TOKEN);
      expect(error.stack).not.toContain(TOKEN);
    });

    it('scrubs before truncating, so no partial secret survives', async () => {
      server.setHandler((_req, res) =>
        sendJson(res, 500, { message: `${'x'.repeat(480)} ${TOKEN}` }),
      );
      const http = client({ secrets: [TOKEN], retry: { maxAttempts: 1 } });
      const error = await failure(
        http.requestJson({ method: 'GET', path: '/x' }),
      );
      expect(error.message).not.toContain(TOKEN.slice(0, 8));
    });

    it('scrubs secrets it learns after creation', async () => {
      const http = client({ retry: { maxAttempts: 1 } });
      http.scrubber.add('late-session-token');
      server.setHandler((_req, res) =>
        sendJson(res, 500, { message: 'got late-session-token' }),
      );
      const error = await failure(
        http.requestJson({ method: 'GET', path: '/x' }),
      );
      expect(error.message).toContain('got [REDACTED]');
    });
  });
});
