/**
 * A minimal real Prometheus for the CLI's tests: backfill OpenMetrics text
 * with promtool, start prometheus on a free 127.0.0.1 port, wait for
 * /-/ready, stop and clean up.
 *
 * The full helper lives in @praevisio/backstage-plugin-node
 * (src/prometheus/__testUtils__/realPrometheus.ts), but that package exports
 * only its root (package.json "files": ["dist"], no "exports"), so the
 * Backstage lint rule no-forbidden-package-imports refuses a deep import and
 * relative imports across packages are not allowed either. Missing binaries
 * fail the test, they do not skip it.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface MiniPrometheus {
  url: string;
  stop(): Promise<void>;
}

function binary(name: string, envVar: string): string {
  const candidate = process.env[envVar] || `/usr/bin/${name}`;
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `The CLI's Prometheus test needs ${candidate} (Debian: apt-get install prometheus; or set ${envVar}). CI installs it, so the test fails rather than skips.`,
    );
  }
  return candidate;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

/** Starts Prometheus over the series in `openMetrics` (text ending with `# EOF`). */
export async function startMiniPrometheus(
  openMetrics: string,
): Promise<MiniPrometheus> {
  const prometheus = binary('prometheus', 'PROMETHEUS_BIN');
  const promtool = binary('promtool', 'PROMTOOL_BIN');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praevisio-cli-prom-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.writeFileSync(path.join(dir, 'series.txt'), openMetrics);
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), 'global: {}\n');
    await new Promise<void>((resolve, reject) =>
      execFile(
        promtool,
        ['tsdb', 'create-blocks-from', 'openmetrics', 'series.txt', 'data'],
        { cwd: dir, timeout: 60_000 },
        (error, _out, stderr) =>
          error ? reject(new Error(`promtool failed: ${stderr}`)) : resolve(),
      ),
    );
    const port = await freePort();
    const child = spawn(
      prometheus,
      [
        '--config.file=prometheus.yml',
        '--storage.tsdb.path=data',
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let logs = '';
    child.stderr.on('data', c => {
      logs = (logs + c).slice(-16_384);
    });
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([
          exited,
          new Promise(resolve => setTimeout(resolve, 10_000)),
        ]);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
        }
      }
      cleanup();
    };
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) {
        await stop();
        throw new Error(`Prometheus exited early:\n${logs}`);
      }
      const ready = await fetch(`${url}/-/ready`)
        .then(res => res.text().then(() => res.ok))
        .catch(() => false);
      if (ready) return { url, stop };
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Prometheus was not ready in time:\n${logs}`);
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  } catch (e) {
    cleanup();
    throw e;
  }
}
