import { isError } from '@backstage/errors';

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** The HTTP status the backend's error handler gives `error`. */
export function statusCodeOf(error: unknown): number {
  const code = (error as { statusCode?: unknown })?.statusCode;
  if (typeof code === 'number' && code >= 400 && code <= 599) {
    return code;
  }
  return isError(error) ? STATUS_BY_NAME[error.name] ?? 500 : 500;
}

/**
 * An error answer rebuilt from its parts: the first answer to a command,
 * returned again on replay, or an upstream refusal with a note added.
 */
export class CommandError extends Error {
  constructor(readonly statusCode: number, name: string, message: string) {
    super(message);
    this.name = name;
  }
}
