import { canonicalJson } from './canonicalJson';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, recursively', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
    ).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    // RFC 8785 §3.2.3 example: code-unit order puts "\u20ac" before "\ud83d\ude00".
    const sorted = canonicalJson({
      '\u{1F600}': 1,
      '\u20ac': 2,
      '\r': 3,
      '1': 4,
    });
    expect(sorted).toBe('{"\\r":3,"1":4,"€":2,"😀":1}');
  });

  it('writes numbers in ECMAScript shortest form (RFC 8785 appendix B samples)', () => {
    expect(canonicalJson([1e21, 1e-7, 333333333.3333333, -0, 4.5, 0.002])).toBe(
      '[1e+21,1e-7,333333333.3333333,0,4.5,0.002]',
    );
  });

  it('rejects values that are not JSON', () => {
    expect(() => canonicalJson({ x: NaN })).toThrow(/not valid JSON/);
    expect(() => canonicalJson({ x: Infinity })).toThrow(/not valid JSON/);
    expect(() => canonicalJson(() => 1)).toThrow(/cannot serialize/);
  });

  it('drops undefined members and escapes strings like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 'line\n"q"\u0001' })).toBe(
      '{"b":"line\\n\\"q\\"\\u0001"}',
    );
  });
});
