import { ReactNode } from 'react';
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { errorMessage } from '../../../lib/errors';
import { useUniqueId } from '../shared/useUniqueId';

/** The common shell of the release confirm dialogs. */
export function ConfirmDialogFrame(props: {
  title: string;
  confirmLabel: string;
  confirmDisabled?: boolean;
  /** Makes the confirm button red: the command takes traffic away. */
  destructive?: boolean;
  submitting: boolean;
  error?: unknown;
  /** Shown under the error, e.g. a second, stronger confirmation. */
  errorAction?: ReactNode;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const titleId = useUniqueId('release-dialog-title');
  return (
    <Dialog
      open
      onClose={props.submitting ? undefined : props.onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        {props.error !== undefined && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {errorMessage(props.error)}
          </Alert>
        )}
        {props.errorAction}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={props.submitting}>
          Cancel
        </Button>
        <Button
          onClick={props.onConfirm}
          disabled={props.submitting || props.confirmDisabled}
          color={props.destructive ? 'secondary' : 'primary'}
          variant="contained"
          startIcon={
            props.submitting ? <CircularProgress size={16} /> : undefined
          }
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
