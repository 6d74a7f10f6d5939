import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { SignalsService } from '@backstage/plugin-signals-node';
import { releasesSignalChannel } from '@praevisio/backstage-plugin-common';
import { ArgoCdClientRegistry } from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { AuditLog } from '../audit/AuditLog';
import { DeploymentReconciler } from './DeploymentReconciler';
import { DatabaseDeploymentStore, DeploymentStore } from './DeploymentStore';
import { EnvironmentResolver } from './EnvironmentResolver';
import {
  DEFAULT_PENDING_TIMEOUT_MS,
  ReleaseCommandService,
} from './ReleaseCommandService';
import { ReleasesReadModel } from './ReleasesReadModel';

/** `praevisio.releases` with defaults applied. */
export interface ReleasesSettings {
  cacheTtlSeconds: number;
  cacheIdleSeconds: number;
  reconcileIntervalSeconds: number;
  stuckAfterMinutes: number;
}

export const RECONCILE_TASK_ID = 'praevisio-releases-reconcile';
export const REFRESH_TASK_ID = 'praevisio-releases-refresh';

export function readReleasesSettings(
  config: RootConfigService,
): ReleasesSettings {
  const positive = (key: string, fallback: number) => {
    const value =
      config.getOptionalNumber(`praevisio.releases.${key}`) ?? fallback;
    if (!(value > 0)) {
      throw new InputError(
        `praevisio.releases.${key} must be a positive number, got ${value}`,
      );
    }
    return value;
  };
  return {
    cacheTtlSeconds: positive('cacheTtlSeconds', 10),
    cacheIdleSeconds: positive('cacheIdleSeconds', 300),
    reconcileIntervalSeconds: positive('reconcileIntervalSeconds', 5),
    stuckAfterMinutes: positive('stuckAfterMinutes', 30),
  };
}

export interface ReleasesOptions {
  config: RootConfigService;
  logger: LoggerService;
  knex: Knex;
  auditLog: AuditLog;
  signals: SignalsService;
  /** Defaults to the configured Argo CD instances. */
  registry?: ArgoCdClientRegistry;
}

/**
 * The Releases feature wired together: Argo CD clients, the cached read
 * model, the command service, the deployment store and the reconciler.
 */
export class Releases {
  readonly readModel: ReleasesReadModel;
  readonly commands: ReleaseCommandService;
  readonly reconciler: DeploymentReconciler;
  readonly store: DeploymentStore;
  readonly registry: ArgoCdClientRegistry;
  readonly settings: ReleasesSettings;

  static create(options: ReleasesOptions): Releases {
    return new Releases(options);
  }

  private constructor(options: ReleasesOptions) {
    const { config, logger, auditLog } = options;
    this.settings = readReleasesSettings(config);
    this.registry =
      options.registry ??
      ArgoCdClientRegistry.fromConfig(config, {
        logger: logger.child({ upstream: 'argocd' }),
      });
    this.store = DatabaseDeploymentStore.create({ knex: options.knex });

    const publish = (entityRef: string) => {
      options.signals
        .publish({
          recipients: { type: 'broadcast' },
          channel: releasesSignalChannel(entityRef),
          message: { type: 'releases-changed' },
        })
        .catch(error =>
          logger.warn(
            `Could not signal a releases change of ${entityRef}: ${error}`,
          ),
        );
    };
    this.readModel = ReleasesReadModel.create({
      registry: this.registry,
      environments: EnvironmentResolver.fromConfig(config),
      logger,
      ttlMs: this.settings.cacheTtlSeconds * 1000,
      idleMs: this.settings.cacheIdleSeconds * 1000,
      // Changes made outside Praevisio (Argo CD UI, auto-sync) show up here.
      onChange: publish,
    });
    const onChanged = (entityRef: string) => {
      this.readModel.invalidate(entityRef);
      publish(entityRef);
    };
    this.commands = ReleaseCommandService.create({
      store: this.store,
      readModel: this.readModel,
      registry: this.registry,
      auditLog,
      logger,
      onChanged,
    });
    this.reconciler = DeploymentReconciler.create({
      store: this.store,
      registry: this.registry,
      auditLog,
      logger,
      onChanged,
      stuckAfterMs: this.settings.stuckAfterMinutes * 60_000,
      pendingTimeoutMs: DEFAULT_PENDING_TIMEOUT_MS,
    });
  }

  /**
   * The background work: a per-replica refresh of the cache (each replica
   * has its own) and the reconciler, once across replicas.
   */
  async schedule(scheduler: SchedulerService): Promise<void> {
    if (!this.registry.isConfigured) {
      return;
    }
    const refreshSeconds = Math.max(1, this.settings.cacheTtlSeconds / 2);
    await scheduler.scheduleTask({
      id: REFRESH_TASK_ID,
      scope: 'local',
      frequency: { seconds: refreshSeconds },
      timeout: { seconds: 60 },
      fn: signal => this.readModel.refreshActive(signal),
    });
    await scheduler.scheduleTask({
      id: RECONCILE_TASK_ID,
      scope: 'global',
      frequency: { seconds: this.settings.reconcileIntervalSeconds },
      timeout: { seconds: 60 },
      fn: async signal => {
        await this.reconciler.reconcileOnce(signal);
      },
    });
  }
}
