/**
 * A minimal real Prometheus for the CLI's tests: backfill OpenMetrics text
 * with promtool, start prometheus on a free 127.0.0.1 port, wait for
 * /-/ready, stop and clean up.
 *
 * The process handling is the sandbox's `launchPrometheus`. Missing binaries
 * fail the test, they do not skip it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchPrometheus } from '@praevisio/sandbox';

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
    const url = `http://127.0.0.1:${port}`;
    const { stop } = await launchPrometheus(prometheus, {
      flags: [
        '--config.file=prometheus.yml',
        '--storage.tsdb.path=data',
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      dir,
      url,
      readyTimeoutMs: 30_000,
      cleanup,
    });
    return { url, stop };
  } catch (e) {
    cleanup();
    throw e;
  }
}
