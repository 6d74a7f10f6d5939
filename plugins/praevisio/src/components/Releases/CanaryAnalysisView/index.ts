export { CanaryAnalysisView } from './CanaryAnalysisView';
export type { CanaryAnalysisViewProps } from './CanaryAnalysisView';
