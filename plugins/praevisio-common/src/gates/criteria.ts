import { SloValidationError } from './errors';
import type { SloCriterion, SloOperator } from './types';

// Operator, optional sign, a decimal number (Go's ParseFloat also takes an
// exponent), optional '%'. Keptn strips spaces before matching.
const CRITERION_RE =
  /^(<=|>=|<|>|=)([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(%?)$/;

/**
 * Parses one criterion string, or says why it is not one.
 *
 * Keptn semantics (lighthouse `parseCriteriaString`):
 * - a trailing `%` makes the criterion relative to the baseline, with an
 *   increase unless the number has a `-` sign (`<=10%` means `<=+10%`);
 * - an explicit `+` or `-` sign without `%` is an absolute delta on the baseline;
 * - a bare number is a fixed threshold.
 *
 * Keptn treats a string it cannot parse as a violated criterion; here such a
 * string is rejected when the SLO is parsed, so a typo never silently fails
 * (or passes) a gate.
 */
export function tryParseCriterion(
  raw: unknown,
): { criterion: SloCriterion } | { reason: string } {
  if (typeof raw !== 'string') {
    return {
      reason: `a criterion must be a string such as "<=+10%" or "<600", got ${describe(
        raw,
      )}`,
    };
  }
  const compact = raw.replace(/\s+/g, '');
  const m = CRITERION_RE.exec(compact);
  if (!m) {
    return {
      reason: `unknown criteria syntax "${raw}": expected an operator (<=, <, =, >=, >) followed by a number, optionally signed (+/-) and/or ending in %`,
    };
  }
  const [, op, sign, num, pct] = m;
  const value = Number(num);
  if (!Number.isFinite(value)) {
    return { reason: `criterion "${raw}" has a number out of range` };
  }
  const percent = pct === '%';
  return {
    criterion: {
      raw,
      operator: op as SloOperator,
      value,
      percent,
      relative: percent || sign !== '',
      increase: sign !== '-',
    },
  };
}

/**
 * Parses one Keptn criterion string such as `<=+10%`; throws
 * {@link SloValidationError} when it is not valid.
 *
 * @public
 */
export function parseSloCriterion(raw: string): SloCriterion {
  const r = tryParseCriterion(raw);
  if ('reason' in r) {
    throw new SloValidationError({ path: '', reason: r.reason });
  }
  return r.criterion;
}

/** Compares as Keptn's `evaluateValue` does (`=` is exact float equality). */
export function compareValue(
  measured: number,
  operator: SloOperator,
  target: number,
): boolean {
  switch (operator) {
    case '<':
      return measured < target;
    case '<=':
      return measured <= target;
    case '=':
      return measured === target;
    case '>=':
      return measured >= target;
    case '>':
      return measured > target;
    default:
      return false;
  }
}

/**
 * The threshold of a relative criterion for an aggregated baseline, computed
 * with Keptn's exact arithmetic (`calculateComparisonValue`).
 */
export function relativeTarget(c: SloCriterion, baseline: number): number {
  if (c.percent) {
    return c.increase
      ? (baseline * (100 + c.value)) / 100
      : (baseline * (100 - c.value)) / 100;
  }
  return c.increase ? baseline + c.value : baseline - c.value;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}
