import type { HealthStatus, InfoEntry, K8sObject, ResourceNode } from './types';
import { formatTime, safeEncodedHash, stableUid } from './util';

/** A live Kubernetes object plus what Argo CD's cache derives from it. */
export interface LiveResource {
  object: K8sObject;
  health?: HealthStatus;
  info?: InfoEntry[];
  images?: string[];
  networkingInfo?: ResourceNode['networkingInfo'];
  /** Declared in Git (listed in `status.resources`) rather than controller-created. */
  managed: boolean;
}

export interface WorkloadContext {
  appName: string;
  namespace: string;
  createdAt: Date;
}

/** The part of an application that actually runs: a Deployment or a Rollout. */
export interface Workload {
  readonly kind: 'Deployment' | 'Rollout';
  readonly name: string;
  /** Image of the current pod template. */
  image(): string;
  /** A sync applied a pod template with this image; false when nothing changed. */
  applyImage(image: string, now: Date): boolean;
  /** One controller reconciliation: move the rollout one observable step on. */
  reconcile(now: Date): void;
  /** Health as Argo CD's health checks report it for the workload object. */
  health(): HealthStatus;
  /** The workload, its ReplicaSets/Pods/AnalysisRuns and its Services. */
  resources(): LiveResource[];
  /** A built-in resource action (Lua in Argo CD). */
  runAction(action: string, now: Date): void;
  /** Built-in action discovery for the workload object. */
  actions(): ResourceAction[];
}

export interface ResourceAction {
  name: string;
  disabled: boolean;
}

export const CONTAINER_PORT = 8080;

export function trackingAnnotations(
  ctx: WorkloadContext,
  group: string,
  kind: string,
  name: string,
): Record<string, string> {
  // Argo CD 3.x tracks resources by annotation by default.
  return {
    'argocd.argoproj.io/tracking-id': `${ctx.appName}:${group}/${kind}:${ctx.namespace}/${name}`,
  };
}

export function serviceResource(
  ctx: WorkloadContext,
  name: string,
  selector: Record<string, string>,
): LiveResource {
  const uid = stableUid(ctx.appName, 'Service', ctx.namespace, name);
  return {
    managed: true,
    health: { status: 'Healthy' },
    networkingInfo: { targetLabels: selector },
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name,
        namespace: ctx.namespace,
        uid,
        resourceVersion: '1',
        creationTimestamp: formatTime(ctx.createdAt),
        labels: { 'app.kubernetes.io/instance': ctx.appName },
        annotations: trackingAnnotations(ctx, '', 'Service', name),
      },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        ],
      },
      status: { loadBalancer: {} },
    },
  };
}

export interface ReplicaSetSpec {
  ownerKind: 'Deployment' | 'Rollout';
  ownerApiVersion: string;
  ownerName: string;
  ownerUid: string;
  podHash: string;
  image: string;
  replicas: number;
  revision: number;
  revisionAnnotation: string;
  createdAt: Date;
  extraPodLabels?: Record<string, string>;
}

/** A ReplicaSet and its pods, as the tree and `GET .../resource` show them. */
export function replicaSetResources(
  ctx: WorkloadContext,
  rs: ReplicaSetSpec,
): LiveResource[] {
  const rsName = `${rs.ownerName}-${rs.podHash}`;
  const rsUid = stableUid(ctx.appName, 'ReplicaSet', ctx.namespace, rsName);
  // Rollouts label their pods differently from the Deployment controller.
  const hashLabel =
    rs.ownerKind === 'Deployment'
      ? 'pod-template-hash'
      : 'rollouts-pod-template-hash';
  const labels: Record<string, string> = {
    app: rs.ownerName,
    [hashLabel]: rs.podHash,
    ...rs.extraPodLabels,
  };
  const createdAt = formatTime(rs.createdAt);
  const replicaSet: LiveResource = {
    managed: false,
    health: { status: 'Healthy' },
    info: [{ name: 'Revision', value: `Rev:${rs.revision}` }],
    images: [rs.image],
    object: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ctx.namespace,
        uid: rsUid,
        resourceVersion: String(rs.revision * 10 + rs.replicas),
        generation: 1,
        creationTimestamp: createdAt,
        labels,
        annotations: { [rs.revisionAnnotation]: String(rs.revision) },
        ownerReferences: [
          {
            apiVersion: rs.ownerApiVersion,
            kind: rs.ownerKind,
            name: rs.ownerName,
            uid: rs.ownerUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: rs.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: rs.ownerName,
                image: rs.image,
                ports: [
                  {
                    name: 'http',
                    containerPort: CONTAINER_PORT,
                    protocol: 'TCP',
                  },
                ],
              },
            ],
          },
        },
      },
      status: {
        replicas: rs.replicas,
        readyReplicas: rs.replicas,
        availableReplicas: rs.replicas,
        fullyLabeledReplicas: rs.replicas,
        observedGeneration: 1,
      },
    },
  };
  const pods: LiveResource[] = [];
  for (let i = 0; i < rs.replicas; i++) {
    const podName = `${rsName}-${safeEncodedHash(`${rsName}/${i}`, 5)}`;
    pods.push({
      managed: false,
      health: { status: 'Healthy' },
      images: [rs.image],
      info: [
        { name: 'Status Reason', value: 'Running' },
        { name: 'Node', value: `sandbox-worker-${(i % 3) + 1}` },
        { name: 'Containers', value: '1/1' },
      ],
      networkingInfo: { labels },
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: ctx.namespace,
          uid: stableUid(ctx.appName, 'Pod', ctx.namespace, podName),
          resourceVersion: '1',
          creationTimestamp: createdAt,
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rsName,
              uid: rsUid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          containers: [{ name: rs.ownerName, image: rs.image }],
          nodeName: `sandbox-worker-${(i % 3) + 1}`,
        },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            {
              name: rs.ownerName,
              image: rs.image,
              ready: true,
              restartCount: 0,
            },
          ],
        },
      },
    });
  }
  return [replicaSet, ...pods];
}
