import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  abortableSleep,
  encodePathSegment,
  UpstreamHttpClient,
  UpstreamHttpClientOptions,
  UpstreamRequest,
  UpstreamResponse,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '../http';
import {
  KeptnAuthenticationError,
  KeptnErrorDetails,
  KeptnEvaluationTimeoutError,
  KeptnInputError,
  KeptnNotFoundError,
} from './errors';
import type {
  KeptnEvaluationFinished,
  KeptnEvaluationResult,
  KeptnIndicatorResult,
  KeptnTime,
  KeptnTriggerEvaluationRequest,
  KeptnTriggerEvaluationResult,
  KeptnWaitOptions,
} from './types';

/** One configured Keptn (`praevisio.keptn.instances[]`). @public */
export interface KeptnInstanceConfig {
  name: string;
  /**
   * Base URL of the Keptn API gateway, e.g. https://keptn.example.com (a path
   * prefix is kept; a trailing `/api`, as in the Keptn CLI's endpoint, is
   * accepted too).
   */
  url: string;
  /** Sent as `x-token`; scrubbed from every error. */
  apiToken: string;
}

/** Tuning of the outbound HTTP behaviour; defaults suit production. @public */
export type KeptnHttpOptions = Omit<
  UpstreamHttpClientOptions,
  'name' | 'baseUrl' | 'headers' | 'secrets' | 'scrubber' | 'logger'
>;

/** @public */
export interface KeptnClientOptions extends KeptnInstanceConfig {
  logger?: LoggerService;
  /** Timeouts, retries, breaker, concurrency cap, `fetch` (for tests). */
  http?: KeptnHttpOptions;
}

/** Type of the event Keptn's lighthouse sends when an evaluation is done. @public */
export const KEPTN_EVALUATION_FINISHED_TYPE =
  'sh.keptn.event.evaluation.finished';

const CONTROL_PLANE = '/api/controlPlane/v1';
const DATASTORE = '/api/mongodb-datastore';
const DEFAULT_POLL_MS = 2_000;
const MIN_WINDOW_MS = 60_000;
const RESULTS: ReadonlySet<string> = new Set(['pass', 'warning', 'fail']);
const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)/;
const GO_DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** A positive Go duration (`time.ParseDuration`, which Keptn uses) in ms. */
function timeframeMs(timeframe: unknown): number {
  let rest = typeof timeframe === 'string' ? timeframe : '';
  let total = 0;
  while (rest !== '') {
    const m = GO_DURATION.exec(rest);
    if (!m) {
      total = NaN;
      break;
    }
    const unit = /[a-zµμ]+$/.exec(m[0])![0];
    total += Number(m[0].slice(0, -unit.length)) * GO_DURATION_UNITS_MS[unit];
    rest = rest.slice(m[0].length);
  }
  if (!(total > 0)) {
    throw new InputError(
      `Invalid Keptn timeframe ${JSON.stringify(
        timeframe,
      )}: use a duration such as 5m, 1h30m or 90s`,
    );
  }
  return total;
}

/** A {@link KeptnTime} as the `2006-01-02T15:04:05.000Z` form Keptn parses first. */
function toKeptnTime(value: KeptnTime, what: string): Date {
  let date: Date | undefined;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === 'string') {
    const m = TIMESTAMP.exec(value);
    // Keptn reads a timestamp without a zone as UTC; so must we.
    date = m ? new Date(`${m[1]}${m[2] ?? ''}${m[3] ?? 'Z'}`) : undefined;
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new InputError(
      `Invalid Keptn evaluation ${what} ${JSON.stringify(
        value instanceof Date ? String(value) : value,
      )}: use a Date or an ISO 8601 timestamp such as 2024-05-01T10:00:00Z`,
    );
  }
  return date;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

class MalformedEvent extends Error {}

function resultOf(value: unknown, what: string): KeptnEvaluationResult {
  const result = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof result !== 'string' || !RESULTS.has(result)) {
    throw new MalformedEvent(`${what} is ${JSON.stringify(value)}`);
  }
  return result as KeptnEvaluationResult;
}

/**
 * The lighthouse attaches the slo.yaml it scored with, base64-encoded; it is
 * evidence, so anything that is not clean base64 text is left out rather
 * than guessed at.
 */
function decodeSloFileContent(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) {
    return undefined;
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

/**
 * Reads an `evaluation.finished` event. Anything that does not say clearly
 * pass, warning or fail is refused rather than guessed (fail closed).
 */
function parseFinishedEvent(
  event: unknown,
  keptnContext: string,
): KeptnEvaluationFinished {
  if (!isRecord(event) || !isRecord(event.data)) {
    throw new MalformedEvent('the event has no data');
  }
  const data = event.data;
  const status = optionalString(data.status) ?? 'succeeded';
  const errored = status.toLowerCase() === 'errored';
  // Keptn reports an errored evaluation as fail; the lighthouse may leave out
  // `evaluation` entirely then.
  const result = errored ? 'fail' : resultOf(data.result, 'data.result');
  let evaluation: KeptnEvaluationFinished['evaluation'];
  if (isRecord(data.evaluation)) {
    const e = data.evaluation;
    const score = e.score;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new MalformedEvent(
        `data.evaluation.score is ${JSON.stringify(score)}`,
      );
    }
    evaluation = {
      score,
      result: errored
        ? 'fail'
        : resultOf(e.result ?? data.result, 'data.evaluation.result'),
      timeStart: optionalString(e.timeStart),
      timeEnd: optionalString(e.timeEnd),
      indicatorResults: Array.isArray(e.indicatorResults)
        ? (e.indicatorResults.filter(
            isRecord,
          ) as unknown as KeptnIndicatorResult[])
        : [],
      gitCommit: optionalString(e.gitCommit),
      comparedEvents: Array.isArray(e.comparedEvents)
        ? e.comparedEvents.filter((x): x is string => typeof x === 'string')
        : undefined,
      sloFileContent: decodeSloFileContent(e.sloFileContent),
    };
  } else if (errored) {
    evaluation = { score: 0, result: 'fail', indicatorResults: [] };
  } else {
    throw new MalformedEvent('data.evaluation is missing');
  }
  const labels: Record<string, string> = {};
  if (isRecord(data.labels)) {
    for (const [k, v] of Object.entries(data.labels)) {
      if (typeof v === 'string') labels[k] = v;
    }
  }
  return {
    keptnContext: optionalString(event.shkeptncontext) ?? keptnContext,
    eventId: optionalString(event.id) ?? '',
    triggeredId: optionalString(event.triggeredid),
    time: optionalString(event.time),
    project: optionalString(data.project) ?? '',
    stage: optionalString(data.stage) ?? '',
    service: optionalString(data.service) ?? '',
    labels,
    status,
    result,
    message: optionalString(data.message) ?? '',
    evaluation,
    gitcommitid: optionalString(event.gitcommitid),
  };
}

/**
 * Client for one Keptn v1 installation (1.x): triggers quality-gate
 * evaluations through the shipyard-controller and reads their results from the
 * mongodb-datastore.
 *
 * Calls go through {@link UpstreamHttpClient}: a timeout on every call,
 * retries only for the GETs, a circuit breaker and a concurrency cap per
 * instance, no redirects, and the `x-token` scrubbed from every error. Inputs
 * are checked locally with Keptn's own rules before any call.
 *
 * @public
 */
export class KeptnClient {
  readonly name: string;
  private readonly http: UpstreamHttpClient;

  static create(options: KeptnClientOptions): KeptnClient {
    return new KeptnClient(options);
  }

  constructor(options: KeptnClientOptions) {
    this.name = options.name;
    if (typeof options.apiToken !== 'string' || options.apiToken === '') {
      throw new InputError(
        `Keptn instance '${options.name}' needs an apiToken`,
      );
    }
    this.http = UpstreamHttpClient.create({
      ...options.http,
      name: `keptn:${options.name}`,
      baseUrl:
        typeof options.url === 'string'
          ? options.url.replace(/\/api\/*$/, '')
          : options.url,
      headers: { 'x-token': options.apiToken },
      secrets: [options.apiToken],
      logger: options.logger,
    });
  }

  /**
   * Starts an evaluation (`POST /api/controlPlane/v1/project/{project}/stage/{stage}/service/{service}/evaluation`).
   * Never retried: a repeated POST would start a second evaluation.
   *
   * @throws InputError - an invalid window, timeframe, time, label or name (no call made)
   * @throws KeptnInputError - Keptn refused the request (400)
   * @throws KeptnNotFoundError - unknown project, stage or service
   * @throws KeptnAuthenticationError - the API token was refused
   * @throws UpstreamUnavailableError - circuit open, timeout, network error, 502/503/504
   * @throws UpstreamResponseError - any other answer
   */
  async triggerEvaluation(
    request: KeptnTriggerEvaluationRequest,
  ): Promise<KeptnTriggerEvaluationResult> {
    const body = this.evaluationBody(request);
    const path = `${CONTROL_PLANE}/project/${encodePathSegment(
      request.project,
      'Keptn project',
    )}/stage/${encodePathSegment(
      request.stage,
      'Keptn stage',
    )}/service/${encodePathSegment(
      request.service,
      'Keptn service',
    )}/evaluation`;
    const upstreamRequest: UpstreamRequest = {
      method: 'POST',
      path,
      body,
      signal: request.signal,
    };
    const response = await this.http.request(upstreamRequest);
    if (!response.ok) {
      throw this.errorFor(upstreamRequest, response, true);
    }
    const answer = response.json<unknown>();
    const keptnContext = isRecord(answer) ? answer.keptnContext : undefined;
    if (typeof keptnContext !== 'string' || keptnContext === '') {
      throw new UpstreamResponseError(
        this.http.scrub(
          `Keptn '${
            this.name
          }' answered the evaluation trigger without a keptnContext: ${truncate(
            response.text,
            200,
          )}`,
        ),
        this.http.name,
        response.status,
      );
    }
    return { keptnContext };
  }

  /**
   * The `evaluation.finished` event of a context
   * (`GET /api/mongodb-datastore/event`), or undefined while the evaluation
   * has not finished.
   *
   * @throws UpstreamResponseError - an event without a clear result or score
   */
  async getEvaluationFinished(
    keptnContext: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<KeptnEvaluationFinished | undefined> {
    if (typeof keptnContext !== 'string' || keptnContext.trim() === '') {
      throw new InputError('A Keptn keptnContext must be a non-empty string');
    }
    const request: UpstreamRequest = {
      method: 'GET',
      path: `${DATASTORE}/event`,
      query: { keptnContext, type: KEPTN_EVALUATION_FINISHED_TYPE },
      signal: options.signal,
    };
    const response = await this.http.request(request);
    if (!response.ok) {
      throw this.errorFor(request, response, false);
    }
    const answer = response.json<unknown>();
    if (!isRecord(answer) || !Array.isArray(answer.events)) {
      throw new UpstreamResponseError(
        this.http.scrub(
          `Keptn '${
            this.name
          }' answered an event query without an events list: ${truncate(
            response.text,
            200,
          )}`,
        ),
        this.http.name,
        response.status,
      );
    }
    const events = answer.events.filter(
      e => isRecord(e) && e.type === KEPTN_EVALUATION_FINISHED_TYPE,
    ) as Array<Record<string, unknown>>;
    if (events.length === 0) {
      return undefined;
    }
    // Newest first, whatever order the datastore used.
    const newest = events.reduce((a, b) =>
      String(b.time ?? '') > String(a.time ?? '') ? b : a,
    );
    try {
      return parseFinishedEvent(newest, keptnContext);
    } catch (e) {
      if (e instanceof MalformedEvent) {
        throw new UpstreamResponseError(
          this.http.scrub(
            `Keptn '${this.name}' sent an evaluation.finished event for ${keptnContext} that cannot be read: ${e.message}`,
          ),
          this.http.name,
          response.status,
        );
      }
      throw e;
    }
  }

  /**
   * Polls until the evaluation of `keptnContext` has finished. Fails closed:
   * after `timeoutMs` it throws {@link KeptnEvaluationTimeoutError}, never
   * returns a result it does not have. Transient upstream failures
   * (unavailable, circuit open) are polled through until the deadline; any
   * other error is thrown at once.
   *
   * @throws KeptnEvaluationTimeoutError - no result within `timeoutMs`
   * @throws the signal's reason - when the caller aborts
   */
  async waitForEvaluation(
    keptnContext: string,
    options: KeptnWaitOptions,
  ): Promise<KeptnEvaluationFinished> {
    const { timeoutMs, pollMs = DEFAULT_POLL_MS, signal } = options;
    for (const [what, value] of [
      ['timeoutMs', timeoutMs],
      ['pollMs', pollMs],
    ] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new InputError(
          `Invalid ${what} ${String(value)}: must be a positive number`,
        );
      }
    }
    signal?.throwIfAborted();

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const combined = signal
      ? AbortSignal.any([signal, deadline.signal])
      : deadline.signal;
    let lastError: Error | undefined;
    try {
      for (;;) {
        try {
          const finished = await this.getEvaluationFinished(keptnContext, {
            signal: combined,
          });
          if (finished) {
            return finished;
          }
          lastError = undefined;
        } catch (error) {
          signal?.throwIfAborted();
          if (deadline.signal.aborted) {
            break;
          }
          if (!UpstreamUnavailableError.is(error)) {
            throw error;
          }
          lastError = error;
        }
        try {
          await abortableSleep(pollMs, combined);
        } catch {
          signal?.throwIfAborted();
          break;
        }
      }
    } finally {
      clearTimeout(timer);
    }
    throw new KeptnEvaluationTimeoutError(
      `Keptn '${
        this.name
      }' did not finish evaluation ${keptnContext} within ${timeoutMs} ms${
        lastError ? ` (last poll: ${lastError.message})` : ''
      }; treat the gate as failed`,
      this.name,
      keptnContext,
      timeoutMs,
      lastError,
    );
  }

  /** The JSON body of a trigger, after Keptn's own checks. */
  private evaluationBody(
    request: KeptnTriggerEvaluationRequest,
  ): Record<string, unknown> {
    if (!isRecord(request)) {
      throw new InputError('A Keptn evaluation request must be an object');
    }
    const { start, end, timeframe, labels, gitcommitid } = request;
    const has = (v: unknown) => v !== undefined && v !== null && v !== '';
    if (has(end) && has(timeframe)) {
      throw new InputError(
        'A Keptn evaluation takes either end or timeframe, not both',
      );
    }
    if (has(end) && !has(start)) {
      throw new InputError('A Keptn evaluation with an end needs a start');
    }
    if (has(start) && !has(end) && !has(timeframe)) {
      throw new InputError(
        'A Keptn evaluation with a start needs an end or a timeframe',
      );
    }
    const body: Record<string, unknown> = {};
    const startDate = has(start) ? toKeptnTime(start!, 'start') : undefined;
    if (startDate) {
      body.start = startDate.toISOString();
    }
    if (has(end)) {
      const endDate = toKeptnTime(end!, 'end');
      if (endDate.getTime() - startDate!.getTime() < MIN_WINDOW_MS) {
        throw new InputError(
          `A Keptn evaluation window must last at least 1 minute (start ${
            body.start
          }, end ${endDate.toISOString()})`,
        );
      }
      body.end = endDate.toISOString();
    }
    if (has(timeframe)) {
      if (timeframeMs(timeframe) < MIN_WINDOW_MS) {
        throw new InputError(
          `A Keptn evaluation timeframe must be at least 1 minute, not ${timeframe}`,
        );
      }
      body.timeframe = timeframe;
    }
    if (labels !== undefined) {
      if (
        !isRecord(labels) ||
        Object.values(labels).some(v => typeof v !== 'string')
      ) {
        throw new InputError(
          'Keptn evaluation labels must map strings to strings',
        );
      }
      body.labels = { ...labels };
    }
    if (gitcommitid !== undefined && gitcommitid !== '') {
      if (typeof gitcommitid !== 'string') {
        throw new InputError('A Keptn gitcommitid must be a string');
      }
      body.gitcommitid = gitcommitid;
    }
    return body;
  }

  /** Keptn's `{code, message}` error answers as typed errors. */
  private errorFor(
    request: UpstreamRequest,
    response: UpstreamResponse,
    isTrigger: boolean,
  ): Error {
    let code: number | undefined;
    let message = '';
    try {
      const body = JSON.parse(response.text) as unknown;
      if (isRecord(body)) {
        code = typeof body.code === 'number' ? body.code : undefined;
        message = typeof body.message === 'string' ? body.message : '';
      }
    } catch {
      message = '';
    }
    const upstreamMessage = truncate(
      this.http.scrub(message || response.text.trim()),
      500,
    );
    const details: KeptnErrorDetails = {
      instance: this.name,
      status: response.status,
      code,
      upstreamMessage,
    };
    const what = isTrigger
      ? `Keptn '${this.name}' refused the evaluation`
      : `Keptn '${this.name}' refused the event query`;
    switch (response.status) {
      case 400:
        return new KeptnInputError(`${what}: ${upstreamMessage}`, details);
      case 401:
      case 403:
        return new KeptnAuthenticationError(
          `${what}: the API token was rejected (HTTP ${response.status}); check praevisio.keptn.instances[].apiToken`,
          details,
        );
      case 404:
        if (isTrigger) {
          return new KeptnNotFoundError(`${what}: ${upstreamMessage}`, details);
        }
        break;
      default:
        break;
    }
    return this.http.errorForStatus(request, response, upstreamMessage);
  }
}
