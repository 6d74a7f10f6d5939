import { KeptnSimulator } from './KeptnSimulator';
import {
  CONTRACTS_DIR,
  KeptnContract,
  keptnContractsPresent,
} from '@praevisio/contract-testing';
import {
  call,
  CallResult,
  EVENTS_PATH,
  SLO,
  thresholdScorer,
  TOKEN,
  triggerPath,
} from './__testUtils__/fixtures';

const describeContract = keptnContractsPresent ? describe : describe.skip;

if (!keptnContractsPresent) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping Keptn simulator contract tests: Keptn 1.4.5 swagger files not found in ${CONTRACTS_DIR} (set PRAEVISIO_CONTRACTS_DIR or check out ../shared/contracts)`,
  );
}

describeContract(
  `KeptnSimulator answers against Keptn 1.4.5's swagger (${
    keptnContractsPresent
      ? CONTRACTS_DIR
      : 'skipped: ../shared/contracts not found'
  })`,
  () => {
    let contract: KeptnContract;
    let sim: KeptnSimulator;
    let url: string;

    beforeAll(async () => {
      contract = new KeptnContract();
      sim = KeptnSimulator.create({
        apiToken: TOKEN,
        scoreEvaluation: thresholdScorer,
        tickMs: 0,
      });
      sim.seed({
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        slo: SLO,
        values: { response_time_p95: 420, error_rate: 0.5 },
      });
      ({ url } = await sim.start());
    });

    afterAll(() => sim.stop());

    /** Validates an answer of a documented status against the operation's schema. */
    function expectDocumented(
      method: string,
      path: string,
      res: CallResult,
    ): void {
      expect(
        contract.validateResponse(method, path, res.status, res.body),
      ).toEqual([]);
    }

    /**
     * 401 and 404 are not listed for these operations (the gateway and our
     * contract add them); their bodies must still have the documents' error
     * shape: shipyard-controller `models.Error`, datastore `error`.
     */
    function expectErrorShape(res: CallResult): void {
      expect(
        contract.validateSchema('controlPlane', 'models.Error', res.body),
      ).toEqual([]);
      expect(contract.validateSchema('datastore', 'error', res.body)).toEqual(
        [],
      );
    }

    it('the contract check itself catches non-conforming answers', () => {
      const trigger = triggerPath('shop', 'prod', 'cart');
      expect(
        contract.validateResponse('POST', trigger, 200, { keptnContext: 1 }),
      ).not.toEqual([]);
      expect(
        contract.validateResponse('GET', EVENTS_PATH, 200, { events: {} }),
      ).not.toEqual([]);
      expect(contract.validateSchema('datastore', 'error', {})).not.toEqual([]);
      expect(
        contract.validateSchema('api', 'keptnContextExtendedCE', {
          data: {},
          source: 'x',
        }),
      ).not.toEqual([]);
      expect(
        contract.validateResponse('GET', '/api/v2/nothing', 200, {}),
      ).toEqual(['no operation for GET /api/v2/nothing']);
    });

    it('trigger: 200 is a CreateEvaluationResponse, 400 a models.Error', async () => {
      const path = triggerPath('shop', 'prod', 'cart');
      const ok = await call(url, 'POST', path, {
        body: { timeframe: '10m', labels: { a: 'b' }, gitcommitid: 'c0ffee' },
      });
      expect(ok.status).toBe(200);
      expectDocumented('POST', path, ok);

      for (const body of [
        { end: '2025-01-01T00:10:00', timeframe: '5m' },
        { timeframe: '30s' },
      ]) {
        const bad = await call(url, 'POST', path, { body });
        expect(bad.status).toBe(400);
        expectDocumented('POST', path, bad);
      }
    });

    it('trigger: 401 and 404 have the error shape', async () => {
      const unauthorized = await call(
        url,
        'POST',
        triggerPath('shop', 'prod', 'cart'),
        { body: {}, token: null },
      );
      expect(unauthorized.status).toBe(401);
      expectErrorShape(unauthorized);

      const notFound = await call(
        url,
        'POST',
        triggerPath('shop', 'prod', 'nope'),
        { body: {} },
      );
      expect(notFound.status).toBe(404);
      expectErrorShape(notFound);
    });

    it('datastore: events before and after the evaluation conform, and so does each event', async () => {
      const { keptnContext } = (
        await call(url, 'POST', triggerPath('shop', 'prod', 'cart'), {
          body: { gitcommitid: 'c0ffee', labels: { run: '7' } },
        })
      ).body;
      const query = {
        keptnContext,
        type: 'sh.keptn.event.evaluation.finished',
      };
      const before = await call(url, 'GET', EVENTS_PATH, { query });
      expect(before.status).toBe(200);
      expectDocumented('GET', EVENTS_PATH, before);

      sim.advance();
      const after = await call(url, 'GET', EVENTS_PATH, { query });
      expectDocumented('GET', EVENTS_PATH, after);
      const all = await call(url, 'GET', EVENTS_PATH, {
        query: { keptnContext },
      });
      expectDocumented('GET', EVENTS_PATH, all);
      expect(all.body.events).toHaveLength(2);

      for (const event of all.body.events) {
        // The datastore's own item schema is a bare object (x-go-type
        // noValidation), so each event is also checked against the
        // shipyard-controller's and the api-service's CloudEvent schemas.
        expect(
          contract.validateSchema(
            'controlPlane',
            'models.KeptnContextExtendedCE',
            event,
          ),
        ).toEqual([]);
        expect(
          contract.validateSchema('api', 'keptnContextExtendedCE', event),
        ).toEqual([]);
      }
      // The contract README: data holds result and evaluation{score, result, indicatorResults}.
      expect(after.body.events[0].data).toMatchObject({
        result: 'fail',
        evaluation: {
          score: 50,
          result: 'fail',
          indicatorResults: expect.any(Array),
        },
      });
    });

    it('datastore: 400 is documented, 401 has the error shape', async () => {
      const bad = await call(url, 'GET', EVENTS_PATH, {
        query: { type: 'sh.keptn.event.evaluation.finished' },
      });
      expect(bad.status).toBe(400);
      expectDocumented('GET', EVENTS_PATH, bad);

      const unauthorized = await call(url, 'GET', EVENTS_PATH, {
        query: { project: 'shop' },
        token: 'wrong',
      });
      expect(unauthorized.status).toBe(401);
      expectErrorShape(unauthorized);
    });
  },
);
