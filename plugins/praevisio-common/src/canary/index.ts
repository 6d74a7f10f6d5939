/**
 * Canary judge: Kayenta NetflixACAJudge-compatible metric classification and scoring.
 */
export * from './types';
export { CanaryValidationError } from './errors';
export { qnorm } from './normal';
export { uniroot } from './brent';
export type { UnirootResult } from './brent';
export { MannWhitneyError, mannWhitneyTest } from './mannWhitney';
export type { MannWhitneyResult } from './mannWhitney';
export { classifyMetric, cles, meanRatio } from './classify';
export {
  DEFAULT_CONFIDENCE_LEVEL,
  DEFAULT_TOLERANCE,
  parseCanaryConfig,
} from './parseConfig';
export { canaryDecision, judgeCanary } from './judge';
export { benchJudgeMetric } from './bench';
