export {
  GateEvaluationDetails,
  GateEvaluationDialog,
} from './GateEvaluationDialog';
export type {
  GateEvaluationDetailsProps,
  GateEvaluationDialogProps,
} from './GateEvaluationDialog';
