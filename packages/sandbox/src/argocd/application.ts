import { DeploymentWorkload } from './deployment';
import type { CommitInfo, GitRepositories } from './git';
import { RolloutWorkload } from './rollouts';
import type { RolloutStrategy } from './rolloutTypes';
import type {
  Application,
  ApplicationDestination,
  ApplicationSource,
  InfoEntry,
  OperationInitiator,
  RevisionHistory,
  SyncPolicy,
} from './types';
import { fakeSha, formatTime, stableUid } from './util';
import type { Workload } from './workload';

/** A deployment already in the app's history when the simulator starts. */
export interface SeedDeployment {
  revision: string;
  deployedAt?: string;
  deployStartedAt?: string;
  initiatedBy?: OperationInitiator;
}

export interface SeedWorkload {
  /** Default `Deployment`. */
  kind?: 'Deployment' | 'Rollout';
  /** Default: the `app.kubernetes.io/part-of` label, else the app name. */
  name?: string;
  /** Default 3. */
  replicas?: number;
  /** Image repository without tag; the tag is the short SHA of the manifests' commit. */
  image?: string;
  /** Required for a Rollout: exactly one of `canary` / `blueGreen`. */
  strategy?: RolloutStrategy;
}

/** How to describe an application to `ArgoCdSimulator.create`. */
export interface SeedApplication {
  name: string;
  /** Default `default`. */
  project?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Defaults: a per-app repo, path `deploy`, targetRevision `HEAD`. */
  source?: Partial<ApplicationSource>;
  /** Default: in-cluster, namespace = app name. */
  destination?: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  revisionHistoryLimit?: number;
  info?: InfoEntry[];
  workload?: SeedWorkload;
  /** Commits that changed this app's manifests, oldest first. */
  commits?: CommitInfo[];
  /** Past syncs, oldest first (default: every commit). The last one is live. */
  history?: SeedDeployment[];
  /** Default: the first commit's date. */
  createdAt?: string;
}

export const ARGOCD_NAMESPACE = 'argocd';
export const IN_CLUSTER = 'https://kubernetes.default.svc';
const DEFAULT_HISTORY_LIMIT = 10;

/** One Application plus the simulator's private bookkeeping about it. */
export class ApplicationRecord {
  readonly app: Application;
  workload: Workload;
  /** Revision of the last successful sync: what is live. */
  deployedRevision: string;
  /** The controller has picked up `app.operation` (its state is ours). */
  operationStarted = false;
  failNextSync = false;
  private readonly imageRepository: string;

  constructor(
    app: Application,
    workload: Workload,
    deployedRevision: string,
    imageRepository: string,
  ) {
    this.app = app;
    this.workload = workload;
    this.deployedRevision = deployedRevision;
    this.imageRepository = imageRepository;
  }

  get name(): string {
    return this.app.metadata.name;
  }

  /** Argo CD treats an empty project as `default`. */
  get project(): string {
    return this.app.spec.project || 'default';
  }

  get source(): ApplicationSource {
    return this.app.spec.source ?? { repoURL: '' };
  }

  /** SyncPolicy.IsAutomatedSyncEnabled: `automated` set and not `enabled: false`. */
  get autoSyncEnabled(): boolean {
    const automated = this.app.spec.syncPolicy?.automated;
    return !!automated && automated.enabled !== false;
  }

  get historyLimit(): number {
    return this.app.spec.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  /** The branch the targetRevision names (for resolving "HEAD"-like refs). */
  get branch(): string {
    const target = this.source.targetRevision ?? '';
    return target === '' || target === 'HEAD' ? 'main' : target;
  }

  imageFor(git: GitRepositories, revision: string): string {
    return renderImage(git, this.source, this.imageRepository, revision);
  }

  appendHistory(entry: Omit<RevisionHistory, 'id'>): void {
    const history = this.app.status.history ?? [];
    const id = history.length ? history[history.length - 1].id + 1 : 0;
    history.push({ id, ...entry });
    const limit = this.historyLimit;
    this.app.status.history = limit > 0 ? history.slice(-limit) : [];
  }
}

/**
 * The image the manifests at `revision` deploy: tagged with the commit that
 * last changed the app's path, so revisions that did not touch the path
 * render identical manifests.
 */
function renderImage(
  git: GitRepositories,
  source: ApplicationSource,
  imageRepository: string,
  revision: string,
): string {
  const manifests =
    git.manifestRevision(source.repoURL, source.path ?? '', revision) ??
    revision;
  return `${imageRepository}:${manifests.slice(0, 7)}`;
}

/** Builds a record from a seed, registering its commits in `git`. */
export function createRecord(
  seed: SeedApplication,
  git: GitRepositories,
  clock: () => Date,
): ApplicationRecord {
  const labels = { ...seed.labels };
  const workloadName =
    seed.workload?.name ?? labels['app.kubernetes.io/part-of'] ?? seed.name;
  const source: ApplicationSource = {
    repoURL: `https://github.com/praevisio-sandbox/${workloadName}.git`,
    path: 'deploy',
    targetRevision: 'HEAD',
    ...seed.source,
  };
  const destination = {
    server: IN_CLUSTER,
    namespace: seed.name,
    ...seed.destination,
  };
  const firstDate =
    seed.commits?.[0]?.date ?? seed.createdAt ?? formatTime(clock());
  const commits: CommitInfo[] = seed.commits?.length
    ? seed.commits
    : [
        {
          revision: fakeSha(`${seed.name}/initial`),
          author: 'Praevisio Sandbox <sandbox@praevisio.io>',
          message: `Add ${workloadName} manifests`,
          date: firstDate,
        },
      ];
  for (const commit of commits) {
    git.addCommit(source.repoURL, source.path ?? '', {
      ...commit,
      revision: commit.revision.toLowerCase(),
    });
  }
  git.sortByDate();

  const automated = !!seed.syncPolicy?.automated;
  const deployments: SeedDeployment[] =
    seed.history ?? commits.map(c => ({ revision: c.revision }));
  if (deployments.length === 0) {
    throw new Error(
      `Seed ${seed.name}: needs at least one deployment in history`,
    );
  }
  const createdAt = seed.createdAt ?? firstDate;
  const app: Application = {
    metadata: {
      name: seed.name,
      namespace: ARGOCD_NAMESPACE,
      uid: stableUid('Application', seed.name),
      resourceVersion: '1',
      generation: 1,
      creationTimestamp: createdAt,
      labels,
      ...(seed.annotations ? { annotations: { ...seed.annotations } } : {}),
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: seed.project ?? 'default',
      source,
      destination,
      ...(seed.syncPolicy
        ? { syncPolicy: structuredClone(seed.syncPolicy) }
        : {}),
      ...(seed.revisionHistoryLimit !== undefined
        ? { revisionHistoryLimit: seed.revisionHistoryLimit }
        : {}),
      ...(seed.info ? { info: seed.info } : {}),
    },
    status: {
      sync: { status: 'Unknown' },
      health: { status: 'Unknown' },
      sourceType: 'Kustomize',
      controllerNamespace: ARGOCD_NAMESPACE,
    },
  };

  const imageRepository =
    seed.workload?.image ?? `ghcr.io/praevisio-sandbox/${workloadName}`;
  const last = deployments[deployments.length - 1].revision.toLowerCase();
  const ctx = {
    appName: seed.name,
    namespace: destination.namespace ?? seed.name,
    createdAt: new Date(createdAt),
  };
  const image = renderImage(git, source, imageRepository, last);
  const replicas = seed.workload?.replicas ?? 3;
  let workload: Workload;
  if (seed.workload?.kind === 'Rollout') {
    if (!seed.workload.strategy) {
      throw new Error(`Seed ${seed.name}: a Rollout needs a strategy`);
    }
    workload = new RolloutWorkload(ctx, {
      name: workloadName,
      replicas,
      image,
      strategy: normalizeStrategy(workloadName, seed.workload.strategy),
    });
  } else {
    workload = new DeploymentWorkload(ctx, {
      name: workloadName,
      replicas,
      image,
    });
  }
  const record = new ApplicationRecord(app, workload, last, imageRepository);

  for (const deployment of deployments) {
    const revision = deployment.revision.toLowerCase();
    if (!git.has(source.repoURL, revision)) {
      throw new Error(
        `Seed ${seed.name}: history revision ${revision} is not a known commit`,
      );
    }
    const commitDate = Date.parse(
      commits.find(c => c.revision.toLowerCase() === revision)?.date ??
        createdAt,
    );
    const startedAt =
      deployment.deployStartedAt ?? formatTime(new Date(commitDate + 60_000));
    record.appendHistory({
      revision,
      deployStartedAt: startedAt,
      deployedAt:
        deployment.deployedAt ??
        formatTime(new Date(Date.parse(startedAt) + 45_000)),
      source: structuredClone(source),
      initiatedBy:
        deployment.initiatedBy ??
        (automated ? { automated: true } : { username: 'admin' }),
    });
  }
  const lastDeployment = app.status.history?.[app.status.history.length - 1];
  if (lastDeployment) {
    app.status.operationState = {
      operation: {
        sync: { revision: last, source: structuredClone(source) },
        initiatedBy: lastDeployment.initiatedBy,
        retry: {},
      },
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: lastDeployment.deployStartedAt ?? lastDeployment.deployedAt,
      finishedAt: lastDeployment.deployedAt,
      syncResult: { revision: last, source: structuredClone(source) },
    };
  }
  return record;
}

/** Traffic-routed canaries need both services named; default them like the docs do. */
function normalizeStrategy(
  name: string,
  strategy: RolloutStrategy,
): RolloutStrategy {
  const copy = structuredClone(strategy);
  if (copy.canary?.trafficRouting) {
    copy.canary.stableService ??= name;
    copy.canary.canaryService ??= `${name}-canary`;
  }
  return copy;
}
