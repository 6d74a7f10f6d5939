import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { praevisioPlugin } from './plugin';
import { spec } from './schema/openapi.generated';
import { testBackendDatabases } from './__testUtils__/testBackendDatabase';

const config = {
  praevisio: {
    argocd: {
      instances: [
        {
          name: 'main',
          url: 'http://argocd.internal',
          token: 'super-secret-token',
        },
      ],
    },
  },
};

const backendDatabases = testBackendDatabases();

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      praevisioPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.factory({ result }),
      // Requests without an Authorization header are unauthenticated, as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      await backendDatabases.factory(),
    ],
  });
  return server;
}

describe('praevisio backend plugin', () => {
  it('serves /health without credentials', async () => {
    const server = await startBackend();
    const res = await request(server).get('/api/praevisio/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  // Every operation in the OpenAPI spec, so a new route cannot forget it.
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter(method =>
        ['get', 'post', 'put', 'patch', 'delete'].includes(method),
      )
      .map(method => [method, path] as const),
  );

  it('has operations besides /health to check', () => {
    expect(operations.length).toBeGreaterThan(5);
  });

  it.each(operations.filter(([, path]) => path !== '/health'))(
    'answers 401 on %s %s without credentials',
    async (method, path) => {
      const server = await startBackend();
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      const res = await (request(server) as any)
        [method](`/api/praevisio${concrete}`)
        .set('Idempotency-Key', 'k')
        .send({});
      expect(res.status).toBe(401);
    },
  );

  it('reports which integrations are configured without leaking URLs or tokens', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/praevisio/integrations')
      .set('Authorization', mockCredentialsHeader());
    expect(res.status).toBe(200);
    const argocd = res.body.integrations.find((i: any) => i.name === 'argocd');
    expect(argocd).toMatchObject({ configured: true, instances: ['main'] });
    const prometheus = res.body.integrations.find(
      (i: any) => i.name === 'prometheus',
    );
    expect(prometheus.configured).toBe(false);
    expect(prometheus.howToConfigure).toMatch(
      /praevisio\.prometheus\.instances/,
    );
    expect(JSON.stringify(res.body)).not.toMatch(
      /super-secret-token|argocd\.internal/,
    );
  });

  it('verifies an empty audit chain', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/praevisio/audit/verify?fromSeq=1&limit=10')
      .set('Authorization', mockCredentialsHeader());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, checked: 0, lastSeq: 0 });
  });

  it.each([
    ['fromSeq=abc', 'fromSeq'],
    ['limit=-4', 'limit'],
    ['fromSeq=1.5', 'fromSeq'],
  ])(
    'rejects bad audit verify input (%s) with a 400 naming the field',
    async (query, field) => {
      const server = await startBackend();
      const res = await request(server)
        .get(`/api/praevisio/audit/verify?${query}`)
        .set('Authorization', mockCredentialsHeader());
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
    },
  );

  it('answers 403 when the permission policy denies audit reads', async () => {
    const server = await startBackend(AuthorizeResult.DENY);
    const res = await request(server)
      .get('/api/praevisio/audit/verify')
      .set('Authorization', mockCredentialsHeader());
    expect(res.status).toBe(403);
  });
});

function mockCredentialsHeader() {
  return mockCredentials.user.header();
}
