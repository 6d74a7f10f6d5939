import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RecordedRequest } from '../../http/__testUtils__/testServer';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      return path.resolve(__dirname, '../../../../..');
    }
    dir = parent;
  }
  return dir;
}

/** `../shared/contracts` beside the repository root, unless overridden. */
export const CONTRACTS_DIR =
  process.env.PRAEVISIO_CONTRACTS_DIR ??
  path.resolve(repoRoot(), '..', 'shared', 'contracts');

export const PROMETHEUS_OPENAPI_FILE = path.join(
  CONTRACTS_DIR,
  'prometheus',
  'prometheus-openapi-3.1-golden.yaml',
);

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: object;
}

interface MediaType {
  schema?: object;
  examples?: Record<string, { value: unknown }>;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

interface OpenApiDoc {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

// Prometheus' duration syntax (not ISO 8601, which ajv-formats calls "duration").
const PROMETHEUS_DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Checks recorded requests, and answer bodies, against Prometheus' OpenAPI 3.1
 * document (`web/api/v1/testdata`).
 */
export class PrometheusOpenApiContract {
  readonly doc: OpenApiDoc;
  readonly basePath: string;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file = PROMETHEUS_OPENAPI_FILE) {
    this.doc = parseYaml(fs.readFileSync(file, 'utf8'));
    this.basePath = (this.doc.servers?.[0]?.url ?? '').replace(/\/+$/, '');
    // strict: false because the document carries keywords ajv does not know (example, examples).
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv, ['date-time']);
    this.ajv.addFormat('duration', PROMETHEUS_DURATION);
    for (const format of ['unixtime', 'float', 'int64', 'double', 'int32']) {
      this.ajv.addFormat(format, true);
    }
  }

  operation(method: string, requestPath: string): Operation | undefined {
    if (!requestPath.startsWith(`${this.basePath}/`)) return undefined;
    const rest = requestPath.slice(this.basePath.length);
    return this.doc.paths[rest]?.[method.toLowerCase()];
  }

  /** An example answer from the document, e.g. ('/query', 'get', '200', 'vectorResult'). */
  example(
    apiPath: string,
    method: string,
    status: string,
    name: string,
  ): unknown {
    const media =
      this.doc.paths[apiPath]?.[method]?.responses[status]?.content?.[
        'application/json'
      ];
    const example = media?.examples?.[name];
    if (!example) {
      throw new Error(`no example ${name} for ${method} ${apiPath} ${status}`);
    }
    return example.value;
  }

  /** Problems with a recorded request; empty when it conforms. */
  validateRequest(req: RecordedRequest): string[] {
    const op = this.operation(req.method, req.path);
    const where = `${req.method} ${req.path}`;
    if (!op) {
      return [`no operation for ${where}`];
    }
    const problems: string[] = [];
    const params = (op.parameters ?? []).filter(p => p.in === 'query');
    for (const p of params) {
      if (p.required && !(p.name in req.query)) {
        problems.push(`${where}: required query parameter '${p.name}' missing`);
      }
    }
    for (const [key, values] of Object.entries(req.query)) {
      const p = params.find(x => x.name === key);
      if (!p) {
        problems.push(`${where}: undeclared query parameter '${key}'`);
        continue;
      }
      if (values.length > 1) {
        problems.push(`${where}: query parameter '${key}' repeated`);
      }
      for (const v of values) {
        // A query string is text; a parameter whose schema allows a number
        // is satisfied by numeric text.
        const candidates: unknown[] = [v];
        if (NUMERIC.test(v)) candidates.push(Number(v));
        const errors = candidates.map(c =>
          this.validateSchema(p.schema ?? {}, c, `${where} ?${key}`),
        );
        if (errors.every(e => e.length > 0)) {
          problems.push(...errors[0]);
        }
      }
    }
    if (req.method === 'GET' && req.body) {
      problems.push(`${where}: GET with a body`);
    }
    return problems;
  }

  /** Problems with an answer body for the status; empty when it conforms. */
  validateResponse(
    method: string,
    requestPath: string,
    status: number,
    body: unknown,
  ): string[] {
    const op = this.operation(method, requestPath);
    if (!op) {
      return [`no operation for ${method} ${requestPath}`];
    }
    const response = op.responses[String(status)] ?? op.responses.default;
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) {
      return [`no JSON schema for ${method} ${requestPath} ${status}`];
    }
    return this.validateSchema(
      schema,
      body,
      `${method} ${requestPath} ${status} answer`,
    );
  }

  private validateSchema(
    schema: object,
    value: unknown,
    what: string,
  ): string[] {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      // Carry the components so that '#/components/schemas/…' refs resolve.
      validate = this.ajv.compile({
        ...schema,
        components: this.doc.components,
      });
      this.validators.set(key, validate);
    }
    if (validate(value)) {
      return [];
    }
    return (validate.errors ?? []).map(
      e =>
        `${what}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(
          e.params,
        )}`,
    );
  }
}
