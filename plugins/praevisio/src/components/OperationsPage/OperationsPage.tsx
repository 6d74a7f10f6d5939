import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { Chip, Grid } from '@material-ui/core';
import {
  hasTabAnnotations,
  IntegrationStatus,
  PraevisioTab,
  TAB_ENABLING_ANNOTATIONS,
} from '@praevisio/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { useIntegrations } from '../../hooks/useIntegrations';

const TABS = Object.keys(TAB_ENABLING_ANNOTATIONS) as PraevisioTab[];

function IntegrationsTable() {
  const { loading, error, value } = useIntegrations();
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const columns: TableColumn<IntegrationStatus>[] = [
    { title: 'Integration', field: 'name' },
    {
      title: 'Status',
      render: row =>
        row.configured ? (
          <StatusOK>configured ({row.instances.join(', ')})</StatusOK>
        ) : (
          <StatusWarning>not configured</StatusWarning>
        ),
    },
    {
      title: 'How to configure',
      render: row => (row.configured ? '' : row.howToConfigure),
    },
  ];
  return (
    <Table
      title="Integrations"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={value ?? []}
    />
  );
}

function ServicesTable() {
  const catalogApi = useApi(catalogApiRef);
  const { loading, error, value } = useAsync(
    async () =>
      (await catalogApi.getEntities({ filter: { kind: 'Component' } })).items,
    [catalogApi],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const columns: TableColumn<Entity>[] = [
    {
      title: 'Component',
      render: entity => <EntityRefLink entityRef={entity} />,
    },
    { title: 'Owner', render: entity => String(entity.spec?.owner ?? '') },
    {
      title: 'Praevisio tabs enabled',
      render: entity => (
        <>
          {TABS.filter(tab => hasTabAnnotations(entity, tab)).map(tab => (
            <Chip key={tab} size="small" label={tab} />
          ))}
        </>
      ),
    },
  ];
  return (
    <Table
      title="Services"
      options={{ paging: true, pageSize: 20, padding: 'dense' }}
      columns={columns}
      data={value ?? []}
    />
  );
}

/** The organisation-wide Operations page. @public */
export function OperationsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Operations"
        subtitle="Releases, incidents, compliance and backups across the organisation"
      />
      <Content>
        <ContentHeader title="Overview" />
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <IntegrationsTable />
          </Grid>
          <Grid item xs={12}>
            <ServicesTable />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
