import { formatJsonPath, JsonSyntaxError, parseJson, splitPath } from './json';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a JsonSyntaxError');
}

describe('parseJson', () => {
  it('parses what JSON.parse parses, and locates values', () => {
    const text =
      '{\n  "a": [1, -2.5e3, true, null],\n  "b": {"c": "x\\n\\u00e9"}\n}';
    const doc = parseJson(text);
    expect(doc.value).toEqual(JSON.parse(text));
    expect(doc.locate(['a', 1])).toEqual({ line: 2, column: 12 });
    expect(doc.locate(['b', 'c'])).toEqual({ line: 3, column: 14 });
    // Missing paths fall back to the nearest ancestor.
    expect(doc.locate(['b', 'zzz', 3])).toEqual({ line: 3, column: 8 });
    expect(doc.locate([])).toEqual({ line: 1, column: 1 });
  });

  it('keeps __proto__ as a plain key', () => {
    const doc = parseJson('{"__proto__": {"x": 1}}');
    expect(Object.keys(doc.value as object)).toEqual(['__proto__']);
    expect(({} as any).x).toBeUndefined();
  });

  it('reports syntax errors with line and column', () => {
    expect(syntaxError('{\n  "a": 1\n  "b": 2\n}').message).toBe(
      `3:3: invalid JSON: expected ',' or '}' after a property value, found "\\""`,
    );
    expect(syntaxError('[1, 2,]').position).toEqual({ line: 1, column: 7 });
    expect(syntaxError("{'a': 1}").reason).toBe(
      `expected a property name in double quotes, found "'"`,
    );
    expect(syntaxError('{"a": "b\nc"}').reason).toMatch(/control character/);
    expect(syntaxError('{"a": 01}').reason).toMatch(/after a property value/);
    expect(syntaxError('').reason).toBe('unexpected end of input');
    expect(syntaxError('{} x').reason).toBe(
      'unexpected "x" after the JSON value',
    );
    expect(syntaxError('"\\x"').reason).toBe('invalid escape \\x in string');
    expect(syntaxError('NaN').reason).toBe('unexpected "N"');
    expect(syntaxError('-').reason).toBe('unexpected "-"');
  });

  it('accepts a byte order mark', () => {
    expect(parseJson('\ufeff{"a": 1}').value).toEqual({ a: 1 });
  });
});

describe('paths', () => {
  it('formats and splits them', () => {
    expect(formatJsonPath(['metrics', 1, 'effectSize'])).toBe(
      'metrics[1].effectSize',
    );
    expect(formatJsonPath(['odd key', 0])).toBe('["odd key"][0]');
    expect(splitPath('metrics[1].effectSize.allowedIncrease')).toEqual([
      'metrics',
      1,
      'effectSize',
      'allowedIncrease',
    ]);
  });
});
