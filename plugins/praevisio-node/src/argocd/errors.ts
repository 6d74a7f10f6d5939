import {
  ConflictError,
  CustomErrorBase,
  InputError,
  isErrorWithName,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';

/**
 * What Argo CD said, kept on every error so that the UI can show the reason.
 * The message is already scrubbed of secrets.
 *
 * @public
 */
export interface ArgoCdErrorDetails {
  /** Configured instance name. */
  instance: string;
  /** HTTP status Argo CD answered with. */
  status: number;
  /** gRPC status code from the grpc-gateway body, if any. */
  grpcCode?: number;
  /** Argo CD's own message (scrubbed). */
  upstreamMessage: string;
}

/**
 * A sync or rollback was refused because another operation is running.
 * Maps to 409: the request is valid but conflicts with the current state.
 *
 * @public
 */
export class ArgoCdOperationInProgressError extends CustomErrorBase {
  name = 'ArgoCdOperationInProgressError' as const;
  readonly statusCode = 409;

  static is(value: unknown): value is ArgoCdOperationInProgressError {
    return isErrorWithName(value, 'ArgoCdOperationInProgressError');
  }

  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}

/**
 * A rollback was refused because the application syncs automatically; auto-sync
 * must be turned off first. Maps to 409.
 *
 * @public
 */
export class ArgoCdAutoSyncEnabledError extends CustomErrorBase {
  name = 'ArgoCdAutoSyncEnabledError' as const;
  readonly statusCode = 409;

  static is(value: unknown): value is ArgoCdAutoSyncEnabledError {
    return isErrorWithName(value, 'ArgoCdAutoSyncEnabledError');
  }

  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}

/**
 * Argo CD rejected Praevisio's own credentials (token expired or revoked, wrong
 * password). It maps to 502, not 401: the browser user's Backstage session is
 * fine, and a 401 would make the frontend sign them out.
 *
 * @public
 */
export class ArgoCdAuthenticationError extends CustomErrorBase {
  name = 'ArgoCdAuthenticationError' as const;
  readonly statusCode = 502;

  static is(value: unknown): value is ArgoCdAuthenticationError {
    return isErrorWithName(value, 'ArgoCdAuthenticationError');
  }

  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}

/**
 * The application (or resource) does not exist, or, when no project was given,
 * is not visible to Praevisio's account: Argo CD answers 403 for both so as not
 * to reveal which applications exist.
 *
 * @public
 */
export class ArgoCdNotFoundError extends NotFoundError {
  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}

/** Argo CD denied the call although the application's project was named. @public */
export class ArgoCdForbiddenError extends NotAllowedError {
  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}

/** Argo CD rejected the request as invalid (other 400 answers). @public */
export class ArgoCdInputError extends InputError {
  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}

/** Argo CD answered 409 AlreadyExists or similar. @public */
export class ArgoCdConflictError extends ConflictError {
  constructor(message: string, readonly details: ArgoCdErrorDetails) {
    super(message);
  }
}
