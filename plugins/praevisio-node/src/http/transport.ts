import { promisify } from 'node:util';
import zlib from 'node:zlib';
import {
  Agent,
  Dispatcher,
  EnvHttpProxyAgent,
  request as undiciRequest,
} from 'undici';

/**
 * One HTTP exchange as {@link UpstreamHttpClient} needs it: the whole answer,
 * redirects not followed, the body read up to a size limit.
 *
 * @public
 */
export interface TransportRequest {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Larger bodies (after decompression) make the call fail with {@link ResponseTooLargeError}. */
  maxResponseBytes: number;
}

/** @public */
export interface TransportResponse {
  status: number;
  headers: Headers;
  /** The whole body as text; '' for redirects and bodiless answers. */
  text: string;
}

/**
 * Sends one request. Rejects on network errors and aborts; answers of any
 * status, redirects included, resolve.
 *
 * @public
 */
export type HttpTransport = (
  request: TransportRequest,
) => Promise<TransportResponse>;

/** @public */
export class ResponseTooLargeError extends Error {
  name = 'ResponseTooLargeError';
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotliDecompress = promisify(zlib.brotliDecompress);

// What fetch asks for, so that switching transports changes nothing on the wire.
const DEFAULT_ACCEPT_ENCODING = 'gzip, deflate, br';

const KEEP_ALIVE_MS = 10_000;

/**
 * The connection pool for `env`: keep-alive connections with no cap per
 * origin (the clients' semaphores cap the calls in flight). With
 * `NODE_USE_ENV_PROXY=1`, calls go through `HTTP_PROXY`/`HTTPS_PROXY` except
 * for `NO_PROXY` hosts, as Node's own `fetch` does with that setting.
 *
 * @public
 */
export function createDispatcher(
  env: Record<string, string | undefined> = process.env,
): Dispatcher {
  if (env.NODE_USE_ENV_PROXY === '1' || env.NODE_USE_ENV_PROXY === 'true') {
    return new EnvHttpProxyAgent({
      keepAliveTimeout: KEEP_ALIVE_MS,
      httpProxy: env.http_proxy ?? env.HTTP_PROXY,
      httpsProxy: env.https_proxy ?? env.HTTPS_PROXY,
      noProxy: env.no_proxy ?? env.NO_PROXY,
    });
  }
  return new Agent({ keepAliveTimeout: KEEP_ALIVE_MS });
}

let sharedDispatcher: Dispatcher | undefined;

/** One pool for every upstream client of the process. */
function dispatcher(): Dispatcher {
  sharedDispatcher ??= createDispatcher();
  return sharedDispatcher;
}

function isRedirect(status: number) {
  return status >= 300 && status < 400;
}

/**
 * The default transport: undici's `request`, the lean API beneath Node's
 * `fetch`. It skips the WHATWG streams and Response objects that cost `fetch`
 * about 0.3 ms of CPU per answer, which set the time of a gate's 20 concurrent
 * Prometheus queries (see docs/benchmarks.md). Like `fetch` it asks for
 * compressed answers unless told otherwise, and decompresses them.
 *
 * @public
 */
export const undiciTransport: HttpTransport = request =>
  sendWithUndici(request, dispatcher());

/**
 * {@link undiciTransport} over a pool of the caller's, e.g. one from
 * {@link createDispatcher} with other settings.
 *
 * @public
 */
export function createUndiciTransport(pool: Dispatcher): HttpTransport {
  return request => sendWithUndici(request, pool);
}

async function sendWithUndici(
  request: TransportRequest,
  pool: Dispatcher,
): Promise<TransportResponse> {
  const headers = { ...request.headers };
  headers['accept-encoding'] ??= DEFAULT_ACCEPT_ENCODING;
  const res = await undiciRequest(request.url, {
    method: request.method as Dispatcher.HttpMethod,
    headers,
    body: request.body,
    signal: request.signal,
    dispatcher: pool,
  });
  const responseHeaders = toHeaders(res.headers);
  if (isRedirect(res.statusCode)) {
    await res.body.dump().catch(() => {});
    return { status: res.statusCode, headers: responseHeaders, text: '' };
  }
  if (request.method === 'HEAD') {
    // Its content-length describes a body that is not sent.
    await res.body.dump().catch(() => {});
    return { status: res.statusCode, headers: responseHeaders, text: '' };
  }
  const limit = request.maxResponseBytes;
  const declared = declaredLengthOver(responseHeaders, limit);
  if (declared !== undefined) {
    // Closes the connection instead of reading what is refused anyway.
    res.body.on('error', () => {}).destroy();
    throw tooLarge(limit, declared);
  }
  const raw = await readLimited(res.body, limit);
  const text = (
    await decode(raw, responseHeaders.get('content-encoding'), limit)
  ).toString('utf8');
  return { status: res.statusCode, headers: responseHeaders, text };
}

/**
 * A transport over a `fetch` implementation, for tests and for callers that
 * must go through their own `fetch`.
 *
 * @public
 */
export function fetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async request => {
    const res = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: request.signal,
    });
    // Browsers hide a manual redirect's status (an 'opaqueredirect' of status
    // 0); it is refused like any 3xx, so it is reported as one.
    const status = res.type === 'opaqueredirect' ? 302 : res.status;
    if (isRedirect(status)) {
      await res.body?.cancel().catch(() => {});
      return { status, headers: res.headers, text: '' };
    }
    return {
      status,
      headers: res.headers,
      text: await readFetchBody(res, request.maxResponseBytes),
    };
  };
}

function toHeaders(
  raw: Record<string, string | string[] | undefined>,
): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) {
      for (const v of value) headers.append(name, v);
    } else if (value !== undefined) {
      headers.append(name, value);
    }
  }
  return headers;
}

/** The answer's declared length, when it already says the body is too large. */
function declaredLengthOver(headers: Headers, limit: number) {
  const declared = Number(headers.get('content-length'));
  return Number.isFinite(declared) && declared > limit ? declared : undefined;
}

function tooLarge(limit: number, size?: number) {
  return new ResponseTooLargeError(
    size !== undefined
      ? `response of ${size} bytes is larger than the ${limit} allowed`
      : `response is larger than the ${limit} bytes allowed`,
  );
}

function readLimited(
  body: NodeJS.ReadableStream & { destroy(error?: Error): void },
  limit: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        const error = tooLarge(limit);
        body.destroy(error);
        reject(error);
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(Buffer.concat(chunks, total)));
    body.on('error', reject);
  });
}

async function decode(
  raw: Buffer,
  encoding: string | null,
  limit: number,
): Promise<Buffer> {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity' || raw.length === 0) {
    return raw;
  }
  const options = { maxOutputLength: limit };
  try {
    if (coding === 'gzip' || coding === 'x-gzip')
      return await gunzip(raw, options);
    if (coding === 'deflate') return await inflate(raw, options);
    if (coding === 'br') return await brotliDecompress(raw, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(limit);
    }
    throw error;
  }
  // An encoding that was not asked for: passed on as it is, as fetch does.
  return raw;
}

async function readFetchBody(res: Response, limit: number): Promise<string> {
  if (!res.body) {
    return '';
  }
  const declared = declaredLengthOver(res.headers, limit);
  if (declared !== undefined) {
    await res.body.cancel().catch(() => {});
    throw tooLarge(limit, declared);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
