import fs from 'node:fs';
import path from 'node:path';

/** The environment variable that overrides where the contracts live. */
export const CONTRACTS_DIR_ENV = 'PRAEVISIO_CONTRACTS_DIR';

// This package only runs from source, in tests: never from a production build.
// eslint-disable-next-line no-restricted-syntax
const HERE = __dirname;

/** The repository root: the nearest folder above `from` with a backstage.json. */
export function findRepoRoot(from: string = HERE): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      // packages/contract-testing/src → the repository root
      return path.resolve(HERE, '../../..');
    }
    dir = parent;
  }
  return dir;
}

/**
 * Where the upstream API specs live: `$PRAEVISIO_CONTRACTS_DIR`, else
 * `../shared/contracts` beside the repository root (they are not in it).
 */
export function contractsDir(): string {
  return (
    process.env[CONTRACTS_DIR_ENV] ??
    path.resolve(findRepoRoot(), '..', 'shared', 'contracts')
  );
}

/** {@link contractsDir} when this module was loaded. */
export const CONTRACTS_DIR = contractsDir();

/** The absolute path of a contract file given relative to the contracts dir. */
export function contractPath(file: string): string {
  return path.isAbsolute(file) ? file : path.join(contractsDir(), file);
}

/** The files (relative to the contracts dir, or absolute) that do not exist. */
export function missingContracts(files: readonly string[]): string[] {
  return files.filter(file => !fs.existsSync(contractPath(file)));
}

/** True when every file exists; suites `describe.skip` otherwise. */
export function contractsPresent(files: readonly string[]): boolean {
  return missingContracts(files).length === 0;
}

/**
 * Why a contract suite is skipped, naming the missing files and how to
 * provide them, e.g. for `describe.skip` titles and console warnings.
 */
export function contractsSkipMessage(
  what: string,
  files: readonly string[],
): string {
  const dir = contractsDir();
  const missing = missingContracts(files).map(file =>
    path.isAbsolute(file) ? path.relative(dir, file) : file,
  );
  return `${
    missing.length ? missing.join(', ') : 'contract files'
  } not found under ${dir} (set ${CONTRACTS_DIR_ENV}, or check out the shared contracts as ../shared/contracts beside the repository root); skipping ${what}`;
}
