import { Progress, Table, TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import {
  DeploymentDto,
  GateEvaluationDto,
} from '@praevisio/backstage-plugin-common';
import { latestEvaluation } from '../../../lib/gates';
import { GateScoreBadge } from '../GateScoreBadge';
import { humanize } from '../../../lib/format';
import { RelativeTime } from '../shared/RelativeTime';
import { RevisionChange } from '../shared/RevisionChange';
import { DeploymentStateStatus } from '../shared/Status';
import { ReleasesErrorState } from '../shared/ErrorState';

const columns: TableColumn<DeploymentDto>[] = [
  {
    title: 'Requested',
    field: 'requestedAt',
    render: row => <RelativeTime value={row.requestedAt} />,
  },
  { title: 'Environment', field: 'environment' },
  { title: 'Application', field: 'application' },
  { title: 'Command', field: 'kind', render: row => humanize(row.kind) },
  {
    title: 'Change',
    render: row =>
      row.fromRevision || row.toRevision ? (
        <RevisionChange from={row.fromRevision} to={row.toRevision} />
      ) : (
        '—'
      ),
  },
  {
    title: 'State',
    field: 'state',
    render: row => <DeploymentStateStatus state={row.state} />,
  },
  { title: 'Requested by', field: 'requestedBy' },
  { title: 'Message', field: 'message', emptyValue: '—' },
];

function gateColumn(
  evaluations: GateEvaluationDto[],
): TableColumn<DeploymentDto> {
  return {
    title: 'Quality gate',
    render: row => {
      const ev = latestEvaluation(evaluations, e => e.deploymentId === row.id);
      return ev ? <GateScoreBadge evaluation={ev} /> : '—';
    },
  };
}

/** @public */
export interface DeploymentsTableProps {
  deployments?: DeploymentDto[];
  loading: boolean;
  error?: Error;
  /** Gate evaluations; a deployment that was judged shows its latest one. */
  gateEvaluations?: GateEvaluationDto[];
}

/** Commands issued through Praevisio and what became of them. */
export function DeploymentsTable(props: DeploymentsTableProps) {
  if (props.error) {
    return (
      <ReleasesErrorState
        error={props.error}
        what="commands issued via Praevisio"
      />
    );
  }
  if (!props.deployments) {
    return props.loading ? <Progress /> : null;
  }
  return (
    <Table<DeploymentDto>
      title="Commands issued via Praevisio"
      columns={
        props.gateEvaluations && props.gateEvaluations.length > 0
          ? [
              ...columns.slice(0, -2),
              gateColumn(props.gateEvaluations),
              ...columns.slice(-2),
            ]
          : columns
      }
      data={props.deployments}
      options={{
        paging: props.deployments.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
      }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No sync, rollback or rollout command has been issued through
            Praevisio for this component yet.
          </Typography>
        </Box>
      }
    />
  );
}
