import { KeptnSimulator } from './KeptnSimulator';
import {
  evaluationWindow,
  parseGoDuration,
  parseKeptnTimestamp,
} from './timeframe';
import type { KeptnScoreFn } from './types';
import {
  call,
  EVENTS_PATH,
  SLO,
  thresholdScorer,
  TOKEN,
  triggerPath,
} from './__testUtils__/fixtures';

const NOW = new Date('2025-03-04T10:00:00.000Z');
const FINISHED = 'sh.keptn.event.evaluation.finished';

describe('KeptnSimulator', () => {
  let sim: KeptnSimulator;
  let url: string;
  let scorer: jest.Mock<ReturnType<KeptnScoreFn>, Parameters<KeptnScoreFn>>;

  beforeEach(async () => {
    scorer = jest.fn(thresholdScorer);
    sim = KeptnSimulator.create({
      apiToken: TOKEN,
      clock: () => NOW,
      scoreEvaluation: scorer,
      tickMs: 0,
    });
    sim.seed({
      project: 'shop',
      stage: 'prod',
      service: 'cart',
      slo: SLO,
      values: { response_time_p95: 420, error_rate: 0.01 },
    });
    ({ url } = await sim.start());
  });

  afterEach(() => sim.stop());

  const trigger = (body: unknown, service = 'cart') =>
    call(url, 'POST', triggerPath('shop', 'prod', service), { body });

  const finished = (keptnContext: string) =>
    call(url, 'GET', EVENTS_PATH, {
      query: { keptnContext, type: FINISHED },
    });

  it('refuses requests without the right x-token on both APIs', async () => {
    for (const token of [null, 'wrong-token', `${TOKEN}x`]) {
      const post = await call(
        url,
        'POST',
        triggerPath('shop', 'prod', 'cart'),
        {
          body: {},
          token,
        },
      );
      expect(post.status).toBe(401);
      expect(post.body).toEqual({ code: 401, message: expect.any(String) });
      const get = await call(url, 'GET', EVENTS_PATH, {
        query: { project: 'shop' },
        token,
      });
      expect(get.status).toBe(401);
    }
    expect(sim.stats().evaluationsTriggered).toBe(0);
  });

  it('answers a trigger with a keptnContext, and the finished event only after evaluating', async () => {
    const res = await trigger({
      start: '2025-03-04T09:00:00',
      timeframe: '10m',
      labels: { buildId: '42' },
      gitcommitid: 'abc123',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keptnContext: expect.any(String) });
    const { keptnContext } = res.body;
    expect(keptnContext).toMatch(/^[0-9a-f-]{36}$/);

    const before = await finished(keptnContext);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      events: [],
      nextPageKey: '0',
      totalCount: 0,
      pageSize: 0,
    });
    expect(sim.stats().evaluationsPending).toBe(1);

    expect(sim.advance()).toEqual([keptnContext]);
    const after = await finished(keptnContext);
    expect(after.body.totalCount).toBe(1);
    const [event] = after.body.events;
    expect(event).toMatchObject({
      type: FINISHED,
      shkeptncontext: keptnContext,
      source: 'lighthouse-service',
      specversion: '1.0',
      gitcommitid: 'abc123',
      time: '2025-03-04T10:00:00.000Z',
      data: {
        project: 'shop',
        stage: 'prod',
        service: 'cart',
        labels: { buildId: '42' },
        status: 'succeeded',
        result: 'pass',
        evaluation: {
          timeStart: '2025-03-04T09:00:00.000Z',
          timeEnd: '2025-03-04T09:10:00.000Z',
          result: 'pass',
          score: 100,
          gitCommit: 'abc123',
        },
      },
    });
    expect(event.data.evaluation.indicatorResults).toHaveLength(2);
    expect(
      Buffer.from(event.data.evaluation.sloFileContent, 'base64').toString(),
    ).toBe(SLO);

    // The triggered event shares the context and is what `triggeredid` names.
    const all = await call(url, 'GET', EVENTS_PATH, {
      query: { keptnContext },
    });
    expect(all.body.events.map((e: { type: string }) => e.type)).toEqual([
      FINISHED,
      'sh.keptn.event.prod.evaluation.triggered',
    ]);
    expect(event.triggeredid).toBe(all.body.events[1].id);
  });

  it('scores with the seeded SLO, the values at evaluation time and earlier results newest first', async () => {
    const first = (await trigger({})).body.keptnContext;
    sim.advance();
    sim.seed({
      project: 'shop',
      stage: 'prod',
      service: 'cart',
      slo: SLO,
      values: { response_time_p95: 900, error_rate: null },
    });
    const second = (await trigger({})).body.keptnContext;
    sim.advance();
    const third = (await trigger({})).body.keptnContext;
    sim.advance();

    expect(scorer).toHaveBeenCalledTimes(3);
    const lastInput = scorer.mock.calls[2][0];
    expect(lastInput).toMatchObject({
      project: 'shop',
      stage: 'prod',
      service: 'cart',
      slo: SLO,
      values: { response_time_p95: 900, error_rate: null },
    });
    expect(lastInput.previous.map(p => [p.result, p.score])).toEqual([
      ['fail', 0],
      ['pass', 100],
    ]);
    const secondEvent = (await finished(second)).body.events[0];
    expect(secondEvent.data.result).toBe('fail');
    expect(lastInput.previous[0].eventId).toBe(secondEvent.id);
    expect((await finished(first)).body.events[0].data.result).toBe('pass');
    expect((await finished(third)).body.events[0].data.evaluation.score).toBe(
      0,
    );
  });

  it('fails closed: a scorer error or an errored result is status errored, result fail', async () => {
    scorer.mockImplementationOnce(() => {
      throw new Error('SLO is not valid YAML');
    });
    scorer.mockImplementationOnce(() => ({
      result: 'errored',
      score: 0,
      indicatorResults: [],
      message: 'SLI provider timed out',
    }));
    const a = (await trigger({})).body.keptnContext;
    const b = (await trigger({})).body.keptnContext;
    sim.advance();
    const ea = (await finished(a)).body.events[0].data;
    expect(ea).toMatchObject({
      status: 'errored',
      result: 'fail',
      message: 'evaluation failed: SLO is not valid YAML',
      evaluation: { result: 'fail', score: 0, indicatorResults: [] },
    });
    const eb = (await finished(b)).body.events[0].data;
    expect(eb).toMatchObject({
      status: 'errored',
      result: 'fail',
      message: 'SLI provider timed out',
    });
  });

  it('defaults to a 5 minute window ending now and applies Keptn window rules', async () => {
    const windowOf = async (body: unknown) => {
      const res = await trigger(body);
      expect(res.status).toBe(200);
      const events = await call(url, 'GET', EVENTS_PATH, {
        query: { keptnContext: res.body.keptnContext },
      });
      return events.body.events[0].data.evaluation;
    };
    expect(await windowOf({})).toEqual({
      start: '2025-03-04T09:55:00.000Z',
      end: '2025-03-04T10:00:00.000Z',
    });
    expect(await windowOf({ timeframe: '1h30m' })).toEqual({
      start: '2025-03-04T08:30:00.000Z',
      end: '2025-03-04T10:00:00.000Z',
    });
    expect(
      await windowOf({
        start: '2025-03-04T08:00:00.000Z',
        end: '2025-03-04T10:01:00+01:00',
      }),
    ).toEqual({
      start: '2025-03-04T08:00:00.000Z',
      end: '2025-03-04T09:01:00.000Z',
    });
  });

  it.each([
    [
      {
        start: '2025-03-04T09:00:00',
        end: '2025-03-04T09:10:00',
        timeframe: '5m',
      },
      400,
      'Invalid request format: timeframe and end time specifications cannot be set together',
    ],
    [
      { start: '2025-03-04T09:00:00' },
      400,
      'Invalid request format: timeframe or end time specifications need to be specified when using start parameter',
    ],
    [
      { end: '2025-03-04T09:00:00' },
      400,
      'Invalid request format: end time specifications cannot be set without start parameter',
    ],
    [
      { start: '2025-03-04T09:00:00', end: '2025-03-04T09:00:59' },
      0,
      'end date must be at least 1 minute after start date',
    ],
    [
      { timeframe: '59s' },
      0,
      'end date must be at least 1 minute after start date',
    ],
    [{ timeframe: '5 minutes' }, 0, expect.stringMatching(/could not parse/)],
    [
      { start: 'yesterday', timeframe: '5m' },
      0,
      expect.stringMatching(/cannot parse/),
    ],
    [
      { labels: { build: 42 } },
      400,
      expect.stringMatching(/^Invalid request format: json: cannot unmarshal/),
    ],
  ])('answers 400 to %j', async (body, code, message) => {
    const res = await trigger(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code, message });
    expect(sim.stats().evaluationsTriggered).toBe(0);
  });

  it('answers 400 to an empty or non-JSON body, as gin binding does', async () => {
    for (const rawBody of ['', 'not json', '[]']) {
      const res = await call(url, 'POST', triggerPath('shop', 'prod', 'cart'), {
        rawBody,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^Invalid request format: /);
    }
  });

  it('answers 404 for an unknown project, stage or service', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['nope', 'prod', 'cart', 'project not found'],
      ['shop', 'qa', 'cart', 'stage not found'],
      ['shop', 'prod', 'nope', 'service not found'],
    ];
    for (const [project, stage, service, message] of cases) {
      const res = await call(
        url,
        'POST',
        triggerPath(project, stage, service),
        {
          body: {},
        },
      );
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 404, message });
    }
  });

  it('pages and filters datastore events, newest first', async () => {
    for (let i = 0; i < 3; i++) {
      await trigger({});
    }
    sim.advance();
    const page1 = await call(url, 'GET', EVENTS_PATH, {
      query: { project: 'shop', type: FINISHED, pageSize: '2' },
    });
    expect(page1.body).toMatchObject({
      totalCount: 3,
      pageSize: 2,
      nextPageKey: '2',
    });
    const page2 = await call(url, 'GET', EVENTS_PATH, {
      query: {
        project: 'shop',
        type: FINISHED,
        pageSize: '2',
        nextPageKey: '2',
      },
    });
    expect(page2.body).toMatchObject({
      totalCount: 3,
      pageSize: 1,
      nextPageKey: '0',
    });
    const stage = await call(url, 'GET', EVENTS_PATH, {
      query: { project: 'shop', stage: 'dev' },
    });
    expect(stage.body.totalCount).toBe(0);

    const bad = await call(url, 'GET', EVENTS_PATH, {
      query: { type: FINISHED },
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await call(url, 'GET', EVENTS_PATH, {
          query: { project: 'shop', pageSize: '101' },
        })
      ).status,
    ).toBe(400);
  });

  it('counts requests per route', async () => {
    await trigger({});
    await call(url, 'GET', EVENTS_PATH, { query: { project: 'shop' } });
    await call(url, 'GET', '/api/v1/unknown');
    sim.advance();
    expect(sim.stats()).toEqual({
      requestCount: 3,
      byRoute: {
        'GET /api/mongodb-datastore/event': 1,
        'GET <unmatched>': 1,
        'POST /api/controlPlane/v1/project/{project}/stage/{stage}/service/{service}/evaluation': 1,
      },
      evaluationsTriggered: 1,
      evaluationsFinished: 1,
      evaluationsPending: 0,
    });
  });

  it('finishes evaluations on its timer', async () => {
    const timed = KeptnSimulator.create({
      apiToken: TOKEN,
      scoreEvaluation: thresholdScorer,
      tickMs: 20,
    });
    timed.seed({
      project: 'shop',
      stage: 'prod',
      service: 'cart',
      slo: SLO,
      values: { response_time_p95: 100, error_rate: 0 },
    });
    const started = await timed.start();
    try {
      const { keptnContext } = (
        await call(started.url, 'POST', triggerPath('shop', 'prod', 'cart'), {
          body: {},
        })
      ).body;
      let total = 0;
      for (let i = 0; i < 100 && total === 0; i++) {
        await new Promise(r => setTimeout(r, 10));
        total = (
          await call(started.url, 'GET', EVENTS_PATH, {
            query: { keptnContext, type: FINISHED },
          })
        ).body.totalCount;
      }
      expect(total).toBe(1);
    } finally {
      await timed.stop();
    }
  });

  it('refuses to start without a token', () => {
    expect(() =>
      KeptnSimulator.create({ apiToken: '', scoreEvaluation: thresholdScorer }),
    ).toThrow(/apiToken/);
  });
});

describe('Keptn time rules', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('5m')).toBe(300_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('90s')).toBe(90_000);
    expect(parseGoDuration('-2m')).toBe(-120_000);
    expect(parseGoDuration('0')).toBe(0);
    for (const bad of ['', '5', 'm', '5 m', '5min', '.m', '1d']) {
      expect(parseGoDuration(bad)).toBeUndefined();
    }
  });

  it('parses Keptn timestamps, reading a zone-less one as UTC', () => {
    expect(parseKeptnTimestamp('2025-03-04T09:00:00')?.toISOString()).toBe(
      '2025-03-04T09:00:00.000Z',
    );
    expect(
      parseKeptnTimestamp('2025-03-04T09:00:00.123+02:00')?.toISOString(),
    ).toBe('2025-03-04T07:00:00.123Z');
    expect(parseKeptnTimestamp('2025-13-04T09:00:00')).toBeUndefined();
    expect(parseKeptnTimestamp('2025-03-04 09:00:00')).toBeUndefined();
  });

  it('computes start + timeframe windows', () => {
    expect(
      evaluationWindow({ start: '2025-03-04T09:00:00Z', timeframe: '2m' }, NOW),
    ).toEqual({
      start: new Date('2025-03-04T09:00:00Z'),
      end: new Date('2025-03-04T09:02:00Z'),
    });
  });
});
