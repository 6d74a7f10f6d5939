import {
  ApplicationRecord,
  SeedApplication,
  createRecord,
} from './application';
import { AppAction, Principal, enforce, isAllowed } from './auth';
import { applicationNotFound, permissionDenied } from './errors';
import { GitRepositories } from './git';
import type {
  Application,
  ApplicationTree,
  HealthStatusCode,
  ResourceNode,
  ResourceStatus,
} from './types';
import { formatTime } from './util';
import type { LiveResource } from './workload';

// health.IsWorse: an app is as healthy as its least healthy resource.
const HEALTH_ORDER: HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

export function groupVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

/** Applications, their Git repositories and the derived status of each. */
export class ApplicationStore {
  readonly git = new GitRepositories();
  private readonly records = new Map<string, ApplicationRecord>();
  private readonly knownProjects = new Set<string>(['default']);
  private resourceVersion = 1;
  private readonly clock: () => Date;

  constructor(clock: () => Date) {
    this.clock = clock;
  }

  add(seed: SeedApplication): void {
    if (this.records.has(seed.name)) {
      throw new Error(`Duplicate application ${seed.name}`);
    }
    const record = createRecord(seed, this.git, this.clock);
    this.records.set(record.name, record);
    this.knownProjects.add(record.project);
    this.refresh(record);
  }

  /** Every record, sorted by name like `ApplicationService.List`. */
  all(): ApplicationRecord[] {
    return [...this.records.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  find(name: string): ApplicationRecord | undefined {
    return this.records.get(name);
  }

  /** Like `find`, for test controls: unknown names are a programming error. */
  require(name: string): ApplicationRecord {
    const record = this.records.get(name);
    if (!record) {
      throw new Error(`Unknown application ${name}`);
    }
    return record;
  }

  hasProject(project: string): boolean {
    return this.knownProjects.has(project);
  }

  listResourceVersion(): string {
    return String(this.resourceVersion);
  }

  /**
   * getAppEnforceRBAC: with a project given, a missing or foreign app is
   * NotFound; without one, missing and forbidden both answer PermissionDenied
   * so callers cannot probe for application names.
   */
  lookup(
    principal: Principal,
    action: AppAction,
    name: string,
    project?: string,
  ): ApplicationRecord {
    if (project && !isAllowed(principal, action, project)) {
      throw permissionDenied();
    }
    const record = this.records.get(name);
    if (!record) {
      throw project ? applicationNotFound(name) : permissionDenied();
    }
    if (!isAllowed(principal, action, record.project)) {
      throw project ? applicationNotFound(name) : permissionDenied();
    }
    if (project && record.project !== project) {
      throw applicationNotFound(name);
    }
    return record;
  }

  /** A second, explicit check for actions beyond `get` (sync, update, …). */
  enforce(
    principal: Principal,
    action: AppAction,
    record: ApplicationRecord,
  ): void {
    enforce(principal, action, record.project, record.name);
  }

  /** Serves an Application the way the API does: a detached copy. */
  view(record: ApplicationRecord): Application {
    return structuredClone(record.app);
  }

  /** Records a change so the app's and the list's resourceVersion move on. */
  touch(record: ApplicationRecord): void {
    this.resourceVersion++;
    record.app.metadata.resourceVersion = String(this.resourceVersion);
  }

  /** Resolved target revision, or undefined when targetRevision does not resolve. */
  targetRevision(record: ApplicationRecord): string | undefined {
    try {
      return this.git.resolve(
        record.source.repoURL,
        record.source.targetRevision || 'HEAD',
        record.branch,
      );
    } catch {
      return undefined;
    }
  }

  /** Live manifests equal the target's: same commit last changed the path. */
  inSync(record: ApplicationRecord, target: string | undefined): boolean {
    if (!target) {
      return false;
    }
    const { repoURL, path = '' } = record.source;
    const live = this.git.manifestRevision(
      repoURL,
      path,
      record.deployedRevision,
    );
    const wanted = this.git.manifestRevision(repoURL, path, target);
    return live !== undefined && live === wanted;
  }

  /**
   * The application controller's comparison: recompute sync status, the
   * managed resources and aggregated health from the live workload.
   */
  refresh(record: ApplicationRecord, reconciled = false): void {
    const app = record.app;
    const before = JSON.stringify(app.status);
    const now = formatTime(this.clock());
    const target = this.targetRevision(record);
    let syncStatus: 'Synced' | 'OutOfSync' | 'Unknown' = 'Unknown';
    if (target !== undefined) {
      syncStatus = this.inSync(record, target) ? 'Synced' : 'OutOfSync';
    }
    app.status.sync = {
      status: syncStatus,
      ...(target ? { revision: target } : {}),
      comparedTo: {
        source: structuredClone(record.source),
        destination: structuredClone(app.spec.destination),
      },
    };
    const managed = record.workload.resources().filter(r => r.managed);
    app.status.resources = managed.map(r =>
      toResourceStatus(r, record, syncStatus),
    );
    const worst = managed
      .map(r => r.health?.status ?? 'Unknown')
      .reduce<HealthStatusCode>(
        (acc, h) =>
          HEALTH_ORDER.indexOf(h) > HEALTH_ORDER.indexOf(acc) ? h : acc,
        'Healthy',
      );
    if (app.status.health.status !== worst) {
      app.status.health = { status: worst, lastTransitionTime: now };
    }
    app.status.summary = { images: [record.workload.image()] };
    if (reconciled) {
      app.status.reconciledAt = now;
    }
    if (JSON.stringify(app.status) !== before) {
      this.touch(record);
    }
  }

  tree(record: ApplicationRecord): ApplicationTree {
    return { nodes: record.workload.resources().map(toResourceNode) };
  }

  /** tree.FindNode: matched on group, kind, namespace and name. */
  findResource(
    record: ApplicationRecord,
    ref: { group: string; kind: string; namespace: string; name: string },
  ): LiveResource | undefined {
    return record.workload.resources().find(r => {
      const { group } = groupVersion(r.object.apiVersion);
      return (
        group === ref.group &&
        r.object.kind === ref.kind &&
        r.object.metadata.name === ref.name &&
        (r.object.metadata.namespace ?? '') === ref.namespace
      );
    });
  }
}

function toResourceStatus(
  resource: LiveResource,
  record: ApplicationRecord,
  appSync: 'Synced' | 'OutOfSync' | 'Unknown',
): ResourceStatus {
  const { group, version } = groupVersion(resource.object.apiVersion);
  // Only the workload's pod template differs between revisions.
  const isWorkload = resource.object.kind === record.workload.kind;
  return {
    ...(group ? { group } : {}),
    version,
    kind: resource.object.kind,
    namespace: resource.object.metadata.namespace,
    name: resource.object.metadata.name,
    status: isWorkload ? appSync : 'Synced',
    ...(resource.health ? { health: resource.health } : {}),
  };
}

function toResourceNode(resource: LiveResource): ResourceNode {
  const { object } = resource;
  const { group, version } = groupVersion(object.apiVersion);
  const parentRefs = object.metadata.ownerReferences?.map(owner => {
    const ownerGv = groupVersion(owner.apiVersion);
    return {
      ...(ownerGv.group ? { group: ownerGv.group } : {}),
      kind: owner.kind,
      namespace: object.metadata.namespace,
      name: owner.name,
      uid: owner.uid,
    };
  });
  return {
    ...(group ? { group } : {}),
    version,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    uid: object.metadata.uid,
    ...(object.metadata.resourceVersion
      ? { resourceVersion: object.metadata.resourceVersion }
      : {}),
    createdAt: object.metadata.creationTimestamp,
    ...(parentRefs ? { parentRefs } : {}),
    ...(resource.health ? { health: resource.health } : {}),
    ...(resource.info ? { info: resource.info } : {}),
    ...(resource.images ? { images: resource.images } : {}),
    ...(resource.networkingInfo
      ? { networkingInfo: resource.networkingInfo }
      : {}),
  };
}
