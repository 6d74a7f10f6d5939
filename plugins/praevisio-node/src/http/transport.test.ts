import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import net, { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import {
  createDispatcher,
  createUndiciTransport,
  fetchTransport,
  HttpTransport,
  ResponseTooLargeError,
  TransportRequest,
  undiciTransport,
} from './transport';

/** A server that also records which client socket each request came on. */
async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
) {
  const seen: Array<{ headers: IncomingMessage['headers']; port?: number }> =
    [];
  const server: Server = createServer((req, res) => {
    seen.push({ headers: req.headers, port: req.socket.remotePort });
    handler(req, res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

function get(
  url: string,
  overrides: Partial<TransportRequest> = {},
): TransportRequest {
  return {
    url: new URL(url),
    method: 'GET',
    headers: {},
    signal: new AbortController().signal,
    maxResponseBytes: 1024 * 1024,
    ...overrides,
  };
}

const ANSWER = JSON.stringify({ status: 'success', data: 'x'.repeat(5000) });

const encoders: Record<string, (b: Buffer) => Buffer> = {
  gzip: b => zlib.gzipSync(b),
  deflate: b => zlib.deflateSync(b),
  br: b => zlib.brotliCompressSync(b),
};

describe.each<[string, HttpTransport]>([
  ['undiciTransport', undiciTransport],
  ['fetchTransport', fetchTransport(globalThis.fetch)],
])('%s', (_name, transport) => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(Object.keys(encoders))(
    'asks for compressed answers and decodes %s',
    async encoding => {
      server = await startServer((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': encoding,
        });
        res.end(encoders[encoding](Buffer.from(ANSWER)));
      });
      const res = await transport(get(`${server.url}/q`));
      expect(res.status).toBe(200);
      expect(res.text).toBe(ANSWER);
      expect(server.seen[0].headers['accept-encoding']).toMatch(/gzip/);
    },
  );

  it('sends accept-encoding identity when the caller asks for it', async () => {
    server = await startServer((_req, res) => res.end('{}'));
    await transport(
      get(`${server.url}/q`, { headers: { 'accept-encoding': 'identity' } }),
    );
    expect(server.seen[0].headers['accept-encoding']).toBe('identity');
  });

  it('refuses a compressed answer that inflates beyond the limit', async () => {
    // 2 MiB of zeros gzip to about 2 KiB: the declared length is no guard.
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(Buffer.alloc(2 * 1024 * 1024)));
    });
    await expect(
      transport(get(`${server.url}/q`, { maxResponseBytes: 64 * 1024 })),
    ).rejects.toThrow(ResponseTooLargeError);
  });

  it('refuses an uncompressed answer beyond the limit, declared or not', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': '5000' });
        res.end('y'.repeat(5000));
      } else {
        res.write('y'.repeat(3000)); // chunked: no length up front
        res.end('y'.repeat(3000));
      }
    });
    for (const path of ['/declared', '/chunked']) {
      await expect(
        transport(get(`${server.url}${path}`, { maxResponseBytes: 4000 })),
      ).rejects.toThrow(ResponseTooLargeError);
    }
  });

  it('answers a HEAD whatever length it declares, since no body follows', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.end();
    });
    const res = await transport(
      get(`${server.url}/q`, { method: 'HEAD', maxResponseBytes: 4000 }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('5000');
    expect(res.text).toBe('');
  });

  it('returns a redirect without following it', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(307, { location: 'http://elsewhere.invalid/x' });
      res.end('moved');
    });
    const res = await transport(get(`${server.url}/q`));
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('http://elsewhere.invalid/x');
    expect(res.text).toBe('');
    expect(server.seen).toHaveLength(1);
  });

  it('sends the method, headers and body as given', async () => {
    let body = '';
    server = await startServer((req, res) => {
      req.on('data', c => (body += c));
      req.on('end', () => res.end('ok'));
    });
    const res = await transport(
      get(`${server.url}/q`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-a': 'b' },
        body: '{"a":1}',
      }),
    );
    expect(res.text).toBe('ok');
    expect(body).toBe('{"a":1}');
    expect(server.seen[0].headers['x-a']).toBe('b');
    expect(server.seen[0].headers['content-type']).toBe('application/json');
  });

  it('rejects when the signal aborts while waiting for the answer', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const pending = transport(
      get(`${server.url}/q`, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('undiciTransport', () => {
  it('keeps connections alive between calls', async () => {
    const server = await startServer((_req, res) => res.end('{}'));
    try {
      await undiciTransport(get(`${server.url}/a`));
      // undici frees a connection just after handing over the body's end.
      await new Promise(resolve => setTimeout(resolve, 20));
      await undiciTransport(get(`${server.url}/b`));
      expect(server.seen).toHaveLength(2);
      expect(server.seen[1].port).toBe(server.seen[0].port);
    } finally {
      await server.close();
    }
  });

  it('reports a refused connection as a rejection with its code', async () => {
    const server = await startServer(() => {});
    const { url } = server;
    await server.close();
    await expect(undiciTransport(get(`${url}/q`))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('createDispatcher', () => {
  /** A CONNECT proxy that records the targets it tunnels to. */
  async function startProxy() {
    const tunnels: string[] = [];
    const open = new Set<{ destroy(): void }>();
    const proxy = createServer();
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      open.add(socket);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      open.add(upstream);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      tunnels,
      close: () => {
        // Tunnels leave the server's bookkeeping once established.
        open.forEach(socket => socket.destroy());
        proxy.closeAllConnections();
        return new Promise<void>(resolve => proxy.close(() => resolve()));
      },
    };
  }

  it('goes through HTTP_PROXY with NODE_USE_ENV_PROXY=1, except for NO_PROXY hosts', async () => {
    const target = await startServer((_req, res) => res.end('via'));
    const proxy = await startProxy();
    const targetHost = new URL(target.url).host;
    try {
      const proxied = createUndiciTransport(
        createDispatcher({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url }),
      );
      expect((await proxied(get(`${target.url}/q`))).text).toBe('via');
      expect(proxy.tunnels).toEqual([targetHost]);

      const bypassing = createUndiciTransport(
        createDispatcher({
          NODE_USE_ENV_PROXY: '1',
          HTTP_PROXY: proxy.url,
          NO_PROXY: '127.0.0.1',
        }),
      );
      expect((await bypassing(get(`${target.url}/q`))).text).toBe('via');
      expect(proxy.tunnels).toEqual([targetHost]); // no new tunnel
    } finally {
      await proxy.close();
      await target.close();
    }
  });

  it('ignores HTTP_PROXY without NODE_USE_ENV_PROXY, as fetch does', async () => {
    const target = await startServer((_req, res) => res.end('direct'));
    const proxy = await startProxy();
    try {
      const direct = createUndiciTransport(
        createDispatcher({ HTTP_PROXY: proxy.url }),
      );
      expect((await direct(get(`${target.url}/q`))).text).toBe('direct');
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await proxy.close();
      await target.close();
    }
  });
});
