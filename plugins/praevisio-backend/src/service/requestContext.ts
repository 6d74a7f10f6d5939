import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { Request } from 'express';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` header every mutation needs. `why` finishes the
 * sentence "… needs one (for example a UUID per user action), so that …".
 */
export function idempotencyKeyOf(
  req: Request<any, any, any, any>,
  what: string,
  why: string,
): string {
  const value = req.headers['idempotency-key'];
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      `Missing Idempotency-Key header: ${what} needs one (for example a UUID per user action), so that ${why}`,
    );
  }
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new InputError(
      'Invalid Idempotency-Key header: use 1 to 255 printable ASCII characters without spaces',
    );
  }
  return value;
}

/** Who is acting: a user entity ref, or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string };
  return principal.type === 'user'
    ? principal.userEntityRef
    : `service:${principal.subject}`;
}
