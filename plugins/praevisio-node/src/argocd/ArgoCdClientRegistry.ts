import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ArgoCdClient,
  ArgoCdHttpOptions,
  ArgoCdInstanceConfig,
} from './ArgoCdClient';

/** @public */
export interface ArgoCdClientRegistryOptions {
  instances: ArgoCdInstanceConfig[];
  logger?: LoggerService;
  /** Applied to every instance's client (timeouts, retries, breaker, cap). */
  http?: ArgoCdHttpOptions;
}

/**
 * One {@link ArgoCdClient} per configured Argo CD instance, so that each
 * instance has its own session, circuit breaker and concurrency cap.
 *
 * @public
 */
export class ArgoCdClientRegistry {
  private readonly clients: Map<string, ArgoCdClient>;

  /**
   * Reads `praevisio.argocd.instances[]` (`name`, `url`, `token`, `username`,
   * `password`, `frontendUrl`). No instances is valid: Argo CD is optional.
   */
  static fromConfig(
    config: RootConfigService,
    options: Omit<ArgoCdClientRegistryOptions, 'instances'> = {},
  ): ArgoCdClientRegistry {
    const instances = (
      config.getOptionalConfigArray('praevisio.argocd.instances') ?? []
    ).map(c => ({
      name: c.getString('name'),
      url: c.getString('url'),
      token: c.getOptionalString('token'),
      username: c.getOptionalString('username'),
      password: c.getOptionalString('password'),
      frontendUrl: c.getOptionalString('frontendUrl'),
    }));
    return ArgoCdClientRegistry.create({ ...options, instances });
  }

  static create(options: ArgoCdClientRegistryOptions): ArgoCdClientRegistry {
    return new ArgoCdClientRegistry(options);
  }

  constructor(options: ArgoCdClientRegistryOptions) {
    this.clients = new Map();
    for (const instance of options.instances) {
      if (this.clients.has(instance.name)) {
        throw new InputError(
          `Argo CD instance '${instance.name}' is configured more than once`,
        );
      }
      this.clients.set(
        instance.name,
        ArgoCdClient.create({
          instance,
          logger: options.logger?.child({ argocdInstance: instance.name }),
          http: options.http,
        }),
      );
    }
  }

  /** Whether any Argo CD instance is configured. */
  get isConfigured(): boolean {
    return this.clients.size > 0;
  }

  /** Configured instance names, in config order. */
  get instanceNames(): string[] {
    return [...this.clients.keys()];
  }

  /** All clients, in config order. */
  list(): ArgoCdClient[] {
    return [...this.clients.values()];
  }

  /**
   * The client for an instance (e.g. from the `argocd/instance-name`
   * annotation), or the first configured one when no name is given.
   *
   * @throws NotFoundError - the instance is not configured
   */
  get(instanceName?: string): ArgoCdClient {
    if (instanceName === undefined || instanceName === '') {
      const first = this.clients.values().next();
      if (first.done) {
        throw new NotFoundError(
          'No Argo CD instance is configured; add praevisio.argocd.instances[] to app-config.yaml',
        );
      }
      return first.value;
    }
    const client = this.clients.get(instanceName);
    if (!client) {
      throw new NotFoundError(
        `Argo CD instance '${instanceName}' is not configured (configured: ${
          this.instanceNames.join(', ') || 'none'
        })`,
      );
    }
    return client;
  }
}
