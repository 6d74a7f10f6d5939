import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  UpstreamHttpClient,
  UpstreamHttpClientOptions,
  UpstreamRequest,
  UpstreamResponse,
  UpstreamResponseError,
} from '../http';
import { PrometheusQueryError } from './errors';
import { MalformedAnswer, parseQueryData, stringList } from './parse';
import type {
  PrometheusQueryResult,
  PrometheusRangeResult,
  PrometheusTime,
} from './types';

/** One configured Prometheus (`praevisio.prometheus.instances[]`). @public */
export interface PrometheusInstanceConfig {
  name: string;
  /** Base URL, e.g. https://prometheus.example.com (a path prefix is kept). */
  url: string;
  /** Sent as `Authorization: Bearer …`; scrubbed from every error. */
  bearerToken?: string;
  /**
   * Queries in flight at once. Default 20, Prometheus' own
   * `--query.max-concurrency`: a 20-objective gate runs in one wave.
   */
  maxConcurrentQueries?: number;
}

/** Prometheus' default `--query.max-concurrency`. */
export const DEFAULT_MAX_CONCURRENT_QUERIES = 20;

/** Tuning of the outbound HTTP behaviour; defaults suit production. @public */
export type PrometheusHttpOptions = Omit<
  UpstreamHttpClientOptions,
  'name' | 'baseUrl' | 'headers' | 'secrets' | 'scrubber' | 'logger'
>;

/** @public */
export interface PrometheusClientOptions extends PrometheusInstanceConfig {
  logger?: LoggerService;
  /** Timeouts, retries, breaker, concurrency cap, transport (for tests). */
  http?: PrometheusHttpOptions;
}

/** @public */
export interface PrometheusQueryOptions {
  /** Evaluation time; defaults to Prometheus' "now". */
  time?: PrometheusTime;
  /**
   * Evaluation timeout, sent as Prometheus' `timeout` parameter; the HTTP call
   * waits a second longer so that Prometheus' own timeout answer arrives.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Whether Prometheus may gzip the answer (the default: the HTTP transport
   * asks for compressed answers, as `fetch` does). Gzipping on Prometheus'
   * side and inflating on ours cost more CPU than they save bytes on an
   * answer of a few samples; `fetchSliValues`, whose answers are one sample
   * each, turns it off.
   */
  compression?: boolean;
}

/** @public */
export interface PrometheusRangeQueryOptions {
  start: PrometheusTime;
  end: PrometheusTime;
  /** Seconds, or a Prometheus duration such as `15s` or `1m30s`. */
  step: number | string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Prometheus refuses range queries with more points per series than this. @public */
export const PROMETHEUS_MAX_POINTS_PER_SERIES = 11_000;

const HTTP_TIMEOUT_GRACE_MS = 1_000;
const MAX_QUERY_IN_MESSAGE = 200;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w|y)/g;
const DURATION_FULL = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};
const SECONDS = /^-?\d+(?:\.\d+)?$/;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Unix seconds of a {@link PrometheusTime}. */
function toUnixSeconds(value: PrometheusTime, what: string): number {
  let seconds: number;
  if (value instanceof Date) {
    seconds = value.getTime() / 1000;
  } else if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string' && SECONDS.test(value.trim())) {
    seconds = Number(value.trim());
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    seconds = Date.parse(value) / 1000;
  } else {
    seconds = NaN;
  }
  if (!Number.isFinite(seconds)) {
    throw new InputError(
      `Invalid ${what} time ${JSON.stringify(
        value instanceof Date ? String(value) : value,
      )}: use a Date, Unix seconds or an RFC 3339 timestamp`,
    );
  }
  return seconds;
}

/** Seconds of a step given as seconds or as a Prometheus duration. */
function stepSeconds(step: number | string): number {
  let seconds = NaN;
  if (typeof step === 'number') {
    seconds = step;
  } else if (typeof step === 'string' && SECONDS.test(step.trim())) {
    seconds = Number(step.trim());
  } else if (typeof step === 'string' && DURATION_FULL.test(step)) {
    seconds = 0;
    for (const m of step.matchAll(DURATION_PART)) {
      seconds += Number(m[1]) * UNIT_SECONDS[m[2]];
    }
  }
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InputError(
      `Invalid query_range step ${JSON.stringify(
        step,
      )}: use a positive number of seconds or a duration such as 15s or 1m30s`,
    );
  }
  return seconds;
}

function checkTimeout(timeoutMs: number | undefined): void {
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' ||
      !Number.isFinite(timeoutMs) ||
      timeoutMs <= 0)
  ) {
    throw new InputError(
      `Invalid query timeout ${String(
        timeoutMs,
      )}: must be a positive number of milliseconds`,
    );
  }
}

interface Envelope {
  status?: unknown;
  data?: unknown;
  errorType?: unknown;
  error?: unknown;
  warnings?: unknown;
  infos?: unknown;
}

function isEnvelope(body: unknown): body is Envelope {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    ((body as Envelope).status === 'success' ||
      (body as Envelope).status === 'error')
  );
}

/**
 * Client for one Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`).
 *
 * Calls go through {@link UpstreamHttpClient}: a timeout on every call,
 * retries with backoff for these idempotent GETs (network errors, 502/503/504),
 * a circuit breaker and a concurrency cap per instance, no redirects, and the
 * bearer token scrubbed from every error. Prometheus' error envelope becomes a
 * {@link PrometheusQueryError} with its `errorType`; sample values are parsed
 * from their string form (`"NaN"` and `"+Inf"` included).
 *
 * @public
 */
export class PrometheusClient {
  readonly name: string;
  private readonly http: UpstreamHttpClient;
  private readonly logger?: LoggerService;

  static create(options: PrometheusClientOptions): PrometheusClient {
    return new PrometheusClient(options);
  }

  constructor(options: PrometheusClientOptions) {
    this.name = options.name;
    this.logger = options.logger;
    this.http = UpstreamHttpClient.create({
      ...options.http,
      maxConcurrency:
        options.http?.maxConcurrency ??
        options.maxConcurrentQueries ??
        DEFAULT_MAX_CONCURRENT_QUERIES,
      name: `prometheus:${options.name}`,
      baseUrl: options.url,
      headers: options.bearerToken
        ? { authorization: `Bearer ${options.bearerToken}` }
        : undefined,
      secrets: [options.bearerToken],
      logger: options.logger,
    });
  }

  /**
   * Evaluates an instant query (`GET /api/v1/query`).
   *
   * @throws PrometheusQueryError - Prometheus answered its error envelope (bad_data, execution, timeout, …)
   * @throws UpstreamUnavailableError - circuit open, timeout, network error, 502/503/504 without an envelope
   * @throws UpstreamResponseError - an answer without the documented shape
   * @throws InputError - an empty query or an invalid time
   */
  async query(
    promql: string,
    options: PrometheusQueryOptions = {},
  ): Promise<PrometheusQueryResult> {
    this.checkQuery(promql);
    checkTimeout(options.timeoutMs);
    const request: UpstreamRequest = {
      method: 'GET',
      path: '/api/v1/query',
      query: {
        query: promql,
        time:
          options.time !== undefined
            ? String(toUnixSeconds(options.time, 'evaluation'))
            : undefined,
        timeout:
          options.timeoutMs !== undefined
            ? String(options.timeoutMs / 1000)
            : undefined,
      },
      headers:
        options.compression === false
          ? { 'accept-encoding': 'identity' }
          : undefined,
      timeoutMs:
        options.timeoutMs !== undefined
          ? options.timeoutMs + HTTP_TIMEOUT_GRACE_MS
          : undefined,
      signal: options.signal,
    };
    const response = await this.http.request(request);
    return this.handle(request, response, promql);
  }

  /**
   * Evaluates a range query (`GET /api/v1/query_range`). Refuses locally, with
   * the same rule as Prometheus, a range that would have more than 11,000
   * points per series.
   *
   * @throws InputError - invalid times or step, end before start, too many points
   */
  async queryRange(
    promql: string,
    options: PrometheusRangeQueryOptions,
  ): Promise<PrometheusRangeResult> {
    this.checkQuery(promql);
    checkTimeout(options.timeoutMs);
    const start = toUnixSeconds(options.start, 'start');
    const end = toUnixSeconds(options.end, 'end');
    const step = stepSeconds(options.step);
    if (end < start) {
      throw new InputError(
        `Invalid query_range: end (${end}) is before start (${start})`,
      );
    }
    // Prometheus: end.Sub(start) / step > 11000, in integer nanoseconds.
    const rangeNs = Math.round((end - start) * 1e9);
    const stepNs = Math.round(step * 1e9);
    const intervals = Math.floor(rangeNs / stepNs);
    if (intervals > PROMETHEUS_MAX_POINTS_PER_SERIES) {
      throw new InputError(
        `query_range from ${start} to ${end} every ${step}s would return ${
          intervals + 1
        } points per series; Prometheus refuses more than ${PROMETHEUS_MAX_POINTS_PER_SERIES.toLocaleString(
          'en-US',
        )}. Use a step of at least ${Math.ceil(
          (end - start) / PROMETHEUS_MAX_POINTS_PER_SERIES,
        )}s or a shorter range`,
      );
    }
    const request: UpstreamRequest = {
      method: 'GET',
      path: '/api/v1/query_range',
      query: {
        query: promql,
        start: String(start),
        end: String(end),
        step: String(step),
        timeout:
          options.timeoutMs !== undefined
            ? String(options.timeoutMs / 1000)
            : undefined,
      },
      timeoutMs:
        options.timeoutMs !== undefined
          ? options.timeoutMs + HTTP_TIMEOUT_GRACE_MS
          : undefined,
      signal: options.signal,
    };
    const response = await this.http.request(request);
    const result = this.handle(request, response, promql);
    if (result.resultType !== 'matrix') {
      throw new UpstreamResponseError(
        `Prometheus '${this.name}' answered a range query with a ${result.resultType} result instead of a matrix`,
        this.http.name,
        response.status,
      );
    }
    return result;
  }

  private checkQuery(promql: string): void {
    if (typeof promql !== 'string' || promql.trim() === '') {
      throw new InputError('A PromQL query must be a non-empty string');
    }
  }

  private handle(
    request: UpstreamRequest,
    response: UpstreamResponse,
    promql: string,
  ): PrometheusQueryResult {
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    const scrub = (s: string) => this.http.scrub(s);
    const shown = truncate(promql.replace(/\s+/g, ' '), MAX_QUERY_IN_MESSAGE);

    if (isEnvelope(body) && body.status === 'error') {
      const errorType =
        typeof body.errorType === 'string' && body.errorType
          ? body.errorType
          : 'unknown';
      const upstreamMessage = scrub(
        typeof body.error === 'string' ? body.error : '',
      );
      throw new PrometheusQueryError(
        scrub(
          `Prometheus '${this.name}' answered ${errorType} (HTTP ${response.status}) to ${shown}: ${upstreamMessage}`,
        ),
        this.name,
        errorType,
        upstreamMessage,
        response.status,
        stringList(body.warnings).map(scrub),
      );
    }
    if (!response.ok) {
      throw this.http.errorForStatus(request, response);
    }
    if (!isEnvelope(body)) {
      throw new UpstreamResponseError(
        scrub(
          `Prometheus '${this.name}' answered ${
            response.status
          } without the API envelope: ${truncate(response.text, 200)}`,
        ),
        this.http.name,
        response.status,
      );
    }
    const warnings = stringList(body.warnings);
    const infos = stringList(body.infos);
    if (warnings.length > 0) {
      this.logger?.debug(
        `Prometheus '${this.name}' warned about ${shown}: ${warnings.join(
          '; ',
        )}`,
      );
    }
    try {
      return { ...parseQueryData(body.data), warnings, infos };
    } catch (e) {
      if (e instanceof MalformedAnswer) {
        throw new UpstreamResponseError(
          `Prometheus '${this.name}' answered with a malformed result: ${e.message}`,
          this.http.name,
          response.status,
        );
      }
      throw e;
    }
  }
}
