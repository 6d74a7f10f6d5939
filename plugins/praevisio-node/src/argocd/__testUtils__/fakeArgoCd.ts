import { ServerResponse } from 'node:http';
import {
  RecordedRequest,
  sendJson,
  startTestServer,
  TestServer,
} from '../../http/__testUtils__/testServer';
import {
  application,
  applicationList,
  fakeJwt,
  grpcError,
  GrpcCode,
  resourceResponse,
  resourceTree,
  revisionMetadata,
} from './fixtures';

export interface FakeArgoCdOptions {
  /** Serve `POST .../resource/actions/v2` (Argo CD 3.1+). Default true. */
  actionsV2?: boolean;
  /** Accept this static token. */
  token?: string;
  /** Accept logins with these credentials and the tokens they yield. */
  account?: { username: string; password: string };
  /** `exp` of issued session tokens (seconds). */
  sessionExp?: number;
}

/** Answers a request before the fake's routes when it returns true. */
export type Interceptor = (
  req: RecordedRequest,
  res: ServerResponse,
) => boolean | Promise<boolean>;

export interface FakeArgoCd {
  server: TestServer;
  url: string;
  requests: RecordedRequest[];
  /** Session tokens issued so far; only the last one is valid. */
  issuedTokens: string[];
  intercept(interceptor?: Interceptor): void;
  /** Make the current session token invalid, as after a server restart. */
  expireSessions(): void;
  close(): Promise<void>;
}

const KNOWN_APPS = new Set([application.metadata.name]);

/**
 * A small Argo CD API server with the behaviours the client relies on
 * (README "Argo CD behaviours a faithful simulator must reproduce").
 */
export async function startFakeArgoCd(
  options: FakeArgoCdOptions = {},
): Promise<FakeArgoCd> {
  const issuedTokens: string[] = [];
  let validSession: string | undefined;
  let interceptor: Interceptor | undefined;
  const server = await startTestServer();

  const authorized = (req: RecordedRequest) => {
    if (!options.token && !options.account) {
      return true;
    }
    const header = req.headers.authorization ?? '';
    const token = header.replace(/^Bearer /, '');
    return (
      (options.token !== undefined && token === options.token) ||
      (validSession !== undefined && token === validSession)
    );
  };

  server.setHandler(async (req, res) => {
    if (interceptor && (await interceptor(req, res))) {
      return;
    }
    if (
      req.method !== 'GET' &&
      req.headers['content-type'] !== 'application/json'
    ) {
      sendJson(
        res,
        415,
        grpcError(GrpcCode.InvalidArgument, 'unsupported content type'),
      );
      return;
    }
    if (req.method === 'POST' && req.path === '/api/v1/session') {
      const body = JSON.parse(req.body || '{}');
      if (
        options.account &&
        body.username === options.account.username &&
        body.password === options.account.password
      ) {
        validSession = fakeJwt(body.username, options.sessionExp);
        issuedTokens.push(validSession);
        sendJson(res, 200, { token: validSession });
      } else {
        sendJson(
          res,
          401,
          grpcError(GrpcCode.Unauthenticated, 'Invalid username or password'),
        );
      }
      return;
    }
    if (!authorized(req)) {
      sendJson(
        res,
        401,
        grpcError(
          GrpcCode.Unauthenticated,
          'invalid session: token is invalid',
        ),
      );
      return;
    }

    const match = /^\/api\/v1\/applications(?:\/([^/]+)(\/.*)?)?$/.exec(
      req.path,
    );
    if (!match) {
      sendJson(res, 404, { code: 5, message: 'Not Found', details: [] });
      return;
    }
    const name = match[1] && decodeURIComponent(match[1]);
    const rest = match[2] ?? '';

    if (!name) {
      sendJson(res, 200, applicationList);
      return;
    }
    if (!KNOWN_APPS.has(name)) {
      // Without a project Argo CD does not reveal whether the app exists.
      if (req.query.project?.length || req.query.projects?.length) {
        sendJson(
          res,
          404,
          grpcError(
            GrpcCode.NotFound,
            `applications.argoproj.io "${name}" not found`,
          ),
        );
      } else {
        sendJson(
          res,
          403,
          grpcError(GrpcCode.PermissionDenied, 'permission denied'),
        );
      }
      return;
    }

    const route = `${req.method} ${rest.replace(
      /\/revisions\/[^/]+\//,
      '/revisions/{revision}/',
    )}`;
    switch (route) {
      case 'GET ':
      case 'PATCH ':
        sendJson(res, 200, application);
        return;
      case 'GET /resource-tree':
        sendJson(res, 200, resourceTree);
        return;
      case 'GET /resource':
        sendJson(res, 200, resourceResponse);
        return;
      case 'GET /revisions/{revision}/metadata':
        sendJson(res, 200, revisionMetadata);
        return;
      case 'POST /sync':
      case 'POST /rollback':
        sendJson(res, 200, {
          ...application,
          operation: {
            sync: { revision: 'HEAD' },
            initiatedBy: { username: 'praevisio' },
          },
        });
        return;
      case 'POST /resource/actions/v2':
        if (options.actionsV2 === false) {
          // grpc-gateway's answer for a route it does not know
          sendJson(res, 404, { code: 5, message: 'Not Found', details: [] });
        } else {
          sendJson(res, 200, {});
        }
        return;
      case 'POST /resource/actions':
        sendJson(res, 200, {});
        return;
      default:
        sendJson(res, 404, { code: 5, message: 'Not Found', details: [] });
    }
  });

  return {
    server,
    url: server.url,
    requests: server.requests,
    issuedTokens,
    intercept(next) {
      interceptor = next;
    },
    expireSessions() {
      validSession = undefined;
    },
    close: () => server.close(),
  };
}
