import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { praevisioPermissions } from '@praevisio/backstage-plugin-common';
import {
  BackupProvider,
  ComplianceControl,
  praevisioBackupProvidersExtensionPoint,
  praevisioComplianceControlsExtensionPoint,
  praevisioSliProvidersExtensionPoint,
  ProviderRegistry,
  SliProvider,
} from '@praevisio/backstage-plugin-node';
import { DatabaseAuditLog } from './audit/AuditLog';
import { applyDatabaseMigrations } from './database/migrations';
import { IntegrationsService } from './service/IntegrationsService';
import { createRouter } from './service/router';

/**
 * Praevisio Ops backend plugin, mounted at /api/praevisio.
 * @public
 */
export const praevisioPlugin = createBackendPlugin({
  pluginId: 'praevisio',
  register(env) {
    // Adopters' modules add providers here before init runs.
    const backupProviders = new ProviderRegistry<BackupProvider>(
      'backup provider',
    );
    const complianceControls = new ProviderRegistry<ComplianceControl>(
      'compliance control',
    );
    const sliProviders = new ProviderRegistry<SliProvider>('SLI provider');
    env.registerExtensionPoint(praevisioBackupProvidersExtensionPoint, {
      addBackupProvider: (...providers) => backupProviders.add(...providers),
    });
    env.registerExtensionPoint(praevisioComplianceControlsExtensionPoint, {
      addComplianceControl: (...controls) =>
        complianceControls.add(...controls),
    });
    env.registerExtensionPoint(praevisioSliProvidersExtensionPoint, {
      addSliProvider: (...providers) => sliProviders.add(...providers),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
      }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        permissionsRegistry.addPermissions(praevisioPermissions);

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditLog: DatabaseAuditLog.create({ knex }),
            integrations: IntegrationsService.create({ config }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
