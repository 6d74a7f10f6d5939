import { Progress, Table, TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { DeploymentDto } from '@praevisio/backstage-plugin-common';
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

/** @public */
export interface DeploymentsTableProps {
  deployments?: DeploymentDto[];
  loading: boolean;
  error?: Error;
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
      columns={columns}
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
