import { spawn } from 'node:child_process';
import path from 'node:path';
import { createProgram } from './cli';

describe('praevisio-sandbox command line', () => {
  it('describes the start command and its options', () => {
    const start = createProgram().commands.find(c => c.name() === 'start')!;
    const help = start.helpInformation();
    expect(help).toContain('--argocd-port <port>');
    expect(help).toContain('--latency-ms <ms>');
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
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', chunk => {
          out += chunk;
          const match = out.match(/on (http:\/\/\S+)/);
          if (match) resolve(match[1]);
        });
        child.on('exit', code => reject(new Error(`exited ${code}: ${out}`)));
      });
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
    } finally {
      child.kill('SIGTERM');
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
