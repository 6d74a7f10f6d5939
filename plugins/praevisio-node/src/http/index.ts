export {
  UpstreamHttpClient,
  encodePathSegment,
  type HttpMethod,
  type QueryValue,
  type UpstreamRequest,
  type UpstreamResponse,
  type UpstreamHttpClientOptions,
} from './UpstreamHttpClient';
export {
  undiciTransport,
  fetchTransport,
  createDispatcher,
  createUndiciTransport,
  ResponseTooLargeError,
  type HttpTransport,
  type TransportRequest,
  type TransportResponse,
} from './transport';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitState,
  type Clock,
} from './CircuitBreaker';
export {
  Semaphore,
  SemaphoreQueueFullError,
  type SemaphoreOptions,
} from './Semaphore';
export { SecretScrubber, REDACTED } from './SecretScrubber';
export {
  abortableSleep,
  fullJitterDelay,
  type RetryOptions,
  type SleepFn,
} from './backoff';
export {
  UpstreamUnavailableError,
  UpstreamRedirectError,
  UpstreamResponseError,
  type UpstreamUnavailableReason,
} from './errors';
