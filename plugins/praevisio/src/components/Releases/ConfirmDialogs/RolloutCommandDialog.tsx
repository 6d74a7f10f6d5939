import { Typography } from '@material-ui/core';
import {
  EnvironmentReleaseDto,
  RolloutCommand,
  RolloutRequestDto,
} from '@praevisio/backstage-plugin-common';
import { RevisionChange } from '../shared/RevisionChange';
import { ConfirmDialogFrame } from './ConfirmDialogFrame';
import { useIntentSubmission } from './useIntentSubmission';

/** What each rollout command does, for its button, dialog and tooltip. */
export const ROLLOUT_COMMANDS: Record<
  RolloutCommand,
  { label: string; explain: (strategy: 'canary' | 'blueGreen') => string }
> = {
  promote: {
    label: 'Promote',
    explain: strategy =>
      strategy === 'canary'
        ? 'Resume the canary from its pause and continue with the next step.'
        : 'Switch production traffic from the active to the preview version.',
  },
  'promote-full': {
    label: 'Promote fully',
    explain: () =>
      'Skip all remaining steps and analysis and send all traffic to the new revision.',
  },
  abort: {
    label: 'Abort',
    explain: () =>
      'Stop the rollout and send all traffic back to the stable revision.',
  },
  retry: {
    label: 'Retry',
    explain: () => 'Start the aborted rollout again from its first step.',
  },
};

/** @public */
export interface RolloutCommandDialogProps {
  environment: EnvironmentReleaseDto;
  command: RolloutCommand;
  onConfirm(body: RolloutRequestDto, idempotencyKey: string): Promise<unknown>;
  onClose(): void;
}

/** Confirms one Argo Rollouts command (promote, promote fully, abort, retry). */
export function RolloutCommandDialog(props: RolloutCommandDialogProps) {
  const { environment: env, command } = props;
  const rollout = env.rollout;
  const intent = useIntentSubmission();
  const { label, explain } = ROLLOUT_COMMANDS[command];
  const toStable = command === 'abort';
  return (
    <ConfirmDialogFrame
      title={`${label} rollout ${rollout?.name ?? env.application} (${
        env.environment
      })`}
      confirmLabel={label}
      destructive={command === 'abort' || command === 'promote-full'}
      submitting={intent.submitting}
      error={intent.error}
      onClose={props.onClose}
      onConfirm={() =>
        intent.submit(
          key => props.onConfirm({ action: command }, key),
          props.onClose,
        )
      }
    >
      <RevisionChange
        from={toStable ? rollout?.canaryRevision : rollout?.stableRevision}
        to={toStable ? rollout?.stableRevision : rollout?.canaryRevision}
      />
      <Typography variant="body2" style={{ marginTop: 16 }}>
        {explain(rollout?.strategy ?? 'canary')}
      </Typography>
    </ConfirmDialogFrame>
  );
}
