export {
  QualityGatesSection,
  NO_EVALUATIONS_TEXT,
} from './QualityGatesSection';
export type { QualityGatesSectionProps } from './QualityGatesSection';
