/**
 * Argo CD's API is gRPC exposed through grpc-gateway: handlers fail with a gRPC
 * status, and the gateway turns it into an HTTP status plus a JSON body
 * `{error, code, message, details}` (the swagger's `runtimeError`).
 */
export const GRPC_CODES = {
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

export type GrpcCodeName = keyof typeof GRPC_CODES;

// grpc-gateway's runtime.HTTPStatusFromCode.
const HTTP_STATUS: Record<GrpcCodeName, number> = {
  Canceled: 499,
  Unknown: 500,
  InvalidArgument: 400,
  DeadlineExceeded: 504,
  NotFound: 404,
  AlreadyExists: 409,
  PermissionDenied: 403,
  ResourceExhausted: 429,
  FailedPrecondition: 400,
  Aborted: 409,
  OutOfRange: 400,
  Unimplemented: 501,
  Internal: 500,
  Unavailable: 503,
  DataLoss: 500,
  Unauthenticated: 401,
};

/** The swagger's `runtimeError` definition. */
export interface RuntimeError {
  error: string;
  code: number;
  message: string;
  details: Array<{ type_url?: string; value?: string }>;
}

export class ArgoApiError extends Error {
  readonly code: GrpcCodeName;
  /** Overrides the mapped status for gateway-level failures (e.g. 405). */
  private readonly statusOverride?: number;

  constructor(code: GrpcCodeName, message: string, statusOverride?: number) {
    super(message);
    this.name = 'ArgoApiError';
    this.code = code;
    this.statusOverride = statusOverride;
  }

  get httpStatus(): number {
    return this.statusOverride ?? HTTP_STATUS[this.code];
  }

  toBody(): RuntimeError {
    return {
      error: this.message,
      code: GRPC_CODES[this.code],
      message: this.message,
      details: [],
    };
  }
}

/** argocommon.PermissionDeniedAPIError: deliberately says nothing more. */
export function permissionDenied(): ArgoApiError {
  return new ArgoApiError('PermissionDenied', 'permission denied');
}

/** The Kubernetes NotFound text Argo CD forwards for applications. */
export function applicationNotFound(name: string): ArgoApiError {
  return new ArgoApiError(
    'NotFound',
    `applications.argoproj.io "${name}" not found`,
  );
}

export function anotherOperationInProgress(): ArgoApiError {
  return new ArgoApiError(
    'FailedPrecondition',
    'another operation is already in progress',
  );
}
