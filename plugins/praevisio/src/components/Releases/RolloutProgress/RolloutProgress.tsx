import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  Box,
  Chip,
  LinearProgress,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import PlayCircleFilledIcon from '@material-ui/icons/PlayCircleFilled';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import {
  RolloutStatusDto,
  RolloutStepDto,
} from '@praevisio/backstage-plugin-common';
import { humanize, shortRevision } from '../../../lib/format';

const useStyles = makeStyles(theme => ({
  current: {
    backgroundColor: theme.palette.action.selected,
    borderLeft: `3px solid ${theme.palette.primary.main}`,
  },
  done: {
    color: theme.palette.text.secondary,
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(1),
  },
}));

/** Why Argo Rollouts paused, in words. */
const PAUSE_REASONS: Record<string, string> = {
  CanaryPauseStep: 'Paused at a canary pause step',
  BlueGreenPause: 'Preview is up, waiting for promotion',
  InconclusiveAnalysisRun: 'Analysis inconclusive: a human decides',
  InconclusiveExperiment: 'Experiment inconclusive: a human decides',
  PauseOnAbort: 'Paused after abort',
};

function RolloutPhase(props: { rollout: RolloutStatusDto }) {
  const { rollout } = props;
  if (rollout.aborted) return <StatusAborted>Aborted</StatusAborted>;
  switch (rollout.phase) {
    case 'Healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'Progressing':
      return <StatusRunning>Progressing</StatusRunning>;
    case 'Paused':
      return <StatusWarning>Paused</StatusWarning>;
    case 'Degraded':
      return <StatusError>Degraded</StatusError>;
    default:
      return <StatusPending>{rollout.phase}</StatusPending>;
  }
}

function AnalysisPhase(props: { phase: string }) {
  switch (props.phase) {
    case 'Successful':
      return <StatusOK>Successful</StatusOK>;
    case 'Running':
      return <StatusRunning>Running</StatusRunning>;
    case 'Failed':
    case 'Error':
      return <StatusError>{props.phase}</StatusError>;
    case 'Inconclusive':
      return <StatusWarning>Inconclusive</StatusWarning>;
    default:
      return <StatusPending>{props.phase}</StatusPending>;
  }
}

function stepLabel(step: RolloutStepDto): string {
  switch (step.kind) {
    case 'setWeight':
      return `Set weight ${step.description}`;
    case 'pause':
      return `Pause ${step.description}`;
    case 'analysis':
      return `Analysis ${step.description}`;
    case 'experiment':
      return `Experiment ${step.description}`;
    default:
      return step.description;
  }
}

function CanarySteps(props: { rollout: RolloutStatusDto }) {
  const { steps, currentStepIndex } = props.rollout;
  const classes = useStyles();
  // Past the last step (or no index) means all steps are done.
  const current = currentStepIndex ?? steps.length;
  return (
    <List dense disablePadding aria-label="Canary steps">
      {steps.map(step => {
        const isCurrent = step.index === current;
        const isDone = step.index < current;
        let icon = <RadioButtonUncheckedIcon fontSize="small" />;
        if (isCurrent)
          icon = <PlayCircleFilledIcon fontSize="small" color="primary" />;
        else if (isDone) icon = <CheckCircleIcon fontSize="small" />;
        return (
          <ListItem
            key={step.index}
            className={isCurrent ? classes.current : undefined}
            aria-current={isCurrent ? 'step' : undefined}
          >
            <ListItemIcon>{icon}</ListItemIcon>
            <ListItemText
              primary={`${step.index + 1}. ${stepLabel(step)}`}
              secondary={isCurrent ? 'current step' : undefined}
              className={isDone ? classes.done : undefined}
            />
          </ListItem>
        );
      })}
    </List>
  );
}

function Canary(props: { rollout: RolloutStatusDto }) {
  const { rollout } = props;
  const weight = rollout.canaryWeight;
  return (
    <>
      {weight !== undefined && (
        <Box my={1}>
          <Typography variant="body2" id={`${rollout.name}-weight`}>
            Canary weight {weight}%
          </Typography>
          <LinearProgress
            variant="determinate"
            value={Math.max(0, Math.min(100, weight))}
            aria-labelledby={`${rollout.name}-weight`}
          />
        </Box>
      )}
      {rollout.steps.length > 0 ? (
        <CanarySteps rollout={rollout} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          The strategy has no steps.
        </Typography>
      )}
    </>
  );
}

function BlueGreen(props: { rollout: RolloutStatusDto }) {
  const { rollout } = props;
  const paused = rollout.phase === 'Paused' || rollout.pauseReasons.length > 0;
  return (
    <Box my={1}>
      <Typography variant="body2">
        Active: <code>{rollout.activeSelector ?? '—'}</code>
        {rollout.stableRevision &&
          ` (${shortRevision(rollout.stableRevision)})`}
      </Typography>
      <Typography variant="body2">
        Preview: <code>{rollout.previewSelector ?? '—'}</code>
        {rollout.canaryRevision &&
          ` (${shortRevision(rollout.canaryRevision)})`}
      </Typography>
      {paused && (
        <Typography variant="body2" color="textSecondary">
          Paused: preview is not receiving production traffic until promoted.
        </Typography>
      )}
    </Box>
  );
}

/** @public */
export interface RolloutProgressProps {
  rollout: RolloutStatusDto;
}

/** Where an Argo Rollouts canary or blue-green rollout stands. */
export function RolloutProgress(props: RolloutProgressProps) {
  const { rollout } = props;
  const classes = useStyles();
  const strategy = rollout.strategy === 'canary' ? 'Canary' : 'Blue-green';
  return (
    <section aria-label={`Rollout ${rollout.name}`}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="subtitle2">
          {strategy} rollout {rollout.name}
        </Typography>
        <RolloutPhase rollout={rollout} />
      </Box>
      {rollout.message && (
        <Typography variant="caption" color="textSecondary" display="block">
          {rollout.message}
        </Typography>
      )}
      {rollout.pauseReasons.length > 0 && (
        <div className={classes.chips} aria-label="Pause reasons">
          {rollout.pauseReasons.map(reason => (
            <Chip
              key={reason}
              size="small"
              variant="outlined"
              label={PAUSE_REASONS[reason] ?? humanize(reason)}
              title={reason}
            />
          ))}
        </div>
      )}
      {rollout.analysisRun && (
        <Box display="flex" alignItems="center" gridGap={8} mt={1}>
          <Typography variant="body2">
            Analysis <code>{rollout.analysisRun.name}</code>:
          </Typography>
          <AnalysisPhase phase={rollout.analysisRun.phase} />
        </Box>
      )}
      {rollout.strategy === 'canary' ? (
        <Canary rollout={rollout} />
      ) : (
        <BlueGreen rollout={rollout} />
      )}
    </section>
  );
}
