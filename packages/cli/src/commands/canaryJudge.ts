import {
  CanaryConfig,
  CanaryJudgement,
  CanarySamples,
  CanaryValidationError,
  judgeCanary,
  parseCanaryConfig,
} from '@praevisio/backstage-plugin-common';
import {
  CliInputError,
  describeValue,
  isObject,
  JsonInput,
} from '../lib/inputs';
import { CliIo, EXIT } from '../lib/io';
import { splitPath } from '../lib/json';

/** Options of `praevisio canary judge`. */
export interface CanaryJudgeArgs {
  config: string;
  baseline: string;
  canary: string;
}

interface CanaryJudgementOutput {
  score: number;
  classification: CanaryJudgement['classification'];
  groups: Array<{ name: string; score: number }>;
  metrics: Array<{
    name: string;
    classification: string;
    critical: boolean;
    statistics: {
      confidenceInterval: [number, number] | null;
      estimate: number | null;
      effectSize: number | null;
    };
  }>;
}

/** The judgement in the CLI's fixed shape. */
export function toJudgementOutput(j: CanaryJudgement): CanaryJudgementOutput {
  return {
    score: j.score,
    classification: j.classification,
    groups: j.groups.map(g => ({ name: g.name, score: g.score })),
    metrics: j.metrics.map(m => ({
      name: m.name,
      classification: m.classification,
      critical: m.critical,
      statistics: {
        confidenceInterval: m.statistics.confidenceInterval
          ? [
              m.statistics.confidenceInterval[0],
              m.statistics.confidenceInterval[1],
            ]
          : null,
        estimate: m.statistics.estimate,
        effectSize: m.statistics.effectSize,
      },
    })),
  };
}

function readConfig(input: JsonInput): CanaryConfig {
  try {
    return parseCanaryConfig(input.value);
  } catch (e) {
    if (e instanceof CanaryValidationError) {
      throw input.error(splitPath(e.path), e.reason);
    }
    throw e;
  }
}

/** Samples per metric: an object of metric name → list of numbers or null. */
function readSamples(input: JsonInput): CanarySamples {
  const value = input.value;
  if (!isObject(value)) {
    throw input.error(
      [],
      `must be a JSON object of metric name → list of samples (numbers, null for a missing one), got ${describeValue(
        value,
      )}`,
    );
  }
  for (const [name, list] of Object.entries(value)) {
    if (list === null) continue;
    if (!Array.isArray(list)) {
      throw input.error(
        [name],
        `must be a list of samples (numbers, null for a missing one), got ${describeValue(
          list,
        )}`,
      );
    }
    list.forEach((v, i) => {
      if (v !== null && typeof v !== 'number') {
        throw input.error(
          [name, i],
          `must be a number or null, got ${describeValue(v)}`,
        );
      }
    });
  }
  return value as CanarySamples;
}

function exitCodeFor(c: CanaryJudgement['classification']): number {
  switch (c) {
    case 'Pass':
      return EXIT.pass;
    case 'Marginal':
      return EXIT.warning;
    default:
      return EXIT.fail;
  }
}

/**
 * `praevisio canary judge`: prints the judgement and returns the exit code
 * (0 Pass, 1 Marginal, 2 Fail, 3 bad input).
 */
export async function runCanaryJudge(
  args: CanaryJudgeArgs,
  io: CliIo,
): Promise<number> {
  try {
    const configInput = await JsonInput.read(
      io,
      args.config,
      'canary configuration',
    );
    const config = readConfig(configInput);
    const baseline = readSamples(
      await JsonInput.read(io, args.baseline, 'baseline samples'),
    );
    const canary = readSamples(
      await JsonInput.read(io, args.canary, 'canary samples'),
    );
    let judgement: CanaryJudgement;
    try {
      judgement = judgeCanary({ config, baseline, canary });
    } catch (e) {
      if (e instanceof CanaryValidationError) {
        throw new CliInputError(undefined, e.reason, { path: e.path });
      }
      throw e;
    }
    io.stdout(`${JSON.stringify(toJudgementOutput(judgement), null, 2)}\n`);
    if (judgement.reason) io.stderr(`${judgement.reason}\n`);
    return exitCodeFor(judgement.classification);
  } catch (e) {
    if (e instanceof CliInputError) {
      io.stderr(`${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
