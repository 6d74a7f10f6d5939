import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ArgoCdSimulator } from './argocd';
import { parseRevisionQuality } from './workloads';
import type { RevisionQuality, WorkloadMetrics } from './workloads';

/**
 * The sandbox's control API: what a demo or an end-to-end test does to the
 * simulated world (a developer merges a commit, a sync or analysis fails,
 * Argo CD goes down). Served on its own port so the simulated Argo CD API
 * stays exactly the real one. Loopback only; no authentication.
 *
 *   POST /control/argocd/applications/{name}/revisions      {author?, message?, quality?, bad?}
 *                                                           → {revision, quality, bad}
 *   POST /control/argocd/applications/{name}/fail-next-sync
 *   POST /control/argocd/applications/{name}/fail-next-analysis
 *   POST /control/argocd/availability                        {available: boolean}
 *   POST /control/workloads/revisions/{revision}/quality     {quality} → {revision, quality}
 *   POST /control/workloads/revisions/{revision}/bad         {bad: boolean} → {revision, bad}
 *
 * `quality` is how the revision's pods behave in the workload metrics:
 * `healthy` (default; ~0.1% 5xx, p95 ~240 ms), `marginal` (no 5xx, p95
 * ~720 ms: the demo quality gate warns, a human decides) or `bad` (~8% 5xx,
 * p95 ~900 ms: the canary analysis fails). `bad: true` is short for
 * `quality: 'bad'`, `bad: false` for `healthy`. Anything but healthy needs
 * `workloads`. Invalid input answers 400 naming the field.
 */
export async function startControlServer(options: {
  argocd: ArgoCdSimulator;
  /** Simulated workload metrics; without them the quality knobs answer 409. */
  workloads?: WorkloadMetrics;
  host?: string;
  port?: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const { argocd, workloads } = options;
  const server = http.createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method !== 'POST') {
        reply(405, { error: 'only POST is supported' });
        return;
      }
      const body = await readJson(req);
      const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
      const app = path.match(
        /^\/control\/argocd\/applications\/([^/]+)\/(revisions|fail-next-sync|fail-next-analysis)$/,
      );
      if (app) {
        const name = decodeURIComponent(app[1]);
        if (!argocd.application(name)) {
          reply(404, { error: `no application ${name}` });
          return;
        }
        if (app[2] === 'revisions') {
          const author =
            stringField(body, 'author') ?? 'Demo Developer <demo@praevisio.io>';
          const message =
            stringField(body, 'message') ?? `feat: demo change to ${name}`;
          const quality = qualityOf(body);
          if (quality !== 'healthy' && !workloads) {
            reply(409, { error: 'workload metrics are not running' });
            return;
          }
          const revision = randomBytes(20).toString('hex');
          // Marginal or bad from its first pod on.
          if (quality !== 'healthy') {
            workloads?.setRevisionQuality(revision, quality);
          }
          argocd.pushRevision(name, revision, { author, message });
          reply(201, { revision, quality, bad: quality === 'bad' });
        } else if (app[2] === 'fail-next-sync') {
          argocd.failNextSync(name);
          reply(200, { ok: true });
        } else {
          argocd.failNextAnalysis(name);
          reply(200, { ok: true });
        }
        return;
      }
      if (path === '/control/argocd/availability') {
        if (typeof body.available !== 'boolean') {
          reply(400, { error: 'available must be a boolean' });
          return;
        }
        argocd.setAvailable(body.available);
        reply(200, { available: body.available });
        return;
      }
      const knob = path.match(
        /^\/control\/workloads\/revisions\/([^/]+)\/(quality|bad)$/,
      );
      if (knob) {
        let quality: RevisionQuality;
        if (knob[2] === 'quality') {
          if (body.quality === undefined) {
            reply(400, { error: 'quality is required' });
            return;
          }
          quality = parseRevisionQuality(body.quality);
        } else {
          const bad = booleanField(body, 'bad');
          if (bad === undefined) {
            reply(400, { error: 'bad must be a boolean' });
            return;
          }
          quality = bad ? 'bad' : 'healthy';
        }
        if (!workloads) {
          reply(409, { error: 'workload metrics are not running' });
          return;
        }
        const revision = decodeURIComponent(knob[1]).toLowerCase();
        workloads.setRevisionQuality(revision, quality);
        reply(
          200,
          knob[2] === 'quality'
            ? { revision, quality }
            : { revision, bad: quality === 'bad' },
        );
        return;
      }
      reply(404, { error: `unknown control route ${path}` });
    } catch (error) {
      reply(400, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function stringField(body: Record<string, unknown>, field: string) {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value) {
    throw new Error(`${field} must be a non-empty string`);
  }
  return value;
}

/** `quality`, or the older `bad` flag; both must agree when both are given. */
function qualityOf(body: Record<string, unknown>): RevisionQuality {
  const bad = booleanField(body, 'bad');
  if (body.quality === undefined) return bad ? 'bad' : 'healthy';
  const quality = parseRevisionQuality(body.quality);
  if (bad !== undefined && bad !== (quality === 'bad')) {
    throw new Error(
      `bad: ${bad} contradicts quality '${quality}'; send only quality`,
    );
  }
  return quality;
}

function booleanField(body: Record<string, unknown>, field: string) {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new Error(`${field} must be a boolean`);
  }
  return value;
}

async function readJson(
  req: http.IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  const parsed = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('the body must be a JSON object');
  }
  return parsed;
}
