/**
 * Quoting of values for PromQL. Pure and isomorphic.
 *
 * PromQL string literals follow Go's syntax: `"…"` and `'…'` take backslash
 * escapes, backtick strings are raw. `JSON.stringify` of a string is a valid
 * PromQL double-quoted literal (its escapes `\"`, `\\`, `\n`, `\r`, `\t`, `\b`,
 * `\f` and `\uXXXX` are all Go escapes) as long as the string holds no
 * unpaired UTF-16 surrogate, which Go rejects, so those are refused here.
 */

/** PromQL label names (and `$LABEL.<name>` keys). @public */
export const PROMQL_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A single-unit PromQL duration such as `300s` or `5m`. @public */
export const PROMQL_DURATION = /^[0-9]+(ms|s|m|h|d|w|y)$/;

/** The quote a PromQL string literal is written with. @public */
export type PromqlQuote = '"' | "'" | '`';

// An unpaired surrogate: a high one not followed by a low one, or a low one
// not preceded by a high one.
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a value cannot go into a PromQL string literal, or undefined when it can. */
export function stringValueProblem(
  value: unknown,
  quote: PromqlQuote = '"',
): string | undefined {
  if (typeof value !== 'string') {
    return `must be a string, got ${value === null ? 'null' : typeof value}`;
  }
  if (LONE_SURROGATE.test(value)) {
    return 'contains an unpaired UTF-16 surrogate, which is not valid UTF-8';
  }
  if (quote === '`' && value.includes('`')) {
    return 'contains a backtick, which cannot appear in a raw (`…`) PromQL string';
  }
  return undefined;
}

function assertStringValue(value: unknown, quote: PromqlQuote): string {
  const problem = stringValueProblem(value, quote);
  if (problem) {
    throw new TypeError(`Cannot quote value for PromQL: ${problem}`);
  }
  return value as string;
}

/**
 * Escapes a value for the inside of a PromQL string literal opened with
 * `quote`; the caller writes the quotes. For `"` this is exactly
 * `JSON.stringify(value)` without its quotes; for `'` the same escapes with
 * `'` escaped instead of `"`; for backticks the value itself (which must not
 * contain a backtick).
 *
 * @throws TypeError - the value cannot be represented (unpaired surrogate, backtick in a raw string)
 * @public
 */
export function escapePromqlString(
  value: string,
  quote: PromqlQuote = '"',
): string {
  const v = assertStringValue(value, quote);
  if (quote === '`') {
    return v;
  }
  const json = JSON.stringify(v).slice(1, -1);
  if (quote === '"') {
    return json;
  }
  // Same escapes, but Go allows \' and not \" inside '…'.
  return json.replace(/\\u[0-9a-fA-F]{4}|\\.|'/g, m => {
    if (m === '\\"') return '"';
    if (m === "'") return "\\'";
    return m;
  });
}

/**
 * A complete PromQL double-quoted string literal: `JSON.stringify(value)`.
 *
 * @throws TypeError - the value holds an unpaired surrogate
 * @public
 */
export function promqlString(value: string): string {
  assertStringValue(value, '"');
  return JSON.stringify(value);
}

/**
 * Escapes every RE2 metacharacter, as Go's `regexp.QuoteMeta` does, so that
 * the value matches only itself when used in a `=~` / `!~` matcher.
 *
 * @public
 */
export function regexQuote(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * A PromQL double-quoted literal for a `=~` / `!~` matcher that matches the
 * value exactly: regex-quoted first, then string-quoted.
 *
 * @public
 */
export function promqlRegexString(value: string): string {
  return promqlString(regexQuote(assertStringValue(value, '"')));
}

/** Whether a string is a valid PromQL label name. @public */
export function isPromqlLabelName(name: unknown): name is string {
  return typeof name === 'string' && PROMQL_LABEL_NAME.test(name);
}

/** Whether a string is a single-unit PromQL duration such as `300s`. @public */
export function isPromqlDuration(value: unknown): value is string {
  return typeof value === 'string' && PROMQL_DURATION.test(value);
}

/**
 * Keptn's `$DURATION_SECONDS` for an evaluation window: the window length in
 * whole seconds, rounded up, with an `s` suffix (e.g. `300s`). Times are
 * `Date`s, epoch milliseconds or strings `Date.parse` reads (RFC 3339).
 *
 * @throws RangeError - the times are invalid or the window is not positive
 * @public
 */
export function durationForWindow(
  start: Date | number | string,
  end: Date | number | string,
): string {
  const s = toMillis(start, 'start');
  const e = toMillis(end, 'end');
  if (e <= s) {
    throw new RangeError(
      `the evaluation window must end after it starts (start ${new Date(
        s,
      ).toISOString()}, end ${new Date(e).toISOString()})`,
    );
  }
  return `${Math.ceil((e - s) / 1000)}s`;
}

function toMillis(value: Date | number | string, what: string): number {
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === 'number') {
    ms = value;
  } else {
    ms = Date.parse(value);
  }
  if (!Number.isFinite(ms)) {
    throw new RangeError(`invalid ${what} time ${String(value)}`);
  }
  return ms;
}
