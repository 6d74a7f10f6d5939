import { LineCounter, parseDocument, type Document } from 'yaml';
import { SliTemplateError, SliValidationError } from './errors';
import { compileSliTemplate } from './template';
import type { SliDocument } from './types';

type Path = Array<string | number>;

function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Locator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  position(path: Path): { line: number; col: number } | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node =
        n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)
        ?.range;
      if (range) {
        const p = this.lines.linePos(range[0]);
        return p.line > 0 ? p : undefined;
      }
    }
    return undefined;
  }

  fail(path: Path, reason: string): never {
    const pos = this.position(path);
    throw new SliValidationError({
      path: formatPath(path),
      reason,
      line: pos?.line,
      column: pos?.col,
    });
  }
}

/**
 * Parses and validates an `sli.yaml` in Keptn prometheus-service style:
 *
 * ```yaml
 * spec_version: "1.0"
 * indicators:
 *   error_rate: sum(rate(http_requests_total{job="$SERVICE",code=~"5.."}[$DURATION_SECONDS]))
 * ```
 *
 * Every template is checked with {@link compileSliTemplate} (placeholders
 * known and in safe positions, literals closed), so a bad template is reported
 * with its line before any query runs.
 *
 * @throws SliValidationError - with path, line and reason
 * @public
 */
export function parseSli(text: string): SliDocument {
  if (typeof text !== 'string') {
    throw new SliValidationError({
      path: '',
      reason: 'the SLI document must be text',
    });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    // Keptn reads sli.yaml with go-yaml v2 (YAML 1.1).
    version: '1.1',
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const p = lines.linePos(err.pos[0]);
    throw new SliValidationError({
      path: '',
      reason: `invalid YAML: ${err.message.split('\n')[0]}`,
      line: p.line > 0 ? p.line : undefined,
      column: p.line > 0 ? p.col : undefined,
    });
  }
  const loc = new Locator(doc, lines);
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return loc.fail([], `invalid YAML: ${(e as Error).message}`);
  }
  if (root === null || root === undefined) {
    return loc.fail([], 'the SLI document is empty');
  }
  if (!isMap(root)) {
    return loc.fail(
      [],
      `the SLI document must be a mapping, got ${describe(root)}`,
    );
  }

  let specVersion: string | undefined;
  if (root.spec_version !== undefined && root.spec_version !== null) {
    if (
      typeof root.spec_version !== 'string' &&
      typeof root.spec_version !== 'number'
    ) {
      loc.fail(
        ['spec_version'],
        `must be a string such as "1.0", got ${describe(root.spec_version)}`,
      );
    }
    specVersion = String(root.spec_version);
  }

  const raw = root.indicators;
  if (raw === undefined || raw === null) {
    return loc.fail(
      ['indicators'],
      'is required: map each SLI name to a PromQL query',
    );
  }
  if (!isMap(raw)) {
    return loc.fail(
      ['indicators'],
      `must be a mapping of SLI names to PromQL queries, got ${describe(raw)}`,
    );
  }
  const names = Object.keys(raw);
  if (names.length === 0) {
    return loc.fail(['indicators'], 'must define at least one SLI');
  }
  const indicators: Record<string, string> = {};
  for (const name of names) {
    if (name.trim() === '') {
      loc.fail(['indicators', name], 'SLI names must not be empty');
    }
    const query = raw[name];
    if (typeof query !== 'string' || query.trim() === '') {
      loc.fail(
        ['indicators', name],
        `must be a PromQL query (a non-empty string), got ${describe(query)}`,
      );
    }
    try {
      compileSliTemplate(query as string);
    } catch (e) {
      if (e instanceof SliTemplateError) {
        loc.fail(['indicators', name], e.message);
      }
      throw e;
    }
    indicators[name] = query as string;
  }
  return {
    ...(specVersion !== undefined ? { specVersion } : {}),
    indicators,
  };
}
