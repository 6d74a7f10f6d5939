export { GateDecisionsList, decidedByText } from './GateDecisionsList';
export type { GateDecisionsListProps } from './GateDecisionsList';
