import { contractPath, contractsPresent } from './contractsDir';
import {
  ContractRequest,
  MatchedOperation,
  OpenApiContract,
  Schema,
} from './OpenApiContract';

/**
 * Keptn 1.4.5's Swagger 2.0 documents, and where Keptn's API gateway serves
 * each (before the document's basePath). Shared by the Keptn simulator's and
 * the Keptn client's contract tests.
 */
const KEPTN_APIS = {
  /** shipyard-controller (basePath /v1). */
  controlPlane: {
    file: 'keptn/keptn-v1.4.5-shipyard-controller_docs_swagger.json',
    mount: '/api/controlPlane',
  },
  /** mongodb-datastore (basePath /). */
  datastore: {
    file: 'keptn/keptn-v1.4.5-mongodb-datastore_swagger.yaml',
    mount: '/api/mongodb-datastore',
  },
  /** api-service (basePath /v1); has the CloudEvent schema with its required fields. */
  api: { file: 'keptn/keptn-v1.4.5-api_swagger.yaml', mount: '/api' },
};

export type KeptnApi = keyof typeof KEPTN_APIS;

const API_NAMES = Object.keys(KEPTN_APIS) as KeptnApi[];

/** The absolute path of each Keptn document. */
export const KEPTN_SWAGGER_FILES = Object.fromEntries(
  API_NAMES.map(api => [api, contractPath(KEPTN_APIS[api].file)]),
) as Record<KeptnApi, string>;

export const keptnContractsPresent = contractsPresent(
  Object.values(KEPTN_SWAGGER_FILES),
);

/**
 * Checks requests and answers against Keptn 1.4.5's Swagger 2.0 documents,
 * with each document mounted where Keptn's API gateway serves it.
 */
export class KeptnContract {
  readonly contracts = Object.fromEntries(
    API_NAMES.map(api => [
      api,
      OpenApiContract.load(KEPTN_SWAGGER_FILES[api], {
        mount: KEPTN_APIS[api].mount,
        where: (method, template) => `${method} ${api}${template}`,
      }),
    ]),
  ) as Record<KeptnApi, OpenApiContract>;

  /** The document and operation serving a request path. */
  match(
    method: string,
    requestPath: string,
  ): (MatchedOperation & { api: KeptnApi }) | undefined {
    for (const api of API_NAMES) {
      const matched = this.contracts[api].operation(method, requestPath);
      if (matched) {
        return { api, ...matched };
      }
    }
    return undefined;
  }

  /** Problems with a request (method, path, query, headers, body); empty when it conforms. */
  validateRequest(req: ContractRequest): string[] {
    const matched = this.match(req.method, req.path);
    return matched
      ? this.contracts[matched.api].validateRequest(req)
      : [`no operation for ${req.method} ${req.path}`];
  }

  /** Problems with an answer body for a request path and status; empty when it conforms. */
  validateResponse(
    method: string,
    requestPath: string,
    status: number,
    body: unknown,
  ): string[] {
    const matched = this.match(method, requestPath);
    return matched
      ? this.contracts[matched.api].validateResponse({
          method,
          path: requestPath,
          status,
          body,
        })
      : [`no operation for ${method} ${requestPath}`];
  }

  /** Validates against a schema, or the named entry of the document's `definitions`. */
  validateSchema(
    api: KeptnApi,
    schema: Schema | string,
    value: unknown,
    what?: string,
  ): string[] {
    return this.contracts[api].validateSchema(schema, value, what);
  }
}
