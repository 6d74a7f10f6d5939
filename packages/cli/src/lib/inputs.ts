import { CliIo } from './io';
import {
  formatJsonPath,
  JsonDocument,
  JsonPath,
  JsonSyntaxError,
  parseJson,
} from './json';

/**
 * Bad input: a file, where in it (line, column, field path) and why. Printed
 * as `file:line[:column]: path: reason`, like a compiler.
 */
export class CliInputError extends Error {
  constructor(
    readonly file: string | undefined,
    readonly reason: string,
    readonly where: { line?: number; column?: number; path?: string } = {},
  ) {
    super(formatInputError(file, reason, where));
    this.name = 'CliInputError';
  }
}

function formatInputError(
  file: string | undefined,
  reason: string,
  where: { line?: number; column?: number; path?: string },
): string {
  const location = [
    file,
    where.line !== undefined ? String(where.line) : undefined,
    where.line !== undefined && where.column !== undefined
      ? String(where.column)
      : undefined,
  ]
    .filter((x): x is string => x !== undefined)
    .join(':');
  return [location || undefined, where.path || undefined, reason]
    .filter(Boolean)
    .join(': ');
}

export async function readInput(
  io: CliIo,
  file: string,
  what: string,
): Promise<string> {
  try {
    return await io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    let detail: string;
    if (code === 'ENOENT') detail = 'no such file';
    else if (code === 'EISDIR') detail = 'is a directory';
    else detail = (e as Error).message;
    throw new CliInputError(file, `cannot read the ${what}: ${detail}`);
  }
}

/** A JSON file, parsed, with a way to report a field's line. */
export class JsonInput {
  private constructor(
    readonly file: string,
    private readonly doc: JsonDocument,
  ) {}

  static async read(io: CliIo, file: string, what: string): Promise<JsonInput> {
    const text = await readInput(io, file, what);
    try {
      return new JsonInput(file, parseJson(text));
    } catch (e) {
      if (e instanceof JsonSyntaxError) {
        throw new CliInputError(file, `invalid JSON: ${e.reason}`, {
          line: e.position.line,
          column: e.position.column,
        });
      }
      throw e;
    }
  }

  get value(): unknown {
    return this.doc.value;
  }

  /** An error about the field at the path, with its line. */
  error(path: JsonPath, reason: string): CliInputError {
    const position = this.doc.locate(path);
    return new CliInputError(this.file, reason, {
      line: position?.line,
      path: path.length > 0 ? formatJsonPath(path) : undefined,
    });
  }
}

/** `"text"`, `a list`, `an object`, `number 5`: for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') {
    return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  }
  return `${typeof v} ${String(v)}`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
