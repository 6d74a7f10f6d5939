import {
  CustomErrorBase,
  InputError,
  isErrorWithName,
  NotFoundError,
} from '@backstage/errors';

/**
 * What Keptn said, kept on every error so that the UI can show the reason.
 * The message is already scrubbed of secrets.
 *
 * @public
 */
export interface KeptnErrorDetails {
  /** Configured instance name. */
  instance: string;
  /** HTTP status Keptn answered with. */
  status: number;
  /** `code` of Keptn's `{code, message}` error body, if any. */
  code?: number;
  /** Keptn's own message (scrubbed). */
  upstreamMessage: string;
}

/** Keptn refused the request as invalid (400), e.g. a bad evaluation window. @public */
export class KeptnInputError extends InputError {
  constructor(message: string, readonly details: KeptnErrorDetails) {
    super(message);
  }
}

/** The project, stage or service is not known to Keptn (404). @public */
export class KeptnNotFoundError extends NotFoundError {
  constructor(message: string, readonly details: KeptnErrorDetails) {
    super(message);
  }
}

/**
 * Keptn rejected Praevisio's API token (401/403). It maps to 502, not 401:
 * the browser user's Backstage session is fine, and a 401 would make the
 * frontend sign them out.
 *
 * @public
 */
export class KeptnAuthenticationError extends CustomErrorBase {
  name = 'KeptnAuthenticationError' as const;
  readonly statusCode = 502;

  static is(value: unknown): value is KeptnAuthenticationError {
    return isErrorWithName(value, 'KeptnAuthenticationError');
  }

  constructor(message: string, readonly details: KeptnErrorDetails) {
    super(message);
  }
}

/**
 * No `evaluation.finished` event arrived in time. Callers must treat this
 * like a failed gate (fail closed), never as a pass. Maps to 504.
 *
 * @public
 */
export class KeptnEvaluationTimeoutError extends CustomErrorBase {
  name = 'KeptnEvaluationTimeoutError' as const;
  readonly statusCode = 504;

  static is(value: unknown): value is KeptnEvaluationTimeoutError {
    return isErrorWithName(value, 'KeptnEvaluationTimeoutError');
  }

  constructor(
    message: string,
    /** Configured instance name. */
    readonly instance: string,
    readonly keptnContext: string,
    readonly timeoutMs: number,
    /** The last transient polling error, if polling itself was failing. */
    cause?: Error,
  ) {
    super(message, cause);
  }
}
