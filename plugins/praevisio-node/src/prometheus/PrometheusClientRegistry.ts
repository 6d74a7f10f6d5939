import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  PrometheusClient,
  PrometheusHttpOptions,
  PrometheusInstanceConfig,
} from './PrometheusClient';

/** @public */
export interface PrometheusClientRegistryOptions {
  instances: PrometheusInstanceConfig[];
  logger?: LoggerService;
  /** Applied to every instance's client (timeouts, retries, breaker, cap). */
  http?: PrometheusHttpOptions;
}

/**
 * One {@link PrometheusClient} per configured Prometheus, so that each has its
 * own circuit breaker and concurrency cap.
 *
 * @public
 */
export class PrometheusClientRegistry {
  private readonly clients: Map<string, PrometheusClient>;

  /**
   * Reads `praevisio.prometheus.instances[]` (`name`, `url`, `bearerToken`,
   * `maxConcurrentQueries`).
   * No instances is valid: Prometheus is optional.
   */
  static fromConfig(
    config: RootConfigService,
    options: Omit<PrometheusClientRegistryOptions, 'instances'> = {},
  ): PrometheusClientRegistry {
    const instances = (
      config.getOptionalConfigArray('praevisio.prometheus.instances') ?? []
    ).map(c => {
      const maxConcurrentQueries = c.getOptionalNumber('maxConcurrentQueries');
      if (
        maxConcurrentQueries !== undefined &&
        !(Number.isInteger(maxConcurrentQueries) && maxConcurrentQueries > 0)
      ) {
        throw new InputError(
          `praevisio.prometheus.instances[${c.getString(
            'name',
          )}].maxConcurrentQueries must be a positive integer, got ${maxConcurrentQueries}`,
        );
      }
      return {
        name: c.getString('name'),
        url: c.getString('url'),
        bearerToken: c.getOptionalString('bearerToken'),
        maxConcurrentQueries,
      };
    });
    return PrometheusClientRegistry.create({ ...options, instances });
  }

  static create(
    options: PrometheusClientRegistryOptions,
  ): PrometheusClientRegistry {
    return new PrometheusClientRegistry(options);
  }

  constructor(options: PrometheusClientRegistryOptions) {
    this.clients = new Map();
    for (const instance of options.instances) {
      if (this.clients.has(instance.name)) {
        throw new InputError(
          `Prometheus instance '${instance.name}' is configured more than once`,
        );
      }
      this.clients.set(
        instance.name,
        PrometheusClient.create({
          ...instance,
          logger: options.logger?.child({ prometheusInstance: instance.name }),
          http: options.http,
        }),
      );
    }
  }

  /** Whether any Prometheus is configured. */
  get isConfigured(): boolean {
    return this.clients.size > 0;
  }

  /** Configured instance names, in config order. */
  get instanceNames(): string[] {
    return [...this.clients.keys()];
  }

  /** All clients, in config order. */
  list(): PrometheusClient[] {
    return [...this.clients.values()];
  }

  /**
   * The client for an instance, or the first configured one when no name is
   * given.
   *
   * @throws NotFoundError - the instance is not configured
   */
  get(instanceName?: string): PrometheusClient {
    if (instanceName === undefined || instanceName === '') {
      const first = this.clients.values().next();
      if (first.done) {
        throw new NotFoundError(
          'No Prometheus instance is configured; add praevisio.prometheus.instances[] to app-config.yaml',
        );
      }
      return first.value;
    }
    const client = this.clients.get(instanceName);
    if (!client) {
      throw new NotFoundError(
        `Prometheus instance '${instanceName}' is not configured (configured: ${
          this.instanceNames.join(', ') || 'none'
        })`,
      );
    }
    return client;
  }
}
