/**
 * Quality gate engine: Keptn v1 lighthouse-compatible SLO parsing and scoring.
 */
export * from './types';
export { SloValidationError } from './errors';
export { parseSloCriterion } from './criteria';
export { parseSlo } from './parseSlo';
export { aggregateBaseline, keptnPercentile } from './aggregate';
export {
  comparisonWindow,
  evaluateGate,
  selectComparisonEvaluations,
} from './evaluate';
export { benchScoreObjectives } from './bench';
