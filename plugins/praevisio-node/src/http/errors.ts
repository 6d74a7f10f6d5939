import { CustomErrorBase, isErrorWithName } from '@backstage/errors';

/**
 * Why an upstream is considered unavailable.
 *
 * - `circuit-open`: the circuit breaker is open; no call was made.
 * - `overloaded`: the per-upstream queue is full; no call was made.
 * - `timeout`: the call did not complete within its timeout.
 * - `network`: connection refused/reset, DNS failure and the like.
 * - `http-status`: the upstream answered 502/503/504 (or said it is unavailable).
 *
 * @public
 */
export type UpstreamUnavailableReason =
  | 'circuit-open'
  | 'overloaded'
  | 'timeout'
  | 'network'
  | 'http-status';

/**
 * An upstream system cannot serve the call right now. Maps to HTTP 503 in the
 * Backstage error handler through `statusCode`.
 *
 * @public
 */
export class UpstreamUnavailableError extends CustomErrorBase {
  name = 'UpstreamUnavailableError' as const;
  readonly statusCode = 503;

  static is(value: unknown): value is UpstreamUnavailableError {
    return isErrorWithName(value, 'UpstreamUnavailableError');
  }

  constructor(
    message: string,
    readonly upstream: string,
    readonly reason: UpstreamUnavailableReason,
    /** Upstream HTTP status when `reason` is `http-status`. */
    readonly upstreamStatus?: number,
    /** When the circuit breaker allows a new attempt (epoch ms), if open. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The upstream answered with a redirect. Redirects are refused so that a
 * compromised or misconfigured upstream cannot send our credentials elsewhere.
 *
 * @public
 */
export class UpstreamRedirectError extends CustomErrorBase {
  name = 'UpstreamRedirectError' as const;
  readonly statusCode = 502;

  static is(value: unknown): value is UpstreamRedirectError {
    return isErrorWithName(value, 'UpstreamRedirectError');
  }

  constructor(
    message: string,
    readonly upstream: string,
    readonly upstreamStatus: number,
  ) {
    super(message);
  }
}

/**
 * The upstream answered with something we cannot use: an unexpected status, a
 * body that is not JSON, or a body larger than allowed. Maps to HTTP 502.
 *
 * @public
 */
export class UpstreamResponseError extends CustomErrorBase {
  name = 'UpstreamResponseError' as const;
  readonly statusCode = 502;

  static is(value: unknown): value is UpstreamResponseError {
    return isErrorWithName(value, 'UpstreamResponseError');
  }

  constructor(
    message: string,
    readonly upstream: string,
    /** Upstream HTTP status, when there was a response. */
    readonly upstreamStatus?: number,
  ) {
    super(message);
  }
}
