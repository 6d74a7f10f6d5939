export {
  PrometheusClient,
  PROMETHEUS_MAX_POINTS_PER_SERIES,
  type PrometheusClientOptions,
  type PrometheusHttpOptions,
  type PrometheusInstanceConfig,
  type PrometheusQueryOptions,
  type PrometheusRangeQueryOptions,
} from './PrometheusClient';
export {
  PrometheusClientRegistry,
  type PrometheusClientRegistryOptions,
} from './PrometheusClientRegistry';
export {
  PrometheusQueryError,
  PROMETHEUS_ERROR_STATUS,
  type PrometheusErrorType,
} from './errors';
export { parsePrometheusValue } from './parse';
export {
  fetchSliValues,
  sliValueOf,
  type FetchSliValuesOptions,
  type SliValuesResult,
} from './fetchSliValues';
export type {
  PrometheusAnnotations,
  PrometheusInstantSample,
  PrometheusLabels,
  PrometheusNativeHistogram,
  PrometheusPoint,
  PrometheusQueryData,
  PrometheusQueryResult,
  PrometheusRangeResult,
  PrometheusSeries,
  PrometheusTime,
} from './types';
