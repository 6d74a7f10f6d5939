import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createProgram } from './cli';

describe('praevisio-sandbox command line', () => {
  it('describes the start command and its options', () => {
    const start = createProgram().commands.find(c => c.name() === 'start')!;
    const help = start.helpInformation();
    expect(help).toContain('--argocd-port <port>');
    expect(help).toContain('--latency-ms <ms>');
    expect(help).toContain('--metrics-port <port>');
    expect(help).toContain('--no-prometheus');
    expect(help).toContain('--prometheus-port <port>');
  });

  it('serves the demo applications from the real bin until stopped', async () => {
    const bin = path.resolve(__dirname, '../bin/praevisio-sandbox');
    const child = spawn(
      process.execPath,
      [
        bin,
        'start',
        '--argocd-port',
        '0',
        '--control-port',
        '0',
        '--tick-ms',
        '0',
        '--metrics-port',
        '0',
        '--keptn-port',
        '0',
        '--no-prometheus',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const [url, metricsUrl] = await new Promise<string[]>(
        (resolve, reject) => {
          let out = '';
          child.stdout.on('data', chunk => {
            out += chunk;
            const match = out.match(/on (http:\/\/\S+)/);
            const metrics = out.match(/Workload metrics on (http:\/\/\S+)/);
            if (match && metrics) resolve([match[1], metrics[1]]);
          });
          child.on('exit', code => reject(new Error(`exited ${code}: ${out}`)));
        },
      );
      const login = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'admin' }),
      });
      const { token } = await login.json();
      const apps = await fetch(
        `${url}/api/v1/applications?selector=${encodeURIComponent(
          'app.kubernetes.io/part-of=payments-api',
        )}`,
        { headers: { Authorization: `Bearer ${token}` } },
      ).then(r => r.json());
      expect(apps.items.map((a: any) => a.metadata.name).sort()).toEqual([
        'payments-api-dev',
        'payments-api-prod',
        'payments-api-staging',
      ]);
      const metrics = await (await fetch(metricsUrl)).text();
      expect(metrics).toContain(
        'http_requests_total{service="payments-api",stage="prod",track="stable"',
      );
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('starts a real Prometheus scraping the workloads and cleans it up on SIGTERM', async () => {
    const bin = path.resolve(__dirname, '../bin/praevisio-sandbox');
    const child = spawn(
      process.execPath,
      [
        bin,
        'start',
        ...['--argocd-port', '0', '--control-port', '0', '--tick-ms', '0'],
        ...['--metrics-port', '0', '--prometheus', '--prometheus-port', '0'],
        ...['--keptn-port', '0'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>(resolve =>
      child.on('exit', code => resolve(code)),
    );
    try {
      const [promUrl, metricsUrl, dataDir] = await new Promise<string[]>(
        (resolve, reject) => {
          let out = '';
          child.stdout.on('data', chunk => {
            out += chunk;
            const match = out.match(
              /Prometheus on (http:\/\/\S+) scraping (http:\/\/\S+) every 5s \(data in (\S+)\)/,
            );
            if (match) resolve([match[1], match[2], match[3]]);
          });
          child.stderr.on('data', chunk => {
            out += chunk;
          });
          child.on('exit', code => reject(new Error(`exited ${code}: ${out}`)));
        },
      );
      expect(promUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(`${promUrl}/-/ready`)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'prometheus.yml'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(fs.existsSync(dataDir)).toBe(false);
      await expect(fetch(`${promUrl}/-/ready`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('rejects a port that is not a number, naming the option', async () => {
    const program = createProgram().exitOverride();
    program.commands.forEach(c =>
      c.exitOverride().configureOutput({ writeErr: () => {} }),
    );
    await expect(
      program.parseAsync(['node', 'x', 'start', '--argocd-port', 'abc']),
    ).rejects.toThrow(/--argocd-port.*must be a port number/);
  });
});
