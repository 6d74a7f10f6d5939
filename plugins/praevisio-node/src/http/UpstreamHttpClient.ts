import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  abortableSleep,
  fullJitterDelay,
  RetryOptions,
  SleepFn,
} from './backoff';
import {
  CircuitBreaker,
  CircuitBreakerOptions,
  CircuitPermit,
  Clock,
} from './CircuitBreaker';
import {
  UpstreamRedirectError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from './errors';
import { SecretScrubber } from './SecretScrubber';
import { Semaphore, SemaphoreQueueFullError } from './Semaphore';
import {
  fetchTransport,
  HttpTransport,
  ResponseTooLargeError,
  TransportResponse,
  undiciTransport,
} from './transport';

/** @public */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** @public */
export type QueryValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | ReadonlyArray<string | number | boolean>;

/** @public */
export interface UpstreamRequest {
  method: HttpMethod;
  /**
   * Path below the configured base URL, starting with `/`. Build dynamic
   * segments with {@link encodePathSegment}.
   */
  path: string;
  /** Arrays become repeated parameters; undefined and null are left out. */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Serialised with JSON.stringify and sent as `application/json`. */
  body?: unknown;
  /**
   * Whether repeating the call is harmless. Defaults to true for GET and HEAD
   * only; only idempotent calls are retried.
   */
  idempotent?: boolean;
  /** Per-attempt timeout; defaults to the client's. */
  timeoutMs?: number;
  /** The caller's cancellation; honoured while queued, in flight and between retries. */
  signal?: AbortSignal;
}

/** @public */
export interface UpstreamResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The whole body as text ('' when there is none). */
  text: string;
  /** The body parsed as JSON; throws {@link UpstreamResponseError} when it is not JSON. */
  json<T = unknown>(): T;
}

/** @public */
export interface UpstreamHttpClientOptions {
  /** Identifies the upstream in errors, logs and metrics, e.g. `argocd:prod`. */
  name: string;
  /** From config only, never from user input or catalog annotations. */
  baseUrl: string;
  /** Sent with every call. */
  headers?: Record<string, string>;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Options for a breaker of its own, or a breaker shared with other clients of the same upstream. */
  circuitBreaker?: CircuitBreakerOptions | CircuitBreaker;
  /** Calls in flight at once. Default 8. */
  maxConcurrency?: number;
  /** Calls waiting for a slot; more fail fast as `overloaded`. Default 100. */
  maxQueue?: number;
  /** Larger bodies are refused. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Secret values (tokens, passwords) to keep out of error messages. */
  secrets?: Iterable<string | undefined>;
  /** Shared with the caller so that it can register secrets learnt later. */
  scrubber?: SecretScrubber;
  logger?: LoggerService;
  clock?: Clock;
  sleep?: SleepFn;
  /** Uniform in [0, 1); drives backoff jitter. */
  random?: () => number;
  /**
   * Sends the requests; default {@link undiciTransport}. Tests and callers
   * that must use their own `fetch` pass `fetch` instead.
   */
  transport?: HttpTransport;
  /** Shorthand for `transport: fetchTransport(fetch)`. */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONCURRENCY = 8;
const DEFAULT_MAX_QUEUE = 100;
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Gateway-level failures: the request most likely never reached the application. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const MAX_MESSAGE_SNIPPET = 500;

/**
 * Encodes one dynamic path segment. Rejects `.`, `..` and empty values, which
 * encodeURIComponent leaves as they are and which would change the path.
 *
 * @public
 */
export function encodePathSegment(
  value: string,
  what = 'path segment',
): string {
  if (value === '' || value === '.' || value === '..') {
    throw new InputError(`Invalid ${what} '${value}'`);
  }
  return encodeURIComponent(value);
}

class TimeoutSignal extends Error {
  name = 'TimeoutSignal';
}

type AttemptOutcome =
  | { kind: 'done'; response: UpstreamResponse }
  | { kind: 'retryable'; response?: UpstreamResponse; error: Error };

/**
 * The one way Praevisio calls an upstream system (Argo CD, Prometheus, Keptn,
 * Alertmanager, Kubernetes).
 *
 * - The base URL comes from config; paths cannot leave it.
 * - Redirects are refused (`redirect: 'manual'`, any 3xx is an error).
 * - Every attempt has a timeout and also stops when the caller's signal aborts.
 * - Idempotent calls are retried on network errors, timeouts and 502/503/504
 *   with full-jitter exponential backoff; other calls are never repeated.
 * - A circuit breaker per upstream fails fast while the upstream is down.
 * - A semaphore caps the calls in flight.
 * - Secrets are scrubbed from every error message.
 *
 * Non-2xx answers other than redirects are returned, not thrown, so that each
 * upstream client can map its own error bodies; {@link UpstreamHttpClient.requestJson}
 * is the throwing variant.
 *
 * @public
 */
export class UpstreamHttpClient {
  readonly name: string;
  readonly baseUrl: URL;
  readonly scrubber: SecretScrubber;
  readonly breaker: CircuitBreaker;
  private readonly semaphore: Semaphore;
  private readonly defaultHeaders: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly maxResponseBytes: number;
  private readonly logger?: LoggerService;
  private readonly clock: Clock;
  private readonly sleep: SleepFn;
  private readonly random: () => number;
  private readonly transport: HttpTransport;

  static create(options: UpstreamHttpClientOptions): UpstreamHttpClient {
    return new UpstreamHttpClient(options);
  }

  constructor(options: UpstreamHttpClientOptions) {
    this.name = options.name;
    this.scrubber = options.scrubber ?? new SecretScrubber();
    for (const secret of options.secrets ?? []) {
      this.scrubber.add(secret);
    }
    for (const [header, value] of Object.entries(options.headers ?? {})) {
      if (/^(authorization|cookie|x-token|x-api-key)$/i.test(header)) {
        this.scrubber.add(value);
        this.scrubber.add(value.replace(/^\S+\s+/, ''));
      }
    }
    this.baseUrl = parseBaseUrl(options.baseUrl, options.name, this.scrubber);
    this.defaultHeaders = {
      accept: 'application/json',
      'user-agent': 'praevisio-ops',
      ...lowerCaseKeys(options.headers ?? {}),
    };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = {
      maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 3),
      baseDelayMs: options.retry?.baseDelayMs ?? 200,
      maxDelayMs: options.retry?.maxDelayMs ?? 5_000,
    };
    this.maxResponseBytes =
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.logger = options.logger;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.transport =
      options.transport ??
      (options.fetch ? fetchTransport(options.fetch) : undiciTransport);
    this.breaker =
      options.circuitBreaker instanceof CircuitBreaker
        ? options.circuitBreaker
        : CircuitBreaker.create({
            clock: this.clock,
            ...options.circuitBreaker,
            onStateChange: (state, previous) => {
              this.logger?.warn(
                `Circuit breaker for ${this.name} went from ${previous} to ${state}`,
              );
              if (
                options.circuitBreaker &&
                !(options.circuitBreaker instanceof CircuitBreaker)
              ) {
                options.circuitBreaker.onStateChange?.(state, previous);
              }
            },
          });
    this.semaphore = Semaphore.create({
      maxConcurrent: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
    });
  }

  /** Removes secrets from text meant for an error message or a log line. */
  scrub(text: string): string {
    return this.scrubber.scrub(text);
  }

  /**
   * Makes the call, retrying idempotent ones, and returns the final answer
   * whatever its status, except redirects.
   *
   * @throws UpstreamUnavailableError - circuit open, queue full, timeout, network error
   * @throws UpstreamRedirectError - the upstream answered 3xx
   * @throws UpstreamResponseError - the body was larger than allowed
   */
  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const url = this.buildUrl(request.path, request.query);
    const idempotent =
      request.idempotent ??
      (request.method === 'GET' || request.method === 'HEAD');
    const maxAttempts = idempotent ? this.retry.maxAttempts : 1;

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, request);
      if (outcome.kind === 'done') {
        return outcome.response;
      }
      if (attempt >= maxAttempts || this.breaker.wouldReject()) {
        if (outcome.response) {
          return outcome.response;
        }
        throw outcome.error;
      }
      const delay = fullJitterDelay(attempt, this.retry, this.random);
      this.logger?.debug(
        `Retrying ${request.method} ${request.path} on ${
          this.name
        } in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts}): ${
          outcome.error.message
        }`,
      );
      await this.sleep(delay, request.signal);
    }
  }

  /**
   * Like {@link UpstreamHttpClient.request} but returns the parsed JSON body of
   * a 2xx answer and throws for anything else.
   */
  async requestJson<T>(request: UpstreamRequest): Promise<T> {
    const response = await this.request(request);
    if (!response.ok) {
      throw this.errorForStatus(request, response);
    }
    return response.json<T>();
  }

  /** The generic error for a non-2xx answer, with a scrubbed body snippet. */
  errorForStatus(
    request: Pick<UpstreamRequest, 'method' | 'path'>,
    response: UpstreamResponse,
    upstreamMessage?: string,
  ): UpstreamUnavailableError | UpstreamResponseError {
    // Scrub before truncating: a cut could leave half a secret unrecognisable.
    const detail = truncate(
      this.scrub(upstreamMessage ?? response.text.trim()),
      MAX_MESSAGE_SNIPPET,
    );
    const message = this.scrub(
      `${this.name} ${request.method} ${request.path} answered ${
        response.status
      }${detail ? `: ${detail}` : ''}`,
    );
    if (RETRYABLE_STATUSES.has(response.status) || response.status === 429) {
      return new UpstreamUnavailableError(
        message,
        this.name,
        'http-status',
        response.status,
      );
    }
    return new UpstreamResponseError(message, this.name, response.status);
  }

  private async attempt(
    url: URL,
    request: UpstreamRequest,
  ): Promise<AttemptOutcome> {
    const what = `${this.name} ${request.method} ${request.path}`;
    if (this.breaker.wouldReject()) {
      throw this.circuitOpenError(what);
    }

    let release: () => void;
    try {
      release = await this.semaphore.acquire(request.signal);
    } catch (error) {
      if (error instanceof SemaphoreQueueFullError) {
        throw new UpstreamUnavailableError(
          `${what} refused: ${error.message}`,
          this.name,
          'overloaded',
        );
      }
      throw error; // the caller aborted while queued
    }

    try {
      const permit = this.breaker.tryAcquire();
      if (!permit) {
        throw this.circuitOpenError(what);
      }
      return await this.send(url, request, what, permit);
    } finally {
      release();
    }
  }

  private async send(
    url: URL,
    request: UpstreamRequest,
    what: string,
    permit: CircuitPermit,
  ): Promise<AttemptOutcome> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new TimeoutSignal()),
      timeoutMs,
    );
    const signal = request.signal
      ? AbortSignal.any([timeout.signal, request.signal])
      : timeout.signal;

    const headers: Record<string, string> = {
      ...this.defaultHeaders,
      ...lowerCaseKeys(request.headers ?? {}),
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }

    try {
      const res = await this.transport({
        url,
        method: request.method,
        headers,
        body,
        signal,
        maxResponseBytes: this.maxResponseBytes,
      });

      if (res.status >= 300 && res.status < 400) {
        permit.success(); // the upstream is up; it is just pointing elsewhere
        const location = res.headers.get('location');
        throw new UpstreamRedirectError(
          this.scrub(
            `${what} answered a redirect (${res.status}${
              location ? ` to ${location}` : ''
            }), which is refused; check the configured URL`,
          ),
          this.name,
          res.status,
        );
      }

      const response = this.toResponse(res, what);
      if (RETRYABLE_STATUSES.has(res.status)) {
        permit.failure();
        return {
          kind: 'retryable',
          response,
          error: this.errorForStatus(request, response),
        };
      }
      permit.success();
      return { kind: 'done', response };
    } catch (error) {
      if (error instanceof UpstreamRedirectError) {
        throw error;
      }
      if (request.signal?.aborted) {
        permit.release(); // says nothing about the upstream
        throw request.signal.reason;
      }
      if (error instanceof ResponseTooLargeError) {
        permit.success();
        throw new UpstreamResponseError(`${what}: ${error.message}`, this.name);
      }
      permit.failure();
      if (timeout.signal.aborted) {
        return {
          kind: 'retryable',
          error: new UpstreamUnavailableError(
            `${what} timed out after ${timeoutMs} ms`,
            this.name,
            'timeout',
          ),
        };
      }
      return {
        kind: 'retryable',
        error: new UpstreamUnavailableError(
          this.scrub(`${what} failed: ${describeError(error)}`),
          this.name,
          'network',
        ),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private toResponse(res: TransportResponse, what: string): UpstreamResponse {
    const { text } = res;
    const upstream = this.name;
    const scrub = (s: string) => this.scrub(s);
    return {
      status: res.status,
      ok: res.status >= 200 && res.status < 300,
      headers: res.headers,
      text,
      json<T>(): T {
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new UpstreamResponseError(
            `${scrub(what)} answered ${
              res.status
            } with a body that is not JSON: ${truncate(scrub(text), 200)}`,
            upstream,
            res.status,
          );
        }
      },
    };
  }

  private circuitOpenError(what: string): UpstreamUnavailableError {
    const retryAt = this.breaker.retryAt;
    const wait =
      retryAt !== undefined
        ? `; next attempt in ${Math.max(
            0,
            Math.ceil((retryAt - this.clock.now()) / 1000),
          )} s`
        : '';
    return new UpstreamUnavailableError(
      `${what} not attempted: ${this.name} is failing and its circuit breaker is open${wait}`,
      this.name,
      'circuit-open',
      undefined,
      retryAt,
    );
  }

  private buildUrl(path: string, query?: Record<string, QueryValue>): URL {
    if (
      !path.startsWith('/') ||
      path.startsWith('//') ||
      /[?#\\]/.test(path) ||
      path.split('/').some(segment => segment === '.' || segment === '..')
    ) {
      throw new InputError(`Invalid upstream path for ${this.name}: ${path}`);
    }
    const basePath = this.baseUrl.pathname.replace(/\/+$/, '');
    const url = new URL(`${basePath}${path}`, this.baseUrl.origin);
    if (url.origin !== this.baseUrl.origin) {
      throw new InputError(`Invalid upstream path for ${this.name}: ${path}`);
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) {
        continue;
      }
      const values: ReadonlyArray<string | number | boolean> = Array.isArray(
        value,
      )
        ? value
        : [value as string | number | boolean];
      for (const v of values) {
        url.searchParams.append(key, String(v));
      }
    }
    return url;
  }
}

function parseBaseUrl(
  raw: string,
  name: string,
  scrubber: SecretScrubber,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      scrubber.scrub(`Invalid base URL for ${name}: '${raw}'`),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `Invalid base URL for ${name}: only http and https are allowed`,
    );
  }
  if (url.username || url.password) {
    // Credentials in URLs end up in logs; they belong in the secret config keys.
    throw new InputError(
      `Invalid base URL for ${name}: credentials in the URL are not allowed`,
    );
  }
  if (url.search || url.hash) {
    throw new InputError(
      `Invalid base URL for ${name}: query and fragment are not allowed`,
    );
  }
  return url;
}

/** Flattens an error and its causes ("fetch failed: connect ECONNREFUSED …"). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    // Duck-typed: errors from fetch may come from another realm (e.g. under jest).
    if (typeof current === 'object' && 'message' in current) {
      const { message, code, cause } = current as {
        message: unknown;
        code?: unknown;
        cause?: unknown;
      };
      const text = String(message);
      parts.push(
        typeof code === 'string' && !text.includes(code)
          ? `${text} (${code})`
          : text,
      );
      current = cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join(': ');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function lowerCaseKeys(
  headers: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
}
