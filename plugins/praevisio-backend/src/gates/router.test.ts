import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { praevisioPlugin } from '../plugin';
import { auditorMock } from '../__testUtils__/auditorMock';
import { testBackendDatabases } from '../__testUtils__/testBackendDatabase';
import { entity } from '../releases/__testUtils__/sandbox';

jest.setTimeout(60_000);

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const BASE = '/api/praevisio/entities/component/default/payments-api';
const AUTH = mockCredentials.user.header('user:default/ada');

const payments = entity('payments-api', {
  'backstage.io/managed-by-location': `file:${EXAMPLES}/entities.yaml`,
  'praevisio.io/slo': './slo/payments-api.slo.yaml',
  'praevisio.io/sli': './slo/sli.yaml',
  'prometheus.io/service-name': 'sandbox',
});
const escaping = entity('escaping', {
  'backstage.io/managed-by-location': `file:${EXAMPLES}/entities.yaml`,
  'praevisio.io/slo': '../package.json',
  'praevisio.io/sli': './slo/sli.yaml',
});

/** A Prometheus that answers every query with an empty vector, and counts. */
async function fakePrometheus() {
  let queries = 0;
  const server = http.createServer((_req, res) => {
    queries++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [] },
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries: () => queries,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const backendDatabases = testBackendDatabases();

describe('Gates API', () => {
  let prometheus: Awaited<ReturnType<typeof fakePrometheus>>;

  beforeEach(async () => {
    prometheus = await fakePrometheus();
  });
  afterEach(async () => {
    await prometheus.close();
  });

  async function start(permissions?: ServiceFactory) {
    const auditor = auditorMock();
    const { server } = await startTestBackend({
      features: [
        praevisioPlugin,
        mockServices.rootConfig.factory({
          data: {
            praevisio: {
              prometheus: {
                instances: [{ name: 'sandbox', url: prometheus.url }],
              },
            },
          },
        }),
        permissions ??
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({ entities: [payments, escaping] }),
        auditor.factory,
        await backendDatabases.factory(),
      ],
    });
    return { server, auditor };
  }

  const evaluate = (server: any, key = 'k1', body: object = {}) =>
    request(server)
      .post(`${BASE}/gates/evaluate`)
      .set('Authorization', AUTH)
      .set('Idempotency-Key', key)
      .send({ environment: 'prod', ...body });

  it.each([
    ['get', `${BASE}/gates`],
    ['post', `${BASE}/gates/evaluate`],
    ['post', `${BASE}/gates/evaluations/x/override`],
  ] as const)('answers 401 to %s %s without credentials', async (m, url) => {
    const { server } = await start();
    const res = await request(server)[m](url).send({});
    expect(res.status).toBe(401);
  });

  it('answers 403 before querying Prometheus when release.deploy is denied', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === 'praevisio.release.deploy'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server, auditor } = await start(permissions.factory);
    const res = await evaluate(server);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Missing permission praevisio.release.deploy for component:default/payments-api',
    );
    expect(prometheus.queries()).toBe(0);
    expect(auditor.events).toContainEqual({
      eventId: 'gate-evaluate',
      severityLevel: 'medium',
      outcome: 'fail',
    });
  });

  it('answers 400 naming the field for bad input', async () => {
    const { server } = await start();
    const missing = await request(server)
      .post(`${BASE}/gates/evaluate`)
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'k')
      .send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('environment');

    const noKey = await request(server)
      .post(`${BASE}/gates/evaluate`)
      .set('Authorization', AUTH)
      .send({ environment: 'prod' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.message).toContain('Idempotency-Key');

    const badWindow = await evaluate(server, 'k2', {
      start: '2026-11-27T10:00:00Z',
      end: '2026-11-27T09:00:00Z',
    });
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.error.message).toMatch(/^start: /);

    const badDate = await evaluate(server, 'k3', { end: 'yesterday' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toMatch(/^end: /);
    expect(prometheus.queries()).toBe(0);
  });

  it('answers 400 naming the annotation when the slo path escapes the location', async () => {
    const { server } = await start();
    const res = await request(server)
      .post('/api/praevisio/entities/component/default/escaping/gates/evaluate')
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'k')
      .send({ environment: 'prod' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('praevisio.io/slo');
  });

  it('stores an errored evaluation when Prometheus has no data, replays it by key, and lists it', async () => {
    const { server } = await start();
    const first = await evaluate(server);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      entityRef: 'component:default/payments-api',
      environment: 'prod',
      result: 'errored',
      trigger: 'manual',
      triggeredBy: 'user:default/ada',
      provider: 'prometheus',
    });
    const queries = prometheus.queries();
    expect(queries).toBe(3);

    const replay = await evaluate(server);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(prometheus.queries()).toBe(queries);

    const conflict = await evaluate(server, 'k1', { environment: 'staging' });
    expect(conflict.status).toBe(409);

    const overview = await request(server)
      .get(`${BASE}/gates`)
      .set('Authorization', AUTH);
    expect(overview.status).toBe(200);
    expect(overview.body.evaluations).toEqual([first.body]);
    expect(overview.body).toMatchObject({ canaryAnalyses: [], decisions: [] });
  });

  it('overrides an errored gate with a reason, audited with severity high in the auditor and the audit chain', async () => {
    const { server, auditor } = await start();
    const { body: evaluation } = await evaluate(server);

    const short = await request(server)
      .post(`${BASE}/gates/evaluations/${evaluation.id}/override`)
      .set('Authorization', AUTH)
      .send({ reason: 'too short' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/^reason: /);

    const res = await request(server)
      .post(`${BASE}/gates/evaluations/${evaluation.id}/override`)
      .set('Authorization', AUTH)
      .send({ reason: 'Prometheus outage INC-42; verified manually' });
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('errored');
    expect(res.body.override).toMatchObject({
      result: 'pass',
      reason: 'Prometheus outage INC-42; verified manually',
      by: 'user:default/ada',
    });
    expect(auditor.events).toContainEqual({
      eventId: 'gate-override',
      severityLevel: 'high',
      outcome: 'success',
    });

    const again = await request(server)
      .post(`${BASE}/gates/evaluations/${evaluation.id}/override`)
      .set('Authorization', AUTH)
      .send({ reason: 'Prometheus outage INC-42; verified manually' });
    expect(again.status).toBe(409);

    const audit = await request(server)
      .get('/api/praevisio/audit/events')
      .query({ entityRef: 'component:default/payments-api' })
      .set('Authorization', AUTH);
    expect(audit.status).toBe(200);
    const override = audit.body.items.find(
      (e: any) => e.action === 'gate.override',
    );
    expect(override).toMatchObject({
      actor: 'user:default/ada',
      severity: 'high',
      details: {
        evaluationId: evaluation.id,
        originalResult: 'errored',
        reason: 'Prometheus outage INC-42; verified manually',
      },
    });
    const verify = await request(server)
      .get('/api/praevisio/audit/verify')
      .set('Authorization', AUTH);
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('answers 403 to an override without praevisio.gate.override', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === 'praevisio.gate.override'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server } = await start(permissions.factory);
    const { body: evaluation } = await evaluate(server);
    const res = await request(server)
      .post(`${BASE}/gates/evaluations/${evaluation.id}/override`)
      .set('Authorization', AUTH)
      .send({ reason: 'Prometheus outage INC-42; verified manually' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('praevisio.gate.override');
  });
});
