import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { ServerResponse } from 'node:http';
import { sendJson } from '../http/__testUtils__/testServer';
import { UpstreamResponseError, UpstreamUnavailableError } from '../http';
import {
  ArgoCdClient,
  ArgoCdHttpOptions,
  isAutoSyncEnabled,
} from './ArgoCdClient';
import {
  ArgoCdAuthenticationError,
  ArgoCdAutoSyncEnabledError,
  ArgoCdForbiddenError,
  ArgoCdInputError,
  ArgoCdNotFoundError,
  ArgoCdOperationInProgressError,
} from './errors';
import { FakeArgoCd, startFakeArgoCd } from './__testUtils__/fakeArgoCd';
import { application, grpcError, GrpcCode } from './__testUtils__/fixtures';

const STATIC_TOKEN = 'argocd-static-api-token-0123456789';
const ACCOUNT = { username: 'praevisio', password: 'correct horse battery' };

/** Resolves with the rejection reason; fails the test if the call succeeded. */
function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    error => error,
  );
}

describe('ArgoCdClient', () => {
  let fake: FakeArgoCd;
  let now: number;
  let sleeps: number[];

  afterEach(() => fake?.close());

  /** Deterministic outbound behaviour: no real backoff waits. */
  function httpOptions(extra: ArgoCdHttpOptions = {}): ArgoCdHttpOptions {
    return {
      clock: { now: () => now },
      sleep: async ms => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...extra,
    };
  }

  beforeEach(() => {
    now = 1_750_000_000_000;
    sleeps = [];
  });

  function tokenClient(extra: ArgoCdHttpOptions = {}) {
    return ArgoCdClient.create({
      instance: { name: 'prod', url: fake.url, token: STATIC_TOKEN },
      http: httpOptions(extra),
    });
  }

  function sessionClient(extra: ArgoCdHttpOptions = {}) {
    return ArgoCdClient.create({
      instance: { name: 'prod', url: fake.url, ...ACCOUNT },
      http: httpOptions(extra),
    });
  }

  /** Makes the fake answer every call to `path` with `status` and a grpc error. */
  function failWith(
    status: number,
    code: number,
    message: string,
    match: (path: string) => boolean = () => true,
  ) {
    fake.intercept((req, res) => {
      if (!match(req.path)) {
        return false;
      }
      sendJson(res, status, grpcError(code, message));
      return true;
    });
  }

  const countOf = (method: string, path: string) =>
    fake.requests.filter(r => r.method === method && r.path === path).length;

  describe('authentication', () => {
    it('sends a configured token as a bearer token and never logs in', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      await tokenClient().getApplication('shop-prod');
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0].headers.authorization).toBe(
        `Bearer ${STATIC_TOKEN}`,
      );
    });

    it('logs in once and reuses the session token', async () => {
      fake = await startFakeArgoCd({ account: ACCOUNT });
      const client = sessionClient();
      await Promise.all([
        client.getApplication('shop-prod'),
        client.getResourceTree('shop-prod'),
        client.listApplications(),
      ]);
      await client.getApplication('shop-prod');
      expect(countOf('POST', '/api/v1/session')).toBe(1);
      expect(JSON.parse(fake.requests[0].body)).toEqual(ACCOUNT);
      expect(fake.requests[0].headers['content-type']).toBe('application/json');
    });

    it('renews the session once on 401 and repeats the call', async () => {
      fake = await startFakeArgoCd({ account: ACCOUNT });
      const client = sessionClient();
      await client.getApplication('shop-prod');
      fake.expireSessions(); // e.g. argocd-server restarted with a new key

      await expect(client.sync('shop-prod')).resolves.toMatchObject({
        metadata: { name: 'shop-prod' },
      });
      expect(countOf('POST', '/api/v1/session')).toBe(2);
      // the 401'd sync was not run, so it is sent again, with the new token
      const syncs = fake.requests.filter(r => r.path.endsWith('/sync'));
      expect(syncs.map(r => r.headers.authorization)).toEqual([
        `Bearer ${fake.issuedTokens[0]}`,
        `Bearer ${fake.issuedTokens[1]}`,
      ]);
    });

    it('fails with an auth error when the renewed session is refused too', async () => {
      fake = await startFakeArgoCd({ account: ACCOUNT });
      const client = sessionClient();
      failWith(
        401,
        GrpcCode.Unauthenticated,
        'invalid session: account disabled',
        p => p.startsWith('/api/v1/applications'),
      );
      const error = await failure(client.getApplication('shop-prod'));
      expect(error).toBeInstanceOf(ArgoCdAuthenticationError);
      expect(error.statusCode).toBe(502);
      expect(error.details.upstreamMessage).toBe(
        'invalid session: account disabled',
      );
      expect(countOf('POST', '/api/v1/session')).toBe(2);
      expect(countOf('GET', '/api/v1/applications/shop-prod')).toBe(2);
    });

    it('does not try to log in when a static token is refused', async () => {
      fake = await startFakeArgoCd({ token: 'some-other-token' });
      const error = await failure(tokenClient().getApplication('shop-prod'));
      expect(error).toBeInstanceOf(ArgoCdAuthenticationError);
      expect(fake.requests).toHaveLength(1);
    });

    it('reports a refused login without revealing the password', async () => {
      fake = await startFakeArgoCd({
        account: { username: 'praevisio', password: 'something else' },
      });
      fake.intercept((req, res) => {
        if (req.path !== '/api/v1/session') {
          return false;
        }
        // a server that echoes the request: worst case for leaks
        sendJson(
          res,
          401,
          grpcError(16, `Invalid username or password in ${req.body}`),
        );
        return true;
      });
      const error = await failure(sessionClient().listApplications());
      expect(error).toBeInstanceOf(ArgoCdAuthenticationError);
      expect(error.message).toMatch(/refused to log in as 'praevisio'/);
      expect(error.message).not.toContain(ACCOUNT.password);
      expect(JSON.stringify(error.details)).not.toContain(ACCOUNT.password);
    });

    it('renews a session token shortly before it expires', async () => {
      fake = await startFakeArgoCd({
        account: ACCOUNT,
        sessionExp: Math.floor(now / 1000) + 3600,
      });
      const client = sessionClient();
      await client.listApplications();
      now += 3600_000 - 30_000; // within the renewal margin
      await client.listApplications();
      expect(countOf('POST', '/api/v1/session')).toBe(2);
      expect(countOf('GET', '/api/v1/applications')).toBe(2); // no 401 round trip
    });
  });

  describe('resource actions', () => {
    const resume = {
      namespace: 'shop',
      resourceName: 'shop',
      action: 'resume' as const,
    };

    it('uses actions v2 when the server has it', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      const client = tokenClient();
      await client.runRolloutAction('shop-prod', resume);
      await client.runRolloutAction('shop-prod', {
        ...resume,
        action: 'abort',
      });
      expect(fake.requests.map(r => r.path)).toEqual([
        '/api/v1/applications/shop-prod/resource/actions/v2',
        '/api/v1/applications/shop-prod/resource/actions/v2',
      ]);
    });

    it('falls back to v1 on 404 and remembers that the instance lacks v2', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN, actionsV2: false });
      const client = tokenClient();
      await client.runRolloutAction('shop-prod', resume);
      await client.runRolloutAction('shop-prod', {
        ...resume,
        action: 'abort',
      });
      expect(fake.requests.map(r => `${r.path} ${r.body}`)).toEqual([
        expect.stringMatching(/\/actions\/v2 \{/),
        '/api/v1/applications/shop-prod/resource/actions "resume"',
        '/api/v1/applications/shop-prod/resource/actions "abort"',
      ]);
    });

    it('falls back to v1 on 405 too', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      fake.intercept((req, res) => {
        if (!req.path.endsWith('/v2')) {
          return false;
        }
        res.writeHead(405, { 'content-type': 'text/plain' });
        res.end('Method Not Allowed');
        return true;
      });
      await tokenClient().runRolloutAction('shop-prod', resume);
      expect(fake.requests.map(r => r.path.split('/').pop())).toEqual([
        'v2',
        'actions',
      ]);
    });

    it('does not conclude that v2 is missing when the application is', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      failWith(
        404,
        GrpcCode.NotFound,
        'applications.argoproj.io "gone" not found',
        p => p.includes('/gone/'),
      );
      const client = tokenClient();
      await expect(
        client.runRolloutAction('gone', { ...resume, project: 'payments' }),
      ).rejects.toBeInstanceOf(ArgoCdNotFoundError);
      await client.runRolloutAction('shop-prod', resume);
      expect(fake.requests.map(r => r.path)).toEqual([
        '/api/v1/applications/gone/resource/actions/v2',
        '/api/v1/applications/gone/resource/actions',
        '/api/v1/applications/shop-prod/resource/actions/v2',
      ]);
    });

    it('never retries an action', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      failWith(503, GrpcCode.Unavailable, 'connection refused');
      const error = await failure(
        tokenClient().runRolloutAction('shop-prod', resume),
      );
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('typed errors', () => {
    beforeEach(async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
    });

    it('reports a sync during another operation as ArgoCdOperationInProgressError', async () => {
      failWith(
        400,
        GrpcCode.FailedPrecondition,
        'another operation is already in progress',
      );
      const error = await failure(tokenClient().sync('shop-prod'));
      expect(error).toBeInstanceOf(ArgoCdOperationInProgressError);
      expect(ArgoCdOperationInProgressError.is(error)).toBe(true);
      expect(error.statusCode).toBe(409);
      expect(error.message).toBe(
        "Argo CD 'prod' refused to sync application 'shop-prod': another operation is already in progress",
      );
      expect(error.details).toEqual({
        instance: 'prod',
        status: 400,
        grpcCode: GrpcCode.FailedPrecondition,
        upstreamMessage: 'another operation is already in progress',
      });
    });

    it('reports a rollback under auto-sync as ArgoCdAutoSyncEnabledError', async () => {
      failWith(
        400,
        GrpcCode.FailedPrecondition,
        'rollback cannot be initiated when auto-sync is enabled',
      );
      const error = await failure(
        tokenClient().rollback('shop-prod', { id: 11 }),
      );
      expect(error).toBeInstanceOf(ArgoCdAutoSyncEnabledError);
      expect(error.statusCode).toBe(409);
      expect(error.details.upstreamMessage).toMatch(/auto-sync is enabled/);
    });

    it('reports other 400s as input errors with the upstream reason', async () => {
      failWith(
        400,
        GrpcCode.InvalidArgument,
        'application shop-prod does not have history with id 99',
      );
      const error = await failure(
        tokenClient().rollback('shop-prod', { id: 99 }),
      );
      expect(error).toBeInstanceOf(ArgoCdInputError);
      expect(InputError.is(error)).toBe(true);
      expect(error.message).toMatch(/does not have history with id 99/);
    });

    it('reports 403 without a project as not found, since Argo CD hides which', async () => {
      const error = await failure(tokenClient().getApplication('secret-app'));
      expect(error).toBeInstanceOf(ArgoCdNotFoundError);
      expect(NotFoundError.is(error)).toBe(true);
      expect(error.message).toMatch(/not found or not permitted/);
      expect(error.details.status).toBe(403);
    });

    it('reports 403 with a project as forbidden and 404 as not found', async () => {
      const missing = await failure(
        tokenClient().getApplication('missing-app', { project: 'payments' }),
      );
      expect(missing).toBeInstanceOf(ArgoCdNotFoundError);
      expect(missing.message).toMatch(/"missing-app" not found/);

      failWith(
        403,
        GrpcCode.PermissionDenied,
        'permission denied: applications, sync, payments/shop-prod',
      );
      const denied = await failure(
        tokenClient().sync('shop-prod', { project: 'payments' }),
      );
      expect(denied).toBeInstanceOf(ArgoCdForbiddenError);
      expect(NotAllowedError.is(denied)).toBe(true);
    });

    it('reports 503 as unavailable, after retrying reads', async () => {
      failWith(503, GrpcCode.Unavailable, 'repository server unavailable');
      const error = await failure(tokenClient().getApplication('shop-prod'));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('http-status');
      expect(error.message).toMatch(/repository server unavailable/);
      expect(fake.requests).toHaveLength(3);
      expect(sleeps).toEqual([100, 200]);
    });

    it('reports unexpected statuses as upstream response errors', async () => {
      failWith(
        500,
        2,
        'rpc error: code = Unknown desc = manifest generation failed',
      );
      const error = await failure(tokenClient().getResourceTree('shop-prod'));
      expect(error).toBeInstanceOf(UpstreamResponseError);
      expect(error.statusCode).toBe(502);
      expect(error.message).toMatch(/manifest generation failed/);
    });

    it('rejects invalid names and ids before calling Argo CD', async () => {
      await expect(tokenClient().getApplication('..')).rejects.toThrow(
        InputError,
      );
      await expect(
        tokenClient().rollback('shop-prod', { id: -1 }),
      ).rejects.toThrow(InputError);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('outbound safeguards', () => {
    it('retries a read on 502/503/504 but never a sync', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      let failures = 2;
      fake.intercept((_req, res) => {
        if (failures <= 0) {
          return false;
        }
        failures -= 1;
        sendJson(res, 502, 'bad gateway');
        return true;
      });
      await expect(
        tokenClient().getApplication('shop-prod'),
      ).resolves.toBeDefined();
      expect(fake.requests).toHaveLength(3);

      failures = 1;
      await expect(tokenClient().sync('shop-prod')).rejects.toBeInstanceOf(
        UpstreamUnavailableError,
      );
      expect(countOf('POST', '/api/v1/applications/shop-prod/sync')).toBe(1);
    });

    it('retries the idempotent auto-sync patch', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      let failures = 1;
      fake.intercept((_req, res) => {
        if (failures-- <= 0) {
          return false;
        }
        sendJson(res, 503, grpcError(14, 'unavailable'));
        return true;
      });
      await tokenClient().setAutoSync('shop-prod', false);
      expect(countOf('PATCH', '/api/v1/applications/shop-prod')).toBe(2);
    });

    it('opens the circuit after consecutive failures and then fails fast', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      failWith(503, GrpcCode.Unavailable, 'down');
      const client = tokenClient({
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
      });
      for (let i = 0; i < 3; i++) {
        await expect(client.listApplications()).rejects.toThrow(
          UpstreamUnavailableError,
        );
      }
      expect(client.circuitState).toBe('open');
      const error = await failure(client.sync('shop-prod'));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('circuit-open');
      expect(fake.requests).toHaveLength(3);

      fake.intercept(undefined);
      now += 60_000;
      await expect(client.listApplications()).resolves.toHaveLength(1);
      expect(client.circuitState).toBe('closed');
    });

    it('keeps no more calls in flight than the concurrency cap', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      let inFlight = 0;
      let maxSeen = 0;
      fake.intercept(
        (_req, res: ServerResponse) =>
          new Promise<boolean>(resolve => {
            inFlight += 1;
            maxSeen = Math.max(maxSeen, inFlight);
            setTimeout(() => {
              inFlight -= 1;
              sendJson(res, 200, application);
              resolve(true);
            }, 15);
          }),
      );
      const client = tokenClient({ maxConcurrency: 2 });
      await Promise.all(
        Array.from({ length: 6 }, () => client.getApplication('shop-prod')),
      );
      expect(fake.requests).toHaveLength(6);
      expect(maxSeen).toBe(2);
    });

    it('times out a call that hangs', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      fake.intercept(() => true); // never answers
      const error = await failure(
        tokenClient({
          timeoutMs: 50,
          retry: { maxAttempts: 1 },
        }).getApplication('shop-prod'),
      );
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.reason).toBe('timeout');
    });

    it('keeps static and session tokens out of error messages', async () => {
      fake = await startFakeArgoCd({ token: STATIC_TOKEN });
      const echo = (status: number) =>
        fake.intercept((req, res) => {
          if (req.path === '/api/v1/session') {
            return false;
          }
          sendJson(
            res,
            status,
            grpcError(
              3,
              `bad request with ${
                req.headers.authorization
              }; token ${req.headers.authorization?.slice(7)}`,
            ),
          );
          return true;
        });

      echo(400);
      const staticError = await failure(tokenClient().sync('shop-prod'));
      expect(staticError).toBeInstanceOf(ArgoCdInputError);
      expect(staticError.message).toContain('bad request with');
      expect(staticError.message).not.toContain(STATIC_TOKEN);
      expect(staticError.details.upstreamMessage).not.toContain(STATIC_TOKEN);

      await fake.close();
      fake = await startFakeArgoCd({ account: ACCOUNT });
      echo(500);
      const sessionError = await failure(
        sessionClient().getApplication('shop-prod'),
      );
      expect(sessionError).toBeInstanceOf(UpstreamResponseError);
      expect(fake.issuedTokens).toHaveLength(1);
      expect(sessionError.message).not.toContain(fake.issuedTokens[0]);
      expect(sessionError.message).not.toContain(
        fake.issuedTokens[0].split('.')[1],
      );
      expect(sessionError.message).toContain('[REDACTED]');
    });
  });

  describe('helpers', () => {
    it('tells whether auto-sync is on, including the 3.x enabled flag', () => {
      const withPolicy = (automated: unknown) =>
        ({
          ...application,
          spec: { ...application.spec, syncPolicy: { automated } },
        } as any);
      expect(isAutoSyncEnabled(withPolicy({ prune: true }))).toBe(true);
      expect(isAutoSyncEnabled(withPolicy({ enabled: false }))).toBe(false);
      expect(isAutoSyncEnabled(withPolicy(null))).toBe(false);
      expect(isAutoSyncEnabled(withPolicy(undefined))).toBe(false);
    });

    it('links to the Argo CD UI, preferring frontendUrl', () => {
      const client = ArgoCdClient.create({
        instance: {
          name: 'prod',
          url: 'https://argocd-api.internal',
          frontendUrl: 'https://argocd.example.com/',
        },
      });
      expect(client.applicationWebUrl('shop-prod')).toBe(
        'https://argocd.example.com/applications/shop-prod',
      );
      expect(client.applicationWebUrl('shop-prod', 'team-a')).toBe(
        'https://argocd.example.com/applications/team-a/shop-prod',
      );
    });

    it('rejects ambiguous credentials', () => {
      expect(() =>
        ArgoCdClient.create({
          instance: { name: 'x', url: 'https://a', token: 't', ...ACCOUNT },
        }),
      ).toThrow(/either token or username and password/);
      expect(() =>
        ArgoCdClient.create({
          instance: { name: 'x', url: 'https://a', username: 'u' },
        }),
      ).toThrow(/username and password go together/);
    });
  });
});
