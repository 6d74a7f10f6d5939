import { randomUUID } from 'node:crypto';
import { evaluateGate, parseSlo } from '@praevisio/backstage-plugin-common';
import {
  sendJson,
  startTestServer,
  TestServer,
} from '../../http/__testUtils__/testServer';

export const FINISHED = 'sh.keptn.event.evaluation.finished';

export const SLO = `
spec_version: "1.0"
comparison:
  compare_with: single_result
  include_result_with_score: pass
  aggregate_function: avg
objectives:
  - sli: response_time_p95
    pass:
      - criteria: ["<600"]
    warning:
      - criteria: ["<=800"]
  - sli: error_rate
    key_sli: true
    pass:
      - criteria: ["<=0.02"]
total_score:
  pass: "90%"
  warning: "75%"
`;

export interface FakeKeptn extends TestServer {
  /** Finishes every pending evaluation with these SLI values; returns their contexts. */
  finishAll(values: Record<string, number | null>): string[];
  /** Stores a finished event as it is (for malformed or errored answers). */
  addRawEvent(keptnContext: string, event: Record<string, unknown>): void;
}

/**
 * A tiny Keptn (trigger + datastore event query) on a recording test server,
 * scoring with Praevisio's own engine. Only what the client tests need; the
 * full simulator lives in @praevisio/sandbox, which this package does not
 * depend on.
 */
export async function startFakeKeptn(token: string): Promise<FakeKeptn> {
  const server = await startTestServer();
  const pending: Array<{
    keptnContext: string;
    project: string;
    stage: string;
    service: string;
    labels?: Record<string, string>;
  }> = [];
  const events: Array<Record<string, any>> = [];

  server.setHandler((req, res) => {
    if (req.headers['x-token'] !== token) {
      sendJson(res, 401, { code: 401, message: 'Invalid API token' });
      return;
    }
    const trigger =
      /^\/api\/controlPlane\/v1\/project\/([^/]+)\/stage\/([^/]+)\/service\/([^/]+)\/evaluation$/.exec(
        req.path,
      );
    if (req.method === 'POST' && trigger) {
      const [project, stage, service] = trigger
        .slice(1)
        .map(decodeURIComponent);
      if (service !== 'cart') {
        sendJson(res, 404, { code: 404, message: 'service not found' });
        return;
      }
      const body = JSON.parse(req.body || '{}');
      const keptnContext = randomUUID();
      pending.push({ keptnContext, project, stage, service, ...body });
      sendJson(res, 200, { keptnContext });
      return;
    }
    if (req.method === 'GET' && req.path === '/api/mongodb-datastore/event') {
      const ctx = req.query.keptnContext?.[0];
      const type = req.query.type?.[0];
      const found = events.filter(
        e => e.shkeptncontext === ctx && (!type || e.type === type),
      );
      sendJson(res, 200, {
        events: found,
        nextPageKey: '0',
        totalCount: found.length,
        pageSize: found.length,
      });
      return;
    }
    sendJson(res, 404, { code: 404, message: 'Not Found' });
  });

  const slo = parseSlo(SLO);
  return {
    ...server,
    finishAll(values) {
      const done = pending.splice(0, pending.length);
      for (const p of done) {
        const previous = events
          .filter(e => e.type === FINISHED)
          .reverse()
          .map(e => ({ ...e.data.evaluation, result: e.data.result }));
        const gate = evaluateGate({ slo, values, previous });
        const errored = gate.result === 'errored';
        events.push({
          type: FINISHED,
          id: randomUUID(),
          shkeptncontext: p.keptnContext,
          source: 'lighthouse-service',
          specversion: '1.0',
          time: new Date().toISOString(),
          data: {
            project: p.project,
            stage: p.stage,
            service: p.service,
            labels: p.labels,
            status: errored ? 'errored' : 'succeeded',
            result: errored ? 'fail' : gate.result,
            message: gate.message ?? '',
            evaluation: {
              score: gate.score,
              result: errored ? 'fail' : gate.result,
              indicatorResults: gate.indicatorResults,
              sloFileContent: Buffer.from(SLO, 'utf8').toString('base64'),
            },
          },
        });
      }
      return done.map(p => p.keptnContext);
    },
    addRawEvent(keptnContext, event) {
      events.push({ shkeptncontext: keptnContext, type: FINISHED, ...event });
    },
  };
}
