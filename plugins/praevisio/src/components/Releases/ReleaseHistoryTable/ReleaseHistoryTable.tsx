import { Table, TableColumn } from '@backstage/core-components';
import {
  Box,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  ReleaseHistoryEntryDto,
  ReleaseHistoryPageDto,
} from '@praevisio/backstage-plugin-common';
import { shortRevision } from '../../../lib/format';
import { RelativeTime } from '../shared/RelativeTime';
import { ReleasesErrorState } from '../shared/ErrorState';
import { useUniqueId } from '../shared/useUniqueId';

const PAGE_SIZES = [10, 25, 50];

const columns: TableColumn<ReleaseHistoryEntryDto>[] = [
  { title: 'Environment', field: 'environment' },
  { title: 'Application', field: 'application' },
  {
    title: 'Revision',
    field: 'revision',
    render: row => (
      <Tooltip title={row.revision}>
        <code>{shortRevision(row.revision)}</code>
      </Tooltip>
    ),
  },
  {
    title: 'Deployed at',
    field: 'deployedAt',
    render: row => <RelativeTime value={row.deployedAt} />,
  },
  { title: 'Author', field: 'author', emptyValue: '—' },
  {
    title: 'Message',
    field: 'message',
    emptyValue: '—',
    width: '35%',
  },
  { title: 'Initiated by', field: 'initiatedBy', emptyValue: '—' },
];

/** @public */
export interface ReleaseHistoryTableProps {
  value?: ReleaseHistoryPageDto;
  loading: boolean;
  error?: Error;
  /** 0-based page being shown or loaded. */
  page: number;
  pageSize: number;
  onPageChange(page: number): void;
  onPageSizeChange(pageSize: number): void;
  /** Applications to filter by; the filter hides with fewer than two. */
  applications: string[];
  application?: string;
  onApplicationChange(application?: string): void;
}

/** Deploy history read from Argo CD, paged on the server. */
export function ReleaseHistoryTable(props: ReleaseHistoryTableProps) {
  const selectId = useUniqueId('history-application');
  if (props.error) {
    return (
      <ReleasesErrorState error={props.error} what="the release history" />
    );
  }
  const filter =
    props.applications.length > 1 ? (
      <Box mb={1} maxWidth={320}>
        <TextField
          select
          id={selectId}
          label="Application"
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          value={props.application ?? ''}
          onChange={e => props.onApplicationChange(e.target.value || undefined)}
          fullWidth
          variant="outlined"
          size="small"
        >
          <MenuItem value="">All applications</MenuItem>
          {props.applications.map(app => (
            <MenuItem key={app} value={app}>
              {app}
            </MenuItem>
          ))}
        </TextField>
      </Box>
    ) : null;

  return (
    <>
      {filter}
      <Table<ReleaseHistoryEntryDto>
        title="Release history"
        columns={columns}
        data={props.value?.items ?? []}
        isLoading={props.loading}
        page={props.value?.page ?? props.page}
        totalCount={props.value?.total ?? 0}
        onPageChange={page => props.onPageChange(page)}
        onRowsPerPageChange={size => props.onPageSizeChange(size)}
        options={{
          paging: true,
          pageSize: props.pageSize,
          pageSizeOptions: PAGE_SIZES,
          search: false,
          sorting: false,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2" color="textSecondary">
              Argo CD has no deploy history for{' '}
              {props.application ?? 'these applications'} yet.
            </Typography>
          </Box>
        }
      />
    </>
  );
}
