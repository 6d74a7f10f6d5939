import {
  CONTRACTS_DIR,
  ContractRequest,
  MediaType,
  OpenApiContract,
  contractPath,
} from '@praevisio/contract-testing';

export { CONTRACTS_DIR };

export const PROMETHEUS_OPENAPI_FILE = contractPath(
  'prometheus/prometheus-openapi-3.1-golden.yaml',
);

// Prometheus' duration syntax (not ISO 8601, which ajv-formats calls "duration").
const PROMETHEUS_DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;

/**
 * Checks recorded requests, and answer bodies, against Prometheus' OpenAPI 3.1
 * document (`web/api/v1/testdata`).
 */
export class PrometheusOpenApiContract {
  readonly contract: OpenApiContract;

  constructor(file = PROMETHEUS_OPENAPI_FILE) {
    this.contract = OpenApiContract.load(file, {
      // Only date-time from ajv-formats; Prometheus' own formats on top.
      standardFormats: ['date-time'],
      formats: {
        duration: PROMETHEUS_DURATION,
        unixtime: true,
        float: true,
        int64: true,
        double: true,
        int32: true,
      },
    });
  }

  /** An example answer from the document, e.g. ('/query', 'get', '200', 'vectorResult'). */
  example(
    apiPath: string,
    method: string,
    status: string,
    name: string,
  ): unknown {
    const responses = this.contract.doc.paths[apiPath]?.[method]?.responses;
    const media: MediaType | undefined =
      responses?.[status]?.content?.['application/json'];
    const example = media?.examples?.[name];
    if (!example) {
      throw new Error(`no example ${name} for ${method} ${apiPath} ${status}`);
    }
    return example.value;
  }

  /** Problems with a recorded request; empty when it conforms. */
  validateRequest(req: ContractRequest): string[] {
    return this.contract.validateRequest(req);
  }

  /** Problems with an answer body for the status; empty when it conforms. */
  validateResponse(
    method: string,
    requestPath: string,
    status: number,
    body: unknown,
  ): string[] {
    return this.contract.validateResponse({
      method,
      path: requestPath,
      status,
      body,
    });
  }
}
