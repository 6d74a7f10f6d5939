import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** What to tell someone who has no Prometheus. */
export const PROMETHEUS_INSTALL_HINT =
  'install it with `apt-get install prometheus` (Debian/Ubuntu) or set PROMETHEUS_BIN';

/**
 * The `prometheus` binary: `PROMETHEUS_BIN`, else `/usr/bin/prometheus`
 * (Debian's package), else the PATH; undefined when there is none.
 */
export function findPrometheusBinary(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const candidates = [
    env.PROMETHEUS_BIN,
    '/usr/bin/prometheus',
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map(dir => path.join(dir, 'prometheus')),
  ].filter((c): c is string => !!c);
  return candidates.find(candidate => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

export interface SandboxPrometheusOptions {
  /** host:port scrape targets serving /metrics. */
  targets: string[];
  /** Default: `findPrometheusBinary()`; throws when there is none. */
  binary?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Prometheus duration, default `5s`. */
  scrapeInterval?: string;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

export interface SandboxPrometheus {
  url: string;
  port: number;
  /** The temporary directory holding the config and the TSDB. */
  dir: string;
  /** The generated prometheus.yml. */
  config: string;
  /** What the process wrote (last 64 KiB). */
  logs(): string;
  /** Stops the process and removes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/** The prometheus.yml the sandbox runs with: one job scraping the workloads. */
export function prometheusConfig(options: {
  targets: string[];
  scrapeInterval?: string;
}): string {
  const interval = options.scrapeInterval ?? '5s';
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      {
        job_name: 'praevisio-sandbox-workloads',
        scrape_interval: interval,
        scrape_timeout: interval,
        metrics_path: '/metrics',
        static_configs: [{ targets: options.targets }],
      },
    ],
  });
}

/** A port that was free on `host` a moment ago. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Rejects when something already listens on host:port. */
function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', e =>
      reject(new Error(`cannot listen on ${host}:${port}: ${e.message}`)),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/**
 * Starts a real Prometheus scraping the targets, with a generated config and
 * a fresh TSDB in a temporary directory, and waits for `/-/ready`. Throws a
 * clear error when the binary is missing or Prometheus does not come up.
 */
export async function startSandboxPrometheus(
  options: SandboxPrometheusOptions,
): Promise<SandboxPrometheus> {
  const binary = options.binary ?? findPrometheusBinary();
  if (!binary) {
    throw new Error(
      `Prometheus is not installed (no PROMETHEUS_BIN, /usr/bin/prometheus or prometheus on PATH); ${PROMETHEUS_INSTALL_HINT}`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praevisio-sandbox-prom-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const config = prometheusConfig(options);
    const configFile = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(configFile, config);
    let lastError: Error | undefined;
    // A picked port may be taken before Prometheus binds it; retry then.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = options.port || (await freePort(host));
      try {
        // Else /-/ready could be answered by whatever holds the port.
        await assertPortFree(host, port);
        return await launch(binary, {
          dir,
          config,
          configFile,
          host,
          port,
          readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
          cleanup,
        });
      } catch (e) {
        lastError = e as Error;
        if (options.port || !/address already in use/i.test(lastError.message))
          break;
      }
    }
    throw lastError ?? new Error('Prometheus did not start');
  } catch (e) {
    cleanup();
    throw e;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return true;
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function launch(
  binary: string,
  args: {
    dir: string;
    config: string;
    configFile: string;
    host: string;
    port: number;
    readyTimeoutMs: number;
    cleanup: () => void;
  },
): Promise<SandboxPrometheus> {
  const { host, port } = args;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { logs, stop } = await launchPrometheus(binary, {
    flags: [
      `--config.file=${args.configFile}`,
      `--storage.tsdb.path=${path.join(args.dir, 'data')}`,
      '--storage.tsdb.retention.time=1d',
      `--web.listen-address=${host}:${port}`,
    ],
    dir: args.dir,
    url,
    readyTimeoutMs: args.readyTimeoutMs,
    cleanup: args.cleanup,
  });
  return { url, port, dir: args.dir, config: args.config, logs, stop };
}

/** What {@link launchPrometheus} needs besides the binary. */
export interface LaunchPrometheusOptions {
  /** Every command-line flag, the listen address included. */
  flags: string[];
  /** Working directory (holds the config and data). */
  dir: string;
  /** Where it will answer, to poll `/-/ready`. */
  url: string;
  readyTimeoutMs: number;
  /** Called once Prometheus is gone (removes the temporary directory). */
  cleanup: () => void;
}

/**
 * Runs a Prometheus process and waits until `/-/ready` answers. Its output is
 * kept (last 64 KiB) for error messages; `stop()` sends SIGTERM, then
 * SIGKILL, and cleans up; should this process exit first, Prometheus is
 * killed with it. Throws with the output when it exits or is not ready in
 * time.
 */
export async function launchPrometheus(
  binary: string,
  options: LaunchPrometheusOptions,
): Promise<{ logs(): string; stop(): Promise<void> }> {
  const child = spawn(binary, options.flags, {
    cwd: options.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.on('error', e => {
    spawnError = e;
  });
  // Should this process exit without stop(), take Prometheus along.
  const onExit = () => {
    if (!exited(child)) child.kill('SIGKILL');
    options.cleanup();
  };
  process.once('exit', onExit);

  const kill = async () => {
    if (!exited(child)) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    await kill();
    options.cleanup();
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (spawnError || exited(child)) {
      process.off('exit', onExit);
      await kill();
      throw new Error(
        `Prometheus exited before it was ready (${
          spawnError?.message ?? `exit code ${child.exitCode}`
        }):\n${output}`,
      );
    }
    try {
      const res = await fetch(`${options.url}/-/ready`);
      await res.text();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.off('exit', onExit);
      await kill();
      throw new Error(`Prometheus was not ready in time:\n${output}`);
    }
    await sleep(50);
  }
  return { logs: () => output, stop };
}
