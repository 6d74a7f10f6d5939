import { request as httpRequest } from 'node:http';

export interface Exchange {
  method: string;
  /** Path without query string. */
  path: string;
  url: string;
  status: number;
  contentType: string;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: any;
}

export interface RequestOptions {
  /** JSON-encoded unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  /** Default `application/json` for non-GET requests; null sends none. */
  contentType?: string | null;
  /** Overrides the client's token; null sends no Authorization header. */
  token?: string | null;
  cookie?: string;
  query?: Record<string, string | string[] | undefined>;
}

/**
 * A small HTTP client for the simulator that records every exchange, so
 * suites can check each response the simulator served against the contracts.
 */
export class TestClient {
  readonly exchanges: Exchange[] = [];

  constructor(private readonly baseUrl: string, public token?: string) {}

  async request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Exchange> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      for (const v of value === undefined
        ? []
        : ([] as string[]).concat(value)) {
        url.searchParams.append(key, v);
      }
    }
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? this.token : options.token;
    if (token) {
      headers.authorization = `Bearer ${token}`;
    }
    if (options.cookie) {
      headers.cookie = options.cookie;
    }
    let payload: string | undefined;
    if (method !== 'GET') {
      payload = options.rawBody ?? JSON.stringify(options.body ?? {});
      const contentType =
        options.contentType === undefined
          ? 'application/json'
          : options.contentType;
      if (contentType !== null) {
        headers['content-type'] = contentType;
      }
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const exchange = await new Promise<Exchange>((resolve, reject) => {
      // agent: false keeps test sockets independent of any global agent.
      const req = httpRequest(url, { method, headers, agent: false }, res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(res.headers['content-type'] ?? '');
          let body: unknown;
          if (contentType.startsWith('application/json')) {
            body = JSON.parse(text);
          }
          resolve({
            method,
            path: url.pathname,
            url: url.toString(),
            status: res.statusCode ?? 0,
            contentType,
            text,
            body,
          });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) {
        req.write(payload);
      }
      req.end();
    });
    this.exchanges.push(exchange);
    return exchange;
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }

  post(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('POST', path, { ...options, body });
  }

  put(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('PUT', path, { ...options, body });
  }

  patch(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('PATCH', path, { ...options, body });
  }

  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }

  /** Logs in through the API and keeps the token. */
  async login(username = 'admin', password = 'admin'): Promise<string> {
    const res = await this.post(
      '/api/v1/session',
      { username, password },
      { token: null },
    );
    if (res.status !== 200) {
      throw new Error(`login failed: ${res.status} ${res.text}`);
    }
    this.token = res.body.token;
    return res.body.token;
  }
}
