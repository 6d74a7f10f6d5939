import { evaluateGate, parseSlo } from '@praevisio/backstage-plugin-common';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { listen, RequestContext, Router } from '../argocd/http';
import {
  EvaluationWindowError,
  evaluationWindow,
  formatKeptnTimestamp,
} from './timeframe';
import type {
  KeptnEvent,
  KeptnPreviousEvaluation,
  KeptnScore,
  KeptnScoreFn,
  KeptnSeed,
  KeptnSimulatorStats,
} from './types';

export interface KeptnSimulatorOptions {
  /** The `x-token` every request must carry. */
  apiToken: string;
  clock?: () => Date;
  /**
   * Scores evaluations from the seeded SLO and values. Defaults to
   * Praevisio's own Keptn-compatible engine ({@link scoreWithPraevisioEngine}).
   */
  scoreEvaluation?: KeptnScoreFn;
  /**
   * Period of the timer that finishes pending evaluations; 0 disables it (use
   * `advance()`). Default 2000.
   */
  tickMs?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
}

/**
 * Scores like the Keptn v1 lighthouse service, with Praevisio's engine (which
 * follows lighthouse's semantics).
 */
export const scoreWithPraevisioEngine: KeptnScoreFn = ({
  slo,
  values,
  previous,
}) =>
  evaluateGate({
    slo: parseSlo(slo),
    values,
    // Stored events carry Keptn's indicatorResults as they were produced.
    previous: previous as Parameters<typeof evaluateGate>[0]['previous'],
  });

/** Where Keptn's API gateway mounts the shipyard-controller (basePath /v1). */
export const KEPTN_CONTROL_PLANE_PREFIX = '/api/controlPlane/v1';
/** Where Keptn's API gateway mounts the mongodb-datastore (basePath /). */
export const KEPTN_DATASTORE_PREFIX = '/api/mongodb-datastore';
export const EVALUATION_FINISHED_TYPE = 'sh.keptn.event.evaluation.finished';

const TRIGGER_ROUTE = `${KEPTN_CONTROL_PLANE_PREFIX}/project/{project}/stage/{stage}/service/{service}/evaluation`;
const EVENTS_ROUTE = `${KEPTN_DATASTORE_PREFIX}/event`;
const SHKEPTN_SPEC_VERSION = '0.2.4';
const DEFAULT_PAGE_SIZE = 20;
/** shipyard-controller's common.InvalidRequestFormatMsg. */
const INVALID_REQUEST_FORMAT = 'Invalid request format: %s';

/** An error answered as the swagger's `models.Error` (`{code, message}`). */
class KeptnHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    /** `code` in the body; Keptn sometimes puts an internal code here. */
    readonly code: number = httpStatus,
  ) {
    super(message);
  }
}

interface PendingEvaluation {
  keptnContext: string;
  triggeredId: string;
  project: string;
  stage: string;
  service: string;
  start: Date;
  end: Date;
  labels: Record<string, string>;
  gitcommitid?: string;
}

function serviceKey(project: string, stage: string, service: string): string {
  return JSON.stringify([project, stage, service]);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tokenMatches(given: unknown, expected: Buffer): boolean {
  if (typeof given !== 'string') {
    return false;
  }
  const buf = Buffer.from(given, 'utf8');
  return buf.length === expected.length && timingSafeEqual(buf, expected);
}

/** What gin's ShouldBindJSON says about a body that is not CreateEvaluationParams. */
function parseEvaluationParams(text: string): {
  start?: string;
  end?: string;
  timeframe?: string;
  labels: Record<string, string>;
  gitcommitid?: string;
} {
  const bad = (reason: string) =>
    new KeptnHttpError(400, INVALID_REQUEST_FORMAT.replace('%s', reason));
  if (text.trim() === '') {
    throw bad('EOF');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw bad(`invalid character in request body: ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad(
      `json: cannot unmarshal ${
        Array.isArray(body) ? 'array' : typeof body
      } into Go value of type models.CreateEvaluationParams`,
    );
  }
  const record = body as Record<string, unknown>;
  const str = (field: string): string | undefined => {
    const value = record[field];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      throw bad(
        `json: cannot unmarshal ${typeof value} into Go struct field CreateEvaluationParams.${field} of type string`,
      );
    }
    return value;
  };
  const labels: Record<string, string> = {};
  if (record.labels !== undefined && record.labels !== null) {
    if (typeof record.labels !== 'object' || Array.isArray(record.labels)) {
      throw bad(
        'json: cannot unmarshal labels into Go struct field CreateEvaluationParams.labels of type map[string]string',
      );
    }
    for (const [k, v] of Object.entries(record.labels)) {
      if (typeof v !== 'string') {
        throw bad(
          `json: cannot unmarshal ${typeof v} into Go struct field CreateEvaluationParams.labels of type string`,
        );
      }
      labels[k] = v;
    }
  }
  return {
    start: str('start'),
    end: str('end'),
    timeframe: str('timeframe'),
    gitcommitid: str('gitcommitid'),
    labels,
  };
}

/**
 * An in-process Keptn v1 (1.4.5) API for tests and demos: the evaluation
 * trigger of the shipyard-controller and the event query of the
 * mongodb-datastore, behind the API gateway's paths and `x-token` check.
 *
 * A triggered evaluation stays pending (no `evaluation.finished` event) until
 * the timer or `advance()` evaluates it with the seeded SLO and SLI values.
 */
export class KeptnSimulator {
  private readonly token: Buffer;
  private readonly clock: () => Date;
  private readonly score: KeptnScoreFn;
  private readonly tickMs: number;
  private readonly host: string;
  private readonly server: Server;
  private readonly router = new Router();
  private readonly seeds = new Map<string, KeptnSeed>();
  private readonly pending: PendingEvaluation[] = [];
  /** Newest last. */
  private readonly events: KeptnEvent[] = [];
  private counts = new Map<string, number>();
  private triggered = 0;
  private finished = 0;
  private timer?: NodeJS.Timeout;

  static create(options: KeptnSimulatorOptions): KeptnSimulator {
    return new KeptnSimulator(options);
  }

  private constructor(options: KeptnSimulatorOptions) {
    if (!options.apiToken) {
      throw new TypeError('KeptnSimulator needs an apiToken');
    }
    this.token = Buffer.from(options.apiToken, 'utf8');
    this.clock = options.clock ?? (() => new Date());
    this.score = options.scoreEvaluation ?? scoreWithPraevisioEngine;
    this.tickMs = options.tickMs ?? 2000;
    this.host = options.host ?? '127.0.0.1';
    this.router.add({
      method: 'POST',
      path: TRIGGER_ROUTE,
      handler: ctx => this.triggerEvaluation(ctx),
    });
    this.router.add({
      method: 'GET',
      path: EVENTS_ROUTE,
      handler: ctx => this.getEvents(ctx),
    });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          sendJson(res, 500, { code: 500, message: String(error) });
        } else {
          res.destroy();
        }
      });
    });
  }

  /** Listens on `port` (0 = any free port) and starts the evaluation timer. */
  async start(port = 0): Promise<{ url: string }> {
    const bound = await listen(this.server, port, this.host);
    if (this.tickMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.advance(), this.tickMs);
      this.timer.unref();
    }
    return { url: `http://${this.host}:${bound}` };
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (!this.server.listening) {
      return;
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close(err => (err ? reject(err) : resolve())),
    );
  }

  /**
   * Declares project/stage/service (unknown ones answer 404) with the SLO and
   * SLI values its evaluations use. Seeding again replaces both; pending
   * evaluations use the values present when they are evaluated.
   */
  seed(seed: KeptnSeed): void {
    for (const field of ['project', 'stage', 'service'] as const) {
      if (!seed[field]) {
        throw new TypeError(`seed needs a ${field}`);
      }
    }
    this.seeds.set(serviceKey(seed.project, seed.stage, seed.service), {
      ...seed,
      values: { ...seed.values },
    });
  }

  /** Finishes every pending evaluation now; returns their keptnContexts. */
  advance(): string[] {
    const due = this.pending.splice(0, this.pending.length);
    for (const evaluation of due) {
      this.finish(evaluation);
    }
    return due.map(e => e.keptnContext);
  }

  stats(): KeptnSimulatorStats {
    let requestCount = 0;
    for (const n of this.counts.values()) requestCount += n;
    return {
      requestCount,
      byRoute: Object.fromEntries([...this.counts.entries()].sort()),
      evaluationsTriggered: this.triggered,
      evaluationsFinished: this.finished,
      evaluationsPending: this.pending.length,
    };
  }

  /** Every stored event, oldest first (copies). */
  allEvents(): KeptnEvent[] {
    return this.events.map(e => structuredClone(e));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = this.router.match(method, url.pathname);
    const key =
      match.kind === 'found'
        ? `${method} ${match.route.path}`
        : `${method} <unmatched>`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);

    const text = method === 'GET' ? '' : await readBody(req);
    // The API gateway authenticates every /api route before routing it.
    if (!tokenMatches(req.headers['x-token'], this.token)) {
      sendJson(res, 401, { code: 401, message: 'Invalid API token' });
      return;
    }
    if (match.kind === 'notFound') {
      sendJson(res, 404, { code: 404, message: 'Not Found' });
      return;
    }
    if (match.kind === 'methodNotAllowed') {
      sendJson(res, 405, { code: 405, message: 'Method Not Allowed' });
      return;
    }
    try {
      const result = await match.route.handler({
        method,
        params: match.params,
        query: url.searchParams,
        body: text,
        request: req,
      });
      sendJson(res, 200, result);
    } catch (error) {
      if (error instanceof KeptnHttpError) {
        sendJson(res, error.httpStatus, {
          code: error.code,
          message: error.message,
        });
      } else {
        sendJson(res, 500, { code: 500, message: String(error) });
      }
    }
  }

  private triggerEvaluation(ctx: RequestContext): { keptnContext: string } {
    const { project, stage, service } = ctx.params;
    const params = parseEvaluationParams(ctx.body as string);

    let window: { start: Date; end: Date };
    try {
      window = evaluationWindow(params, this.clock());
    } catch (error) {
      if (error instanceof EvaluationWindowError) {
        // The handler's validator answers {code: 400}; the manager's
        // GetStartEndTime failure answers its own code 0 (still HTTP 400).
        throw error.stage === 'request'
          ? new KeptnHttpError(
              400,
              INVALID_REQUEST_FORMAT.replace('%s', error.message),
            )
          : new KeptnHttpError(400, error.message, 0);
      }
      throw error;
    }

    // Keptn 1.4.5 itself answers an unknown service with 400; Praevisio's
    // contract (../shared/contracts/README.md) asks for 404, same body shape.
    const known = [...this.seeds.values()];
    if (!known.some(s => s.project === project)) {
      throw new KeptnHttpError(404, 'project not found');
    }
    if (!known.some(s => s.project === project && s.stage === stage)) {
      throw new KeptnHttpError(404, 'stage not found');
    }
    if (!this.seeds.has(serviceKey(project, stage, service))) {
      throw new KeptnHttpError(404, 'service not found');
    }

    const keptnContext = randomUUID();
    const triggeredId = randomUUID();
    this.events.push({
      data: {
        project,
        stage,
        service,
        ...(Object.keys(params.labels).length > 0
          ? { labels: params.labels }
          : {}),
        evaluation: {
          start: formatKeptnTimestamp(window.start),
          end: formatKeptnTimestamp(window.end),
        },
      },
      ...(params.gitcommitid ? { gitcommitid: params.gitcommitid } : {}),
      id: triggeredId,
      shkeptncontext: keptnContext,
      shkeptnspecversion: SHKEPTN_SPEC_VERSION,
      source: 'https://github.com/keptn/keptn/api',
      specversion: '1.0',
      time: formatKeptnTimestamp(this.clock()),
      type: `sh.keptn.event.${stage}.evaluation.triggered`,
    });
    this.pending.push({
      keptnContext,
      triggeredId,
      project,
      stage,
      service,
      start: window.start,
      end: window.end,
      labels: params.labels,
      gitcommitid: params.gitcommitid || undefined,
    });
    this.triggered++;
    return { keptnContext };
  }

  private getEvents(ctx: RequestContext) {
    const q = ctx.query;
    const keptnContext = q.get('keptnContext') ?? '';
    const project = q.get('project') ?? '';
    if (keptnContext === '' && project === '') {
      throw new KeptnHttpError(
        400,
        'either keptnContext or project parameter must be set',
      );
    }
    const pageSize = this.intParam(q, 'pageSize', DEFAULT_PAGE_SIZE, 1, 100);
    const offset = this.intParam(q, 'nextPageKey', 0, 0, Number.MAX_VALUE);

    const filters: Array<(e: KeptnEvent) => boolean> = [];
    const eq = (name: string, get: (e: KeptnEvent) => unknown) => {
      const value = q.get(name);
      if (value !== null && value !== '') {
        filters.push(e => get(e) === value);
      }
    };
    eq('keptnContext', e => e.shkeptncontext);
    eq('type', e => e.type);
    eq('project', e => e.data.project);
    eq('stage', e => e.data.stage);
    eq('service', e => e.data.service);
    eq('eventID', e => e.id);
    eq('source', e => e.source);

    // The datastore sorts by time, newest first.
    const matching = this.events
      .filter(e => filters.every(f => f(e)))
      .reverse();
    const page = matching.slice(offset, offset + pageSize);
    const next = offset + page.length;
    return {
      events: page.map(e => structuredClone(e)),
      nextPageKey: next < matching.length ? String(next) : '0',
      totalCount: matching.length,
      pageSize: page.length,
    };
  }

  private intParam(
    q: URLSearchParams,
    name: string,
    fallback: number,
    min: number,
    max: number,
  ): number {
    const raw = q.get(name);
    if (raw === null || raw === '') {
      return fallback;
    }
    if (!/^\d+$/.test(raw)) {
      throw new KeptnHttpError(400, `${name} in query must be of type int64`);
    }
    const value = Number(raw);
    if (value < min || value > max) {
      throw new KeptnHttpError(
        400,
        `${name} in query should be between ${min} and ${max}`,
      );
    }
    return value;
  }

  private previousEvaluations(
    project: string,
    stage: string,
    service: string,
  ): KeptnPreviousEvaluation[] {
    const out: KeptnPreviousEvaluation[] = [];
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (
        e.type !== EVALUATION_FINISHED_TYPE ||
        e.data.project !== project ||
        e.data.stage !== stage ||
        e.data.service !== service
      ) {
        continue;
      }
      const evaluation = e.data.evaluation as {
        score: number;
        indicatorResults: unknown[];
      };
      out.push({
        result: String(e.data.result),
        score: evaluation.score,
        indicatorResults: structuredClone(evaluation.indicatorResults),
        eventId: e.id,
      });
    }
    return out;
  }

  private finish(evaluation: PendingEvaluation): void {
    const { project, stage, service } = evaluation;
    const seed = this.seeds.get(serviceKey(project, stage, service));
    let score: KeptnScore;
    let errored = false;
    try {
      if (!seed) {
        throw new Error(`no SLO for ${project}/${stage}/${service}`);
      }
      score = this.score({
        project,
        stage,
        service,
        slo: seed.slo,
        values: { ...seed.values },
        previous: this.previousEvaluations(project, stage, service),
      });
      errored = score.result === 'errored';
    } catch (error) {
      score = {
        result: 'errored',
        score: 0,
        indicatorResults: [],
        message: `evaluation failed: ${(error as Error).message ?? error}`,
      };
      errored = true;
    }
    // Keptn's results are pass/warning/fail; an errored evaluation is a
    // failed one with status "errored".
    const result = errored ? 'fail' : score.result;
    this.events.push({
      data: {
        project,
        stage,
        service,
        ...(Object.keys(evaluation.labels).length > 0
          ? { labels: evaluation.labels }
          : {}),
        status: errored ? 'errored' : 'succeeded',
        result,
        message: score.message ?? '',
        evaluation: {
          timeStart: formatKeptnTimestamp(evaluation.start),
          timeEnd: formatKeptnTimestamp(evaluation.end),
          result,
          score: score.score,
          sloFileContent: seed
            ? Buffer.from(seed.slo, 'utf8').toString('base64')
            : '',
          indicatorResults: structuredClone([...score.indicatorResults]),
          gitCommit: evaluation.gitcommitid ?? '',
        },
      },
      ...(evaluation.gitcommitid
        ? { gitcommitid: evaluation.gitcommitid }
        : {}),
      id: randomUUID(),
      shkeptncontext: evaluation.keptnContext,
      shkeptnspecversion: SHKEPTN_SPEC_VERSION,
      source: 'lighthouse-service',
      specversion: '1.0',
      time: formatKeptnTimestamp(this.clock()),
      triggeredid: evaluation.triggeredId,
      type: EVALUATION_FINISHED_TYPE,
    });
    this.finished++;
  }
}
