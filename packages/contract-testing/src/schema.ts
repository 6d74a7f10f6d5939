import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats, { FormatName } from 'ajv-formats';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { contractPath } from './contractsDir';

/** Reads a JSON or YAML document (absolute, or relative to the contracts dir). */
export function loadSpec<T = any>(file: string): T {
  const absolute = contractPath(file);
  const text = fs.readFileSync(absolute, 'utf8');
  return (absolute.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as T;
}

export interface AjvOptions {
  /** JSON Schema 2020-12 (OpenAPI 3.1) instead of draft-07. */
  draft2020?: boolean;
  /** The ajv-formats to add; all by default. */
  standardFormats?: FormatName[];
  /** Formats to add or override; `true` accepts anything. */
  formats?: Record<string, true | RegExp>;
}

// OpenAPI's numeric and binary formats; accepted as-is unless ajv-formats
// (or the caller) knows them.
const OPENAPI_FORMATS = [
  'int32',
  'int64',
  'uint32',
  'uint64',
  'byte',
  'double',
  'float',
];

/**
 * An ajv instance for API specs: `strict: false` because the documents carry
 * keywords ajv does not know (example, title, x-*), and all errors reported.
 */
export function createAjv(options: AjvOptions = {}): Ajv {
  const ajv = options.draft2020
    ? new Ajv2020({ strict: false, allErrors: true })
    : new Ajv({ strict: false, allErrors: true });
  if (options.standardFormats) {
    addFormats(ajv, options.standardFormats);
  } else {
    addFormats(ajv);
  }
  for (const format of OPENAPI_FORMATS) {
    if (!ajv.formats[format]) {
      ajv.addFormat(format, true);
    }
  }
  for (const [name, format] of Object.entries(options.formats ?? {})) {
    ajv.addFormat(name, format);
  }
  return ajv;
}

/** ajv errors as `[<what>: ]<path> <message> <params>` lines. */
export function formatErrors(
  errors: ErrorObject[] | null | undefined,
  what?: string,
): string[] {
  return (errors ?? []).map(
    e =>
      `${what ? `${what}: ` : ''}${e.instancePath || '/'} ${
        e.message
      } ${JSON.stringify(e.params)}`,
  );
}

/** A validator for one standalone JSON schema (e.g. a CRD's openAPIV3Schema). */
export function schemaValidator(
  schema: object,
  options: AjvOptions & { what?: string } = {},
): (value: unknown) => string[] {
  const validate: ValidateFunction = createAjv(options).compile(schema);
  return value =>
    validate(value) ? [] : formatErrors(validate.errors, options.what);
}
