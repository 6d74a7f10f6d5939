/**
 * SLI definitions: Keptn prometheus-service style `sli.yaml` parsing and safe
 * PromQL templating.
 */
export * from './types';
export { SliTemplateError, SliValidationError } from './errors';
export {
  PROMQL_DURATION,
  PROMQL_LABEL_NAME,
  durationForWindow,
  escapePromqlString,
  isPromqlDuration,
  isPromqlLabelName,
  promqlRegexString,
  promqlString,
  regexQuote,
  type PromqlQuote,
} from './promqlQuote';
export { compileSliTemplate, renderSliTemplate } from './template';
export { parseSli } from './parseSli';
