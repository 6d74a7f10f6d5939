import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { praevisioApiRef } from './api/PraevisioApi';
import { PraevisioClient } from './api/PraevisioClient';
import { operationsRouteRef } from './routes';

/** Legacy frontend system plugin. @public */
export const praevisioPlugin = createPlugin({
  id: 'praevisio',
  apis: [
    createApiFactory({
      api: praevisioApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PraevisioClient(deps),
    }),
  ],
  routes: { operations: operationsRouteRef },
});

const tab = (name: string, load: () => Promise<() => JSX.Element>) =>
  praevisioPlugin.provide(
    createComponentExtension({
      name,
      component: { lazy: load },
    }),
  );

/** @public */
export const EntityReleasesContent = tab('EntityReleasesContent', () =>
  import('./components/EntityTabs').then(m => m.ReleasesContent),
);
/** @public */
export const EntityIncidentsContent = tab('EntityIncidentsContent', () =>
  import('./components/EntityTabs').then(m => m.IncidentsContent),
);
/** @public */
export const EntityComplianceContent = tab('EntityComplianceContent', () =>
  import('./components/EntityTabs').then(m => m.ComplianceContent),
);
/** @public */
export const EntityBackupsContent = tab('EntityBackupsContent', () =>
  import('./components/EntityTabs').then(m => m.BackupsContent),
);

/** @public */
export const PraevisioOperationsPage = praevisioPlugin.provide(
  createRoutableExtension({
    name: 'PraevisioOperationsPage',
    component: () =>
      import('./components/OperationsPage').then(m => m.OperationsPage),
    mountPoint: operationsRouteRef,
  }),
);
