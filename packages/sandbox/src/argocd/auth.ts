import {
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ArgoApiError } from './errors';

/** A local account, as `argocd-cm` `accounts.<name>` plus an RBAC policy. */
export interface SimulatorUser {
  username: string;
  password: string;
  /** Projects the account may act in; omitted means every project. */
  projects?: string[];
  /** Only `get` on applications (like the built-in `role:readonly`). */
  readOnly?: boolean;
}

/** A pre-issued API token (an account or project-role JWT in real life). */
export interface SimulatorToken {
  token: string;
  username?: string;
  projects?: string[];
  readOnly?: boolean;
}

export interface Principal {
  username: string;
  projects?: string[];
  readOnly: boolean;
}

export const DEFAULT_USERS: readonly SimulatorUser[] = Object.freeze([
  Object.freeze({ username: 'admin', password: 'admin' }),
]);

// Local-user session tokens live 24h by default (server `users.session.duration`).
const SESSION_SECONDS = 24 * 60 * 60;

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Issues and checks HS256 JWTs the way argocd-server does for local users,
 * and accepts configured static tokens. The signing key is per instance, so a
 * token from one simulator never works against another.
 */
export class Authenticator {
  private readonly users: readonly SimulatorUser[];
  private readonly tokens: Map<string, Principal>;
  private readonly secret = randomBytes(32);
  private readonly clock: () => Date;

  constructor(options: {
    users?: SimulatorUser[];
    tokens?: Array<string | SimulatorToken>;
    clock: () => Date;
  }) {
    this.users = options.users ?? DEFAULT_USERS;
    this.clock = options.clock;
    this.tokens = new Map(
      (options.tokens ?? []).map(entry => {
        const t = typeof entry === 'string' ? { token: entry } : entry;
        return [
          t.token,
          {
            username: t.username ?? 'admin',
            projects: t.projects,
            readOnly: t.readOnly ?? false,
          },
        ];
      }),
    );
  }

  login(username: unknown, password: unknown): string {
    const user = this.users.find(
      u => u.username === username && u.password === password,
    );
    if (!user) {
      throw new ArgoApiError('Unauthenticated', 'Invalid username or password');
    }
    const now = Math.floor(this.clock().getTime() / 1000);
    return this.sign({
      iss: 'argocd',
      sub: user.username,
      nbf: now,
      iat: now,
      exp: now + SESSION_SECONDS,
      jti: randomUUID(),
    });
  }

  /** Resolves the caller from `Authorization: Bearer` or the `argocd.token` cookie. */
  authenticate(headers: IncomingHttpHeaders): Principal {
    const token = extractToken(headers);
    if (!token) {
      throw new ArgoApiError('Unauthenticated', 'no session information');
    }
    const staticPrincipal = this.tokens.get(token);
    if (staticPrincipal) {
      return staticPrincipal;
    }
    const claims = this.verify(token);
    const user = this.users.find(u => u.username === claims.sub);
    if (!user) {
      throw new ArgoApiError(
        'Unauthenticated',
        `invalid session: account ${String(claims.sub)} does not exist`,
      );
    }
    return {
      username: user.username,
      projects: user.projects,
      readOnly: user.readOnly ?? false,
    };
  }

  /** Like `authenticate`, but anonymous callers get undefined (for /api/version). */
  tryAuthenticate(headers: IncomingHttpHeaders): Principal | undefined {
    try {
      return this.authenticate(headers);
    } catch {
      return undefined;
    }
  }

  private sign(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.secret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  private verify(token: string): Record<string, unknown> {
    const parts = token.split('.');
    if (parts.length !== 3) {
      throw new ArgoApiError(
        'Unauthenticated',
        'invalid session: token is malformed: token contains an invalid number of segments',
      );
    }
    const expected = createHmac('sha256', this.secret)
      .update(`${parts[0]}.${parts[1]}`)
      .digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ArgoApiError(
        'Unauthenticated',
        'invalid session: token signature is invalid: signature is invalid',
      );
    }
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    const now = Math.floor(this.clock().getTime() / 1000);
    if (typeof claims.exp === 'number' && claims.exp < now) {
      throw new ArgoApiError(
        'Unauthenticated',
        'invalid session: token has invalid claims: token is expired',
      );
    }
    return claims;
  }
}

function extractToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) {
      return match[1];
    }
  }
  const cookie = headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === 'argocd.token') {
        return rest.join('=');
      }
    }
  }
  return undefined;
}

/** RBAC actions on `applications`, as in argocd-rbac-cm policies. */
export type AppAction =
  | 'get'
  | 'sync'
  | 'update'
  | 'delete'
  | `action/${string}`;

export function isAllowed(
  principal: Principal,
  action: AppAction,
  project: string,
): boolean {
  const inProject =
    !principal.projects ||
    principal.projects.includes('*') ||
    principal.projects.includes(project);
  if (!inProject) {
    return false;
  }
  return action === 'get' || !principal.readOnly;
}

/** rbac.Enforcer.EnforceErr: the message names the denied request. */
export function enforce(
  principal: Principal,
  action: AppAction,
  project: string,
  appName: string,
): void {
  if (!isAllowed(principal, action, project)) {
    throw new ArgoApiError(
      'PermissionDenied',
      `permission denied: applications, ${action}, ${project}/${appName}, sub: ${principal.username}`,
    );
  }
}
