import { InputError, NotFoundError } from '@backstage/errors';
import {
  sendJson,
  startTestServer,
  TestServer,
} from '../http/__testUtils__/testServer';
import { UpstreamResponseError, UpstreamUnavailableError } from '../http';
import { KeptnClient } from './KeptnClient';
import {
  KeptnAuthenticationError,
  KeptnEvaluationTimeoutError,
  KeptnInputError,
  KeptnNotFoundError,
} from './errors';
import type { KeptnTriggerEvaluationRequest } from './types';
import {
  FakeKeptn,
  FINISHED,
  SLO,
  startFakeKeptn,
} from './__testUtils__/fakeKeptn';

const TOKEN = 'keptn-secret-token-42';
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const target = { project: 'shop', stage: 'prod', service: 'cart' };

describe('KeptnClient against a local Keptn', () => {
  let keptn: FakeKeptn;
  let client: KeptnClient;

  beforeAll(async () => {
    keptn = await startFakeKeptn(TOKEN);
    client = KeptnClient.create({
      name: 'local',
      url: keptn.url,
      apiToken: TOKEN,
      http: { retry: FAST_RETRY },
    });
  });

  afterAll(() => keptn.close());

  beforeEach(() => {
    keptn.requests.length = 0;
  });

  it('triggers an evaluation, sees nothing until it finishes, then reads the result', async () => {
    const { keptnContext } = await client.triggerEvaluation({
      ...target,
      start: new Date('2025-03-04T09:00:00Z'),
      timeframe: '10m',
      labels: { buildId: '42' },
      gitcommitid: 'abc123',
    });
    expect(keptnContext).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.getEvaluationFinished(keptnContext)).toBeUndefined();

    keptn.finishAll({ response_time_p95: 420, error_rate: 0.01 });
    const finished = await client.getEvaluationFinished(keptnContext);
    expect(finished).toMatchObject({
      keptnContext,
      project: 'shop',
      stage: 'prod',
      service: 'cart',
      labels: { buildId: '42' },
      status: 'succeeded',
      result: 'pass',
      evaluation: { score: 100, result: 'pass' },
    });
    expect(finished!.evaluation.indicatorResults.map(r => r.status)).toEqual([
      'pass',
      'pass',
    ]);
    // The slo.yaml Keptn scored with comes back decoded, as evidence.
    expect(finished!.evaluation.sloFileContent).toBe(SLO);

    const [post, get] = keptn.requests;
    expect(post.headers['x-token']).toBe(TOKEN);
    expect(post.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post.body)).toEqual({
      start: '2025-03-04T09:00:00.000Z',
      timeframe: '10m',
      labels: { buildId: '42' },
      gitcommitid: 'abc123',
    });
    expect(get.query).toEqual({
      keptnContext: [keptnContext],
      type: [FINISHED],
    });
  });

  it('reports the engine result: a failed key SLI fails the gate', async () => {
    const { keptnContext } = await client.triggerEvaluation(target);
    keptn.finishAll({ response_time_p95: 420, error_rate: 0.5 });
    const finished = await client.getEvaluationFinished(keptnContext);
    expect(finished?.result).toBe('fail');
  });

  it('waits for the evaluation, polling until it has finished', async () => {
    const { keptnContext } = await client.triggerEvaluation({
      ...target,
      timeframe: '5m',
    });
    setTimeout(
      () => keptn.finishAll({ response_time_p95: 700, error_rate: 0.01 }),
      60,
    );
    const finished = await client.waitForEvaluation(keptnContext, {
      timeoutMs: 5_000,
      pollMs: 10,
    });
    expect(finished.result).toBe('warning');
    const polls = keptn.requests.filter(r => r.method === 'GET').length;
    expect(polls).toBeGreaterThan(1);
  });

  it('fails closed when the evaluation does not finish in time', async () => {
    const { keptnContext } = await client.triggerEvaluation(target);
    const error = await client
      .waitForEvaluation(keptnContext, { timeoutMs: 80, pollMs: 10 })
      .catch(e => e);
    expect(error).toBeInstanceOf(KeptnEvaluationTimeoutError);
    expect(error).toMatchObject({
      name: 'KeptnEvaluationTimeoutError',
      statusCode: 504,
      keptnContext,
      timeoutMs: 80,
      instance: 'local',
    });
    keptn.finishAll({ response_time_p95: 1, error_rate: 0 });
  });

  it('stops waiting when the caller aborts', async () => {
    const { keptnContext } = await client.triggerEvaluation(target);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 30);
    await expect(
      client.waitForEvaluation(keptnContext, {
        timeoutMs: 5_000,
        pollMs: 10,
        signal: controller.signal,
      }),
    ).rejects.toThrow('user cancelled');
    keptn.finishAll({ response_time_p95: 1, error_rate: 0 });
  });

  it('maps an unknown service to KeptnNotFoundError', async () => {
    const error = await client
      .triggerEvaluation({ ...target, service: 'nope' })
      .catch(e => e);
    expect(error).toBeInstanceOf(KeptnNotFoundError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.details).toEqual({
      instance: 'local',
      status: 404,
      code: 404,
      upstreamMessage: 'service not found',
    });
  });

  it('maps a refused token to KeptnAuthenticationError (502), for both calls', async () => {
    const wrong = KeptnClient.create({
      name: 'wrong',
      url: keptn.url,
      apiToken: 'not-the-token',
    });
    const trigger = await wrong.triggerEvaluation(target).catch(e => e);
    expect(trigger).toBeInstanceOf(KeptnAuthenticationError);
    expect(trigger.statusCode).toBe(502);
    const get = await wrong.getEvaluationFinished('ctx').catch(e => e);
    expect(get).toBeInstanceOf(KeptnAuthenticationError);
    // Not a transient error: waiting gives up at once instead of polling on.
    const wait = await wrong
      .waitForEvaluation('ctx', { timeoutMs: 5_000, pollMs: 10 })
      .catch(e => e);
    expect(wait).toBeInstanceOf(KeptnAuthenticationError);
  });

  it('reads errored events as failed and refuses events without a clear result', async () => {
    keptn.addRawEvent('errored-ctx', {
      id: 'e1',
      data: {
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        status: 'errored',
        result: 'fail',
        message: 'could not retrieve SLI values',
      },
    });
    expect(await client.getEvaluationFinished('errored-ctx')).toMatchObject({
      status: 'errored',
      result: 'fail',
      message: 'could not retrieve SLI values',
      evaluation: { score: 0, result: 'fail', indicatorResults: [] },
    });

    keptn.addRawEvent('odd-ctx', {
      data: { result: 'great', evaluation: { score: 100, result: 'great' } },
    });
    await expect(client.getEvaluationFinished('odd-ctx')).rejects.toThrow(
      UpstreamResponseError,
    );
    keptn.addRawEvent('no-score-ctx', {
      data: { result: 'pass', evaluation: { result: 'pass' } },
    });
    await expect(client.getEvaluationFinished('no-score-ctx')).rejects.toThrow(
      /score/,
    );
    keptn.addRawEvent('bad-slo-ctx', {
      data: {
        result: 'pass',
        evaluation: {
          score: 100,
          result: 'pass',
          sloFileContent: 'not base64 at all!',
        },
      },
    });
    const badSlo = await client.getEvaluationFinished('bad-slo-ctx');
    expect(badSlo?.result).toBe('pass');
    expect(badSlo?.evaluation.sloFileContent).toBeUndefined();
  });

  it('accepts a URL ending in /api, as the Keptn CLI endpoint is written', async () => {
    const apiUrl = KeptnClient.create({
      name: 'api',
      url: `${keptn.url}/api/`,
      apiToken: TOKEN,
    });
    await apiUrl.triggerEvaluation(target);
    expect(keptn.requests[0].path).toBe(
      '/api/controlPlane/v1/project/shop/stage/prod/service/cart/evaluation',
    );
    keptn.finishAll({ response_time_p95: 1, error_rate: 0 });
  });
});

describe('KeptnClient input checks (no call is made)', () => {
  let server: TestServer;
  let client: KeptnClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = KeptnClient.create({
      name: 'checks',
      url: server.url,
      apiToken: TOKEN,
    });
  });

  afterAll(() => server.close());

  it.each<[string, unknown]>([
    [
      'end and timeframe together',
      {
        start: '2025-01-01T00:00:00Z',
        end: '2025-01-01T01:00:00Z',
        timeframe: '5m',
      },
    ],
    ['an end without a start', { end: '2025-01-01T01:00:00Z' }],
    ['a start alone', { start: '2025-01-01T00:00:00Z' }],
    [
      'a window under a minute',
      { start: '2025-01-01T00:00:00Z', end: '2025-01-01T00:00:59Z' },
    ],
    [
      'an end before the start',
      { start: '2025-01-01T01:00:00Z', end: '2025-01-01T00:00:00Z' },
    ],
    ['a timeframe under a minute', { timeframe: '59s' }],
    ['a timeframe Keptn cannot parse', { timeframe: '5 minutes' }],
    ['a negative timeframe', { timeframe: '-5m' }],
    ['an invalid start', { start: 'yesterday', timeframe: '5m' }],
    ['an invalid Date', { start: new Date('nope'), timeframe: '5m' }],
    ['non-string labels', { labels: { build: 42 } }],
    ['an empty project', { project: '' }],
    ['a dot-dot stage', { stage: '..' }],
  ])('refuses %s', async (_what, overrides) => {
    const request = {
      ...target,
      ...(overrides as object),
    } as KeptnTriggerEvaluationRequest;
    await expect(client.triggerEvaluation(request)).rejects.toThrow(InputError);
    expect(server.requests).toHaveLength(0);
  });

  it('sends a zone-less time as UTC and encodes path segments', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, { keptnContext: 'ctx-1' }),
    );
    await client.triggerEvaluation({
      project: 'my shop',
      stage: 'prod',
      service: 'cart/v2',
      start: '2025-01-01T10:00:00',
      end: '2025-01-01T12:05:00+01:00',
    });
    const [req] = server.requests.splice(0);
    expect(req.path).toBe(
      '/api/controlPlane/v1/project/my%20shop/stage/prod/service/cart%2Fv2/evaluation',
    );
    expect(JSON.parse(req.body)).toEqual({
      start: '2025-01-01T10:00:00.000Z',
      end: '2025-01-01T11:05:00.000Z',
    });
  });

  it('refuses an empty keptnContext, a missing token and bad wait options', async () => {
    await expect(client.getEvaluationFinished(' ')).rejects.toThrow(InputError);
    expect(() =>
      KeptnClient.create({ name: 'x', url: server.url, apiToken: '' }),
    ).toThrow(/apiToken/);
    await expect(
      client.waitForEvaluation('ctx', { timeoutMs: 0 }),
    ).rejects.toThrow(InputError);
    await expect(
      client.waitForEvaluation('ctx', { timeoutMs: 100, pollMs: NaN }),
    ).rejects.toThrow(InputError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('KeptnClient upstream failures', () => {
  let server: TestServer;
  let client: KeptnClient;

  beforeEach(async () => {
    server = await startTestServer();
    client = KeptnClient.create({
      name: 'flaky',
      url: server.url,
      apiToken: TOKEN,
      http: { retry: FAST_RETRY },
    });
  });

  afterEach(() => server.close());

  it('maps 400 to KeptnInputError with Keptn message and code', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 400, {
        code: 0,
        message: 'end date must be at least 1 minute after start date',
      }),
    );
    const error = await client.triggerEvaluation(target).catch(e => e);
    expect(error).toBeInstanceOf(KeptnInputError);
    expect(error.message).toBe(
      "Keptn 'flaky' refused the evaluation: end date must be at least 1 minute after start date",
    );
    expect(error.details.code).toBe(0);
  });

  it('never retries the trigger, even on 503', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 503, { code: 503, message: 'unavailable' }),
    );
    await expect(client.triggerEvaluation(target)).rejects.toThrow(
      UpstreamUnavailableError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('retries the event query on 503 and then succeeds', async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      if (calls < 3) {
        sendJson(res, 503, { code: 503, message: 'unavailable' });
      } else {
        sendJson(res, 200, { events: [], totalCount: 0, pageSize: 0 });
      }
    });
    expect(await client.getEvaluationFinished('ctx')).toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });

  it('keeps polling through transient failures until the deadline', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 503, { code: 503, message: 'unavailable' }),
    );
    const error = await client
      .waitForEvaluation('ctx', { timeoutMs: 100, pollMs: 10 })
      .catch(e => e);
    expect(error).toBeInstanceOf(KeptnEvaluationTimeoutError);
    // Repeated 503s open the circuit breaker; waiting polls through that too.
    expect(error.message).toMatch(/last poll: .*circuit breaker is open/);
    expect(error.cause).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('scrubs the token from errors even when Keptn echoes it', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 500, { code: 500, message: `bad token ${TOKEN}` }),
    );
    const error = await client.triggerEvaluation(target).catch(e => e);
    expect(error).toBeInstanceOf(UpstreamResponseError);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('[REDACTED]');
  });

  it('refuses answers without the documented shape', async () => {
    server.setHandler((_req, res) => sendJson(res, 200, { context: 'x' }));
    await expect(client.triggerEvaluation(target)).rejects.toThrow(
      /without a keptnContext/,
    );
    server.setHandler((_req, res) => sendJson(res, 200, { items: [] }));
    await expect(client.getEvaluationFinished('ctx')).rejects.toThrow(
      /without an events list/,
    );
  });

  it('answers 404 from the datastore as a generic upstream error, not NotFound', async () => {
    server.setHandler((_req, res) => sendJson(res, 404, { message: 'nope' }));
    const error = await client.getEvaluationFinished('ctx').catch(e => e);
    expect(error).toBeInstanceOf(UpstreamResponseError);
    expect(error.statusCode).toBe(502);
  });
});
