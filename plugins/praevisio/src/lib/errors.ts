import { ResponseError } from '@backstage/errors';

const WRAPPED_JSON = /^Request failed with status \d+[^,]*, (\{.*\})$/s;

/**
 * The server's own message for a failed request. ResponseError's `message` is
 * only "Request failed with 409 Conflict"; the reason is in the error body.
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    const message = error.body?.error?.message ?? error.cause?.message;
    if (message) return unwrapJsonMessage(message);
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

// A body without Backstage's `response` field is wrapped verbatim by
// parseErrorResponseBody; dig the message out of it.
function unwrapJsonMessage(message: string): string {
  const match = WRAPPED_JSON.exec(message);
  if (!match) return message;
  try {
    const inner = JSON.parse(match[1]);
    return typeof inner?.error?.message === 'string'
      ? inner.error.message
      : message;
  } catch {
    return message;
  }
}

/** HTTP status of a failed request, if it reached the server. */
export function errorStatus(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/**
 * A definitive refusal: the server understood and declined the request. A new
 * attempt is a new intent (new idempotency key); network errors and 5xx are
 * ambiguous and must be retried with the same key.
 */
export function isRefusal(error: unknown): boolean {
  const status = errorStatus(error);
  return status !== undefined && status >= 400 && status < 500;
}

/**
 * Argo CD refuses to roll back an application with automated sync
 * ("rollback cannot be initiated when auto-sync is enabled").
 */
export function isAutoSyncRefusal(error: unknown): boolean {
  return isRefusal(error) && /auto-?sync is enabled/i.test(errorMessage(error));
}
