import fs from 'node:fs';
import { parse } from 'yaml';
import { fakeSha } from '../argocd/util';
import { createArgoCd, rollCanaryTo } from './__testUtils__/fixtures';
import {
  SandboxPrometheus,
  findPrometheusBinary,
  prometheusConfig,
  startSandboxPrometheus,
} from './prometheus';
import { startMetricsServer } from './server';
import { WorkloadMetrics } from './WorkloadMetrics';

const bothTracks = (values: Record<string, number>) =>
  Number.isFinite(values.stable) && Number.isFinite(values.canary);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('prometheusConfig', () => {
  it('scrapes the targets at the interval', () => {
    expect(
      parse(
        prometheusConfig({ targets: ['127.0.0.1:7012'], scrapeInterval: '5s' }),
      ),
    ).toEqual({
      global: { scrape_interval: '5s', evaluation_interval: '5s' },
      scrape_configs: [
        {
          job_name: 'praevisio-sandbox-workloads',
          scrape_interval: '5s',
          scrape_timeout: '5s',
          metrics_path: '/metrics',
          static_configs: [{ targets: ['127.0.0.1:7012'] }],
        },
      ],
    });
  });

  it('prefers PROMETHEUS_BIN when it is executable', () => {
    expect(
      findPrometheusBinary({ PROMETHEUS_BIN: process.execPath, PATH: '' }),
    ).toBe(process.execPath);
  });

  it('fails clearly when the binary cannot run', async () => {
    await expect(
      startSandboxPrometheus({
        binary: '/nonexistent/prometheus',
        targets: [],
      }),
    ).rejects.toThrow(/Prometheus exited before it was ready.*ENOENT/);
  });
});

/*
 * A real Prometheus (Debian's /usr/bin/prometheus) scraping the simulated
 * workloads every second. Without the binary this suite FAILS: CI installs it.
 */
describe('real Prometheus scraping the simulated workloads', () => {
  const argocd = createArgoCd();
  const metrics = WorkloadMetrics.create({ argocd });
  let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let prometheus: SandboxPrometheus | undefined;

  beforeAll(async () => {
    const binary = findPrometheusBinary();
    if (!binary) {
      throw new Error(
        'This integration test needs a real Prometheus binary and fails without one: install it with `apt-get install prometheus` (Debian/Ubuntu) or set PROMETHEUS_BIN.',
      );
    }
    server = await startMetricsServer({ metrics });
    prometheus = await startSandboxPrometheus({
      binary,
      targets: [server.target],
      scrapeInterval: '1s',
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  async function query(promql: string): Promise<Record<string, number>> {
    const res = await fetch(
      `${prometheus!.url}/api/v1/query?${new URLSearchParams({
        query: promql,
      })}`,
    );
    const body = await res.json();
    if (body.status !== 'success') {
      throw new Error(`query failed: ${JSON.stringify(body)}`);
    }
    return Object.fromEntries(
      body.data.result.map((r: any) => [r.metric.track, Number(r.value[1])]),
    );
  }

  it('sees a bad canary’s error rate and latency above the stable’s', async () => {
    const revision = fakeSha('bad-release-for-prometheus');
    metrics.setRevisionBad(revision, true);
    rollCanaryTo(argocd, revision, 20);

    const selector = 'service="payments-api",stage="prod"';
    const errorRatio = `sum by (track) (rate(http_requests_total{${selector},code=~"5.."}[30s])) / sum by (track) (rate(http_requests_total{${selector}}[30s]))`;
    const p95 = `histogram_quantile(0.95, sum by (track, le) (rate(http_request_duration_seconds_bucket{${selector}}[30s])))`;
    let errors: Record<string, number> = {};
    let latency: Record<string, number> = {};
    const deadline = Date.now() + 45_000;
    for (;;) {
      // Traffic: 20 s of simulated requests per 250 ms, on top of real time.
      metrics.advance(20_000);
      await sleep(250);
      errors = await query(errorRatio);
      latency = await query(p95);
      if (bothTracks(errors) && bothTracks(latency) && errors.canary > 0) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus never had both tracks: errors ${JSON.stringify(
            errors,
          )}, p95 ${JSON.stringify(latency)}\n${prometheus!.logs()}`,
        );
      }
    }
    expect(errors.canary).toBeGreaterThan(errors.stable);
    expect(errors.canary).toBeGreaterThan(0.05);
    expect(errors.stable).toBeLessThan(0.01);
    expect(latency.canary).toBeGreaterThan(0.8);
    expect(latency.stable).toBeLessThan(0.3);

    const targets = await (
      await fetch(`${prometheus!.url}/api/v1/targets`)
    ).json();
    expect(fs.existsSync(prometheus!.dir)).toBe(true);
    expect(targets.data.activeTargets).toEqual([
      expect.objectContaining({
        health: 'up',
        scrapeUrl: `${server!.url}/metrics`,
        labels: expect.objectContaining({ job: 'praevisio-sandbox-workloads' }),
      }),
    ]);
  }, 60_000);

  it('stops Prometheus and removes its temporary directory', async () => {
    const { dir, url } = prometheus!;
    expect(fs.existsSync(dir)).toBe(true);
    await prometheus!.stop();
    expect(fs.existsSync(dir)).toBe(false);
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
  });
});
