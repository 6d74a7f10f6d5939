/**
 * A strict JSON parser (RFC 8259) that remembers where each value starts, so
 * that a bad field can be reported with its line, and a syntax error with
 * its line and column.
 */

export type JsonPath = ReadonlyArray<string | number>;

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(readonly reason: string, readonly position: Position) {
    super(`${position.line}:${position.column}: invalid JSON: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonDocument {
  value: unknown;
  /** Where the value at the path starts, or the nearest ancestor that exists. */
  locate(path: JsonPath): Position | undefined;
}

function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function describeChar(c: string | undefined): string {
  if (c === undefined) return 'end of input';
  return JSON.stringify(c);
}

/** Parses JSON text; throws {@link JsonSyntaxError} with the position. */
export function parseJson(input: string): JsonDocument {
  // A UTF-8 byte order mark is not JSON, but editors write it.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const offsets = new Map<string, number>();
  let i = 0;

  const fail = (reason: string, at = i): never => {
    throw new JsonSyntaxError(reason, positionAt(text, at));
  };
  const skipWhitespace = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const code = text.charCodeAt(i);
      if (code === 0x22) break;
      if (code < 0x20) fail('control character in string (escape it)');
      if (code === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            fail('invalid \\u escape in string');
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          fail(`invalid escape \\${e ?? ''} in string`);
        }
        i += 2;
        continue;
      }
      i++;
    }
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const parseValue = (path: Array<string | number>): unknown => {
    skipWhitespace();
    offsets.set(JSON.stringify(path), i);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') {
          fail(
            `expected a property name in double quotes, found ${describeChar(
              text[i],
            )}`,
          );
        }
        const key = parseString();
        skipWhitespace();
        if (text[i] !== ':') {
          fail(
            `expected ':' after property name, found ${describeChar(text[i])}`,
          );
        }
        i++;
        const value = parseValue([...path, key]);
        Object.defineProperty(obj, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(
          `expected ',' or '}' after a property value, found ${describeChar(
            text[i],
          )}`,
        );
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue([...path, arr.length]));
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(
          `expected ',' or ']' after an array element, found ${describeChar(
            text[i],
          )}`,
        );
      }
    }
    if (c === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0] !== '-') {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail(`unexpected ${describeChar(c)}`);
  };

  const value = parseValue([]);
  skipWhitespace();
  if (i < text.length) {
    fail(`unexpected ${describeChar(text[i])} after the JSON value`);
  }
  return {
    value,
    locate(path: JsonPath) {
      for (let n = path.length; n >= 0; n--) {
        const offset = offsets.get(JSON.stringify(path.slice(0, n)));
        if (offset !== undefined) return positionAt(text, offset);
      }
      return undefined;
    },
  };
}

/** `a.b[2]["odd key"]`: a path as people read it. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(part)) {
      out += out ? `.${part}` : part;
    } else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * Splits a path as the engines write it (`metrics[1].effectSize.allowedIncrease`)
 * into keys and indexes. Keys with dots or brackets cannot be told apart, which
 * only costs precision in the reported line.
 */
export function splitPath(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[1] !== undefined) parts.push(m[1]);
    else parts.push(Number(m[2]));
  }
  return parts;
}
