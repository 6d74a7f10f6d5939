import {
  sendJson,
  startTestServer,
  TestServer,
} from '../http/__testUtils__/testServer';
import { KeptnClient } from './KeptnClient';
import {
  CONTRACTS_DIR,
  KeptnContract,
  keptnContractsPresent,
} from '@praevisio/contract-testing';

const describeContract = keptnContractsPresent ? describe : describe.skip;

if (!keptnContractsPresent) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping Keptn client contract tests: Keptn 1.4.5 swagger files not found in ${CONTRACTS_DIR} (set PRAEVISIO_CONTRACTS_DIR or check out ../shared/contracts)`,
  );
}

const TRIGGER =
  '/api/controlPlane/v1/project/shop/stage/prod/service/cart/evaluation';
const EVENTS = '/api/mongodb-datastore/event';
const KEPTN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeContract(
  `KeptnClient requests against Keptn 1.4.5's swagger (${
    keptnContractsPresent
      ? CONTRACTS_DIR
      : 'skipped: ../shared/contracts not found'
  })`,
  () => {
    let contract: KeptnContract;
    let server: TestServer;
    let client: KeptnClient;

    const finishedEvent = {
      type: 'sh.keptn.event.evaluation.finished',
      id: 'f0f0f0f0-0000-4000-8000-000000000001',
      shkeptncontext: 'c0c0c0c0-0000-4000-8000-000000000001',
      triggeredid: 't0t0',
      source: 'lighthouse-service',
      specversion: '1.0',
      time: '2025-03-04T10:00:00.000Z',
      data: {
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        status: 'succeeded',
        result: 'pass',
        evaluation: {
          score: 100,
          result: 'pass',
          indicatorResults: [
            {
              displayName: '',
              keySli: false,
              status: 'pass',
              score: 1,
              value: {
                metric: 'response_time_p95',
                value: 420,
                comparedValue: 0,
                success: true,
              },
              passTargets: [
                { criteria: '<600', targetValue: 600, violated: false },
              ],
              warningTargets: null,
            },
          ],
        },
      },
    };

    const triggerAnswer = { keptnContext: finishedEvent.shkeptncontext };
    const eventsAnswer = {
      events: [finishedEvent],
      nextPageKey: '0',
      totalCount: 1,
      pageSize: 1,
    };

    beforeAll(async () => {
      contract = new KeptnContract();
      server = await startTestServer((req, res) =>
        req.method === 'POST'
          ? sendJson(res, 200, triggerAnswer)
          : sendJson(res, 200, eventsAnswer),
      );
      client = KeptnClient.create({
        name: 'contract',
        url: server.url,
        apiToken: 'contract-token-123',
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

    it('serves only answers that themselves conform to the swagger', () => {
      expect(
        contract.validateResponse('POST', TRIGGER, 200, triggerAnswer),
      ).toEqual([]);
      expect(
        contract.validateResponse('GET', EVENTS, 200, eventsAnswer),
      ).toEqual([]);
      expect(
        contract.validateSchema('api', 'keptnContextExtendedCE', finishedEvent),
      ).toEqual([]);
    });

    it('the contract check itself catches non-conforming requests', () => {
      const request = (over: object) => ({
        method: 'POST',
        path: TRIGGER,
        query: {},
        headers: { 'x-token': 't', 'content-type': 'application/json' },
        body: '{}',
        ...over,
      });
      expect(contract.validateRequest(request({}))).toEqual([]);
      expect(
        contract.validateRequest(request({ body: '{"labels":{"a":1}}' })),
      ).not.toEqual([]);
      expect(
        contract.validateRequest(request({ body: '{"start":5}' })),
      ).not.toEqual([]);
      expect(
        contract.validateRequest(
          request({ headers: { 'content-type': 'application/json' } }),
        ),
      ).toEqual([
        'POST controlPlane/project/{project}/stage/{stage}/service/{service}/evaluation: security header x-token missing',
      ]);
      expect(
        contract.validateRequest(
          request({
            headers: { 'x-token': 't', 'content-type': 'text/plain' },
          }),
        ),
      ).not.toEqual([]);
      expect(
        contract.validateRequest(
          request({
            method: 'GET',
            path: EVENTS,
            body: '',
            query: { bogus: ['1'] },
          }),
        ),
      ).toEqual(["GET datastore/event: undeclared query parameter 'bogus'"]);
      expect(
        contract.validateRequest(
          request({
            method: 'GET',
            path: EVENTS,
            body: '',
            query: { pageSize: ['500'] },
          }),
        ),
      ).not.toEqual([]);
      expect(
        contract.validateRequest(request({ path: '/api/controlPlane/v2/x' })),
      ).toEqual(['no operation for POST /api/controlPlane/v2/x']);
    });

    it('triggers with every window form as the swagger describes', async () => {
      await client.triggerEvaluation({
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        start: new Date('2025-03-04T09:00:00Z'),
        end: '2025-03-04T09:10:00',
        labels: { buildId: '42', 'praevisio.io/deployment': 'd-1' },
        gitcommitid: 'abc123',
      });
      await client.triggerEvaluation({
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        start: '2025-03-04T09:00:00+01:00',
        timeframe: '1h30m',
      });
      await client.triggerEvaluation({
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        timeframe: '15m',
      });
      await client.triggerEvaluation({
        project: 'shop',
        stage: 'prod',
        service: 'cart',
      });
      expectConforming();
      // Keptn's rules on top of the schema: end and timeframe exclusive,
      // times in the layout Keptn parses first.
      const bodies = server.requests.map(r => JSON.parse(r.body));
      expect(bodies.filter(b => 'end' in b && 'timeframe' in b)).toEqual([]);
      const times = bodies.flatMap(b => [b.start, b.end]).filter(Boolean);
      expect(times).toHaveLength(3);
      expect(times.filter(t => !KEPTN_TIME.test(t))).toEqual([]);
    });

    it('queries finished evaluations as the swagger describes', async () => {
      const finished = await client.getEvaluationFinished(
        finishedEvent.shkeptncontext,
      );
      expect(finished?.result).toBe('pass');
      await client.waitForEvaluation(finishedEvent.shkeptncontext, {
        timeoutMs: 1_000,
        pollMs: 10,
      });
      expectConforming();
      expect(server.requests.every(r => r.method === 'GET')).toBe(true);
    });
  },
);
