import {
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArgoApiError } from './errors';

export interface RequestContext {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  request: IncomingMessage;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template with `{param}` segments, exactly as in the swagger. */
  path: string;
  handler(ctx: RequestContext): unknown | Promise<unknown>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
  literalLength: number;
}

type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'methodNotAllowed' }
  | { kind: 'notFound' };

/** grpc-gateway-style routing: the most specific template wins. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(route: Route): void {
    const names: string[] = [];
    const pattern = route.path
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{([^}]+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
    this.routes.push({
      ...route,
      regex: new RegExp(`^${pattern}$`),
      names,
      literalLength: route.path.replace(/\{[^}]+\}/g, '').length,
    });
    this.routes.sort((a, b) => b.literalLength - a.literalLength);
  }

  match(method: string, path: string): Match {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) {
        continue;
      }
      pathMatched = true;
      if (route.method === method) {
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1]);
        });
        return { kind: 'found', route, params };
      }
    }
    return pathMatched ? { kind: 'methodNotAllowed' } : { kind: 'notFound' };
  }
}

export interface HttpServerOptions {
  router: Router;
  latencyMs: () => number;
  isAvailable: () => boolean;
  /** Called once per request with `METHOD /template` (or `METHOD <unmatched>`). */
  onRequest: (routeKey: string) => void;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function sendError(res: ServerResponse, error: ArgoApiError): void {
  sendJson(res, error.httpStatus, error.toBody());
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ArgoApiError(
      'InvalidArgument',
      `invalid character in request body: ${(e as Error).message}`,
    );
  }
}

async function handle(
  options: HttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = options.router.match(method, url.pathname);
  options.onRequest(
    match.kind === 'found'
      ? `${method} ${match.route.path}`
      : `${method} <unmatched>`,
  );
  const latency = options.latencyMs();
  if (latency > 0) {
    await new Promise(resolve => setTimeout(resolve, latency));
  }
  if (!options.isAvailable()) {
    sendError(
      res,
      new ArgoApiError(
        'Unavailable',
        'connection error: desc = "transport: Error while dialing: dial tcp: connect: connection refused"',
      ),
    );
    return;
  }
  // argocd-server's enforceContentTypes wraps the whole API: every non-GET
  // request must say exactly application/json (case-insensitive, no
  // parameters) or it gets a plain-text 415 before gRPC ever sees it.
  if (
    method !== 'GET' &&
    (req.headers['content-type'] ?? '').toLowerCase() !== 'application/json'
  ) {
    const text = 'Invalid content type\n';
    res.writeHead(415, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  if (match.kind === 'notFound') {
    sendError(res, new ArgoApiError('NotFound', 'Not Found'));
    return;
  }
  if (match.kind === 'methodNotAllowed') {
    sendError(
      res,
      new ArgoApiError('Unimplemented', 'Method Not Allowed', 405),
    );
    return;
  }
  try {
    const body =
      method === 'GET' ? undefined : parseJsonBody(await readBody(req));
    const result = await match.route.handler({
      method,
      params: match.params,
      query: url.searchParams,
      body,
      request: req,
    });
    sendJson(res, 200, result);
  } catch (error) {
    if (error instanceof ArgoApiError) {
      sendError(res, error);
    } else {
      // Plain Go errors reach grpc-gateway as codes.Unknown (HTTP 500).
      sendError(
        res,
        new ArgoApiError('Unknown', (error as Error).message ?? String(error)),
      );
    }
  }
}

export function createHttpServer(options: HttpServerOptions): Server {
  return createServer((req, res) => {
    handle(options, req, res).catch(error => {
      if (!res.headersSent) {
        sendError(res, new ArgoApiError('Internal', String(error)));
      } else {
        res.destroy();
      }
    });
  });
}

export async function listen(
  server: Server,
  port: number,
  host: string,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
