import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Exchange } from './client';

/**
 * Upstream API specs live beside the repository (`../shared/contracts`), not
 * in it; PRAEVISIO_CONTRACTS_DIR overrides the location.
 */
export const CONTRACTS_DIR =
  process.env.PRAEVISIO_CONTRACTS_DIR ??
  path.resolve(__dirname, '../../../../../../shared/contracts');

export const SWAGGER_FILES = {
  'v3.5.1': 'argocd/swagger-v3.5.1.json',
  'v2.14.0': 'argocd/swagger-v2.14.0.json',
} as const;

export type SwaggerVersion = keyof typeof SWAGGER_FILES;

export const ROLLOUT_CRD_FILE = 'argo-rollouts/argo-rollouts-rollout-crd.yaml';

/** True when the contract files exist; suites `describe.skip` otherwise. */
export function contractsAvailable(): boolean {
  return [...Object.values(SWAGGER_FILES), ROLLOUT_CRD_FILE].every(file =>
    fs.existsSync(path.join(CONTRACTS_DIR, file)),
  );
}

export const CONTRACTS_MISSING_MESSAGE = `Argo CD contract files not found under ${CONTRACTS_DIR} (set PRAEVISIO_CONTRACTS_DIR); skipping contract validation`;

type Schema = Record<string, any>;

/**
 * Closes every object schema (additionalProperties: false) so that a field
 * the swagger does not know — a typo, or a field only a newer Argo CD has —
 * fails validation instead of passing silently.
 */
function closeObjects(schema: any): void {
  if (Array.isArray(schema)) {
    schema.forEach(closeObjects);
    return;
  }
  if (typeof schema !== 'object' || schema === null) {
    return;
  }
  if (
    schema.type === 'object' &&
    schema.additionalProperties === undefined &&
    !schema.allOf
  ) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) {
    closeObjects(value);
  }
}

/**
 * Known differences between the swagger (generated from protobuf through
 * grpc-gateway) and what argocd-server really sends; see the contracts README.
 */
function patchKnownQuirks(definitions: Record<string, Schema>): void {
  // ResourceNode embeds ResourceRef: the real JSON carries group, version,
  // kind, namespace, name and uid inline. The swagger's allOf cannot be
  // combined with a closed schema, so inline the fields instead.
  const node = definitions.v1alpha1ResourceNode;
  const ref = definitions.v1alpha1ResourceRef;
  node.properties = { ...ref.properties, ...node.properties };
  delete node.allOf;

  // The hook sync strategy is really flat — {"hook": {"force": true}} —
  // not nested under syncStrategyApply as the swagger describes.
  const hook = definitions.v1alpha1SyncStrategyHook;
  hook.properties = { ...hook.properties, force: { type: 'boolean' } };
}

export interface Operation {
  template: string;
  responses: Record<string, { schema?: Schema }>;
}

export class SwaggerContract {
  private readonly ajv: Ajv;
  private readonly paths: Record<
    string,
    Record<string, Operation['responses'] | any>
  >;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly version: SwaggerVersion) {
    const swagger = JSON.parse(
      fs.readFileSync(path.join(CONTRACTS_DIR, SWAGGER_FILES[version]), 'utf8'),
    );
    const definitions = swagger.definitions as Record<string, Schema>;
    patchKnownQuirks(definitions);
    closeObjects(definitions);
    this.paths = swagger.paths;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'swagger', definitions });
  }

  /** The swagger path template an actual request path matches (most specific wins). */
  operation(method: string, requestPath: string): Operation | undefined {
    let best: Operation | undefined;
    let bestLiteral = -1;
    for (const [template, operations] of Object.entries(this.paths)) {
      const op = operations[method.toLowerCase()];
      if (!op) continue;
      const regex = new RegExp(
        `^${template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{[^}]+\}/g, '[^/]+')}$`,
      );
      const literal = template.replace(/\{[^}]+\}/g, '').length;
      if (regex.test(requestPath) && literal > bestLiteral) {
        best = { template, responses: op.responses };
        bestLiteral = literal;
      }
    }
    return best;
  }

  validateDefinition(name: string, value: unknown): string[] {
    return this.validate(`swagger#/definitions/${name}`, value);
  }

  private validate(ref: string, value: unknown): string[] {
    let validator = this.validators.get(ref);
    if (!validator) {
      validator = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validator);
    }
    if (validator(value)) {
      return [];
    }
    return (validator.errors ?? []).map(
      e =>
        `${e.instancePath || '/'} ${e.message}${
          e.params ? ` ${JSON.stringify(e.params)}` : ''
        }`,
    );
  }

  /**
   * Validates one served response against the operation's response schema
   * (`200`, else `default` = runtimeError). Returns undefined when this
   * version has no such operation.
   */
  validateExchange(exchange: Exchange): string[] | undefined {
    const op = this.operation(exchange.method, exchange.path);
    if (!op) {
      return undefined;
    }
    const response =
      op.responses[String(exchange.status)] ?? op.responses.default;
    const ref: string | undefined = response?.schema?.$ref;
    if (!ref) {
      return [
        `${op.template}: no response schema for status ${exchange.status}`,
      ];
    }
    return this.validate(ref.replace(/^#/, 'swagger#'), exchange.body);
  }
}

/** Validates a live Rollout object against the Argo Rollouts CRD schema. */
export function rolloutValidator(): (manifest: unknown) => string[] {
  const crd = parseYaml(
    fs.readFileSync(path.join(CONTRACTS_DIR, ROLLOUT_CRD_FILE), 'utf8'),
  );
  const version = crd.spec.versions.find((v: any) => v.name === 'v1alpha1');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(version.schema.openAPIV3Schema);
  return manifest =>
    validate(manifest)
      ? []
      : (validate.errors ?? []).map(
          e => `${e.instancePath || '/'} ${e.message}`,
        );
}

export interface ContractViolation {
  version: SwaggerVersion;
  request: string;
  status: number;
  errors: string[];
}

/**
 * Checks every recorded exchange against both supported Argo CD versions.
 * Routes a version does not have (e.g. actions/v2 before 3.1) are only
 * checked against the versions that do; plain-text gateway errors (415) have
 * no schema; 404/405 from routing are runtimeErrors.
 */
export class ContractChecker {
  readonly contracts = (Object.keys(SWAGGER_FILES) as SwaggerVersion[]).map(
    v => new SwaggerContract(v),
  );

  violations(exchanges: Exchange[]): ContractViolation[] {
    const out: ContractViolation[] = [];
    for (const exchange of exchanges) {
      if (!exchange.contentType.startsWith('application/json')) {
        if (exchange.status !== 415) {
          out.push({
            version: 'v3.5.1',
            request: `${exchange.method} ${exchange.path}`,
            status: exchange.status,
            errors: [`non-JSON response (${exchange.contentType})`],
          });
        }
        continue;
      }
      let covered = false;
      for (const contract of this.contracts) {
        const errors =
          contract.validateExchange(exchange) ??
          (exchange.status === 404 || exchange.status === 405
            ? contract.validateDefinition('runtimeError', exchange.body)
            : undefined);
        if (errors === undefined) {
          continue;
        }
        covered = true;
        if (errors.length) {
          out.push({
            version: contract.version,
            request: `${exchange.method} ${exchange.path}`,
            status: exchange.status,
            errors,
          });
        }
      }
      if (!covered) {
        out.push({
          version: 'v3.5.1',
          request: `${exchange.method} ${exchange.path}`,
          status: exchange.status,
          errors: ['no operation in any swagger'],
        });
      }
    }
    return out;
  }
}
