/**
 * Adds a label matcher to every vector selector of a rendered PromQL query,
 * e.g. to narrow an SLI query to one ReplicaSet's pods
 * (`pod_template_hash="…"`). Braces inside string literals are left alone;
 * in PromQL every other `{…}` is a selector's label matchers.
 */
export function withLabelMatcher(promql: string, matcher: string): string {
  let out = '';
  let quote: string | undefined;
  let open = -1; // index in `out` just after the current selector's `{`
  for (let i = 0; i < promql.length; i++) {
    const ch = promql[i];
    if (quote) {
      out += ch;
      if (ch === '\\' && quote !== '`' && i + 1 < promql.length) {
        out += promql[++i];
      } else if (ch === quote) {
        quote = undefined;
      }
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      out += ch;
    } else if (ch === '{') {
      out += ch;
      open = out.length;
    } else if (ch === '}' && open >= 0) {
      const inner = out.slice(open).trim();
      const sep = inner === '' || inner.endsWith(',') ? '' : ',';
      out += `${sep}${matcher}}`;
      open = -1;
    } else {
      out += ch;
    }
  }
  return out;
}
