import {
  evaluateGate,
  GateEvaluation,
  isPromqlLabelName,
  parseSli,
  parseSlo,
  PreviousEvaluation,
  SliDocument,
  SliValidationError,
  SloDocument,
  SloValidationError,
} from '@praevisio/backstage-plugin-common';
import {
  fetchSliValues,
  PrometheusClient,
} from '@praevisio/backstage-plugin-node';
import {
  CliInputError,
  describeValue,
  isObject,
  JsonInput,
  readInput,
} from '../lib/inputs';
import { CliIo, EXIT } from '../lib/io';

/** Options of `praevisio gate evaluate`, as commander hands them over. */
export interface GateEvaluateArgs {
  slo: string;
  sliValues?: string;
  sli?: string;
  prometheus?: string;
  start?: string;
  end?: string;
  service?: string;
  stage?: string;
  project?: string;
  deployment?: string;
  namespace?: string;
  environment?: string;
  label?: string[];
  previous?: string;
  /** Seconds per Prometheus query. */
  timeout?: string;
}

/** Environment variable holding a bearer token for Prometheus. */
export const PROMETHEUS_TOKEN_ENV = 'PRAEVISIO_PROMETHEUS_TOKEN';

const DEFAULT_TIMEOUT_SECONDS = 30;
const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const UNIX_SECONDS = /^\d+(?:\.\d+)?$/;

/** Keptn's evaluation shape, which the command prints. */
interface KeptnEvaluationOutput {
  result: string;
  score: number;
  indicatorResults: Array<{
    displayName: string;
    keySli: boolean;
    status: string;
    score: number;
    value: {
      metric: string;
      value: number;
      comparedValue: number;
      success: boolean;
      message?: string;
    };
    passTargets: Array<{
      criteria: string;
      targetValue: number;
      violated: boolean;
    }> | null;
    warningTargets: Array<{
      criteria: string;
      targetValue: number;
      violated: boolean;
    }> | null;
  }>;
}

/** The evaluation in Keptn's shape, without Praevisio's internal fields. */
export function toKeptnEvaluation(
  evaluation: GateEvaluation,
  sliErrors: Readonly<Record<string, string>> = {},
): KeptnEvaluationOutput {
  const targets = (
    list: GateEvaluation['indicatorResults'][number]['passTargets'],
  ) =>
    list
      ? list.map(t => ({
          criteria: t.criteria,
          targetValue: t.targetValue,
          violated: t.violated,
        }))
      : null;
  return {
    result: evaluation.result,
    score: evaluation.score,
    indicatorResults: evaluation.indicatorResults.map(r => {
      const error = Object.prototype.hasOwnProperty.call(
        sliErrors,
        r.value.metric,
      )
        ? sliErrors[r.value.metric]
        : undefined;
      const message = error ?? r.value.message;
      return {
        displayName: r.displayName,
        keySli: r.keySli,
        status: r.status,
        score: r.score,
        value: {
          metric: r.value.metric,
          value: r.value.value,
          comparedValue: r.value.comparedValue,
          success: r.value.success,
          ...(message !== undefined ? { message } : {}),
        },
        passTargets: targets(r.passTargets),
        warningTargets: targets(r.warningTargets),
      };
    }),
  };
}

function exitCodeFor(result: GateEvaluation['result']): number {
  switch (result) {
    case 'pass':
      return EXIT.pass;
    case 'warning':
      return EXIT.warning;
    case 'fail':
      return EXIT.fail;
    default:
      return EXIT.error;
  }
}

async function readSlo(io: CliIo, file: string): Promise<SloDocument> {
  const text = await readInput(io, file, 'SLO file');
  try {
    return parseSlo(text);
  } catch (e) {
    if (e instanceof SloValidationError) {
      throw new CliInputError(file, e.reason, {
        line: e.line,
        // The position of a syntax error is exact; of a field, its line.
        column: e.path ? undefined : e.column,
        path: e.path,
      });
    }
    throw e;
  }
}

async function readSli(io: CliIo, file: string): Promise<SliDocument> {
  const text = await readInput(io, file, 'SLI file');
  try {
    return parseSli(text);
  } catch (e) {
    if (e instanceof SliValidationError) {
      throw new CliInputError(file, e.reason, {
        line: e.line,
        column: e.path ? undefined : e.column,
        path: e.path,
      });
    }
    throw e;
  }
}

async function readSliValues(
  io: CliIo,
  file: string,
): Promise<Record<string, number | null>> {
  const input = await JsonInput.read(io, file, 'SLI values file');
  const value = input.value;
  if (!isObject(value)) {
    throw input.error(
      [],
      `must be a JSON object of SLI name → number or null, got ${describeValue(
        value,
      )}`,
    );
  }
  const values: Record<string, number | null> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v !== null && typeof v !== 'number') {
      throw input.error(
        [name],
        `must be a number or null, got ${describeValue(v)}`,
      );
    }
    values[name] = v;
  }
  return values;
}

async function readPrevious(
  io: CliIo,
  file: string,
): Promise<PreviousEvaluation[]> {
  const input = await JsonInput.read(io, file, 'previous results file');
  const list = input.value;
  if (!Array.isArray(list)) {
    throw input.error(
      [],
      `must be a JSON list of earlier evaluations, newest first, got ${describeValue(
        list,
      )}`,
    );
  }
  return list.map((e, i): PreviousEvaluation => {
    if (!isObject(e)) {
      throw input.error(
        [i],
        `must be an earlier evaluation (an object with "result"), got ${describeValue(
          e,
        )}`,
      );
    }
    if (typeof e.result !== 'string') {
      throw input.error(
        [i, 'result'],
        e.result === undefined
          ? 'is required'
          : `must be a string such as "pass", got ${describeValue(e.result)}`,
      );
    }
    if (
      e.score !== undefined &&
      e.score !== null &&
      typeof e.score !== 'number'
    ) {
      throw input.error(
        [i, 'score'],
        `must be a number, got ${describeValue(e.score)}`,
      );
    }
    const out: PreviousEvaluation = { result: e.result };
    if (typeof e.score === 'number') out.score = e.score;
    const irs = e.indicatorResults;
    if (irs === undefined || irs === null) return out;
    if (!Array.isArray(irs)) {
      throw input.error(
        [i, 'indicatorResults'],
        `must be a list, got ${describeValue(irs)}`,
      );
    }
    out.indicatorResults = irs.map((ir, j) => {
      if (ir === null) return null;
      const path = [i, 'indicatorResults', j];
      if (!isObject(ir)) {
        throw input.error(path, `must be an object, got ${describeValue(ir)}`);
      }
      const v = ir.value;
      if (v === undefined || v === null) return { value: null };
      if (!isObject(v)) {
        throw input.error(
          [...path, 'value'],
          `must be an object, got ${describeValue(v)}`,
        );
      }
      const checks: Array<[string, (x: unknown) => boolean, string]> = [
        ['metric', x => typeof x === 'string', 'a string'],
        ['value', x => x === null || typeof x === 'number', 'a number'],
        ['success', x => typeof x === 'boolean', 'true or false'],
      ];
      for (const [key, ok, expected] of checks) {
        if (v[key] !== undefined && !ok(v[key])) {
          throw input.error(
            [...path, 'value', key],
            `must be ${expected}, got ${describeValue(v[key])}`,
          );
        }
      }
      return {
        value: {
          metric: v.metric as string | undefined,
          value: v.value as number | null | undefined,
          success: v.success as boolean | undefined,
        },
      };
    });
    return out;
  });
}

function parseTime(option: string, raw: string): Date {
  let ms = NaN;
  if (UNIX_SECONDS.test(raw)) {
    ms = Number(raw) * 1000;
  } else if (RFC3339.test(raw)) {
    ms = Date.parse(raw);
  }
  if (!Number.isFinite(ms)) {
    throw new CliInputError(
      undefined,
      `invalid time ${JSON.stringify(
        raw,
      )}: use RFC 3339 (e.g. 2024-05-01T10:00:00Z) or Unix seconds`,
      { path: option },
    );
  }
  return new Date(ms);
}

function parseLabels(raw: ReadonlyArray<string> = []): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of raw) {
    const eq = item.indexOf('=');
    const key = eq === -1 ? item : item.slice(0, eq);
    if (eq === -1) {
      throw new CliInputError(
        undefined,
        `expected key=value, got ${JSON.stringify(item)}`,
        {
          path: '--label',
        },
      );
    }
    if (!isPromqlLabelName(key)) {
      throw new CliInputError(
        undefined,
        `label name ${JSON.stringify(
          key,
        )} must match [a-zA-Z_][a-zA-Z0-9_]* (it is used as $LABEL.${key})`,
        { path: '--label' },
      );
    }
    if (Object.prototype.hasOwnProperty.call(labels, key)) {
      throw new CliInputError(undefined, `label ${key} is given twice`, {
        path: '--label',
      });
    }
    labels[key] = item.slice(eq + 1);
  }
  return labels;
}

interface PrometheusMode {
  sli: string;
  prometheus: string;
  start: string;
  end: string;
}

function checkMode(args: GateEvaluateArgs): PrometheusMode | undefined {
  const prometheusOptions: Array<[keyof GateEvaluateArgs, string]> = [
    ['sli', '--sli'],
    ['prometheus', '--prometheus'],
    ['start', '--start'],
    ['end', '--end'],
  ];
  const given = prometheusOptions.filter(([k]) => args[k] !== undefined);
  if (args.sliValues !== undefined) {
    if (given.length > 0) {
      throw new CliInputError(
        undefined,
        `--sli-values cannot be combined with ${given
          .map(([, o]) => o)
          .join(', ')}: give either SLI values or a Prometheus to query`,
      );
    }
    return undefined;
  }
  if (given.length === 0) {
    throw new CliInputError(
      undefined,
      'no SLI values: give --sli-values <file>, or --sli <file> --prometheus <url> --start <time> --end <time>',
    );
  }
  const missing = prometheusOptions.filter(([k]) => args[k] === undefined);
  if (missing.length > 0) {
    throw new CliInputError(
      undefined,
      `querying Prometheus also needs ${missing.map(([, o]) => o).join(', ')}`,
    );
  }
  return args as GateEvaluateArgs & PrometheusMode;
}

async function prometheusValues(
  args: GateEvaluateArgs,
  mode: PrometheusMode,
  slo: SloDocument,
  io: CliIo,
): Promise<{
  values: Record<string, number | null>;
  errors: Record<string, string>;
}> {
  const start = parseTime('--start', mode.start);
  const end = parseTime('--end', mode.end);
  if (end.getTime() <= start.getTime()) {
    throw new CliInputError(undefined, 'must be after --start', {
      path: '--end',
    });
  }
  const timeoutSeconds =
    args.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(args.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new CliInputError(
      undefined,
      `must be a positive number of seconds, got ${JSON.stringify(
        args.timeout,
      )}`,
      { path: '--timeout' },
    );
  }
  const labels = parseLabels(args.label);
  const sli = await readSli(io, mode.sli);
  let client: PrometheusClient;
  try {
    client = PrometheusClient.create({
      name: 'cli',
      url: mode.prometheus,
      bearerToken: io.env[PROMETHEUS_TOKEN_ENV] || undefined,
      http: {
        timeoutMs: timeoutSeconds * 1000,
        ...(io.fetch ? { fetch: io.fetch } : {}),
      },
    });
  } catch (e) {
    throw new CliInputError(undefined, (e as Error).message, {
      path: '--prometheus',
    });
  }
  return fetchSliValues({
    client,
    sli,
    context: {
      service: args.service,
      stage: args.stage,
      project: args.project,
      deployment: args.deployment,
      namespace: args.namespace,
      environment: args.environment,
      labels,
    },
    start,
    end,
    indicators: slo.objectives.map(o => o.sli),
    timeoutMs: timeoutSeconds * 1000,
  });
}

/**
 * `praevisio gate evaluate`: prints the evaluation in Keptn's shape and
 * returns the exit code (0 pass, 1 warning, 2 fail, 3 errored or bad input).
 */
export async function runGateEvaluate(
  args: GateEvaluateArgs,
  io: CliIo,
): Promise<number> {
  try {
    const mode = checkMode(args);
    const slo = await readSlo(io, args.slo);
    const previous = args.previous
      ? await readPrevious(io, args.previous)
      : undefined;

    let values: Record<string, number | null>;
    let errors: Record<string, string> = {};
    if (mode) {
      ({ values, errors } = await prometheusValues(args, mode, slo, io));
    } else {
      values = await readSliValues(io, args.sliValues!);
    }

    const failed = Object.keys(errors);
    const evaluation = evaluateGate({
      slo,
      values,
      previous,
      providerError:
        failed.length > 0
          ? `${failed.length} of ${
              slo.objectives.length
            } SLIs could not be fetched (${failed.join(', ')})`
          : undefined,
    });
    io.stdout(
      `${JSON.stringify(toKeptnEvaluation(evaluation, errors), null, 2)}\n`,
    );
    for (const name of failed) {
      io.stderr(`SLI ${JSON.stringify(name)}: ${errors[name]}\n`);
    }
    if (evaluation.result === 'errored' || evaluation.result === 'fail') {
      if (evaluation.message) io.stderr(`${evaluation.message}\n`);
    }
    return exitCodeFor(evaluation.result);
  } catch (e) {
    if (e instanceof CliInputError) {
      io.stderr(`${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
