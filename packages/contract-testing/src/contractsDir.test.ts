import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  contractPath,
  contractsDir,
  contractsPresent,
  contractsSkipMessage,
  findRepoRoot,
  missingContracts,
} from './contractsDir';
import { loadSpec, schemaValidator } from './schema';

describe('contracts dir', () => {
  const saved = process.env.PRAEVISIO_CONTRACTS_DIR;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    fs.mkdirSync(path.join(dir, 'demo'));
    fs.writeFileSync(
      path.join(dir, 'demo', 'a.yaml'),
      'swagger: "2.0"\npaths: {}\n',
    );
    fs.writeFileSync(path.join(dir, 'demo', 'b.json'), '{"openapi":"3.1.0"}');
    process.env.PRAEVISIO_CONTRACTS_DIR = dir;
  });

  afterEach(() => {
    if (saved === undefined) {
      delete process.env.PRAEVISIO_CONTRACTS_DIR;
    } else {
      process.env.PRAEVISIO_CONTRACTS_DIR = saved;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to ../shared/contracts beside the repository root', () => {
    delete process.env.PRAEVISIO_CONTRACTS_DIR;
    const root = findRepoRoot();
    expect(fs.existsSync(path.join(root, 'backstage.json'))).toBe(true);
    expect(contractsDir()).toBe(
      path.resolve(root, '..', 'shared', 'contracts'),
    );
  });

  it('honours PRAEVISIO_CONTRACTS_DIR and resolves files in it', () => {
    expect(contractsDir()).toBe(dir);
    expect(contractPath('demo/a.yaml')).toBe(path.join(dir, 'demo', 'a.yaml'));
    expect(contractPath('/abs/x.json')).toBe('/abs/x.json');
    expect(loadSpec('demo/a.yaml')).toEqual({ swagger: '2.0', paths: {} });
    expect(loadSpec(path.join(dir, 'demo', 'b.json'))).toEqual({
      openapi: '3.1.0',
    });
  });

  it('reports missing files with a clear skip message', () => {
    const files = [
      'demo/a.yaml',
      'demo/missing.json',
      path.join(dir, 'gone.yaml'),
    ];
    expect(contractsPresent(files.slice(0, 1))).toBe(true);
    expect(contractsPresent(files)).toBe(false);
    expect(missingContracts(files)).toEqual(files.slice(1));
    expect(contractsSkipMessage('demo contract tests', files)).toBe(
      `demo/missing.json, gone.yaml not found under ${dir} (set PRAEVISIO_CONTRACTS_DIR, or check out the shared contracts as ../shared/contracts beside the repository root); skipping demo contract tests`,
    );
  });
});

describe('schemaValidator', () => {
  it('validates standalone schemas with formats', () => {
    const validate = schemaValidator({
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' } },
    });
    expect(validate({ at: '2025-01-01T00:00:00Z' })).toEqual([]);
    expect(validate({ at: 'yesterday' })).toEqual([
      '/at must match format "date-time" {"format":"date-time"}',
    ]);
  });
});
