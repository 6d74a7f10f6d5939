/**
 * Starts a real Prometheus for integration tests: writes OpenMetrics series,
 * backfills them into a fresh TSDB with `promtool tsdb create-blocks-from
 * openmetrics`, starts `prometheus` on a free 127.0.0.1 port and waits for
 * `/-/ready`. `stop()` kills it and removes the temporary directory.
 *
 * The binaries come from `PROMETHEUS_BIN` / `PROMTOOL_BIN`, else
 * `/usr/bin/prometheus` / `/usr/bin/promtool` (Debian's `prometheus` package),
 * else the PATH. When they are missing, `startRealPrometheus` throws, so the
 * integration tests fail loudly instead of being skipped.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchPrometheus } from '@praevisio/sandbox';

/** One sample of an OpenMetrics series. */
export interface OpenMetricsSample {
  labels?: Record<string, string>;
  /** A number, or 'NaN', '+Inf', '-Inf'. */
  value: number | 'NaN' | '+Inf' | '-Inf';
  /** Unix seconds. */
  timestamp: number;
}

/** A metric family: all samples of one metric name. */
export interface OpenMetricsFamily {
  name: string;
  type?: 'gauge' | 'counter' | 'unknown';
  help?: string;
  samples: OpenMetricsSample[];
}

export interface StartRealPrometheusOptions {
  /** Series to backfill. */
  families: OpenMetricsFamily[];
  /** `--query.lookback-delta`, e.g. `5m` (Prometheus' default). */
  lookbackDelta?: string;
  /** More command-line flags. */
  extraArgs?: string[];
  /** How long to wait for `/-/ready`. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface RealPrometheus {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  dataDir: string;
  /** What the process wrote to stdout/stderr (last 64 KiB). */
  logs(): string;
  /** Kills the process and removes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

const HOW_TO_INSTALL =
  'Install them (Debian/Ubuntu: apt-get install prometheus, which ships both) or point PROMETHEUS_BIN and PROMTOOL_BIN at them; CI installs them, so these tests fail rather than skip.';

export function findBinary(name: string, envVar: string): string {
  const candidates = [
    ...new Set([
      process.env[envVar],
      `/usr/bin/${name}`,
      ...(process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map(dir => path.join(dir, name)),
    ]),
  ].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    `The Prometheus integration tests need the '${name}' binary, which was not found (looked at ${candidates.join(
      ', ',
    )}). ${HOW_TO_INSTALL}`,
  );
}

/** The `prometheus` and `promtool` binaries; throws a clear error when missing. */
export function findPrometheusBinaries(): {
  prometheus: string;
  promtool: string;
} {
  return {
    prometheus: findBinary('prometheus', 'PROMETHEUS_BIN'),
    promtool: findBinary('promtool', 'PROMTOOL_BIN'),
  };
}

function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function formatValue(value: OpenMetricsSample['value']): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** OpenMetrics text for the families, ending with `# EOF`. */
export function toOpenMetrics(families: OpenMetricsFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(f.name)) {
      throw new Error(`invalid metric name ${f.name}`);
    }
    lines.push(`# TYPE ${f.name} ${f.type ?? 'gauge'}`);
    if (f.help) lines.push(`# HELP ${f.name} ${f.help}`);
    // Samples of one series must be in time order; series may interleave.
    const sorted = [...f.samples].sort((a, b) => a.timestamp - b.timestamp);
    for (const s of sorted) {
      const labels = Object.entries(s.labels ?? {})
        .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
        .join(',');
      const name =
        f.type === 'counter' && !f.name.endsWith('_total')
          ? `${f.name}_total`
          : f.name;
      lines.push(
        `${name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)} ${
          s.timestamp
        }`,
      );
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${path.basename(file)} ${args.join(' ')} failed: ${
                error.message
              }\n${stdout}\n${stderr}`,
            ),
          );
        } else {
          resolve(`${stdout}${stderr}`);
        }
      },
    );
  });
}

/**
 * Backfills the series and starts Prometheus. Call `stop()` in `afterAll`.
 */
export async function startRealPrometheus(
  options: StartRealPrometheusOptions,
): Promise<RealPrometheus> {
  const bins = findPrometheusBinaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praevisio-prometheus-'));
  const dataDir = path.join(dir, 'data');
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const metricsFile = path.join(dir, 'series.om.txt');
    fs.writeFileSync(metricsFile, toOpenMetrics(options.families));
    await run(bins.promtool, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      metricsFile,
      dataDir,
    ]);
    const configFile = path.join(dir, 'prometheus.yml');
    // No scrape jobs: the only data is what was backfilled.
    fs.writeFileSync(configFile, 'global:\n  scrape_interval: 1h\n');

    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      try {
        return await launch(bins.prometheus, {
          dir,
          dataDir,
          configFile,
          port,
          options,
          cleanup,
        });
      } catch (e) {
        lastError = e as Error;
        // Another process may have taken the port in between; try another.
        if (!/address already in use/i.test(lastError.message)) break;
      }
    }
    throw lastError ?? new Error('Prometheus did not start');
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function launch(
  binary: string,
  args: {
    dir: string;
    dataDir: string;
    configFile: string;
    port: number;
    options: StartRealPrometheusOptions;
    cleanup: () => void;
  },
): Promise<RealPrometheus> {
  const { port, options } = args;
  const url = `http://127.0.0.1:${port}`;
  const { logs, stop } = await launchPrometheus(binary, {
    flags: [
      `--config.file=${args.configFile}`,
      `--storage.tsdb.path=${args.dataDir}`,
      `--storage.tsdb.retention.time=100y`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(options.lookbackDelta
        ? [`--query.lookback-delta=${options.lookbackDelta}`]
        : []),
      ...(options.extraArgs ?? []),
    ],
    dir: args.dir,
    url,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    cleanup: args.cleanup,
  });
  return { url, port, dataDir: args.dataDir, logs, stop };
}
