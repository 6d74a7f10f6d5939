import { useState } from 'react';
import {
  Box,
  Button,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  EnvironmentReleaseDto,
  RollbackRequestDto,
} from '@praevisio/backstage-plugin-common';
import { isAutoSyncRefusal } from '../../../lib/errors';
import { formatRelativeTime, shortRevision } from '../../../lib/format';
import { RevisionChange } from '../shared/RevisionChange';
import { ConfirmDialogFrame } from './ConfirmDialogFrame';
import { useIntentSubmission } from './useIntentSubmission';

/** Entries a rollback can go to: everything but what runs now. */
export function rollbackCandidates(env: EnvironmentReleaseDto) {
  return env.rollbackTargets.filter(t => t.revision !== env.revision);
}

/** @public */
export interface RollbackDialogProps {
  environment: EnvironmentReleaseDto;
  onConfirm(body: RollbackRequestDto, idempotencyKey: string): Promise<unknown>;
  onClose(): void;
}

/** Confirms rolling one application back to an earlier history entry. */
export function RollbackDialog(props: RollbackDialogProps) {
  const { environment: env } = props;
  const candidates = rollbackCandidates(env);
  const [historyId, setHistoryId] = useState<number | undefined>(
    candidates[0]?.id,
  );
  const intent = useIntentSubmission();
  const selected = candidates.find(c => c.id === historyId);
  const autoSyncRefused = isAutoSyncRefusal(intent.error);

  const send = (body: RollbackRequestDto) =>
    intent.submit(key => props.onConfirm(body, key), props.onClose);

  return (
    <ConfirmDialogFrame
      title={`Roll back ${env.application} (${env.environment})`}
      confirmLabel="Roll back"
      destructive
      confirmDisabled={selected === undefined || autoSyncRefused}
      submitting={intent.submitting}
      error={intent.error}
      onClose={props.onClose}
      onConfirm={() => historyId !== undefined && send({ historyId })}
      errorAction={
        autoSyncRefused &&
        historyId !== undefined && (
          <Box mt={2}>
            <Typography variant="body2" paragraph>
              Argo CD would immediately sync the application back while
              auto-sync is on. Disabling it is recorded in the audit trail;
              re-enable it in Git or Argo CD once the incident is over.
            </Typography>
            <Button
              variant="contained"
              color="secondary"
              disabled={intent.submitting}
              onClick={() => send({ historyId, disableAutoSync: true })}
            >
              Disable auto-sync and roll back
            </Button>
          </Box>
        )
      }
    >
      <RevisionChange from={env.revision} to={selected?.revision} />
      {env.autoSync && (
        <Alert severity="info" role="status" style={{ marginTop: 16 }}>
          Auto-sync is enabled for this application; Argo CD refuses rollbacks
          until it is disabled.
        </Alert>
      )}
      {candidates.length === 0 ? (
        <Typography variant="body2" style={{ marginTop: 16 }}>
          Argo CD keeps no earlier revision of this application to roll back to.
        </Typography>
      ) : (
        <FormControl component="fieldset" margin="normal">
          <FormLabel component="legend">Roll back to</FormLabel>
          <RadioGroup
            value={historyId === undefined ? '' : String(historyId)}
            onChange={e => {
              setHistoryId(Number(e.target.value));
              intent.renewKey();
              intent.clearError();
            }}
          >
            {candidates.map(c => (
              <FormControlLabel
                key={c.id}
                value={String(c.id)}
                disabled={intent.submitting}
                control={<Radio />}
                label={`${shortRevision(
                  c.revision,
                )} — deployed ${formatRelativeTime(c.deployedAt)} (history #${
                  c.id
                })`}
              />
            ))}
          </RadioGroup>
        </FormControl>
      )}
    </ConfirmDialogFrame>
  );
}
