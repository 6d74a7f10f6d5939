import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { WorkloadMetrics } from './WorkloadMetrics';

export const EXPOSITION_CONTENT_TYPE =
  'text/plain; version=0.0.4; charset=utf-8';

/**
 * Serves every simulated pod's series on one port, the way a scrape target
 * does: `GET /metrics` (text exposition format 0.0.4) and `GET /-/healthy`.
 */
export async function startMetricsServer(options: {
  metrics: WorkloadMetrics;
  host?: string;
  port?: number;
}): Promise<{
  url: string;
  /** host:port, as a Prometheus scrape target. */
  target: string;
  close(): Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain; charset=utf-8', 'only GET is supported\n');
    } else if (path === '/metrics') {
      try {
        send(200, EXPOSITION_CONTENT_TYPE, options.metrics.render());
      } catch (error) {
        send(
          500,
          'text/plain; charset=utf-8',
          `${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    } else if (path === '/-/healthy') {
      send(200, 'text/plain; charset=utf-8', 'Healthy\n');
    } else {
      send(404, 'text/plain; charset=utf-8', 'try /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    target: `${host}:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
