export {
  OverrideGateDialog,
  MIN_OVERRIDE_REASON_LENGTH,
} from './OverrideGateDialog';
export type { OverrideGateDialogProps } from './OverrideGateDialog';
