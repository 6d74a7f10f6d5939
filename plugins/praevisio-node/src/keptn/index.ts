export {
  KeptnClient,
  KEPTN_EVALUATION_FINISHED_TYPE,
  type KeptnClientOptions,
  type KeptnHttpOptions,
  type KeptnInstanceConfig,
} from './KeptnClient';
export {
  KeptnClientRegistry,
  type KeptnClientRegistryOptions,
} from './KeptnClientRegistry';
export {
  KeptnAuthenticationError,
  KeptnEvaluationTimeoutError,
  KeptnInputError,
  KeptnNotFoundError,
  type KeptnErrorDetails,
} from './errors';
export type {
  KeptnEvaluationFinished,
  KeptnEvaluationResult,
  KeptnEvaluationTarget,
  KeptnIndicatorResult,
  KeptnSliTarget,
  KeptnTime,
  KeptnTriggerEvaluationRequest,
  KeptnTriggerEvaluationResult,
  KeptnWaitOptions,
} from './types';
