import Ajv, { ValidateFunction } from 'ajv';
import { contractPath } from './contractsDir';
import { AjvOptions, createAjv, formatErrors, loadSpec } from './schema';

export type Schema = Record<string, any>;

/** A Swagger 2.0 or OpenAPI 3.x parameter. */
export interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie' | 'body' | 'formData';
  required?: boolean;
  /** Swagger 2.0 non-body parameters describe their value inline. */
  type?: string;
  format?: string;
  items?: { type?: string; minimum?: number; maximum?: number };
  minimum?: number;
  maximum?: number;
  /** Swagger 2.0 body parameters and OpenAPI 3 parameters. */
  schema?: Schema;
}

export interface MediaType {
  schema?: Schema;
  examples?: Record<string, { value: unknown }>;
}

export interface Response {
  $ref?: string;
  /** Swagger 2.0 */
  schema?: Schema;
  /** OpenAPI 3 */
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  /** Swagger 2.0 */
  consumes?: string[];
  /** OpenAPI 3 */
  requestBody?: { $ref?: string; content?: Record<string, MediaType> };
  security?: Array<Record<string, string[]>>;
  responses: Record<string, Response>;
}

interface SecurityScheme {
  type?: string;
  in?: string;
  name?: string;
}

export interface ApiDocument {
  swagger?: string;
  openapi?: string;
  basePath?: string;
  servers?: Array<{ url: string }>;
  consumes?: string[];
  security?: Array<Record<string, string[]>>;
  securityDefinitions?: Record<string, SecurityScheme>;
  paths: Record<string, Record<string, any>>;
  parameters?: Record<string, Parameter>;
  definitions?: Record<string, Schema>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, SecurityScheme>;
    [key: string]: unknown;
  };
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

/** An answer to check: for a request path, or directly for a path template. */
export type ContractResponse = {
  method: string;
  status: number;
  body: unknown;
} & ({ path: string } | { template: string });

/** The operation serving a request. */
export interface MatchedOperation {
  /** Upper case. */
  method: string;
  /** The path template as the document has it (without base path). */
  template: string;
  operation: Operation;
  /** The path item's and the operation's parameters, `$ref`s resolved. */
  parameters: Parameter[];
  pathParams: Record<string, string>;
  /** How problems name the operation, e.g. `GET /api/v1/query`. */
  where: string;
}

/** Changes a freshly loaded document, e.g. to patch a documented quirk. */
export type SpecPatch = (doc: ApiDocument) => void;

export interface OpenApiContractOptions extends Omit<AjvOptions, 'draft2020'> {
  /** Prefixes problem locations, e.g. the upstream version. */
  name?: string;
  /** Where a gateway serves the document, before its base path. */
  mount?: string;
  /** Formats problem locations; default `[name ]METHOD <mount+basePath><template>`. */
  where?: (method: string, template: string) => string;
  /** Applied in order to the document before anything is compiled. */
  patches?: SpecPatch[];
  /**
   * Replaces the default Content-Type check (the media type, without
   * parameters, must be one the operation consumes; only for operations
   * with a body).
   */
  checkContentType?: (req: ContractRequest, op: MatchedOperation) => string[];
}

const METHODS = new Set([
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
]);

// A number written as query text.
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The JSON media type of a content map: application/json, else any +json. */
function jsonMedia(
  content: Record<string, MediaType> | undefined,
): MediaType | undefined {
  if (!content) {
    return undefined;
  }
  const type =
    'application/json' in content
      ? 'application/json'
      : Object.keys(content).find(t => /[/+]json$/i.test(t));
  return type ? content[type] : undefined;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
}

/**
 * Checks requests and answers against one Swagger 2.0 or OpenAPI 3.x
 * document: routes, path, query and security parameters, Content-Type,
 * request bodies and response bodies per status.
 */
export class OpenApiContract {
  /** The mount and base path every template is served under. */
  readonly prefix: string;
  private readonly swagger2: boolean;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Route[];

  /** Loads a JSON or YAML document, absolute or relative to the contracts dir. */
  static load(file: string, options: OpenApiContractOptions = {}) {
    return new OpenApiContract(loadSpec(file), options, contractPath(file));
  }

  /** Patches, when given, change `doc` in place. */
  constructor(
    readonly doc: ApiDocument,
    private readonly options: OpenApiContractOptions = {},
    readonly source = 'document',
  ) {
    this.swagger2 = doc.swagger === '2.0';
    if (!this.swagger2 && !/^3\./.test(String(doc.openapi))) {
      throw new Error(`${source} is neither Swagger 2.0 nor OpenAPI 3.x`);
    }
    for (const patch of options.patches ?? []) {
      patch(doc);
    }
    this.ajv = createAjv({
      ...options,
      draft2020: /^3\.1\./.test(String(doc.openapi)),
    });
    const server = doc.servers?.[0]?.url ?? '';
    const basePath = this.swagger2
      ? doc.basePath ?? ''
      : server.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
    this.prefix = `${options.mount ?? ''}${basePath}`.replace(/\/+$/, '');
    this.routes = Object.keys(doc.paths)
      .map(template => {
        const names: string[] = [];
        const pattern = `${this.prefix}${template}`
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
        return { template, regex: new RegExp(`^${pattern}$`), names };
      })
      // Literal segments win over parameters (…/manifestsWithFiles vs …/{name}).
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** The operation serving a request path, if the document has the route. */
  operation(method: string, requestPath: string): MatchedOperation | undefined {
    for (const { template, regex, names } of this.routes) {
      const m = regex.exec(requestPath);
      if (m && this.rawOperation(method, template)) {
        const pathParams: Record<string, string> = {};
        names.forEach((n, i) => {
          pathParams[n] = decodeURIComponent(m[i + 1]);
        });
        return this.operationAt(method, template, pathParams);
      }
    }
    return undefined;
  }

  /** The operation at a path template as the document writes it. */
  operationAt(
    method: string,
    template: string,
    pathParams: Record<string, string> = {},
  ): MatchedOperation | undefined {
    const operation = this.rawOperation(method, template);
    if (!operation) {
      return undefined;
    }
    // The operation's parameters override the path item's (by name and location).
    const own = (operation.parameters ?? []).map(p => this.deref(p));
    const shared = ((this.doc.paths[template].parameters ?? []) as Parameter[])
      .map(p => this.deref(p))
      .filter(p => !own.some(o => o.name === p.name && o.in === p.in));
    const upper = method.toUpperCase();
    return {
      method: upper,
      template,
      operation,
      parameters: [...shared, ...own],
      pathParams,
      where: this.options.where
        ? this.options.where(upper, template)
        : `${this.options.name ? `${this.options.name} ` : ''}${upper} ${
            this.prefix
          }${template}`,
    };
  }

  /** Problems with a request (route, parameters, security, body); empty when it conforms. */
  validateRequest(req: ContractRequest): string[] {
    const matched = this.operation(req.method, req.path);
    if (!matched) {
      return [this.noOperation(req.method, req.path)];
    }
    const { where, parameters, pathParams, operation } = matched;
    const problems: string[] = [];

    for (const p of parameters) {
      if (p.in === 'path' && !pathParams[p.name]) {
        problems.push(`${where}: empty path parameter ${p.name}`);
      }
      if (p.in === 'query' && p.required && !(p.name in req.query)) {
        problems.push(`${where}: required query parameter '${p.name}' missing`);
      }
    }
    for (const [key, values] of Object.entries(req.query)) {
      const p = parameters.find(x => x.in === 'query' && x.name === key);
      if (!p) {
        problems.push(`${where}: undeclared query parameter '${key}'`);
        continue;
      }
      const type = this.swagger2 ? p.type : p.schema?.type;
      if (type !== 'array' && values.length > 1) {
        problems.push(`${where}: query parameter '${key}' repeated`);
      }
      for (const v of values) {
        problems.push(...this.queryValueProblems(p, v, `${where} ?${key}`));
      }
    }

    // Security: the operation's own, else the document's; API keys in headers.
    const schemes =
      this.doc.securityDefinitions ?? this.doc.components?.securitySchemes;
    for (const requirement of operation.security ?? this.doc.security ?? []) {
      for (const name of Object.keys(requirement)) {
        const scheme = schemes?.[name];
        if (scheme?.in === 'header' && scheme.name) {
          const value = req.headers[scheme.name.toLowerCase()];
          if (typeof value !== 'string' || value === '') {
            problems.push(`${where}: security header ${scheme.name} missing`);
          }
        }
      }
    }

    const body = this.requestBody(matched);
    if (this.options.checkContentType) {
      problems.push(...this.options.checkContentType(req, matched));
    } else if (body) {
      const contentType = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      const accepted = body.contentTypes.map(c => c.toLowerCase());
      if (accepted.length > 0 && !accepted.includes(contentType)) {
        problems.push(
          `${where}: Content-Type '${contentType}' is not one of ${accepted.join(
            ', ',
          )}`,
        );
      }
    }
    if (body?.schema) {
      let value: unknown;
      try {
        value = JSON.parse(req.body);
      } catch {
        problems.push(`${where}: body is not JSON: ${req.body.slice(0, 100)}`);
      }
      if (value !== undefined) {
        problems.push(
          ...this.validateSchema(body.schema, value, `${where} body`),
        );
      }
    } else if (!body && req.body) {
      problems.push(`${where}: takes no body but got one`);
    }
    return problems;
  }

  /**
   * Problems with an answer body: validated against the schema for its
   * status, else the `default` answer's; empty when it conforms.
   */
  validateResponse(res: ContractResponse): string[] {
    const matched =
      'template' in res
        ? this.operationAt(res.method, res.template)
        : this.operation(res.method, res.path);
    if (!matched) {
      return [
        this.noOperation(
          res.method,
          'template' in res ? res.template : res.path,
        ),
      ];
    }
    const { responses } = matched.operation;
    const found = responses[String(res.status)] ?? responses.default;
    const response = found ? this.deref(found) : undefined;
    const schema = this.swagger2
      ? response?.schema
      : jsonMedia(response?.content)?.schema;
    if (!schema) {
      return [`${matched.where}: no schema for a ${res.status} answer`];
    }
    return this.validateSchema(
      schema,
      res.body,
      `${matched.where} ${res.status} answer`,
    );
  }

  /**
   * Validates against a schema, or a named one (`#/definitions/<name>` in
   * Swagger 2.0, `#/components/schemas/<name>` in OpenAPI 3); the
   * document's `$ref`s resolve.
   */
  validateSchema(
    schema: Schema | string,
    value: unknown,
    what = typeof schema === 'string' ? schema : 'value',
  ): string[] {
    const root =
      typeof schema === 'string'
        ? {
            $ref: this.swagger2
              ? `#/definitions/${schema}`
              : `#/components/schemas/${schema}`,
          }
        : schema;
    const key = JSON.stringify(root);
    let validate = this.validators.get(key);
    if (!validate) {
      // Carry the document's schemas so that its '#/…' refs resolve.
      validate = this.ajv.compile(
        this.swagger2
          ? { ...root, definitions: this.doc.definitions ?? {} }
          : { ...root, components: this.doc.components ?? {} },
      );
      this.validators.set(key, validate);
    }
    return validate(value) ? [] : formatErrors(validate.errors, what);
  }

  /** Resolves a local `$ref` (`#/…`), following chains. */
  deref<T extends object>(value: T | { $ref?: string }): T {
    let current: any = value;
    for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
      const ref: string = current.$ref;
      if (!ref.startsWith('#/') || hops > 20) {
        throw new Error(`unresolvable ${ref} in ${this.source}`);
      }
      current = ref
        .slice(2)
        .split('/')
        .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((node: any, key) => node?.[key], this.doc);
      if (current === undefined) {
        throw new Error(`unresolved ${ref} in ${this.source}`);
      }
    }
    return current as T;
  }

  private rawOperation(
    method: string,
    template: string,
  ): Operation | undefined {
    const lower = method.toLowerCase();
    return METHODS.has(lower) ? this.doc.paths[template]?.[lower] : undefined;
  }

  private noOperation(method: string, requestPath: string): string {
    const name = this.options.name ? `${this.options.name}: ` : '';
    return `${name}no operation for ${method} ${requestPath}`;
  }

  /** What the operation takes as a body, if anything. */
  private requestBody(
    matched: MatchedOperation,
  ): { contentTypes: string[]; schema?: Schema } | undefined {
    if (this.swagger2) {
      const param = matched.parameters.find(p => p.in === 'body');
      if (!param) {
        return undefined;
      }
      return {
        contentTypes: matched.operation.consumes ?? this.doc.consumes ?? [],
        // A body parameter without a schema still has to be JSON.
        schema: param.schema ?? {},
      };
    }
    const { requestBody } = matched.operation;
    if (!requestBody) {
      return undefined;
    }
    const { content = {} } = this.deref(requestBody);
    // Only JSON bodies are checked against a schema (not forms).
    return {
      contentTypes: Object.keys(content),
      schema: jsonMedia(content)?.schema,
    };
  }

  private queryValueProblems(p: Parameter, v: string, what: string): string[] {
    if (this.swagger2) {
      // Swagger 2.0: the parameter itself is a simple type (or array of one).
      const simple = p.type === 'array' ? p.items ?? {} : p;
      if (simple.type === 'integer') {
        if (!/^-?\d+$/.test(v)) {
          return [`${what}: '${v}' is not an integer`];
        }
        if (
          (simple.minimum !== undefined && Number(v) < simple.minimum) ||
          (simple.maximum !== undefined && Number(v) > simple.maximum)
        ) {
          return [`${what}: '${v}' is out of range`];
        }
      }
      if (simple.type === 'boolean' && v !== 'true' && v !== 'false') {
        return [`${what}: '${v}' is not a boolean`];
      }
      return [];
    }
    // OpenAPI 3: validate against the schema (its items for an array). A
    // query string is text; a schema that allows a number is satisfied by
    // numeric text.
    const schema =
      p.schema?.type === 'array' ? p.schema.items ?? {} : p.schema ?? {};
    const candidates: unknown[] = [v];
    if (NUMERIC.test(v)) candidates.push(Number(v));
    const errors = candidates.map(c => this.validateSchema(schema, c, what));
    return errors.every(e => e.length > 0) ? errors[0] : [];
  }
}
