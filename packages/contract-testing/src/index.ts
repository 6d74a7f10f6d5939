/**
 * Test helpers that validate requests and responses against the upstream API
 * specs in ../shared/contracts (Swagger 2.0 and OpenAPI 3.x).
 *
 * @packageDocumentation
 */

export {
  CONTRACTS_DIR,
  CONTRACTS_DIR_ENV,
  contractPath,
  contractsDir,
  contractsPresent,
  contractsSkipMessage,
  findRepoRoot,
  missingContracts,
} from './contractsDir';
export { createAjv, formatErrors, loadSpec, schemaValidator } from './schema';
export type { AjvOptions } from './schema';
export { OpenApiContract } from './OpenApiContract';
export type {
  ApiDocument,
  ContractRequest,
  ContractResponse,
  MatchedOperation,
  MediaType,
  OpenApiContractOptions,
  Operation,
  Parameter,
  Response,
  Schema,
  SpecPatch,
} from './OpenApiContract';
export {
  KEPTN_SWAGGER_FILES,
  KeptnContract,
  keptnContractsPresent,
} from './keptn';
export type { KeptnApi } from './keptn';
