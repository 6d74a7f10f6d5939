import { Command, InvalidArgumentError } from 'commander';
import { ArgoCdSimulator, seedDemoApplications } from './argocd';
import { startControlServer } from './control';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('must be a port number (0-65535)');
  }
  return n;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError('must be a whole number of milliseconds');
  }
  return n;
}

/** Builds the `praevisio-sandbox` command line. */
export function createProgram(): Command {
  const program = new Command('praevisio-sandbox').description(
    'Simulators of Argo CD (with Argo Rollouts) for Praevisio Ops demos and tests. Never for production.',
  );
  program
    .command('start')
    .description(
      'Serve the simulators with the demo applications until stopped',
    )
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--argocd-port <port>', 'Argo CD API port', port, 7010)
    .option(
      '--control-port <port>',
      'sandbox control API port (demo and test actions)',
      port,
      7011,
    )
    .option(
      '--latency-ms <ms>',
      'latency added to every response',
      milliseconds,
      0,
    )
    .option(
      '--tick-ms <ms>',
      'how often syncs and rollouts progress',
      milliseconds,
      2000,
    )
    .action(async opts => {
      const argocd = ArgoCdSimulator.create({
        applications: seedDemoApplications(),
        latencyMs: opts.latencyMs,
        tickMs: opts.tickMs,
        host: opts.host,
      });
      const { url } = await argocd.start(opts.argocdPort);
      const control = await startControlServer({
        argocd,
        host: opts.host,
        port: opts.controlPort,
      });
      process.stdout.write(
        `Argo CD simulator on ${url} (login admin/admin; ${
          argocd.applicationNames().length
        } applications)\nSandbox control API on ${control.url}\n`,
      );
      const stop = async () => {
        await control.close();
        await argocd.stop();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  return program;
}

/** Entry point used by bin/praevisio-sandbox. */
export function main(argv: string[]): void {
  createProgram()
    .parseAsync(argv)
    .catch(error => {
      process.stderr.write(
        `${error instanceof Error ? error.message : error}\n`,
      );
      process.exit(1);
    });
}
