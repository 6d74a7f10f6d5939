/**
 * The `praevisio` command: quality gates and canary judgement in pipelines.
 *
 * Importing this module runs the CLI with the process' arguments; the command
 * logic lives in `./program` and `./commands/*`, which tests import directly.
 *
 * @packageDocumentation
 */
import { processIo } from './lib/io';
import { runCli } from './program';

runCli(process.argv.slice(2), processIo()).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`praevisio: ${error?.stack ?? error}\n`);
    process.exitCode = 3;
  },
);
