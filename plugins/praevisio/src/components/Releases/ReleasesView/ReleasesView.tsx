import { useMemo } from 'react';
import { Entity } from '@backstage/catalog-model';
import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  CircularProgress,
  Grid,
  IconButton,
  Tooltip,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { ReleasesOverviewDto } from '@praevisio/backstage-plugin-common';
import {
  useGateCommands,
  useGateOverridePermission,
  useGates,
  UseGatesResult,
} from '../../../hooks/useGates';
import { useReleaseCommands } from '../../../hooks/useReleaseCommands';
import { useReleaseHistory } from '../../../hooks/useReleaseHistory';
import { useReleasePermissions } from '../../../hooks/useReleasePermissions';
import { useReleases, UseReleasesResult } from '../../../hooks/useReleases';
import { errorMessage } from '../../../lib/errors';
import { latestEvaluationForEnvironment } from '../../../lib/gates';
import { formatDateTime } from '../../../lib/format';
import { DeploymentsTable } from '../DeploymentsTable';
import { EnvironmentCards } from '../EnvironmentCards';
import { GateScoreBadge } from '../GateScoreBadge';
import { QualityGatesSection } from '../QualityGatesSection';
import { deniedReason, ReleaseActions } from '../ReleaseActions';
import { ReleaseHistoryTable } from '../ReleaseHistoryTable';
import { ReleasesErrorState } from '../shared/ErrorState';
import { RelativeTime } from '../shared/RelativeTime';

function FreshnessBar(props: { releases: UseReleasesResult }) {
  const { overview, loading, inProgress, isSignalsAvailable, refresh } =
    props.releases;
  let mode = 'Refresh to update';
  if (isSignalsAvailable) mode = 'Live updates';
  if (inProgress)
    mode += ' · re-reading every 10 s while a change is in progress';
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      gridGap={8}
    >
      <Typography variant="caption" color="textSecondary">
        Read from Argo CD <RelativeTime value={overview?.fetchedAt} /> · {mode}
      </Typography>
      {loading ? (
        <CircularProgress size={20} aria-label="Refreshing" />
      ) : (
        <Tooltip title="Refresh">
          <IconButton size="small" onClick={refresh} aria-label="Refresh">
            <RefreshIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      )}
    </Box>
  );
}

function Warnings(props: {
  overview: ReleasesOverviewDto;
  refreshError?: Error;
}) {
  const { overview, refreshError } = props;
  return (
    <>
      {overview.stale && (
        <WarningPanel
          severity="warning"
          title={`Showing the last known state: Argo CD unreachable since ${formatDateTime(
            overview.fetchedAt,
          )}`}
          message={`${
            overview.staleReason ?? 'Argo CD could not be reached.'
          } Commands will fail until it is reachable again.`}
          defaultExpanded
        />
      )}
      {refreshError && (
        <WarningPanel
          severity="warning"
          title="Could not refresh; showing the previous state"
          message={errorMessage(refreshError)}
        />
      )}
      {overview.problems.length > 0 && (
        <WarningPanel
          severity="warning"
          title={`${overview.problems.length} application(s) could not be read`}
        >
          <ul>
            {overview.problems.map((p, i) => (
              <li key={i}>
                {[p.instance, p.application].filter(Boolean).join('/')}
                {p.instance || p.application ? ': ' : ''}
                {p.message}
              </li>
            ))}
          </ul>
        </WarningPanel>
      )}
    </>
  );
}

function ReleaseHistorySection(props: {
  entityRef: string;
  overview: ReleasesOverviewDto;
}) {
  const { entityRef, overview } = props;
  const applications = useMemo(
    () => [...new Set(overview.environments.map(e => e.application))],
    [overview],
  );
  // Re-read history when something new was deployed, not on every poll.
  const refreshKey = overview.environments
    .map(e => `${e.application}@${e.revision}@${e.lastDeployedAt}`)
    .join(',');
  const history = useReleaseHistory(entityRef, { refreshKey });
  return (
    <ReleaseHistoryTable
      value={history.value}
      loading={history.loading}
      error={history.error}
      page={history.page}
      pageSize={history.pageSize}
      onPageChange={history.setPage}
      onPageSizeChange={history.setPageSize}
      applications={applications}
      application={history.application}
      onApplicationChange={history.setApplication}
    />
  );
}

function Environments(props: {
  entity: Entity;
  releases: UseReleasesResult;
  overview: ReleasesOverviewDto;
  gates: UseGatesResult;
}) {
  const { entity, releases, overview, gates } = props;
  const permissions = useReleasePermissions(releases.entityRef);
  const commands = useReleaseCommands(releases.entityRef, releases.refresh);
  if (overview.environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No Argo CD applications found for this component"
        description="Check that the argocd/app-name or argocd/app-selector annotation matches applications on a configured Argo CD instance. Environments come from each application's praevisio.io/environment label or from praevisio.environments in app-config."
      />
    );
  }
  return (
    <EnvironmentCards
      environments={overview.environments}
      renderGate={env => {
        const latest = latestEvaluationForEnvironment(
          gates.overview?.evaluations,
          env.environment,
          env.application,
        );
        return latest ? <GateScoreBadge evaluation={latest} /> : undefined;
      }}
      renderActions={env => (
        <ReleaseActions
          entity={entity}
          environment={env}
          permissions={permissions}
          commands={commands}
        />
      )}
    />
  );
}

function QualityGates(props: {
  entity: Entity;
  releases: UseReleasesResult;
  overview: ReleasesOverviewDto;
  gates: UseGatesResult;
}) {
  const { entity, releases, overview, gates } = props;
  const permissions = useReleasePermissions(releases.entityRef);
  const overridePermission = useGateOverridePermission(releases.entityRef);
  const commands = useGateCommands(releases.entityRef, gates.refresh);
  return (
    <QualityGatesSection
      environments={overview.environments}
      overview={gates.overview}
      loading={gates.loading}
      error={gates.error}
      unavailable={gates.unavailable}
      evaluatePermission={permissions.deploy}
      overridePermission={overridePermission}
      deniedReasons={{
        evaluate: deniedReason(entity, 'evaluate quality gates'),
        override: deniedReason(entity, 'override quality gates'),
      }}
      onEvaluate={commands.evaluate}
      onOverride={commands.override}
    />
  );
}

function LoadedReleases(props: {
  entity: Entity;
  releases: UseReleasesResult;
  overview: ReleasesOverviewDto;
}) {
  const { entity, releases, overview } = props;
  // Gates change with the releases: re-read whenever the releases were re-read.
  const gates = useGates(entity, { refreshKey: releases.loadCount });
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <FreshnessBar releases={releases} />
        <Warnings overview={overview} refreshError={releases.error} />
      </Grid>
      <Grid item xs={12}>
        <Environments
          entity={entity}
          releases={releases}
          overview={overview}
          gates={gates}
        />
      </Grid>
      <Grid item xs={12}>
        <QualityGates
          entity={entity}
          releases={releases}
          overview={overview}
          gates={gates}
        />
      </Grid>
      <Grid item xs={12}>
        <DeploymentsTable
          deployments={releases.deployments}
          loading={releases.loading}
          error={releases.deploymentsError}
          gateEvaluations={gates.overview?.evaluations}
        />
      </Grid>
      <Grid item xs={12}>
        <ReleaseHistorySection
          entityRef={releases.entityRef}
          overview={overview}
        />
      </Grid>
    </Grid>
  );
}

/** The Releases tab: environments, quality gates, commands and history. */
export function ReleasesView() {
  const { entity } = useEntity();
  const releases = useReleases(entity);
  const { overview, error } = releases;

  if (!overview) {
    if (error) return <ReleasesErrorState error={error} what="releases" />;
    return <Progress />;
  }
  return (
    <LoadedReleases entity={entity} releases={releases} overview={overview} />
  );
}
