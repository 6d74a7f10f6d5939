import type { HealthStatus, K8sObject } from './types';
import { formatTime, podTemplateHash, stableUid } from './util';
import {
  CONTAINER_PORT,
  LiveResource,
  ResourceAction,
  Workload,
  WorkloadContext,
  replicaSetResources,
  serviceResource,
  trackingAnnotations,
} from './workload';
import { ArgoApiError } from './errors';

interface ReplicaSetRecord {
  podHash: string;
  image: string;
  revision: number;
  createdAt: Date;
}

/**
 * A plain apps/v1 Deployment: a new pod template rolls out over one
 * reconciliation (Progressing), then the Deployment is Healthy again.
 */
export class DeploymentWorkload implements Workload {
  readonly kind = 'Deployment' as const;
  readonly name: string;
  private readonly ctx: WorkloadContext;
  private readonly replicas: number;
  private readonly uid: string;
  private generation = 1;
  private replicaSets: ReplicaSetRecord[];
  private ready = true;
  private restartedAt?: string;

  constructor(
    ctx: WorkloadContext,
    options: { name: string; replicas: number; image: string },
  ) {
    this.ctx = ctx;
    this.name = options.name;
    this.replicas = options.replicas;
    this.uid = stableUid(
      ctx.appName,
      'Deployment',
      ctx.namespace,
      options.name,
    );
    this.replicaSets = [
      {
        podHash: podTemplateHash(`${options.name}:${options.image}`),
        image: options.image,
        revision: 1,
        createdAt: ctx.createdAt,
      },
    ];
  }

  private get current(): ReplicaSetRecord {
    return this.replicaSets[this.replicaSets.length - 1];
  }

  image(): string {
    return this.current.image;
  }

  applyImage(image: string, now: Date): boolean {
    const podHash = podTemplateHash(
      `${this.name}:${image}${this.restartedAt ?? ''}`,
    );
    if (podHash === this.current.podHash) {
      return false;
    }
    this.generation++;
    this.replicaSets.push({
      podHash,
      image,
      revision: this.current.revision + 1,
      createdAt: now,
    });
    // The Deployment controller keeps old ReplicaSets (scaled to zero) for rollback.
    this.replicaSets = this.replicaSets.slice(-3);
    this.ready = false;
    return true;
  }

  reconcile(): void {
    this.ready = true;
  }

  health(): HealthStatus {
    if (this.ready) {
      return { status: 'Healthy' };
    }
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: 0 of ${this.replicas} updated replicas are available...`,
    };
  }

  runAction(action: string, now: Date): void {
    if (action !== 'restart') {
      throw new ArgoApiError(
        'Unknown',
        `error getting Lua resource action: built-in script does not exist`,
      );
    }
    // The restart action stamps kubectl.kubernetes.io/restartedAt on the
    // pod template, which is a new template and so a new ReplicaSet.
    this.restartedAt = formatTime(now);
    this.applyImage(this.current.image, now);
  }

  actions(): ResourceAction[] {
    return [{ name: 'restart', disabled: false }];
  }

  resources(): LiveResource[] {
    const current = this.current;
    const readyReplicas = this.ready ? this.replicas : 0;
    const deployment: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: this.name,
        namespace: this.ctx.namespace,
        uid: this.uid,
        resourceVersion: String(this.generation * 100 + (this.ready ? 1 : 0)),
        generation: this.generation,
        creationTimestamp: formatTime(this.ctx.createdAt),
        labels: {
          'app.kubernetes.io/instance': this.ctx.appName,
          app: this.name,
        },
        annotations: {
          'deployment.kubernetes.io/revision': String(current.revision),
          ...trackingAnnotations(this.ctx, 'apps', 'Deployment', this.name),
        },
      },
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: { app: this.name } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        },
        template: {
          metadata: {
            labels: { app: this.name },
            ...(this.restartedAt
              ? {
                  annotations: {
                    'kubectl.kubernetes.io/restartedAt': this.restartedAt,
                  },
                }
              : {}),
          },
          spec: {
            containers: [
              {
                name: this.name,
                image: current.image,
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
        observedGeneration: this.generation,
        replicas: this.replicas,
        updatedReplicas: readyReplicas,
        readyReplicas: this.replicas,
        availableReplicas: this.replicas,
      },
    };
    const children = this.replicaSets.flatMap(rs =>
      replicaSetResources(this.ctx, {
        ownerKind: 'Deployment',
        ownerApiVersion: 'apps/v1',
        ownerName: this.name,
        ownerUid: this.uid,
        podHash: rs.podHash,
        image: rs.image,
        replicas: rs === current ? this.replicas : 0,
        revision: rs.revision,
        revisionAnnotation: 'deployment.kubernetes.io/revision',
        createdAt: rs.createdAt,
      }),
    );
    return [
      serviceResource(this.ctx, this.name, { app: this.name }),
      {
        object: deployment,
        health: this.health(),
        images: [current.image],
        managed: true,
      },
      ...children,
    ];
  }
}
