/**
 * A problem in an SLO document: where it is and why it is rejected.
 *
 * `path` uses the document's own keys, e.g. `objectives[2].pass[0].criteria[1]`
 * (empty for the document as a whole); `line` and `column` are 1-based and
 * present when the position is known.
 *
 * @public
 */
export class SloValidationError extends Error {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly reason: string;

  constructor(options: {
    path: string;
    reason: string;
    line?: number;
    column?: number;
  }) {
    const where = [
      options.path || '(document)',
      options.line !== undefined ? `line ${options.line}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    super(`Invalid SLO at ${where}: ${options.reason}`);
    this.name = 'SloValidationError';
    this.path = options.path;
    this.reason = options.reason;
    this.line = options.line;
    this.column = options.column;
  }
}

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
