import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

// Kept identical in packages/sandbox and plugins/praevisio-node (keptn/__testUtils__):
// the two packages do not depend on each other.

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

export const KEPTN_SWAGGER_FILES = {
  /** shipyard-controller, served by the API gateway at /api/controlPlane (basePath /v1). */
  controlPlane: path.join(
    CONTRACTS_DIR,
    'keptn',
    'keptn-v1.4.5-shipyard-controller_docs_swagger.json',
  ),
  /** mongodb-datastore, served at /api/mongodb-datastore (basePath /). */
  datastore: path.join(
    CONTRACTS_DIR,
    'keptn',
    'keptn-v1.4.5-mongodb-datastore_swagger.yaml',
  ),
  /** api-service, served at /api (basePath /v1); has the CloudEvent schema with its required fields. */
  api: path.join(CONTRACTS_DIR, 'keptn', 'keptn-v1.4.5-api_swagger.yaml'),
};

export const keptnContractsPresent = Object.values(KEPTN_SWAGGER_FILES).every(
  f => fs.existsSync(f),
);

export type KeptnApi = keyof typeof KEPTN_SWAGGER_FILES;

const MOUNTS: Record<KeptnApi, string> = {
  controlPlane: '/api/controlPlane',
  datastore: '/api/mongodb-datastore',
  api: '/api',
};

interface SwaggerParameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'body' | 'header' | 'formData';
  type?: string;
  required?: boolean;
  minimum?: number;
  maximum?: number;
  schema?: object;
}

interface SwaggerOperation {
  parameters?: SwaggerParameter[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { schema?: object }>;
}

interface SwaggerDoc {
  swagger: string;
  basePath?: string;
  security?: Array<Record<string, string[]>>;
  securityDefinitions?: Record<
    string,
    { type: string; in: string; name: string }
  >;
  paths: Record<string, Record<string, SwaggerOperation | SwaggerParameter[]>>;
  parameters?: Record<string, SwaggerParameter>;
  definitions: Record<string, object>;
}

/** A request as a recording test server saw it. */
export interface ContractRequest {
  method: string;
  /** Path without query, still percent-encoded. */
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Route {
  api: KeptnApi;
  template: string;
  regex: RegExp;
  names: string[];
}

/**
 * Checks requests and answers against Keptn 1.4.5's Swagger 2.0 documents,
 * with each document mounted where Keptn's API gateway serves it.
 */
export class KeptnContract {
  readonly docs: Record<KeptnApi, SwaggerDoc>;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Route[] = [];

  constructor() {
    const load = (file: string): SwaggerDoc => {
      const text = fs.readFileSync(file, 'utf8');
      const doc = (
        file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
      ) as SwaggerDoc;
      if (doc.swagger !== '2.0') {
        throw new Error(`${file} is not Swagger 2.0`);
      }
      return doc;
    };
    this.docs = {
      controlPlane: load(KEPTN_SWAGGER_FILES.controlPlane),
      datastore: load(KEPTN_SWAGGER_FILES.datastore),
      api: load(KEPTN_SWAGGER_FILES.api),
    };
    // strict: false because the documents carry keywords ajv does not know (example, x-go-type).
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const format of ['int32', 'int64', 'double', 'float']) {
      if (!this.ajv.formats[format]) {
        this.ajv.addFormat(format, true);
      }
    }
    for (const api of Object.keys(this.docs) as KeptnApi[]) {
      const doc = this.docs[api];
      const base = `${MOUNTS[api]}${(doc.basePath ?? '/').replace(/\/$/, '')}`;
      for (const template of Object.keys(doc.paths)) {
        const names: string[] = [];
        const source = `${base}${template}`
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
        this.routes.push({
          api,
          template,
          regex: new RegExp(`^${source}$`),
          names,
        });
      }
    }
    // Literal segments win over parameters.
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  /** The swagger operation serving a request path. */
  match(
    method: string,
    requestPath: string,
  ):
    | {
        api: KeptnApi;
        template: string;
        operation: SwaggerOperation;
        parameters: SwaggerParameter[];
        pathParams: Record<string, string>;
      }
    | undefined {
    for (const route of this.routes) {
      const m = route.regex.exec(requestPath);
      const item = this.docs[route.api].paths[route.template];
      const operation = item[method.toLowerCase()] as
        | SwaggerOperation
        | undefined;
      if (!m || !operation || Array.isArray(operation)) {
        continue;
      }
      const pathParams: Record<string, string> = {};
      route.names.forEach((n, i) => {
        pathParams[n] = decodeURIComponent(m[i + 1]);
      });
      const shared = (item.parameters as SwaggerParameter[] | undefined) ?? [];
      const parameters = [...shared, ...(operation.parameters ?? [])].map(p =>
        this.resolveParameter(route.api, p),
      );
      return {
        api: route.api,
        template: route.template,
        operation,
        parameters,
        pathParams,
      };
    }
    return undefined;
  }

  /** Problems with a request (method, path, query, headers, body); empty when it conforms. */
  validateRequest(req: ContractRequest): string[] {
    const matched = this.match(req.method, req.path);
    if (!matched) {
      return [`no operation for ${req.method} ${req.path}`];
    }
    const where = `${req.method.toUpperCase()} ${matched.api}${
      matched.template
    }`;
    const problems: string[] = [];
    const doc = this.docs[matched.api];

    for (const p of matched.parameters) {
      if (p.in === 'path' && !matched.pathParams[p.name]) {
        problems.push(`${where}: empty path parameter ${p.name}`);
      }
      if (p.in === 'query' && p.required && !(p.name in req.query)) {
        problems.push(`${where}: required query parameter '${p.name}' missing`);
      }
    }
    for (const [key, values] of Object.entries(req.query)) {
      const p = matched.parameters.find(
        x => x.in === 'query' && x.name === key,
      );
      if (!p) {
        problems.push(`${where}: undeclared query parameter '${key}'`);
        continue;
      }
      if (p.type !== 'array' && values.length > 1) {
        problems.push(`${where}: query parameter '${key}' repeated`);
      }
      for (const v of values) {
        if (p.type === 'integer') {
          if (!/^-?\d+$/.test(v)) {
            problems.push(`${where}: query '${key}'='${v}' is not an integer`);
          } else if (
            (p.minimum !== undefined && Number(v) < p.minimum) ||
            (p.maximum !== undefined && Number(v) > p.maximum)
          ) {
            problems.push(`${where}: query '${key}'='${v}' is out of range`);
          }
        }
        if (p.type === 'boolean' && v !== 'true' && v !== 'false') {
          problems.push(`${where}: query '${key}'='${v}' is not a boolean`);
        }
      }
    }

    // Security: the operation's own, else the document's.
    const security = matched.operation.security ?? doc.security ?? [];
    for (const requirement of security) {
      for (const name of Object.keys(requirement)) {
        const scheme = doc.securityDefinitions?.[name];
        if (scheme?.in === 'header') {
          const value = req.headers[scheme.name.toLowerCase()];
          if (typeof value !== 'string' || value === '') {
            problems.push(`${where}: security header ${scheme.name} missing`);
          }
        }
      }
    }

    const bodyParam = matched.parameters.find(x => x.in === 'body');
    if (bodyParam) {
      const consumes = (
        (matched.operation as { consumes?: string[] }).consumes ??
        (doc as { consumes?: string[] }).consumes ??
        []
      ).map(c => c.toLowerCase());
      const contentType = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (consumes.length > 0 && !consumes.includes(contentType)) {
        problems.push(
          `${where}: Content-Type '${contentType}' is not one of ${consumes.join(
            ', ',
          )}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(req.body);
      } catch {
        problems.push(`${where}: body is not JSON: ${req.body.slice(0, 100)}`);
      }
      if (body !== undefined) {
        problems.push(
          ...this.validateSchema(
            matched.api,
            bodyParam.schema!,
            body,
            `${where} body`,
          ),
        );
      }
    } else if (req.body) {
      problems.push(`${where}: takes no body but got one`);
    }
    return problems;
  }

  /** Problems with an answer body for a request path and status; empty when it conforms. */
  validateResponse(
    method: string,
    requestPath: string,
    status: number,
    body: unknown,
  ): string[] {
    const matched = this.match(method, requestPath);
    if (!matched) {
      return [`no operation for ${method} ${requestPath}`];
    }
    const schema = matched.operation.responses[String(status)]?.schema;
    if (!schema) {
      return [
        `${method} ${matched.api}${matched.template}: no ${status} answer in the swagger`,
      ];
    }
    return this.validateSchema(
      matched.api,
      schema,
      body,
      `${method} ${matched.api}${matched.template} ${status}`,
    );
  }

  /** Validates against a schema, or the named entry of the document's `definitions`. */
  validateSchema(
    api: KeptnApi,
    schema: object | string,
    value: unknown,
    what = typeof schema === 'string' ? schema : 'value',
  ): string[] {
    const root =
      typeof schema === 'string' ? { $ref: `#/definitions/${schema}` } : schema;
    const key = `${api} ${JSON.stringify(root)}`;
    let validate = this.validators.get(key);
    if (!validate) {
      // Swagger 2.0: refs point into the document's `definitions`; inline them.
      validate = this.ajv.compile({
        ...root,
        definitions: this.docs[api].definitions,
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

  private resolveParameter(
    api: KeptnApi,
    p: SwaggerParameter,
  ): SwaggerParameter {
    if (!p.$ref) {
      return p;
    }
    const name = p.$ref.replace(/^#\/parameters\//, '');
    const resolved = this.docs[api].parameters?.[name];
    if (!resolved) {
      throw new Error(`unresolved parameter ${p.$ref} in ${api}`);
    }
    return resolved;
  }
}
