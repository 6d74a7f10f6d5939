import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
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

export const ARGOCD_SWAGGER_FILES = {
  'v3.5.1': path.join(CONTRACTS_DIR, 'argocd', 'swagger-v3.5.1.json'),
  'v2.14.0': path.join(CONTRACTS_DIR, 'argocd', 'swagger-v2.14.0.json'),
};

interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  type?: string;
  format?: string;
  required?: boolean;
  items?: { type?: string };
  schema?: object;
}

interface SwaggerOperation {
  operationId: string;
  parameters?: SwaggerParameter[];
  responses: Record<string, { schema?: object }>;
}

interface SwaggerDoc {
  consumes?: string[];
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, object>;
}

export interface MatchedOperation {
  template: string;
  method: string;
  operation: SwaggerOperation;
  pathParams: Record<string, string>;
}

/**
 * Checks recorded requests and response bodies against one Argo CD swagger
 * (2.0) document.
 */
export class SwaggerContract {
  readonly doc: SwaggerDoc;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: Array<{
    template: string;
    regex: RegExp;
    names: string[];
  }>;

  constructor(readonly version: string, file: string) {
    this.doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    // strict: false because the swagger carries keywords ajv does not know (title, x-*).
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const format of [
      'int32',
      'int64',
      'uint32',
      'uint64',
      'byte',
      'double',
      'float',
    ]) {
      if (!this.ajv.formats[format]) {
        this.ajv.addFormat(format, true);
      }
    }
    this.templates = Object.keys(this.doc.paths)
      .map(template => {
        const names: string[] = [];
        const source = template
          .split(/(\{[^}]+\})/)
          .map(part => {
            const param = /^\{([^}]+)\}$/.exec(part);
            if (param) {
              names.push(param[1]);
              return '([^/]+)';
            }
            return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('');
        return { template, regex: new RegExp(`^${source}$`), names };
      })
      // Literal segments win over parameters (…/manifestsWithFiles vs …/{name}).
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** The operation serving a request, if this version has the route. */
  match(method: string, requestPath: string): MatchedOperation | undefined {
    for (const { template, regex, names } of this.templates) {
      const operation = this.doc.paths[template][method.toLowerCase()];
      const m = regex.exec(requestPath);
      if (m && operation) {
        const pathParams: Record<string, string> = {};
        names.forEach((n, i) => {
          pathParams[n] = decodeURIComponent(m[i + 1]);
        });
        return {
          template,
          method: method.toUpperCase(),
          operation,
          pathParams,
        };
      }
    }
    return undefined;
  }

  /** Problems with a recorded request; empty when it conforms. */
  validateRequest(req: RecordedRequest): string[] {
    const matched = this.match(req.method, req.path);
    if (!matched) {
      return [`${this.version}: no operation for ${req.method} ${req.path}`];
    }
    const where = `${this.version} ${matched.method} ${matched.template}`;
    const problems: string[] = [];
    const params = matched.operation.parameters ?? [];

    for (const p of params.filter(x => x.in === 'path')) {
      if (!matched.pathParams[p.name]) {
        problems.push(`${where}: empty path parameter ${p.name}`);
      }
    }

    for (const [key, values] of Object.entries(req.query)) {
      const p = params.find(x => x.in === 'query' && x.name === key);
      if (!p) {
        problems.push(`${where}: undeclared query parameter '${key}'`);
        continue;
      }
      if (p.type !== 'array' && values.length > 1) {
        problems.push(
          `${where}: query parameter '${key}' repeated but not an array`,
        );
      }
      const itemType = p.type === 'array' ? p.items?.type : p.type;
      for (const v of values) {
        if (itemType === 'integer' && !/^-?\d+$/.test(v)) {
          problems.push(
            `${where}: query parameter '${key}'='${v}' is not an integer`,
          );
        }
        if (itemType === 'boolean' && v !== 'true' && v !== 'false') {
          problems.push(
            `${where}: query parameter '${key}'='${v}' is not a boolean`,
          );
        }
      }
    }

    const bodyParam = params.find(x => x.in === 'body');
    if (matched.method !== 'GET') {
      // Argo CD answers 415 to anything but exactly application/json.
      if (req.headers['content-type'] !== 'application/json') {
        problems.push(
          `${where}: Content-Type is '${req.headers['content-type']}', not exactly application/json`,
        );
      }
    }
    if (bodyParam) {
      let body: unknown;
      try {
        body = JSON.parse(req.body);
      } catch {
        problems.push(`${where}: body is not JSON: ${req.body.slice(0, 100)}`);
      }
      if (body !== undefined) {
        problems.push(
          ...this.validateSchema(bodyParam.schema!, body, `${where} body`),
        );
      }
    } else if (req.body) {
      problems.push(`${where}: takes no body but got one`);
    }
    return problems;
  }

  /** Problems with a 200 answer body for the operation; empty when it conforms. */
  validateResponse(method: string, template: string, body: unknown): string[] {
    const operation = this.doc.paths[template]?.[method.toLowerCase()];
    const schema = operation?.responses['200']?.schema;
    if (!schema) {
      return [`${this.version}: no 200 schema for ${method} ${template}`];
    }
    return this.validateSchema(
      schema,
      body,
      `${this.version} ${method} ${template} response`,
    );
  }

  /** Validates against a schema or `#/definitions/<name>`. */
  validateSchema(
    schema: object | string,
    value: unknown,
    what: string,
  ): string[] {
    const root =
      typeof schema === 'string' ? { $ref: `#/definitions/${schema}` } : schema;
    const key = JSON.stringify(root);
    let validate = this.validators.get(key);
    if (!validate) {
      // Inline the definitions so that `#/definitions/...` refs resolve.
      validate = this.ajv.compile({
        ...root,
        definitions: this.doc.definitions,
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
