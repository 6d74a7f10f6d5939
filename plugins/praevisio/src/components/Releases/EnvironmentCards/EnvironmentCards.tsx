import { ReactNode } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import {
  Box,
  Chip,
  Grid,
  makeStyles,
  Tooltip,
  Typography,
} from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { EnvironmentReleaseDto } from '@praevisio/backstage-plugin-common';
import { shortRevision } from '../../../lib/format';
import { RelativeTime } from '../shared/RelativeTime';
import { HealthStatus, OperationStatus, SyncStatus } from '../shared/Status';
import { RolloutProgress } from '../RolloutProgress';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    minWidth: theme.spacing(13),
  },
  row: {
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  mono: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
  section: {
    marginTop: theme.spacing(2),
  },
}));

function Row(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.row}>
      <Typography variant="body2" className={classes.label}>
        {props.label}
      </Typography>
      <Box flex={1}>{props.children}</Box>
    </div>
  );
}

/** @public */
export interface EnvironmentCardsProps {
  environments: EnvironmentReleaseDto[];
  /** Commands for one environment; left out when the view is read-only. */
  renderActions?: (environment: EnvironmentReleaseDto) => ReactNode;
  /** The latest quality gate result of one environment, if any. */
  renderGate?: (environment: EnvironmentReleaseDto) => ReactNode;
}

function EnvironmentCard(props: {
  env: EnvironmentReleaseDto;
  actions?: ReactNode;
  gate?: ReactNode;
}) {
  const { env, actions, gate } = props;
  const classes = useStyles();
  return (
    <InfoCard
      title={env.environment}
      subheader={`${env.application} · ${env.instance}`}
      variant="gridItem"
      action={
        env.autoSync ? (
          <Tooltip title="Argo CD syncs this application automatically">
            <Chip label="auto-sync" size="small" color="primary" />
          </Tooltip>
        ) : undefined
      }
      actions={actions}
    >
      <section aria-label={`${env.environment} environment`}>
        <Row label="Revision">
          <Tooltip title={env.revision ?? 'not synced yet'}>
            <Typography
              component="code"
              variant="body2"
              className={classes.mono}
            >
              {shortRevision(env.revision)}
            </Typography>
          </Tooltip>
          {env.targetRevision && (
            <Typography variant="caption" color="textSecondary">
              {' '}
              (target {env.targetRevision})
            </Typography>
          )}
        </Row>
        <Row label="Sync">
          <SyncStatus status={env.syncStatus} />
        </Row>
        <Row label="Health">
          <HealthStatus status={env.healthStatus} />
        </Row>
        {env.operationPhase && (
          <Row label="Operation">
            <OperationStatus phase={env.operationPhase} />
            {env.operationMessage && (
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {env.operationMessage}
              </Typography>
            )}
          </Row>
        )}
        {gate && <Row label="Quality gate">{gate}</Row>}
        <Row label="Last deployed">
          <Typography variant="body2" component="span">
            <RelativeTime value={env.lastDeployedAt} />
            {env.lastDeployedBy && ` by ${env.lastDeployedBy}`}
          </Typography>
        </Row>
        <Row label="Images">
          {env.images.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              none reported
            </Typography>
          ) : (
            env.images.map(image => (
              <Typography
                key={image}
                variant="body2"
                className={classes.mono}
                display="block"
              >
                {image}
              </Typography>
            ))
          )}
        </Row>
        {env.argoCdUrl && (
          <Link to={env.argoCdUrl} target="_blank" rel="noopener noreferrer">
            Open in Argo CD <OpenInNewIcon fontSize="inherit" aria-hidden />
          </Link>
        )}
        {env.rollout && (
          <div className={classes.section}>
            <RolloutProgress rollout={env.rollout} />
          </div>
        )}
      </section>
    </InfoCard>
  );
}

/** Every environment of the entity side by side, in configured order. */
export function EnvironmentCards(props: EnvironmentCardsProps) {
  const { environments, renderActions, renderGate } = props;
  // Up to three side by side; more wrap.
  const md =
    environments.length >= 3 ? 4 : 12 / Math.max(environments.length, 1);
  return (
    <Grid container spacing={3} alignItems="stretch">
      {environments.map(env => (
        <Grid
          item
          key={`${env.instance}/${env.application}`}
          xs={12}
          md={md as 4 | 6 | 12}
        >
          <EnvironmentCard
            env={env}
            actions={renderActions?.(env)}
            gate={renderGate?.(env)}
          />
        </Grid>
      ))}
    </Grid>
  );
}
