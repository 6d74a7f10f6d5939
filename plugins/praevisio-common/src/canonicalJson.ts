/**
 * JSON Canonicalization Scheme (RFC 8785). Used for the audit hash chain, so the
 * same event always hashes the same, whichever process or language wrote it.
 *
 * - object members sorted by their names' UTF-16 code units;
 * - numbers in ECMAScript shortest round-trip form (what JSON.stringify emits);
 *   NaN and Infinity are not JSON and are rejected;
 * - strings escaped as JSON.stringify does (RFC 8785 §3.2.2.2 uses exactly that);
 * - members whose value is `undefined` are left out, as JSON.stringify does.
 *
 * @public
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`canonicalJson: ${value} is not valid JSON`);
      }
      // -0 serializes as 0 in both JSON.stringify and RFC 8785.
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map(v => (v === undefined ? 'null' : canonicalJson(v)))
          .join(',')}]`;
      }
      const obj = value as Record<string, unknown>;
      if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalJson((obj as { toJSON(): unknown }).toJSON());
      }
      const members = Object.keys(obj)
        .filter(k => obj[k] !== undefined)
        // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
        .sort()
        .map(k => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialize a ${typeof value}`);
  }
}
