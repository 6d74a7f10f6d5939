import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  KeptnClient,
  KeptnHttpOptions,
  KeptnInstanceConfig,
} from './KeptnClient';

/** @public */
export interface KeptnClientRegistryOptions {
  instances: KeptnInstanceConfig[];
  logger?: LoggerService;
  /** Applied to every instance's client (timeouts, retries, breaker, cap). */
  http?: KeptnHttpOptions;
}

/**
 * One {@link KeptnClient} per configured Keptn installation, so that each has
 * its own circuit breaker and concurrency cap.
 *
 * @public
 */
export class KeptnClientRegistry {
  private readonly clients: Map<string, KeptnClient>;

  /**
   * Reads `praevisio.keptn.instances[]` (`name`, `url`, `apiToken`). No
   * instances is valid: Keptn is optional.
   */
  static fromConfig(
    config: RootConfigService,
    options: Omit<KeptnClientRegistryOptions, 'instances'> = {},
  ): KeptnClientRegistry {
    const instances = (
      config.getOptionalConfigArray('praevisio.keptn.instances') ?? []
    ).map(c => ({
      name: c.getString('name'),
      url: c.getString('url'),
      apiToken: c.getString('apiToken'),
    }));
    return KeptnClientRegistry.create({ ...options, instances });
  }

  static create(options: KeptnClientRegistryOptions): KeptnClientRegistry {
    return new KeptnClientRegistry(options);
  }

  constructor(options: KeptnClientRegistryOptions) {
    this.clients = new Map();
    for (const instance of options.instances) {
      if (this.clients.has(instance.name)) {
        throw new InputError(
          `Keptn instance '${instance.name}' is configured more than once`,
        );
      }
      this.clients.set(
        instance.name,
        KeptnClient.create({
          ...instance,
          logger: options.logger?.child({ keptnInstance: instance.name }),
          http: options.http,
        }),
      );
    }
  }

  /** Whether any Keptn is configured. */
  get isConfigured(): boolean {
    return this.clients.size > 0;
  }

  /** Configured instance names, in config order. */
  get instanceNames(): string[] {
    return [...this.clients.keys()];
  }

  /** All clients, in config order. */
  list(): KeptnClient[] {
    return [...this.clients.values()];
  }

  /**
   * The client for an instance, or the first configured one when no name is
   * given.
   *
   * @throws NotFoundError - the instance is not configured
   */
  get(instanceName?: string): KeptnClient {
    if (instanceName === undefined || instanceName === '') {
      const first = this.clients.values().next();
      if (first.done) {
        throw new NotFoundError(
          'No Keptn instance is configured; add praevisio.keptn.instances[] to app-config.yaml',
        );
      }
      return first.value;
    }
    const client = this.clients.get(instanceName);
    if (!client) {
      throw new NotFoundError(
        `Keptn instance '${instanceName}' is not configured (configured: ${
          this.instanceNames.join(', ') || 'none'
        })`,
      );
    }
    return client;
  }
}
