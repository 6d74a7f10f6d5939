import { Command, InvalidArgumentError } from 'commander';
import { ArgoCdSimulator, seedDemoApplications } from './argocd';
import { startControlServer } from './control';
import { KeptnSimulator } from './keptn';
import { demoKeptnSeeds } from './keptn/demoSeeds';
import {
  PROMETHEUS_INSTALL_HINT,
  SandboxPrometheus,
  WorkloadMetrics,
  findPrometheusBinary,
  startMetricsServer,
  startSandboxPrometheus,
} from './workloads';

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
    'Simulators of Argo CD (with Argo Rollouts), Keptn v1 and workload metrics for Praevisio Ops demos and tests. Never for production.',
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
    .option(
      '--metrics-port <port>',
      'simulated workloads /metrics port',
      port,
      7012,
    )
    .option(
      '--prometheus',
      'start a real Prometheus scraping the workloads (default: when installed)',
    )
    .option('--no-prometheus', 'do not start Prometheus')
    .option('--keptn-port <port>', 'Keptn v1 API port', port, 7013)
    .option(
      '--keptn-token <token>',
      'x-token the Keptn simulator expects',
      'sandbox-keptn-token',
    )
    .option(
      '--prometheus-port <port>',
      'Prometheus port (0 = any free port)',
      port,
      7090,
    )
    .action(async opts => {
      // Installed first, so a signal at any point stops what has started.
      const stops: Array<() => Promise<unknown>> = [];
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        for (const stopOne of stops.reverse()) {
          await stopOne().catch(() => undefined);
        }
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);

      const argocd = ArgoCdSimulator.create({
        applications: seedDemoApplications(),
        latencyMs: opts.latencyMs,
        tickMs: opts.tickMs,
        host: opts.host,
      });
      const { url } = await argocd.start(opts.argocdPort);
      stops.push(() => argocd.stop());
      const workloads = WorkloadMetrics.create({ argocd });
      const metrics = await startMetricsServer({
        metrics: workloads,
        host: opts.host,
        port: opts.metricsPort,
      });
      stops.push(() => metrics.close());
      const control = await startControlServer({
        argocd,
        workloads,
        host: opts.host,
        port: opts.controlPort,
      });
      stops.push(() => control.close());
      const keptn = KeptnSimulator.create({
        apiToken: opts.keptnToken,
        tickMs: opts.tickMs,
        host: opts.host,
      });
      for (const seed of demoKeptnSeeds()) keptn.seed(seed);
      const keptnUrl = (await keptn.start(opts.keptnPort)).url;
      stops.push(() => keptn.stop());
      const out = [
        `Argo CD simulator on ${url} (login admin/admin; ${
          argocd.applicationNames().length
        } applications)`,
        `Sandbox control API on ${control.url}`,
        `Workload metrics on ${metrics.url}/metrics`,
        `Keptn v1 simulator on ${keptnUrl} (x-token ${opts.keptnToken})`,
      ];
      let prometheus: SandboxPrometheus | undefined;
      // undefined: neither --prometheus nor --no-prometheus was given.
      if (opts.prometheus !== false) {
        const binary = findPrometheusBinary();
        if (!binary) {
          out.push(
            `Prometheus not found, so nothing scrapes the workloads; ${PROMETHEUS_INSTALL_HINT}`,
          );
        } else {
          try {
            prometheus = await startSandboxPrometheus({
              binary,
              host: opts.host,
              port: opts.prometheusPort,
              targets: [metrics.target],
              scrapeInterval: '5s',
            });
            const started = prometheus;
            stops.push(() => started.stop());
            out.push(
              `Prometheus on ${prometheus.url} scraping ${metrics.url}/metrics every 5s (data in ${prometheus.dir})`,
            );
          } catch (error) {
            // The simulators are still useful without it.
            process.stderr.write(
              `${error instanceof Error ? error.message : error}\n`,
            );
            out.push(`Prometheus did not start; continuing without it`);
          }
        }
      }
      process.stdout.write(`${out.join('\n')}\n`);
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
