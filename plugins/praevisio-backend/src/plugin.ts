import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
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
import { Gates } from './gates/Gates';
import { Releases } from './releases/Releases';
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
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
        urlReader: coreServices.urlReader,
      },
      async init({
        auditor,
        auth,
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        scheduler,
        signals,
        urlReader,
      }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        permissionsRegistry.addPermissions(praevisioPermissions);

        const auditLog = DatabaseAuditLog.create({ knex });
        // Argo CD read model (cached), commands, deployment store, reconciler.
        const releases = Releases.create({
          config,
          logger,
          knex,
          auditLog,
          signals,
        });
        // Cache refresh per replica, reconciler once across replicas.
        await releases.schedule(scheduler);

        // Quality gates and canary analysis on Prometheus; with one
        // configured, the reconciler judges Rollout pauses automatically.
        const gates = Gates.create({
          config,
          logger,
          knex,
          auditLog,
          auditor,
          urlReader,
          catalog,
          auth,
          releases,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditor,
            catalog,
            auditLog,
            integrations: IntegrationsService.create({ config }),
            releases,
            gates,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
