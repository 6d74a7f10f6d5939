/**
 * A minimal PromQL tokenizer for tests, written from Prometheus' lexer
 * (promql/parser/lex.go) and Go's string unquoting: it is independent of the
 * code under test, so it can judge whether a rendered query still has the
 * template's structure.
 */

export type PromqlTokenType =
  | 'string'
  | 'comment'
  | 'identifier'
  | 'number'
  | 'operator';

export interface PromqlToken {
  type: PromqlTokenType;
  /** The token as written. */
  text: string;
  /** For strings: the decoded value. */
  value?: string;
  /** For strings: the quote it was written with. */
  quote?: '"' | "'" | '`';
}

export class PromqlLexError extends Error {}

const OPERATORS = [
  '==',
  '!=',
  '>=',
  '<=',
  '=~',
  '!~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '=',
  '<',
  '>',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  '@',
  ':',
];

function hexValue(text: string, from: number, count: number): number {
  const digits = text.slice(from, from + count);
  if (digits.length !== count || !/^[0-9a-fA-F]+$/.test(digits)) {
    throw new PromqlLexError(`bad hex escape at ${from}`);
  }
  return parseInt(digits, 16);
}

/** Go's unquoting of the inside of a `"…"` or `'…'` literal. */
function unescape(body: string, quote: '"' | "'"): string {
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c === '\n') {
      throw new PromqlLexError('newline in string');
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
    };
    if (e in simple) {
      out += simple[e];
      i += 2;
    } else if (e === quote) {
      out += quote;
      i += 2;
    } else if (e === 'x') {
      const v = hexValue(body, i + 2, 2);
      if (v > 0x7f) throw new PromqlLexError('non-ASCII byte escape');
      out += String.fromCharCode(v);
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const count = e === 'u' ? 4 : 8;
      const v = hexValue(body, i + 2, count);
      if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) {
        throw new PromqlLexError(`invalid code point escape ${v.toString(16)}`);
      }
      out += String.fromCodePoint(v);
      i += 2 + count;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const digits = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 0x7f) {
        throw new PromqlLexError('bad octal escape');
      }
      out += String.fromCharCode(parseInt(digits, 8));
      i += 4;
    } else {
      throw new PromqlLexError(`unknown escape \\${e} in ${quote} string`);
    }
  }
  return out;
}

/** Splits a PromQL expression into tokens; throws on anything invalid. */
export function lexPromql(query: string): PromqlToken[] {
  const tokens: PromqlToken[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      const nl = query.indexOf('\n', i);
      const end = nl === -1 ? query.length : nl;
      tokens.push({ type: 'comment', text: query.slice(i, end) });
      i = end;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      for (;;) {
        if (j >= query.length) {
          throw new PromqlLexError(`unterminated string at ${i}`);
        }
        const d = query[j];
        if (d === c) break;
        if (d === '\\' && c !== '`') {
          j += 2;
          continue;
        }
        if (d === '\n' && c !== '`') {
          throw new PromqlLexError(`newline in string at ${j}`);
        }
        j++;
      }
      const body = query.slice(i + 1, j);
      tokens.push({
        type: 'string',
        text: query.slice(i, j + 1),
        quote: c,
        value: c === '`' ? body : unescape(body, c),
      });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_:]/.test(c)) {
      let j = i + 1;
      while (j < query.length && /[A-Za-z0-9_:]/.test(query[j])) j++;
      // A ':' alone is an operator (subquery step), not an identifier.
      if (query.slice(i, j) !== ':') {
        tokens.push({ type: 'identifier', text: query.slice(i, j) });
        i = j;
        continue;
      }
    }
    if (/[0-9.]/.test(c)) {
      let j = i + 1;
      while (j < query.length && /[0-9A-Za-z.]/.test(query[j])) j++;
      tokens.push({ type: 'number', text: query.slice(i, j) });
      i = j;
      continue;
    }
    let op: string | undefined;
    for (const candidate of OPERATORS) {
      if (query.startsWith(candidate, i)) {
        op = candidate;
        break;
      }
    }
    if (!op) {
      throw new PromqlLexError(
        `unexpected character ${JSON.stringify(c)} at ${i}`,
      );
    }
    tokens.push({ type: 'operator', text: op });
    i += op.length;
  }
  return tokens;
}
