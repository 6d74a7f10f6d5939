import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { errorMessage } from '../lib/errors';
import { PraevisioClient } from './PraevisioClient';

const BASE = 'http://backstage.test/api/praevisio';
const ENTITY = `${BASE}/entities/component/default/payments`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function makeClient() {
  return new PraevisioClient({
    discoveryApi: { getBaseUrl: async () => BASE },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

/** Records each request the handler saw, for assertions on path, headers, body. */
function recordPost(path: string, response: object, status = 200) {
  const seen: Array<{ url: string; headers: Headers; body: unknown }> = [];
  server.use(
    http.post(path, async ({ request }) => {
      seen.push({
        url: request.url,
        headers: request.headers,
        body: await request.json(),
      });
      return HttpResponse.json(response, { status });
    }),
  );
  return seen;
}

function backstageError(status: number, name: string, message: string) {
  return HttpResponse.json(
    {
      error: { name, message },
      request: { method: 'POST', url: '/x' },
      response: { statusCode: status },
    },
    { status },
  );
}

describe('PraevisioClient releases', () => {
  it('reads the overview under the lower-case kind with every part encoded', async () => {
    let url = '';
    server.use(
      http.get(
        `${BASE}/entities/:kind/:namespace/:name/releases`,
        ({ request }) => {
          url = request.url;
          return HttpResponse.json({ environments: [], stale: false });
        },
      ),
    );
    await makeClient().getReleases('Component:team a/pay/ments');
    expect(url).toBe(
      `${BASE}/entities/component/team%20a/pay%2Fments/releases`,
    );
  });

  it('accepts a compound entity ref', async () => {
    server.use(
      http.get(`${ENTITY}/releases`, () =>
        HttpResponse.json({ environments: [], stale: true }),
      ),
    );
    const overview = await makeClient().getReleases({
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
    });
    expect(overview.stale).toBe(true);
  });

  it('asks for one 0-based history page, filtered by application', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${ENTITY}/releases/history`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          items: [],
          total: 0,
          page: 1,
          pageSize: 25,
        });
      }),
    );
    await makeClient().getReleaseHistory('component:default/payments', {
      application: 'payments-prod',
      page: 1,
      pageSize: 25,
    });
    expect(Object.fromEntries(query!)).toEqual({
      application: 'payments-prod',
      page: '1',
      pageSize: '25',
    });
  });

  it('leaves out the application filter when there is none', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${ENTITY}/releases/history`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          items: [],
          total: 0,
          page: 0,
          pageSize: 10,
        });
      }),
    );
    await makeClient().getReleaseHistory('component:default/payments', {
      page: 0,
      pageSize: 10,
    });
    expect(query!.has('application')).toBe(false);
  });

  it('unwraps the deployments list', async () => {
    let limit: string | null = null;
    server.use(
      http.get(`${ENTITY}/deployments`, ({ request }) => {
        limit = new URL(request.url).searchParams.get('limit');
        return HttpResponse.json({ items: [{ id: 'd-1' }] });
      }),
    );
    const items = await makeClient().getDeployments(
      'component:default/payments',
      { limit: 20 },
    );
    expect(limit).toBe('20');
    expect(items).toEqual([{ id: 'd-1' }]);
  });

  it('posts a sync with the idempotency key and a JSON body', async () => {
    const seen = recordPost(`${ENTITY}/releases/:application/sync`, {
      id: 'd-2',
      state: 'requested',
    });
    const result = await makeClient().sync(
      'component:default/payments',
      'payments prod',
      { revision: 'v1.2.3' },
      'key-1',
    );
    expect(result).toEqual({ id: 'd-2', state: 'requested' });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe(`${ENTITY}/releases/payments%20prod/sync`);
    expect(seen[0].headers.get('Idempotency-Key')).toBe('key-1');
    expect(seen[0].headers.get('Content-Type')).toBe('application/json');
    expect(seen[0].body).toEqual({ revision: 'v1.2.3' });
  });

  it('posts a dry-run sync and returns the preview', async () => {
    const seen = recordPost(`${ENTITY}/releases/payments-prod/sync`, {
      application: 'payments-prod',
      resources: [{ kind: 'Deployment', name: 'payments' }],
    });
    const preview = await makeClient().sync(
      'component:default/payments',
      'payments-prod',
      { dryRun: true },
      'key-2',
    );
    expect(preview.resources).toHaveLength(1);
    expect(seen[0].body).toEqual({ dryRun: true });
    expect(seen[0].headers.get('Idempotency-Key')).toBe('key-2');
  });

  it('posts rollbacks and rollout commands to their own routes', async () => {
    const rollbacks = recordPost(`${ENTITY}/releases/payments-prod/rollback`, {
      id: 'd-3',
    });
    const rollouts = recordPost(`${ENTITY}/releases/payments-prod/rollout`, {
      id: 'd-4',
    });
    const client = makeClient();
    await client.rollback(
      'component:default/payments',
      'payments-prod',
      { historyId: 11, disableAutoSync: true },
      'key-3',
    );
    await client.rolloutAction(
      'component:default/payments',
      'payments-prod',
      { action: 'promote-full' },
      'key-4',
    );
    expect(rollbacks[0].body).toEqual({ historyId: 11, disableAutoSync: true });
    expect(rollbacks[0].headers.get('Idempotency-Key')).toBe('key-3');
    expect(rollbacks[0].headers.get('Content-Type')).toBe('application/json');
    expect(rollouts[0].body).toEqual({ action: 'promote-full' });
    expect(rollouts[0].headers.get('Idempotency-Key')).toBe('key-4');
  });

  it('turns a refusal into a ResponseError carrying the server message', async () => {
    server.use(
      http.post(`${ENTITY}/releases/payments-prod/rollback`, () =>
        backstageError(
          409,
          'ConflictError',
          'rollback cannot be initiated when auto-sync is enabled',
        ),
      ),
    );
    const error = await makeClient()
      .rollback(
        'component:default/payments',
        'payments-prod',
        { historyId: 1 },
        'k',
      )
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.name).toBe('ConflictError');
    expect(errorMessage(error)).toBe(
      'rollback cannot be initiated when auto-sync is enabled',
    );
  });

  it('keeps the message of an error body without the response envelope', async () => {
    server.use(
      http.get(`${ENTITY}/releases`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'argocd/app-selector is malformed',
            },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await makeClient()
      .getReleases('component:default/payments')
      .catch(e => e);
    expect(error.statusCode).toBe(400);
    expect(errorMessage(error)).toBe('argocd/app-selector is malformed');
  });
});

describe('PraevisioClient quality gates', () => {
  it('reads the gates overview of an entity', async () => {
    server.use(
      http.get(`${ENTITY}/gates`, () =>
        HttpResponse.json({
          evaluations: [],
          canaryAnalyses: [],
          decisions: [],
        }),
      ),
    );
    const overview = await makeClient().getGates('component:default/payments');
    expect(overview).toEqual({
      evaluations: [],
      canaryAnalyses: [],
      decisions: [],
    });
  });

  it('surfaces a 404 from a backend without gates as a ResponseError', async () => {
    server.use(
      http.get(`${ENTITY}/gates`, () =>
        backstageError(404, 'NotFoundError', 'Not found'),
      ),
    );
    const error = await makeClient()
      .getGates('component:default/payments')
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(404);
  });

  it('posts an evaluation request with its body and idempotency key', async () => {
    const seen = recordPost(`${ENTITY}/gates/evaluate`, { id: 'ev-1' });
    const result = await makeClient().evaluateGate(
      'component:default/payments',
      { environment: 'prod', application: 'payments-prod' },
      'key-1',
    );
    expect(result).toEqual({ id: 'ev-1' });
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.get('Idempotency-Key')).toBe('key-1');
    expect(seen[0].headers.get('Content-Type')).toBe('application/json');
    expect(seen[0].body).toEqual({
      environment: 'prod',
      application: 'payments-prod',
    });
  });

  it('posts an override to the encoded evaluation path with its reason and key', async () => {
    const seen = recordPost(`${ENTITY}/gates/evaluations/:id/override`, {
      id: 'ev/1',
    });
    await makeClient().overrideGate(
      'component:default/payments',
      'ev/1',
      { reason: 'Latency spike is a known upstream issue' },
      'key-2',
    );
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe(`${ENTITY}/gates/evaluations/ev%2F1/override`);
    expect(seen[0].headers.get('Idempotency-Key')).toBe('key-2');
    expect(seen[0].body).toEqual({
      reason: 'Latency spike is a known upstream issue',
    });
  });
});
