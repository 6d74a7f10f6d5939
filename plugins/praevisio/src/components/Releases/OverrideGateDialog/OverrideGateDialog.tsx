import { useState } from 'react';
import { TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  GateEvaluationDto,
  OverrideGateRequestDto,
} from '@praevisio/backstage-plugin-common';
import type { PermissionState } from '../../../hooks/useReleasePermissions';
import { ConfirmDialogFrame } from '../ConfirmDialogs/ConfirmDialogFrame';
import { useIntentSubmission } from '../ConfirmDialogs/useIntentSubmission';
import { gateBadgeLabel } from '../GateScoreBadge';
import { useUniqueId } from '../shared/useUniqueId';

/** The backend rejects shorter justifications. */
export const MIN_OVERRIDE_REASON_LENGTH = 10;

/** @public */
export interface OverrideGateDialogProps {
  evaluation: GateEvaluationDto;
  permission: PermissionState;
  /** Shown when the user may not override, e.g. whom to ask. */
  deniedReason: string;
  onConfirm(
    body: OverrideGateRequestDto,
    idempotencyKey: string,
  ): Promise<unknown>;
  onClose(): void;
}

/**
 * Lets a blocking gate count as passed, with a written, audited reason. One
 * idempotency key per intent; editing the reason is a new intent.
 */
export function OverrideGateDialog(props: OverrideGateDialogProps) {
  const { evaluation: ev, permission } = props;
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const intent = useIntentSubmission();
  const reasonId = useUniqueId('override-reason');
  const trimmed = reason.trim();
  const tooShort = trimmed.length < MIN_OVERRIDE_REASON_LENGTH;
  const allowed = !permission.loading && permission.allowed;
  let denied: string | undefined;
  if (permission.loading) denied = 'Checking permissions…';
  else if (!permission.allowed) denied = props.deniedReason;

  return (
    <ConfirmDialogFrame
      title={`Override quality gate ${ev.environment}`}
      confirmLabel="Override gate"
      destructive
      confirmDisabled={!allowed || tooShort}
      submitting={intent.submitting}
      error={intent.error}
      onClose={props.onClose}
      onConfirm={() => {
        setTouched(true);
        if (!allowed || tooShort) return;
        intent.submit(
          key => props.onConfirm({ reason: trimmed }, key),
          props.onClose,
        );
      }}
    >
      <Typography variant="body2" paragraph>
        The evaluation ({gateBadgeLabel(ev)}) will count as passed, so the
        rollout can be promoted. The override and its reason are recorded in the
        audit trail.
      </Typography>
      {denied && (
        <Alert severity="info" role="status">
          {denied}
        </Alert>
      )}
      <TextField
        id={reasonId}
        label="Reason"
        value={reason}
        onChange={e => {
          setReason(e.target.value);
          intent.renewKey();
          intent.clearError();
        }}
        onBlur={() => setTouched(true)}
        disabled={!allowed || intent.submitting}
        required
        fullWidth
        multiline
        minRows={2}
        margin="normal"
        error={(touched || reason.length > 0) && tooShort}
        helperText={
          (touched || reason.length > 0) && tooShort
            ? `Write at least ${MIN_OVERRIDE_REASON_LENGTH} characters (${trimmed.length} so far)`
            : 'Why this evaluation may be ignored'
        }
      />
    </ConfirmDialogFrame>
  );
}
