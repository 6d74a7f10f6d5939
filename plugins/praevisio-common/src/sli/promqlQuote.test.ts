import {
  durationForWindow,
  escapePromqlString,
  isPromqlDuration,
  isPromqlLabelName,
  promqlRegexString,
  promqlString,
  regexQuote,
} from './promqlQuote';
import { lexPromql } from './__testUtils__/promqlLexer';

describe('promqlString', () => {
  it('is JSON.stringify and decodes back through a PromQL lexer', () => {
    for (const v of [
      'plain',
      '"}) or vector(1) #',
      'back\\slash',
      'line\nbreak\r\t',
      '\u0000\u001f\u007f',
      'Grüße 🚀 中文 \u2028',
      '',
    ]) {
      const literal = promqlString(v);
      expect(literal).toBe(JSON.stringify(v));
      const tokens = lexPromql(`up{job=${literal}}`);
      expect(tokens.map(t => t.type)).toEqual([
        'identifier',
        'operator',
        'identifier',
        'operator',
        'string',
        'operator',
      ]);
      expect(tokens[4].value).toBe(v);
    }
  });

  it('refuses unpaired surrogates, which Prometheus cannot decode', () => {
    expect(() => promqlString('a\ud800')).toThrow(/unpaired UTF-16 surrogate/);
    expect(() => promqlString('\udc00b')).toThrow(/unpaired UTF-16 surrogate/);
    expect(promqlString('😀')).toBe('"😀"');
  });
});

describe('escapePromqlString', () => {
  it("escapes for single quotes with \\' and a raw double quote", () => {
    const v = `it's "quoted" \\ \n`;
    const escaped = escapePromqlString(v, "'");
    expect(escaped).toBe(`it\\'s "quoted" \\\\ \\n`);
    expect(lexPromql(`'${escaped}'`)[0].value).toBe(v);
  });

  it('leaves raw strings alone but refuses backticks in them', () => {
    expect(escapePromqlString('a\\b"', '`')).toBe('a\\b"');
    expect(() => escapePromqlString('a`b', '`')).toThrow(/backtick/);
  });
});

describe('regexQuote', () => {
  it('escapes the RE2 metacharacters as regexp.QuoteMeta does', () => {
    expect(regexQuote('a.b*c+d?e(f)g|h[i]j{k}l^m$n\\o-p')).toBe(
      'a\\.b\\*c\\+d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o-p',
    );
    expect(promqlRegexString('a.b')).toBe('"a\\\\.b"');
  });
});

describe('validators', () => {
  it('checks label names and durations', () => {
    expect(isPromqlLabelName('job')).toBe(true);
    expect(isPromqlLabelName('_x9')).toBe(true);
    for (const bad of ['9x', 'a-b', '', 'a.b', 'é']) {
      expect(isPromqlLabelName(bad)).toBe(false);
    }
    expect(isPromqlDuration('300s')).toBe(true);
    expect(isPromqlDuration('5m')).toBe(true);
    for (const bad of ['300', 's', '1h30m', '1.5s', ' 5m', '5m\n']) {
      expect(isPromqlDuration(bad)).toBe(false);
    }
  });

  it("computes Keptn's $DURATION_SECONDS, rounding up", () => {
    expect(
      durationForWindow('2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'),
    ).toBe('300s');
    expect(durationForWindow(new Date(0), new Date(300_500))).toBe('301s');
    expect(() => durationForWindow(1000, 1000)).toThrow(/must end after/);
    expect(() => durationForWindow('nope', 1000)).toThrow(/invalid start/);
  });
});
