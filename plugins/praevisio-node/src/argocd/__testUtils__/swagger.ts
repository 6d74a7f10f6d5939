import {
  CONTRACTS_DIR,
  ContractRequest,
  MatchedOperation,
  OpenApiContract,
  Schema,
  contractPath,
} from '@praevisio/contract-testing';

export { CONTRACTS_DIR };

export const ARGOCD_SWAGGER_FILES = {
  'v3.5.1': contractPath('argocd/swagger-v3.5.1.json'),
  'v2.14.0': contractPath('argocd/swagger-v2.14.0.json'),
};

/** Argo CD answers 415 to anything but exactly application/json. */
function exactJsonContentType(
  req: ContractRequest,
  { method, where }: MatchedOperation,
): string[] {
  return method !== 'GET' && req.headers['content-type'] !== 'application/json'
    ? [
        `${where}: Content-Type is '${req.headers['content-type']}', not exactly application/json`,
      ]
    : [];
}

/**
 * Checks recorded requests and response bodies against one Argo CD swagger
 * (2.0) document, as published (schemas open, no quirks patched).
 */
export class SwaggerContract {
  private readonly contract: OpenApiContract;

  constructor(readonly version: string, file: string) {
    this.contract = OpenApiContract.load(file, {
      name: version,
      checkContentType: exactJsonContentType,
    });
  }

  /** The operation serving a request, if this version has the route. */
  match(method: string, requestPath: string): MatchedOperation | undefined {
    return this.contract.operation(method, requestPath);
  }

  /** Problems with a recorded request; empty when it conforms. */
  validateRequest(req: ContractRequest): string[] {
    return this.contract.validateRequest(req);
  }

  /** Problems with a 200 answer body for the operation; empty when it conforms. */
  validateResponse(method: string, template: string, body: unknown): string[] {
    return this.contract.validateResponse({
      method,
      template,
      status: 200,
      body,
    });
  }

  /** Validates against a schema or `#/definitions/<name>`. */
  validateSchema(
    schema: Schema | string,
    value: unknown,
    what: string,
  ): string[] {
    return this.contract.validateSchema(schema, value, what);
  }
}
