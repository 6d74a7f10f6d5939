import { CustomErrorBase, isErrorWithName } from '@backstage/errors';

/**
 * `errorType` of a Prometheus API error envelope. The first five are what the
 * query endpoints answer (with HTTP 400, 422, 499, 503 and 500); the others
 * come from other endpoints. Unknown types are kept as they are.
 *
 * @public
 */
export type PrometheusErrorType =
  | 'bad_data'
  | 'execution'
  | 'canceled'
  | 'timeout'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'not_acceptable'
  | (string & {});

/** The HTTP status Prometheus answers each query error type with. @public */
export const PROMETHEUS_ERROR_STATUS: Readonly<Record<string, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  unavailable: 503,
  not_found: 404,
  not_acceptable: 406,
};

/**
 * Prometheus answered a query with its error envelope
 * (`{status: "error", errorType, error}`).
 *
 * `statusCode` is for Backstage's error handler: 400 for `bad_data` (the
 * query is wrong), 422 for `execution`, 503 for `timeout` and `unavailable`,
 * 502 for anything else. `upstreamStatus` is what Prometheus answered.
 *
 * @public
 */
export class PrometheusQueryError extends CustomErrorBase {
  name = 'PrometheusQueryError' as const;
  readonly statusCode: number;

  static is(value: unknown): value is PrometheusQueryError {
    return isErrorWithName(value, 'PrometheusQueryError');
  }

  constructor(
    message: string,
    /** Configured instance name. */
    readonly instance: string,
    readonly errorType: PrometheusErrorType,
    /** Prometheus' own message (scrubbed). */
    readonly upstreamMessage: string,
    readonly upstreamStatus: number,
    readonly warnings: string[] = [],
  ) {
    super(message);
    switch (errorType) {
      case 'bad_data':
        this.statusCode = 400;
        break;
      case 'execution':
        this.statusCode = 422;
        break;
      case 'timeout':
      case 'unavailable':
        this.statusCode = 503;
        break;
      default:
        this.statusCode = 502;
    }
  }
}
