import type { ArgoCdSimulator } from '../argocd';
import type { RolloutStatus, RolloutStrategy } from '../argocd/rolloutTypes';
import type { Application, K8sObject } from '../argocd/types';
import type { LiveResource } from '../argocd/workload';

export type Track = 'stable' | 'canary';

/** The pods of one ReplicaSet of one application: one set of series. */
export interface PodGroup {
  /** Argo CD application name, e.g. payments-api-prod. */
  app: string;
  /** Catalog entity name, e.g. payments-api. */
  service: string;
  /** dev | staging | prod (from the app's praevisio.io/environment label). */
  stage: string;
  /** The ReplicaSet's pod-template-hash (Rollout status stableRS / currentPodHash). */
  podTemplateHash: string;
  track: Track;
  /** Git revision the pods were built from (full SHA when Argo CD knows it). */
  revision: string;
  replicas: number;
  /** Share of the application's traffic this group receives, 0–100. */
  weight: number;
}

interface ReplicaSetInfo {
  hash: string;
  replicas: number;
  image: string;
}

/**
 * What the pods of every Argo CD application look like right now, read from
 * the live objects the simulator's workloads render (Rollout status,
 * ReplicaSets), exactly as a cluster observer would see them.
 */
export function argoCdPodGroups(argocd: ArgoCdSimulator): PodGroup[] {
  const groups: PodGroup[] = [];
  for (const name of argocd.applicationNames()) {
    const app = argocd.application(name);
    const resources = argocd.liveResources(name);
    if (!app || !resources) continue;
    groups.push(...podGroupsOf(app, resources));
  }
  return groups;
}

export function podGroupsOf(
  app: Application,
  resources: LiveResource[],
): PodGroup[] {
  const labels = app.metadata.labels ?? {};
  const service =
    labels['app.kubernetes.io/part-of'] ??
    resources.find(r => r.managed && isWorkload(r.object))?.object.metadata
      .name ??
    app.metadata.name;
  const stage =
    labels['praevisio.io/environment'] ??
    app.metadata.name.match(/-(dev|staging|prod)$/)?.[1] ??
    'unknown';
  const replicaSets = new Map<string, ReplicaSetInfo>();
  for (const { object } of resources) {
    if (object.kind !== 'ReplicaSet') continue;
    const meta = object.metadata.labels ?? {};
    const hash =
      meta['rollouts-pod-template-hash'] ?? meta['pod-template-hash'];
    if (!hash) continue;
    const spec = object.spec as {
      replicas?: number;
      template?: { spec?: { containers?: Array<{ image?: string }> } };
    };
    replicaSets.set(hash, {
      hash,
      replicas: spec.replicas ?? 0,
      image: spec.template?.spec?.containers?.[0]?.image ?? '',
    });
  }
  const base = { app: app.metadata.name, service, stage };
  const group = (
    rs: ReplicaSetInfo | undefined,
    track: Track,
    weight: number,
  ): PodGroup[] =>
    rs && rs.replicas > 0
      ? [
          {
            ...base,
            podTemplateHash: rs.hash,
            track,
            revision: revisionOf(app, rs.image),
            replicas: rs.replicas,
            weight,
          },
        ]
      : [];

  const rollout = resources.find(r => r.object.kind === 'Rollout')?.object;
  if (rollout) {
    const status = rollout.status as unknown as RolloutStatus;
    const strategy = (rollout.spec as { strategy?: RolloutStrategy }).strategy;
    const stable = replicaSets.get(status.stableRS);
    const canary =
      status.currentPodHash !== status.stableRS
        ? replicaSets.get(status.currentPodHash)
        : undefined;
    let canaryWeight = 0;
    if (canary && canary.replicas > 0 && strategy?.canary) {
      canaryWeight = strategy.canary.trafficRouting
        ? status.canary.weights?.canary.weight ?? 0
        : // Without traffic routing the weight is the replica ratio.
          (100 * canary.replicas) / (canary.replicas + (stable?.replicas ?? 0));
    }
    // A blue-green preview runs but receives no user traffic.
    return [
      ...group(stable, 'stable', 100 - canaryWeight),
      ...group(canary, 'canary', canaryWeight),
    ];
  }
  // A Deployment: the ReplicaSets that have pods share traffic by replicas.
  const running = [...replicaSets.values()].filter(rs => rs.replicas > 0);
  const total = running.reduce((sum, rs) => sum + rs.replicas, 0);
  return running.flatMap(rs =>
    group(rs, 'stable', (100 * rs.replicas) / total),
  );
}

function isWorkload(object: K8sObject): boolean {
  return object.kind === 'Rollout' || object.kind === 'Deployment';
}

/**
 * Images are tagged with the short SHA of the commit that produced the
 * manifests; map it back to the full revision Argo CD deployed.
 */
function revisionOf(app: Application, image: string): string {
  const tag = image.includes(':')
    ? image.slice(image.lastIndexOf(':') + 1)
    : '';
  if (!tag) return 'unknown';
  const known = [
    app.status.operationState?.syncResult?.revision,
    ...(app.status.history ?? []).map(h => h.revision).reverse(),
    app.status.sync.revision,
  ];
  return known.find(r => r?.startsWith(tag)) ?? tag;
}
