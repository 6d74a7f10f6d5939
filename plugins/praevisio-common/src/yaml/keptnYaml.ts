import { LineCounter, parseDocument, type Document } from 'yaml';

/**
 * Shared reading of Keptn-style YAML documents (`slo.yaml`, `sli.yaml`): YAML
 * 1.1 as Keptn's go-yaml v2 reads it, and errors that say where (path, line,
 * column) and why.
 */

/** Keys and indexes from the document root, e.g. `['objectives', 2, 'pass']`. */
export type YamlPath = Array<string | number>;

/** Formats a path of keys and indexes as `a.b[2].c`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else {
      out += out ? `.${part}` : part;
    }
  }
  return out;
}

/** Names a value's kind for error messages ("a list", `"abc"`, "number 4"). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where a problem is in a document, and why it is rejected. */
export interface DocumentProblem {
  path: string;
  reason: string;
  line?: number;
  column?: number;
}

/**
 * Base of the documents' validation errors: `path` uses the document's own
 * keys (empty for the document as a whole); `line` and `column` are 1-based
 * and present when the position is known.
 *
 * @public
 */
export class DocumentValidationError extends Error {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly reason: string;

  constructor(what: string, problem: DocumentProblem) {
    const where = [
      problem.path || '(document)',
      problem.line !== undefined ? `line ${problem.line}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    super(`Invalid ${what} at ${where}: ${problem.reason}`);
    this.path = problem.path;
    this.reason = problem.reason;
    this.line = problem.line;
    this.column = problem.column;
  }
}

/** Turns paths into positions in the source, and throws located errors. */
export class YamlLocator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly makeError: (problem: DocumentProblem) => Error,
  ) {}

  fail(path: YamlPath, reason: string): never {
    const pos = this.position(path);
    throw this.makeError({
      path: formatPath(path),
      reason,
      line: pos?.line,
      column: pos?.col,
    });
  }

  /** The position of the node at the path, or of its nearest existing ancestor. */
  position(path: YamlPath): { line: number; col: number } | undefined {
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
}

/**
 * Parses a Keptn-style YAML document down to its root mapping and optional
 * `spec_version`, rejecting what every such document must not be: not text,
 * invalid YAML, duplicate keys, empty, not a mapping.
 */
export function parseKeptnYaml(
  text: unknown,
  options: {
    /** "SLO", "SLI" — used in messages. */
    what: string;
    makeError: (problem: DocumentProblem) => Error;
  },
): {
  root: Record<string, unknown>;
  specVersion?: string;
  loc: YamlLocator;
} {
  const { what, makeError } = options;
  if (typeof text !== 'string') {
    throw makeError({ path: '', reason: `the ${what} document must be text` });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    // Keptn reads these files with go-yaml v2 (YAML 1.1): `yes`/`no` are booleans.
    version: '1.1',
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const p = lines.linePos(err.pos[0]);
    throw makeError({
      path: '',
      reason: `invalid YAML: ${err.message.split('\n')[0]}`,
      line: p.line > 0 ? p.line : undefined,
      column: p.line > 0 ? p.col : undefined,
    });
  }
  const loc = new YamlLocator(doc, lines, makeError);
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return loc.fail([], `invalid YAML: ${(e as Error).message}`);
  }
  if (root === null || root === undefined) {
    return loc.fail([], `the ${what} document is empty`);
  }
  if (!isMap(root)) {
    return loc.fail(
      [],
      `the ${what} document must be a mapping, got ${describeValue(root)}`,
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
        `must be a string such as "1.0", got ${describeValue(
          root.spec_version,
        )}`,
      );
    }
    specVersion = String(root.spec_version);
  }
  return { root, specVersion, loc };
}
