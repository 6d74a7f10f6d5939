import { promises as fs } from 'node:fs';

/** What a command may touch, so that commands can be tested without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    readFile: path => fs.readFile(path, 'utf8'),
    env: process.env,
  };
}

/** Exit codes shared by the commands. */
export const EXIT = {
  pass: 0,
  warning: 1,
  fail: 2,
  /** Errored evaluation or bad input. */
  error: 3,
} as const;
