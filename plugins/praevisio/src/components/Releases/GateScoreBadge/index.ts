export { GateScoreBadge, gateBadgeLabel, formatScore } from './GateScoreBadge';
export type { GateScoreBadgeProps } from './GateScoreBadge';
