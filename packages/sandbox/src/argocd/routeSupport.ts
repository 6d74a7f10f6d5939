import type { Authenticator, Principal } from './auth';
import type { ApplicationController } from './controller';
import { ArgoApiError } from './errors';
import type { RequestContext } from './http';
import type { ApplicationStore } from './store';

export interface RouteDeps {
  store: ApplicationStore;
  controller: ApplicationController;
  auth: Authenticator;
  /** Argo CD version being impersonated, e.g. "v3.5.1". */
  version: string;
  clock: () => Date;
}

export type Body = Record<string, unknown>;

export function asObject(body: unknown, what: string): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ArgoApiError(
      'InvalidArgument',
      `json: cannot unmarshal ${
        Array.isArray(body) ? 'array' : typeof body
      } into Go value of type ${what}`,
    );
  }
  return body as Body;
}

export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ArgoApiError(
      'InvalidArgument',
      `json: cannot unmarshal ${typeof value} into Go struct field .${field} of type string`,
    );
  }
  return value;
}

/** Go's JSON decoding turns `null` into zero values, which then vanish (omitempty). */
export function stripNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(stripNulls) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, stripNulls(v)]),
    ) as T;
  }
  return value;
}

/** `x.y.z` → comparable numbers, ignoring any `+build` suffix. */
export function versionAtLeast(
  version: string,
  major: number,
  minor: number,
): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) {
    return true;
  }
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

/** The caller, from the bearer token or `argocd.token` cookie (401 otherwise). */
export function principalOf(deps: RouteDeps, ctx: RequestContext): Principal {
  return deps.auth.authenticate(ctx.request.headers);
}
