import { SliTemplateError } from './errors';
import {
  escapePromqlString,
  isPromqlLabelName,
  PROMQL_DURATION,
  PromqlQuote,
  regexQuote,
  stringValueProblem,
} from './promqlQuote';
import type {
  CompiledSliTemplate,
  SliPlaceholder,
  SliPlaceholderPosition,
  SliRenderContext,
} from './types';

type Key = SliPlaceholder['key'];

/**
 * Placeholder names, as Keptn's prometheus-service spells them (it also knows
 * the lower-case `$service`, `$project`, `$stage`), plus `$NAMESPACE` and
 * `$ENVIRONMENT`. Keptn's prometheus-service has no `$DURATION` (other Keptn
 * SLI services use that name for a bare number of seconds), so it is not
 * accepted here either: a template using it fails loudly instead of silently
 * querying a different window.
 */
const PLACEHOLDERS: Record<string, Key> = {
  SERVICE: 'service',
  PROJECT: 'project',
  STAGE: 'stage',
  DEPLOYMENT: 'deployment',
  NAMESPACE: 'namespace',
  ENVIRONMENT: 'environment',
  DURATION_SECONDS: 'duration',
  service: 'service',
  project: 'project',
  stage: 'stage',
};

const KNOWN_LIST =
  '$SERVICE, $PROJECT, $STAGE, $DEPLOYMENT, $NAMESPACE, $ENVIRONMENT, $DURATION_SECONDS, $LABEL.<name>';

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
// PromQL metric names may contain ':'.
const CODE_IDENT_START = /[A-Za-z_:]/;
const CODE_IDENT_PART = /[A-Za-z0-9_:]/;

/** Functions with a regular-expression argument, by 0-based argument index. */
const REGEX_ARGUMENTS: Record<string, number> = { label_replace: 4 };

const POSITION_OF_QUOTE: Record<PromqlQuote, SliPlaceholderPosition> = {
  '"': 'double',
  "'": 'single',
  '`': 'raw',
};
const QUOTE_OF_POSITION: Record<SliPlaceholderPosition, PromqlQuote> = {
  double: '"',
  single: "'",
  raw: '`',
  bare: '"', // not used: bare placeholders are durations, written as they are
};

interface Frame {
  fn?: string;
  arg: number;
}

function readIdent(text: string, at: number): string {
  if (at >= text.length || !IDENT_START.test(text[at])) return '';
  let end = at + 1;
  while (end < text.length && IDENT_PART.test(text[end])) end++;
  return text.slice(at, end);
}

/**
 * Reads a placeholder at `at` (which holds `$`). Returns undefined when the
 * `$` does not start one (`$1`, `${1}`, `$"`): such a `$` is kept as it is.
 */
function readPlaceholder(
  template: string,
  at: number,
  position: SliPlaceholderPosition,
  regex: boolean,
): { placeholder: SliPlaceholder; end: number } | undefined {
  const name = readIdent(template, at + 1);
  if (!name) return undefined;
  let end = at + 1 + name.length;
  if (name === 'LABEL' && template[end] === '.') {
    const label = readIdent(template, end + 1);
    if (!label) {
      throw new SliTemplateError({
        placeholder: '$LABEL.',
        offset: at,
        reason:
          'needs a label name matching [a-zA-Z_][a-zA-Z0-9_]*, e.g. $LABEL.team',
      });
    }
    end += 1 + label.length;
    return {
      placeholder: {
        raw: `$LABEL.${label}`,
        key: 'label',
        label,
        position,
        regex,
        offset: at,
      },
      end,
    };
  }
  const key = Object.prototype.hasOwnProperty.call(PLACEHOLDERS, name)
    ? PLACEHOLDERS[name]
    : undefined;
  if (!key) {
    throw new SliTemplateError({
      placeholder: `$${name}`,
      offset: at,
      reason: `unknown placeholder; known are ${KNOWN_LIST} (write $$ for a literal $)`,
    });
  }
  return {
    placeholder: { raw: `$${name}`, key, position, regex, offset: at },
    end,
  };
}

/**
 * Checks a PromQL template and splits it into text and placeholders, noting
 * for each placeholder whether it sits in a `"…"`, `'…'` or `` `…` `` literal
 * and whether that literal is a regular expression.
 *
 * Rules, so that no value can change the query's structure:
 *
 * - a placeholder other than `$DURATION_SECONDS` must be inside a string
 *   literal whose quotes are part of the template, e.g. `job="$SERVICE"`;
 * - unknown placeholders are errors; `$$` is a literal `$`; a `$` not followed
 *   by a name (`$1`, `${1}`) is kept as it is;
 * - placeholders in `#` comments are left alone;
 * - an unterminated string literal, or a line break inside `"…"` / `'…'`, is
 *   an error (Prometheus would reject the query anyway).
 *
 * @throws SliTemplateError
 * @public
 */
export function compileSliTemplate(template: string): CompiledSliTemplate {
  if (typeof template !== 'string') {
    throw new SliTemplateError({ reason: 'the template must be a string' });
  }
  if (template.trim() === '') {
    throw new SliTemplateError({ reason: 'the template is empty' });
  }
  const parts: Array<string | SliPlaceholder> = [];
  const placeholders: SliPlaceholder[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(text);
    text = '';
  };
  const add = (p: SliPlaceholder) => {
    flush();
    parts.push(p);
    placeholders.push(p);
  };

  const frames: Frame[] = [];
  // The last two significant characters of code, to spot `=~` and `!~`.
  let lastSignificant = '';
  // An identifier directly before `(` names the function being called.
  let pendingIdent: string | undefined;

  let i = 0;
  const n = template.length;
  while (i < n) {
    const c = template[i];

    if (c === '#') {
      // Comment to end of line: copied, never substituted.
      const nl = template.indexOf('\n', i);
      const end = nl === -1 ? n : nl;
      text += template.slice(i, end);
      i = end;
      continue;
    }

    if (c === '"' || c === "'" || c === '`') {
      const quote = c as PromqlQuote;
      const top = frames[frames.length - 1];
      const regex =
        lastSignificant.endsWith('=~') ||
        lastSignificant.endsWith('!~') ||
        (top?.fn !== undefined && REGEX_ARGUMENTS[top.fn] === top.arg);
      const position = POSITION_OF_QUOTE[quote];
      const start = i;
      text += c;
      i++;
      let closed = false;
      while (i < n) {
        const d = template[i];
        if (d === quote) {
          text += d;
          i++;
          closed = true;
          break;
        }
        if (d === '\\' && quote !== '`') {
          // Copy the escape as written; the character after it cannot close
          // the literal or start a placeholder.
          text += template.slice(i, i + 2);
          i += 2;
          continue;
        }
        if ((d === '\n' || d === '\r') && quote !== '`') {
          throw new SliTemplateError({
            offset: i,
            reason: `line break inside the string literal that starts at offset ${start}; PromQL does not allow it (write \\n)`,
          });
        }
        if (d === '$') {
          if (template[i + 1] === '$') {
            text += '$';
            i += 2;
            continue;
          }
          const found = readPlaceholder(template, i, position, regex);
          if (found) {
            add(found.placeholder);
            i = found.end;
            continue;
          }
        }
        text += d;
        i++;
      }
      if (!closed) {
        throw new SliTemplateError({
          offset: start,
          reason: `unterminated string literal starting at offset ${start}`,
        });
      }
      lastSignificant = 'str';
      pendingIdent = undefined;
      continue;
    }

    if (c === '$') {
      if (template[i + 1] === '$') {
        text += '$';
        i += 2;
        continue;
      }
      const found = readPlaceholder(template, i, 'bare', false);
      if (found) {
        if (found.placeholder.key !== 'duration') {
          throw new SliTemplateError({
            placeholder: found.placeholder.raw,
            offset: i,
            reason: `must stand inside a quoted string literal of the template, e.g. job="${found.placeholder.raw}"; only $DURATION_SECONDS may stand outside quotes`,
          });
        }
        add(found.placeholder);
        i = found.end;
        lastSignificant = 'dur';
        pendingIdent = undefined;
        continue;
      }
      text += c;
      i++;
      continue;
    }

    if (CODE_IDENT_START.test(c)) {
      let end = i + 1;
      while (end < n && CODE_IDENT_PART.test(template[end])) end++;
      const ident = template.slice(i, end);
      text += ident;
      i = end;
      pendingIdent = ident;
      lastSignificant = 'id';
      continue;
    }

    if (/\s/.test(c)) {
      text += c;
      i++;
      continue;
    }

    // Punctuation, operators, numbers.
    if (c === '(') {
      frames.push({ fn: pendingIdent, arg: 0 });
    } else if (c === '{' || c === '[') {
      frames.push({ arg: 0 });
    } else if (c === ')' || c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top) top.arg++;
    }
    pendingIdent = undefined;
    lastSignificant = (lastSignificant + c).slice(-2);
    text += c;
    i++;
  }
  flush();
  return { template, parts, placeholders };
}

function contextValue(
  p: SliPlaceholder,
  context: SliRenderContext,
): string | undefined {
  if (p.key === 'label') {
    const labels = context.labels ?? {};
    return Object.prototype.hasOwnProperty.call(labels, p.label!)
      ? labels[p.label!]
      : undefined;
  }
  return context[p.key];
}

const HOW_TO_GIVE: Record<Key, string> = {
  service: 'the service name',
  project: 'the project name',
  stage: 'the stage name',
  deployment: 'the deployment type (e.g. canary, primary)',
  namespace: 'the namespace',
  environment: 'the environment name',
  duration: 'the evaluation window (start and end)',
  label: 'a label with this name',
};

function renderValue(p: SliPlaceholder, context: SliRenderContext): string {
  const value = contextValue(p, context);
  if (value === undefined || value === null) {
    throw new SliTemplateError({
      placeholder: p.raw,
      offset: p.offset,
      reason: `has no value: give ${HOW_TO_GIVE[p.key]}`,
    });
  }
  if (typeof value !== 'string') {
    throw new SliTemplateError({
      placeholder: p.raw,
      offset: p.offset,
      reason: `must be a string, got ${typeof value}`,
    });
  }
  if (value === '') {
    throw new SliTemplateError({
      placeholder: p.raw,
      offset: p.offset,
      reason: 'is empty',
    });
  }
  if (p.key === 'duration' && !PROMQL_DURATION.test(value)) {
    throw new SliTemplateError({
      placeholder: p.raw,
      offset: p.offset,
      reason: `must be a duration matching [0-9]+(ms|s|m|h|d|w|y), e.g. 300s; got ${JSON.stringify(
        value.length > 40 ? `${value.slice(0, 40)}…` : value,
      )}`,
    });
  }
  if (p.position === 'bare') {
    // Only durations stand outside quotes, and they were checked above.
    return value;
  }
  const quote = QUOTE_OF_POSITION[p.position];
  const problem = stringValueProblem(value, quote);
  if (problem) {
    throw new SliTemplateError({
      placeholder: p.raw,
      offset: p.offset,
      reason: `value ${problem}`,
    });
  }
  return escapePromqlString(p.regex ? regexQuote(value) : value, quote);
}

/**
 * Renders a PromQL template (or a compiled one) for a context. Each value is
 * escaped for the string literal it stands in (regex-quoted first in a regex
 * literal); `$DURATION_SECONDS` must be a duration; label names in the
 * context must be valid PromQL label names.
 *
 * @throws SliTemplateError - naming the placeholder, for a missing or invalid value
 * @public
 */
export function renderSliTemplate(
  template: string | CompiledSliTemplate,
  context: SliRenderContext,
): string {
  const compiled =
    typeof template === 'string' ? compileSliTemplate(template) : template;
  for (const name of Object.keys(context.labels ?? {})) {
    if (!isPromqlLabelName(name)) {
      throw new SliTemplateError({
        placeholder: `$LABEL.${name}`,
        reason: 'label names must match [a-zA-Z_][a-zA-Z0-9_]*',
      });
    }
  }
  let out = '';
  for (const part of compiled.parts) {
    out += typeof part === 'string' ? part : renderValue(part, context);
  }
  return out;
}
