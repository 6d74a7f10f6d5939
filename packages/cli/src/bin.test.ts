import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SLO_YAML } from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const BIN = path.resolve(__dirname, '../bin/praevisio');

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        // The shebang's `env node` must find the Node running the tests.
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${
          process.env.PATH
        }`,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => {
      stdout += c;
    });
    child.stderr.on('data', c => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

describe('the praevisio bin', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praevisio-cli-'));
    fs.writeFileSync(path.join(dir, 'slo.yaml'), SLO_YAML);
    fs.writeFileSync(
      path.join(dir, 'pass.json'),
      '{"response_time_p95": 500, "error_rate": 0.5}',
    );
    fs.writeFileSync(
      path.join(dir, 'fail.json'),
      '{"response_time_p95": 500, "error_rate": 5}',
    );
    // node_modules/.bin links to the bin file; check it runs through a link too.
    fs.symlinkSync(BIN, path.join(dir, 'praevisio'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is an executable node script', () => {
    expect(
      fs.readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n'),
    ).toBe(true);
    expect(fs.statSync(BIN).mode & 0o111).not.toBe(0);
  });

  it('evaluates a gate: JSON on stdout, exit 0 on pass', async () => {
    const r = await run(
      process.execPath,
      [
        BIN,
        'gate',
        'evaluate',
        '--slo',
        'slo.yaml',
        '--sli-values',
        'pass.json',
      ],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pass', score: 100 });
  });

  it('exits 2 on fail, 3 on bad input', async () => {
    const fail = await run(
      process.execPath,
      [
        BIN,
        'gate',
        'evaluate',
        '--slo',
        'slo.yaml',
        '--sli-values',
        'fail.json',
      ],
      dir,
    );
    expect(fail.code).toBe(2);
    expect(JSON.parse(fail.stdout).result).toBe('fail');

    const bad = await run(
      process.execPath,
      [
        BIN,
        'gate',
        'evaluate',
        '--slo',
        'missing.yaml',
        '--sli-values',
        'pass.json',
      ],
      dir,
    );
    expect(bad.code).toBe(3);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'missing.yaml: cannot read the SLO file: no such file\n',
    );
  });

  it('prints help when run through a symlink, as node_modules/.bin does', async () => {
    const r = await run(path.join(dir, 'praevisio'), ['--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: praevisio \[options\] \[command\]/);
  });
});
