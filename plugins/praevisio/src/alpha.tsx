import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import DashboardIcon from '@material-ui/icons/Dashboard';
import { praevisioApiRef } from './api/PraevisioApi';
import { PraevisioClient } from './api/PraevisioClient';
import { operationsRouteRef } from './routes';

const praevisioApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: praevisioApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PraevisioClient(deps),
    }),
});

// The tabs show on every component; each explains in its empty state which
// annotation or integration enables it.
const isComponent = (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === 'component';

const releasesTab = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: '/releases',
    title: 'Releases',
    filter: isComponent,
    loader: () =>
      import('./components/EntityTabs').then(m => <m.ReleasesContent />),
  },
});

const incidentsTab = EntityContentBlueprint.make({
  name: 'incidents',
  params: {
    path: '/incidents',
    title: 'Incidents',
    filter: isComponent,
    loader: () =>
      import('./components/EntityTabs').then(m => <m.IncidentsContent />),
  },
});

const complianceTab = EntityContentBlueprint.make({
  name: 'compliance',
  params: {
    path: '/compliance',
    title: 'Compliance',
    filter: isComponent,
    loader: () =>
      import('./components/EntityTabs').then(m => <m.ComplianceContent />),
  },
});

const backupsTab = EntityContentBlueprint.make({
  name: 'backups',
  params: {
    path: '/backups',
    title: 'Backups',
    filter: isComponent,
    loader: () =>
      import('./components/EntityTabs').then(m => <m.BackupsContent />),
  },
});

const operationsPage = PageBlueprint.make({
  params: {
    path: '/operations',
    title: 'Operations',
    icon: <DashboardIcon />,
    routeRef: operationsRouteRef,
    loader: () =>
      import('./components/OperationsPage').then(m => <m.OperationsPage />),
  },
});

/** Praevisio Ops for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'praevisio',
  title: 'Operations',
  icon: <DashboardIcon />,
  routes: { operations: operationsRouteRef },
  extensions: [
    praevisioApi,
    releasesTab,
    incidentsTab,
    complianceTab,
    backupsTab,
    operationsPage,
  ],
});
