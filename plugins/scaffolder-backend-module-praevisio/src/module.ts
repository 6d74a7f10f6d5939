import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

/**
 * Scaffolder module for Praevisio Ops. Actions that wire a new service into
 * the pipeline (Argo CD application, SLO files, backup schedule) are added to
 * `createPraevisioActions` as they land.
 * @public
 */
export const scaffolderModulePraevisio = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'praevisio',
  register(env) {
    env.registerInit({
      deps: { scaffolderActions: scaffolderActionsExtensionPoint },
      async init({ scaffolderActions }) {
        scaffolderActions.addActions(...createPraevisioActions());
      },
    });
  },
});

/** The module's scaffolder actions; none yet. @public */
export function createPraevisioActions() {
  return [];
}
