import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { SloSource } from './SloSource';

const SLO = fs.readFileSync(
  path.resolve(__dirname, '../../../../examples/slo/payments-api.slo.yaml'),
  'utf8',
);
const SLI = fs.readFileSync(
  path.resolve(__dirname, '../../../../examples/slo/sli.yaml'),
  'utf8',
);

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: {},
  };
}

function urlReader(files: Record<string, string>) {
  const readUrl = jest.fn(async (url: string) => {
    if (!(url in files)) throw new Error(`NotFoundError: ${url} not found`);
    return { buffer: async () => Buffer.from(files[url]) };
  });
  return { reader: { readUrl } as unknown as UrlReaderService, readUrl };
}

describe('SloSource', () => {
  let root: string;
  let catalogDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'praevisio-slo-source-'));
    catalogDir = path.join(root, 'catalog');
    fs.mkdirSync(path.join(catalogDir, 'slo'), { recursive: true });
    fs.writeFileSync(path.join(catalogDir, 'slo', 'payments.slo.yaml'), SLO);
    fs.writeFileSync(path.join(catalogDir, 'slo', 'sli.yaml'), SLI);
    fs.writeFileSync(path.join(root, 'secret.yaml'), 'not for you');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const fileEntity = (slo: string, sli = './slo/sli.yaml') =>
    entity({
      'backstage.io/managed-by-location': `file:${catalogDir}/entities.yaml`,
      'praevisio.io/slo': slo,
      'praevisio.io/sli': sli,
    });

  it('reads paths relative to a file: managed-by location', async () => {
    const source = new SloSource(urlReader({}).reader);
    const docs = await source.readGateDocuments(
      fileEntity('./slo/payments.slo.yaml'),
    );
    expect(docs.sloLocation).toBe(
      `file:${path.join(catalogDir, 'slo', 'payments.slo.yaml')}`,
    );
    expect(docs.sloText).toBe(SLO);
    expect(docs.slo.objectives.map(o => o.sli)).toEqual(
      expect.arrayContaining(['error_rate', 'response_time_p95']),
    );
    expect(Object.keys(docs.sli.indicators)).toContain('error_rate');
  });

  it('resolves relative paths against a url: source location through the URL reader', async () => {
    const { reader, readUrl } = urlReader({
      'https://git.example.com/org/repo/blob/main/slo/payments.slo.yaml': SLO,
      'https://git.example.com/org/repo/blob/main/slo/sli.yaml': SLI,
    });
    const docs = await new SloSource(reader).readGateDocuments(
      entity({
        'backstage.io/source-location':
          'url:https://git.example.com/org/repo/blob/main/',
        'backstage.io/managed-by-location': 'file:/ignored/entities.yaml',
        'praevisio.io/slo': 'slo/payments.slo.yaml',
        'praevisio.io/sli': './slo/sli.yaml',
      }),
    );
    expect(readUrl).toHaveBeenCalledTimes(2);
    expect(docs.sloLocation).toBe(
      'https://git.example.com/org/repo/blob/main/slo/payments.slo.yaml',
    );
  });

  it('refuses .. escapes out of a file: location with a 400 naming the annotation', async () => {
    const source = new SloSource(urlReader({}).reader);
    const error = await source
      .readGateDocuments(fileEntity('../secret.yaml'))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Annotation praevisio\.io\/slo: /);
    expect(error.message).toMatch(/escapes/);
  });

  it('refuses a symlink that leads out of the location directory', async () => {
    fs.symlinkSync(
      path.join(root, 'secret.yaml'),
      path.join(catalogDir, 'slo', 'link.yaml'),
    );
    const error = await new SloSource(urlReader({}).reader)
      .readGateDocuments(fileEntity('./slo/link.yaml'))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/praevisio\.io\/slo.*outside/);
  });

  it('refuses absolute paths and non-http schemes in annotations', async () => {
    const source = new SloSource(urlReader({}).reader);
    for (const value of ['/etc/passwd', 'file:/etc/passwd']) {
      const error = await source
        .readGateDocuments(fileEntity(value))
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/praevisio\.io\/slo/);
    }
  });

  it('locates parse errors: file, line and path', async () => {
    fs.writeFileSync(
      path.join(catalogDir, 'slo', 'broken.slo.yaml'),
      [
        "spec_version: '1.0'",
        'objectives:',
        '  - sli: error_rate',
        '    pass:',
        '      - criteria:',
        "          - '<=banana'",
        'total_score:',
        "  pass: '90%'",
        '',
      ].join('\n'),
    );
    const error = await new SloSource(urlReader({}).reader)
      .readGateDocuments(fileEntity('./slo/broken.slo.yaml'))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('praevisio.io/slo');
    expect(error.message).toContain('broken.slo.yaml');
    expect(error.message).toMatch(/line 6/);
    expect(error.message).toMatch(/path objectives/);
  });

  it('locates sli.yaml errors under the praevisio.io/sli annotation', async () => {
    fs.writeFileSync(
      path.join(catalogDir, 'slo', 'bad-sli.yaml'),
      "spec_version: '1.0'\nindicators:\n  error_rate: 42\n",
    );
    const error = await new SloSource(urlReader({}).reader)
      .readGateDocuments(
        fileEntity('./slo/payments.slo.yaml', './slo/bad-sli.yaml'),
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('praevisio.io/sli');
    expect(error.message).toContain('bad-sli.yaml');
    expect(error.message).toMatch(/line 3/);
    expect(error.message).toContain('indicators.error_rate');
  });

  it('asks for the annotation when it is missing', async () => {
    const error = await new SloSource(urlReader({}).reader)
      .readGateDocuments(entity({}))
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('praevisio.io/slo');
  });
});
