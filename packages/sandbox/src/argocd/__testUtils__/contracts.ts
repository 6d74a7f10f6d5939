import {
  ApiDocument,
  MatchedOperation,
  OpenApiContract,
  contractsPresent,
  contractsSkipMessage,
  loadSpec,
  schemaValidator,
} from '@praevisio/contract-testing';
import type { Exchange } from './client';

export const SWAGGER_FILES = {
  'v3.5.1': 'argocd/swagger-v3.5.1.json',
  'v2.14.0': 'argocd/swagger-v2.14.0.json',
} as const;

export type SwaggerVersion = keyof typeof SWAGGER_FILES;

export const ROLLOUT_CRD_FILE = 'argo-rollouts/argo-rollouts-rollout-crd.yaml';

const FILES = [...Object.values(SWAGGER_FILES), ROLLOUT_CRD_FILE];

/** True when the contract files exist; suites `describe.skip` otherwise. */
export function contractsAvailable(): boolean {
  return contractsPresent(FILES);
}

export const CONTRACTS_MISSING_MESSAGE = contractsSkipMessage(
  'Argo CD contract validation',
  FILES,
);

/**
 * Known differences between the swagger (generated from protobuf through
 * grpc-gateway) and what argocd-server really sends; see the contracts README.
 */
function patchKnownQuirks({ definitions = {} }: ApiDocument): void {
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

/** One Argo CD swagger, patched for the known quirks and with closed definitions. */
export class SwaggerContract {
  private readonly contract: OpenApiContract;

  constructor(readonly version: SwaggerVersion) {
    this.contract = OpenApiContract.load(SWAGGER_FILES[version], {
      name: version,
      patches: [patchKnownQuirks, doc => closeObjects(doc.definitions)],
    });
  }

  /** The swagger operation an actual request path matches (literal segments win). */
  operation(method: string, requestPath: string): MatchedOperation | undefined {
    return this.contract.operation(method, requestPath);
  }

  validateDefinition(name: string, value: unknown): string[] {
    return this.contract.validateSchema(name, value);
  }

  /**
   * Validates one served response against the operation's response schema
   * (for its status, else `default` = runtimeError). Returns undefined when
   * this version has no such operation.
   */
  validateExchange(exchange: Exchange): string[] | undefined {
    if (!this.operation(exchange.method, exchange.path)) {
      return undefined;
    }
    return this.contract.validateResponse(exchange);
  }
}

/** Validates a live Rollout object against the Argo Rollouts CRD schema. */
export function rolloutValidator(): (manifest: unknown) => string[] {
  const crd = loadSpec(ROLLOUT_CRD_FILE);
  const version = crd.spec.versions.find((v: any) => v.name === 'v1alpha1');
  return schemaValidator(version.schema.openAPIV3Schema);
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
