import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  EnvironmentReleaseDto,
  ReleaseHistoryEntryDto,
  ReleaseHistoryPageDto,
  ReleasesOverviewDto,
} from '@praevisio/backstage-plugin-common';
import {
  Application,
  ArgoCdAuthenticationError,
  ArgoCdClient,
  ArgoCdClientRegistry,
  ResourceNode,
  RevisionHistory,
  Rollout,
  UpstreamRedirectError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '@praevisio/backstage-plugin-node';
import {
  EntityApplicationsQuery,
  queryKey,
  readEntityApplicationsQuery,
} from './EntityApplications';
import { EnvironmentResolver } from './EnvironmentResolver';
import {
  findRolloutRef,
  RolloutRef,
  toEnvironmentRelease,
  toHistoryEntries,
} from './releaseMapping';
import { RevisionMetadataCache } from './RevisionMetadataCache';
import { SingleFlight } from './SingleFlight';

type Problem = ReleasesOverviewDto['problems'][number];

/** What the command side needs to know about one application of an entity. */
export interface ApplicationTarget {
  entityRef: string;
  instance: string;
  application: string;
  project: string;
  environment: string;
  revision?: string;
  rollout?: RolloutRef;
  history: RevisionHistory[];
}

interface ApplicationSnapshot extends ApplicationTarget {
  release: EnvironmentReleaseDto;
}

interface Snapshot {
  fetchedAt: string;
  environments: EnvironmentReleaseDto[];
  problems: Problem[];
  apps: Map<string, ApplicationSnapshot>;
  /** Compared between refreshes to tell open pages that something changed. */
  fingerprint: string;
}

interface CacheEntry {
  entityRef: string;
  query: EntityApplicationsQuery;
  key: string;
  snapshot?: Snapshot;
  /** Epoch ms of the last load attempt, successful or not. */
  lastAttemptAt: number;
  /** Why the last attempt failed; set means what we serve is stale. */
  failure?: string;
  lastAccessAt: number;
  invalidated: boolean;
}

export interface ReleasesReadModelOptions {
  registry: ArgoCdClientRegistry;
  environments: EnvironmentResolver;
  logger: LoggerService;
  /** How long a loaded state is served before it is loaded again. */
  ttlMs: number;
  /** Entities nobody looked at for this long are dropped from the cache. */
  idleMs: number;
  /** Called when a refresh finds a different state than before. */
  onChange?: (entityRef: string) => void;
  clock?: () => number;
  /** Upper bound on cached entities, least recently viewed evicted first. */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 5000;
const REFRESH_CONCURRENCY = 4;

/** Argo CD (or the way to it) is down, as opposed to refusing one app. */
export function isUpstreamDown(error: unknown): boolean {
  return (
    UpstreamUnavailableError.is(error) ||
    UpstreamResponseError.is(error) ||
    UpstreamRedirectError.is(error) ||
    ArgoCdAuthenticationError.is(error)
  );
}

/**
 * The Releases read side. Each entity's state is loaded from Argo CD at most
 * once per TTL per replica, however many people look: concurrent viewers
 * share one load (single flight), and a scheduled task keeps the entities
 * being viewed fresh so that viewers rarely wait. When Argo CD cannot be
 * reached, the last known state is served marked `stale` and the next
 * attempt waits a TTL, so an outage causes no retry storm.
 */
export class ReleasesReadModel {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly flights = new SingleFlight<void>();
  private readonly metadata: RevisionMetadataCache;
  private readonly clock: () => number;

  static create(options: ReleasesReadModelOptions): ReleasesReadModel {
    return new ReleasesReadModel(options);
  }

  private constructor(private readonly options: ReleasesReadModelOptions) {
    this.clock = options.clock ?? (() => Date.now());
    this.metadata = RevisionMetadataCache.create({
      retryAfterMs: options.ttlMs,
      clock: this.clock,
    });
  }

  async getOverview(entity: Entity): Promise<ReleasesOverviewDto> {
    const entry = await this.current(entity);
    const snapshot = entry.snapshot!;
    return {
      entityRef: entry.entityRef,
      environments: snapshot.environments,
      fetchedAt: snapshot.fetchedAt,
      stale: entry.failure !== undefined,
      ...(entry.failure !== undefined
        ? {
            staleReason: `Argo CD '${entry.query.instance}' could not be reached; showing the state read at ${snapshot.fetchedAt}. ${entry.failure}`,
          }
        : {}),
      problems: snapshot.problems,
    };
  }

  /** Deploy history of the entity's applications, newest first, 0-based pages. */
  async getHistory(
    entity: Entity,
    options: { application?: string; page: number; pageSize: number },
  ): Promise<ReleaseHistoryPageDto> {
    const entry = await this.current(entity);
    const apps = [...entry.snapshot!.apps.values()].filter(
      a => !options.application || a.application === options.application,
    );
    if (options.application && apps.length === 0) {
      throw new InputError(
        `application: '${options.application}' is not an Argo CD application of ${entry.entityRef}`,
      );
    }
    const all = apps
      .flatMap(a =>
        toHistoryEntries({
          name: a.application,
          environment: a.environment,
          history: a.history,
        }),
      )
      .sort(
        (a, b) =>
          b.deployedAt.localeCompare(a.deployedAt) ||
          a.application.localeCompare(b.application) ||
          b.id - a.id,
      );
    const start = options.page * options.pageSize;
    const page = all.slice(start, start + options.pageSize);
    const client = this.options.registry.get(entry.query.instance);
    const items = await Promise.all(
      page.map(item => this.withCommit(client, apps, item)),
    );
    return {
      items,
      total: all.length,
      page: options.page,
      pageSize: options.pageSize,
    };
  }

  /**
   * One application of the entity, from the cached state.
   *
   * @throws NotFoundError - the application does not belong to the entity
   */
  async findApplication(
    entity: Entity,
    application: string,
  ): Promise<ApplicationTarget> {
    const entry = await this.current(entity);
    const app = entry.snapshot!.apps.get(application);
    if (!app) {
      const known = [...entry.snapshot!.apps.keys()].join(', ') || 'none';
      throw new NotFoundError(
        `Argo CD application '${application}' does not belong to ${entry.entityRef} (its applications: ${known})`,
      );
    }
    const { release: _release, ...target } = app;
    return target;
  }

  /** The next read of the entity loads from Argo CD again (after a command). */
  invalidate(entityRef: string): void {
    const entry = this.entries.get(entityRef);
    if (entry) {
      entry.invalidated = true;
    }
  }

  /**
   * The scheduled refresh: reloads entities viewed recently whose state is
   * older than half a TTL, and forgets entities nobody looks at.
   */
  async refreshActive(signal?: AbortSignal): Promise<void> {
    const now = this.clock();
    const due: CacheEntry[] = [];
    for (const [ref, entry] of this.entries) {
      if (now - entry.lastAccessAt > this.options.idleMs) {
        this.entries.delete(ref);
      } else if (now - entry.lastAttemptAt >= this.options.ttlMs / 2) {
        due.push(entry);
      }
    }
    for (
      let i = 0;
      i < due.length && !signal?.aborted;
      i += REFRESH_CONCURRENCY
    ) {
      await Promise.all(
        due.slice(i, i + REFRESH_CONCURRENCY).map(e => this.refresh(e)),
      );
    }
  }

  /** The entity's entry, loaded if it is missing, expired or invalidated. */
  private async current(entity: Entity): Promise<CacheEntry> {
    const entityRef = stringifyEntityRef(entity);
    const query = readEntityApplicationsQuery(
      entity,
      this.options.registry.instanceNames,
    );
    const key = queryKey(query);
    let entry = this.entries.get(entityRef);
    if (!entry || entry.key !== key) {
      entry = {
        entityRef,
        query,
        key,
        lastAttemptAt: Number.NEGATIVE_INFINITY,
        lastAccessAt: this.clock(),
        invalidated: false,
      };
      this.entries.set(entityRef, entry);
      this.evictOverflow();
    }
    entry.lastAccessAt = this.clock();
    if (
      entry.invalidated ||
      this.clock() - entry.lastAttemptAt >= this.options.ttlMs
    ) {
      await this.refresh(entry);
    }
    if (!entry.snapshot) {
      throw new ServiceUnavailableError(
        `Argo CD '${
          query.instance
        }' could not be reached and no earlier state of ${entityRef} is known. ${
          entry.failure ?? ''
        }`.trim(),
      );
    }
    return entry;
  }

  private refresh(entry: CacheEntry): Promise<void> {
    return this.flights.run(`${entry.entityRef}\n${entry.key}`, async () => {
      try {
        const snapshot = await this.load(entry.entityRef, entry.query);
        const changed =
          entry.snapshot !== undefined &&
          entry.snapshot.fingerprint !== snapshot.fingerprint;
        entry.snapshot = snapshot;
        entry.failure = undefined;
        if (changed) {
          this.options.onChange?.(entry.entityRef);
        }
      } catch (error) {
        if (!isUpstreamDown(error)) {
          this.options.logger.error(
            `Unexpected failure loading releases of ${entry.entityRef}`,
            error as Error,
          );
        }
        entry.failure = (error as Error).message;
      } finally {
        entry.lastAttemptAt = this.clock();
        entry.invalidated = false;
      }
    });
  }

  /**
   * Reads the entity's applications: with a selector one list call, with
   * names one get per app, plus the live Rollout where there is one. The
   * resource tree is only read when Argo CD did not list the managed
   * resources, since `status.resources` and `status.summary.images` already
   * carry what the tab shows.
   *
   * @throws when Argo CD is down; per-app refusals become `problems`
   */
  private async load(
    entityRef: string,
    query: EntityApplicationsQuery,
  ): Promise<Snapshot> {
    const client = this.options.registry.get(query.instance);
    const problems: Problem[] = [];
    const apps: Application[] = [];
    if (query.selector !== undefined) {
      try {
        apps.push(
          ...(await client.listApplications({
            selector: query.selector,
            projects: query.project ? [query.project] : undefined,
          })),
        );
      } catch (error) {
        if (isUpstreamDown(error)) throw error;
        problems.push({
          instance: query.instance,
          message: (error as Error).message,
        });
      }
    } else {
      const results = await Promise.allSettled(
        (query.appNames ?? []).map(name =>
          client.getApplication(name, { project: query.project }),
        ),
      );
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          apps.push(result.value);
        } else if (isUpstreamDown(result.reason)) {
          throw result.reason;
        } else {
          problems.push({
            instance: query.instance,
            application: query.appNames![i],
            message: (result.reason as Error).message,
          });
        }
      });
    }

    const snapshots = await Promise.all(
      apps.map(app => this.loadApplication(entityRef, client, app, problems)),
    );
    const environments = this.options.environments;
    snapshots.sort(
      (a, b) =>
        environments.compare(a.environment, b.environment) ||
        a.application.localeCompare(b.application),
    );
    const releases = snapshots.map(s => s.release);
    return {
      fetchedAt: new Date(this.clock()).toISOString(),
      environments: releases,
      problems,
      apps: new Map(snapshots.map(s => [s.application, s])),
      fingerprint: JSON.stringify([releases, problems]),
    };
  }

  private async loadApplication(
    entityRef: string,
    client: ArgoCdClient,
    app: Application,
    problems: Problem[],
  ): Promise<ApplicationSnapshot> {
    const name = app.metadata.name;
    const project = app.spec?.project || 'default';
    const scope = { project };
    const problem = (error: unknown, what: string) => {
      if (isUpstreamDown(error)) throw error;
      problems.push({
        instance: client.instanceName,
        application: name,
        message: `${what}: ${(error as Error).message}`,
      });
    };

    let treeNodes: ResourceNode[] | undefined;
    if (!app.status?.resources?.length) {
      try {
        treeNodes = (await client.getResourceTree(name, scope)).nodes;
      } catch (error) {
        problem(error, 'Could not read the resource tree');
      }
    }
    const rolloutRef = findRolloutRef(app, treeNodes);
    let rollout: Rollout | undefined;
    if (rolloutRef) {
      try {
        rollout = await client.getRollout(name, {
          ...scope,
          namespace: rolloutRef.namespace,
          resourceName: rolloutRef.name,
        });
      } catch (error) {
        problem(
          error,
          `Could not read Rollout '${rolloutRef.namespace}/${rolloutRef.name}'`,
        );
      }
    }
    const environment = this.options.environments.environmentOf(app);
    const release = toEnvironmentRelease(app, {
      instance: client.instanceName,
      environment,
      argoCdUrl: client.applicationWebUrl(name),
      rollout,
      treeNodes,
    });
    return {
      entityRef,
      instance: client.instanceName,
      application: name,
      project,
      environment,
      ...(release.revision ? { revision: release.revision } : {}),
      ...(rolloutRef ? { rollout: rolloutRef } : {}),
      history: app.status?.history ?? [],
      release,
    };
  }

  private async withCommit(
    client: ArgoCdClient,
    apps: ApplicationSnapshot[],
    item: ReleaseHistoryEntryDto,
  ): Promise<ReleaseHistoryEntryDto> {
    const app = apps.find(a => a.application === item.application)!;
    const commit = await this.metadata.get(client, {
      application: item.application,
      project: app.project,
      revision: item.revision,
    });
    return {
      ...item,
      ...(commit?.author ? { author: commit.author } : {}),
      ...(commit?.message ? { message: commit.message } : {}),
    };
  }

  private evictOverflow(): void {
    const max = this.options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (this.entries.size <= max) return;
    const oldest = [...this.entries.values()].sort(
      (a, b) => a.lastAccessAt - b.lastAccessAt,
    );
    for (const entry of oldest.slice(0, this.entries.size - max)) {
      this.entries.delete(entry.entityRef);
    }
  }
}
