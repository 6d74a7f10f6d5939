import { describe, tryParseCriterion } from './criteria';
import { SloValidationError } from './errors';
import { isMap, parseKeptnYaml, YamlLocator } from '../yaml/keptnYaml';
import type {
  SloAggregateFunction,
  SloComparison,
  SloCompareWith,
  SloCriteriaSet,
  SloDocument,
  SloIncludeResultWithScore,
  SloObjective,
} from './types';

type Path = Array<string | number>;

const COMPARE_WITH: Record<string, SloCompareWith> = {
  single_result: 'single_result',
  several_results: 'several_results',
  // Short spellings some tools write.
  single: 'single_result',
  several: 'several_results',
};
const INCLUDE: ReadonlyArray<SloIncludeResultWithScore> = [
  'pass',
  'pass_or_warn',
  'all',
];
const AGGREGATES: ReadonlyArray<SloAggregateFunction> = [
  'avg',
  'p50',
  'p90',
  'p95',
];

function parsePercent(
  v: unknown,
  path: Path,
  loc: YamlLocator,
): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  let n: number;
  if (typeof v === 'number') {
    n = v;
  } else if (
    typeof v === 'string' &&
    /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*%?\s*$/i.test(v)
  ) {
    n = Number(v.trim().replace(/%$/, ''));
  } else {
    return loc.fail(
      path,
      `must be a percentage such as "90%", got ${describe(v)}`,
    );
  }
  if (!Number.isFinite(n)) {
    return loc.fail(path, `must be a finite percentage, got ${describe(v)}`);
  }
  return n;
}

function parseCriteriaSets(
  v: unknown,
  path: Path,
  loc: YamlLocator,
): SloCriteriaSet[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    return loc.fail(
      path,
      `must be a list of criteria sets ("- criteria: [...]"), got ${describe(
        v,
      )}`,
    );
  }
  return v.map((entry, i) => {
    const entryPath = [...path, i];
    if (!isMap(entry)) {
      return loc.fail(
        entryPath,
        `must be a mapping with a "criteria" list, got ${describe(entry)}`,
      );
    }
    const list = entry.criteria;
    // Keptn treats a missing criteria list as an empty one (always satisfied).
    if (list === undefined || list === null) return { criteria: [] };
    if (!Array.isArray(list)) {
      return loc.fail(
        [...entryPath, 'criteria'],
        `must be a list of criterion strings, got ${describe(list)}`,
      );
    }
    return {
      criteria: list.map((raw, j) => {
        const r = tryParseCriterion(raw);
        if ('reason' in r) {
          return loc.fail([...entryPath, 'criteria', j], r.reason);
        }
        return r.criterion;
      }),
    };
  });
}

function parseComparison(v: unknown, loc: YamlLocator): SloComparison {
  if (v === undefined || v === null) {
    // Keptn's defaults without a comparison block: 1 previous result, average.
    return {
      specified: false,
      compareWith: 'single_result',
      includeResultWithScore: 'all',
      numberOfComparisonResults: 1,
      aggregateFunction: 'avg',
    };
  }
  const path: Path = ['comparison'];
  if (!isMap(v)) {
    return loc.fail(path, `must be a mapping, got ${describe(v)}`);
  }
  let compareWith: SloCompareWith | undefined;
  if (
    v.compare_with !== undefined &&
    v.compare_with !== null &&
    v.compare_with !== ''
  ) {
    const cw =
      typeof v.compare_with === 'string'
        ? COMPARE_WITH[v.compare_with.trim().toLowerCase()]
        : undefined;
    if (!cw) {
      loc.fail(
        [...path, 'compare_with'],
        `must be "single_result" or "several_results", got ${describe(
          v.compare_with,
        )}`,
      );
    }
    compareWith = cw;
  }
  let include: SloIncludeResultWithScore = 'all';
  const irs = v.include_result_with_score;
  if (irs !== undefined && irs !== null && irs !== '') {
    const s = typeof irs === 'string' ? irs.trim().toLowerCase() : '';
    if (!(INCLUDE as readonly string[]).includes(s)) {
      loc.fail(
        [...path, 'include_result_with_score'],
        `must be one of pass, pass_or_warn, all; got ${describe(irs)}`,
      );
    }
    include = s as SloIncludeResultWithScore;
  }
  let count = 0;
  const n = v.number_of_comparison_results;
  if (n !== undefined && n !== null) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      loc.fail(
        [...path, 'number_of_comparison_results'],
        `must be a whole number ≥ 1, got ${describe(n)}`,
      );
    }
    count = n as number;
  }
  let aggregate: SloAggregateFunction = 'avg';
  const af = v.aggregate_function;
  if (af !== undefined && af !== null && af !== '') {
    const s = typeof af === 'string' ? af.trim().toLowerCase() : '';
    if (!(AGGREGATES as readonly string[]).includes(s)) {
      loc.fail(
        [...path, 'aggregate_function'],
        `must be one of avg, p50, p90, p95; got ${describe(af)}`,
      );
    }
    aggregate = s as SloAggregateFunction;
  }
  return {
    specified: true,
    compareWith,
    includeResultWithScore: include,
    // Keptn: a block without number_of_comparison_results (or with 0) means 3.
    numberOfComparisonResults: count === 0 ? 3 : count,
    aggregateFunction: aggregate,
  };
}

function parseObjective(v: unknown, i: number, loc: YamlLocator): SloObjective {
  const path: Path = ['objectives', i];
  if (!isMap(v)) {
    return loc.fail(
      path,
      `must be a mapping with at least "sli", got ${describe(v)}`,
    );
  }
  const sli = v.sli;
  if (typeof sli !== 'string' || sli.trim() === '') {
    return loc.fail(
      [...path, 'sli'],
      sli === undefined
        ? 'is required'
        : `must be a non-empty string, got ${describe(sli)}`,
    );
  }
  let displayName = '';
  if (v.displayName !== undefined && v.displayName !== null) {
    if (
      typeof v.displayName !== 'string' &&
      typeof v.displayName !== 'number'
    ) {
      loc.fail(
        [...path, 'displayName'],
        `must be a string, got ${describe(v.displayName)}`,
      );
    }
    displayName = String(v.displayName);
  }
  let weight = 1;
  if (v.weight !== undefined && v.weight !== null) {
    const w = v.weight;
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      loc.fail([...path, 'weight'], `must be a number, got ${describe(w)}`);
    }
    if (!Number.isInteger(w) || (w as number) < 0) {
      loc.fail([...path, 'weight'], `must be a whole number ≥ 0, got ${w}`);
    }
    // Keptn: weight 0 (or missing) means 1.
    weight = (w as number) === 0 ? 1 : (w as number);
  }
  let keySli = false;
  if (v.key_sli !== undefined && v.key_sli !== null) {
    if (typeof v.key_sli !== 'boolean') {
      loc.fail(
        [...path, 'key_sli'],
        `must be true or false, got ${describe(v.key_sli)}`,
      );
    }
    keySli = v.key_sli as boolean;
  }
  return {
    sli,
    displayName,
    pass: parseCriteriaSets(v.pass, [...path, 'pass'], loc),
    warning: parseCriteriaSets(v.warning, [...path, 'warning'], loc),
    weight,
    keySli,
  };
}

/**
 * Parses and validates a Keptn `slo.yaml` (spec 1.0), given as YAML or JSON.
 *
 * Defaults are Keptn's: without a `comparison` block the baseline is the one
 * previous result, averaged; a block that lacks fields compares with 3 results,
 * `include_result_with_score: all`, `aggregate_function: avg`; a missing or zero
 * `weight` is 1.
 *
 * Throws {@link SloValidationError} (with path, line and reason) for invalid YAML,
 * unknown criteria syntax, a missing `total_score.pass`, a duplicate objective,
 * a non-numeric weight and other malformed fields.
 *
 * @public
 */
export function parseSlo(text: string): SloDocument {
  const { root, specVersion, loc } = parseKeptnYaml(text, {
    what: 'SLO',
    makeError: problem => new SloValidationError(problem),
  });

  const filter: Record<string, string> = {};
  if (root.filter !== undefined && root.filter !== null) {
    if (!isMap(root.filter)) {
      loc.fail(
        ['filter'],
        `must be a mapping of names to values, got ${describe(root.filter)}`,
      );
    }
    for (const [k, fv] of Object.entries(
      root.filter as Record<string, unknown>,
    )) {
      if (fv === null || fv === undefined) {
        filter[k] = '';
      } else if (typeof fv === 'object') {
        loc.fail(['filter', k], `must be a plain value, got ${describe(fv)}`);
      } else {
        filter[k] = String(fv);
      }
    }
  }

  const comparison = parseComparison(root.comparison, loc);

  const rawObjectives = root.objectives;
  if (rawObjectives === undefined || rawObjectives === null) {
    return loc.fail(['objectives'], 'is required: list at least one objective');
  }
  if (!Array.isArray(rawObjectives)) {
    return loc.fail(
      ['objectives'],
      `must be a list, got ${describe(rawObjectives)}`,
    );
  }
  if (rawObjectives.length === 0) {
    return loc.fail(['objectives'], 'must list at least one objective');
  }
  const objectives: SloObjective[] = [];
  const seen = new Map<string, number>();
  rawObjectives.forEach((o, i) => {
    const objective = parseObjective(o, i, loc);
    const first = seen.get(objective.sli);
    if (first !== undefined) {
      loc.fail(
        ['objectives', i, 'sli'],
        `duplicate objective for SLI "${objective.sli}" (first at objectives[${first}])`,
      );
    }
    seen.set(objective.sli, i);
    objectives.push(objective);
  });

  const ts = root.total_score;
  if (ts === undefined || ts === null) {
    return loc.fail(
      ['total_score'],
      'is required, e.g. total_score: { pass: "90%", warning: "75%" }',
    );
  }
  if (!isMap(ts)) {
    return loc.fail(
      ['total_score'],
      `must be a mapping with "pass" and optionally "warning", got ${describe(
        ts,
      )}`,
    );
  }
  const pass = parsePercent(ts.pass, ['total_score', 'pass'], loc);
  if (pass === undefined) {
    return loc.fail(['total_score', 'pass'], 'is required, e.g. "90%"');
  }
  const warning = parsePercent(ts.warning, ['total_score', 'warning'], loc);

  return {
    ...(specVersion !== undefined ? { specVersion } : {}),
    filter,
    comparison,
    objectives,
    totalScore: warning === undefined ? { pass } : { pass, warning },
  };
}
