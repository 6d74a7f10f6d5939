import { Command, CommanderError } from 'commander';
import { runCanaryJudge } from './commands/canaryJudge';
import { PROMETHEUS_TOKEN_ENV, runGateEvaluate } from './commands/gateEvaluate';
import { CliIo, EXIT } from './lib/io';
import { version } from '../package.json';

const GATE_EXIT_CODES = `
Exit codes:
  0  pass
  1  warning
  2  fail
  3  errored (an SLI could not be fetched: fail closed) or bad input
`;

const CANARY_EXIT_CODES = `
Exit codes:
  0  Pass
  1  Marginal
  2  Fail
  3  bad input
`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('praevisio')
    .description(
      'Praevisio Ops in pipelines: Keptn-compatible quality gates and Kayenta-style canary judgement.',
    )
    .version(version, '-V, --version')
    .configureOutput({
      writeOut: text => io.stdout(text),
      writeErr: text => io.stderr(text),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);

  const gate = program
    .command('gate')
    .description('Quality gates: score SLI values against a Keptn slo.yaml.');
  gate
    .command('evaluate')
    .description(
      'Evaluate a quality gate and print the evaluation (Keptn evaluation shape) as JSON.',
    )
    .requiredOption('--slo <file>', 'SLO definition (Keptn slo.yaml, spec 1.0)')
    .option(
      '--sli-values <file>',
      'JSON object {"<sli>": number | null}; null = answered without a value, absent = no answer',
    )
    .option(
      '--sli <file>',
      'SLI definitions (Keptn sli.yaml: indicators → PromQL)',
    )
    .option(
      '--prometheus <url>',
      `Prometheus base URL (bearer token from $${PROMETHEUS_TOKEN_ENV})`,
    )
    .option('--start <time>', 'window start: RFC 3339 or Unix seconds')
    .option(
      '--end <time>',
      'window end (queries are evaluated here): RFC 3339 or Unix seconds',
    )
    .option('--service <name>', '$SERVICE')
    .option('--stage <name>', '$STAGE')
    .option('--project <name>', '$PROJECT')
    .option('--deployment <type>', '$DEPLOYMENT (e.g. canary, primary)')
    .option('--namespace <name>', '$NAMESPACE')
    .option('--environment <name>', '$ENVIRONMENT')
    .option('--label <key=value>', '$LABEL.<key>; repeatable', collect, [])
    .option('--timeout <seconds>', 'timeout per Prometheus query', '30')
    .option(
      '--previous <file>',
      'JSON list of earlier outputs of this command, newest first (the baseline)',
    )
    .addHelpText(
      'after',
      `${GATE_EXIT_CODES}
Examples:
  praevisio gate evaluate --slo slo.yaml --sli-values values.json
  praevisio gate evaluate --slo slo.yaml --sli sli.yaml --prometheus http://prometheus:9090 \\
    --start 2024-05-01T10:00:00Z --end 2024-05-01T10:05:00Z --service shop --stage prod
`,
    )
    .action(async options => {
      setExitCode(await runGateEvaluate(options, io));
    });

  const canary = program
    .command('canary')
    .description(
      'Canary analysis: compare canary samples with baseline samples.',
    );
  canary
    .command('judge')
    .description(
      'Judge a canary (Mann-Whitney + effect size per metric) and print the judgement as JSON.',
    )
    .requiredOption('--config <file>', 'canary configuration (JSON)')
    .requiredOption(
      '--baseline <file>',
      'baseline samples: JSON {"<metric>": [numbers, null = missing]}',
    )
    .requiredOption('--canary <file>', 'canary samples: JSON, same shape')
    .addHelpText('after', CANARY_EXIT_CODES)
    .action(async options => {
      setExitCode(await runCanaryJudge(options, io));
    });

  return program;
}

/**
 * Runs the CLI with arguments (without `node` and the script) and returns the
 * exit code. Usage errors exit 3, like bad input; `--help` and `--version` exit 0.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.pass;
  const program = buildProgram(io, code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version'
        ? EXIT.pass
        : EXIT.error;
    }
    io.stderr(
      `praevisio: unexpected error: ${
        e instanceof Error ? e.stack ?? e.message : String(e)
      }\n`,
    );
    return EXIT.error;
  }
}
