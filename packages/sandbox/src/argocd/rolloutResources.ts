import type { HealthStatus, K8sObject } from './types';
import type {
  AnalysisRunStatus,
  RolloutStatus,
  RolloutStrategy,
} from './rolloutTypes';
import { formatTime, stableUid } from './util';
import {
  CONTAINER_PORT,
  LiveResource,
  WorkloadContext,
  replicaSetResources,
  serviceResource,
  trackingAnnotations,
} from './workload';

export interface ReplicaSetRecord {
  podHash: string;
  image: string;
  revision: number;
  createdAt: Date;
}

export interface AnalysisRunRecord extends AnalysisRunStatus {
  templates: string[];
  podHash: string;
  createdAt: Date;
}

/** What the Rollout controller knows, as needed to render live objects. */
export interface RolloutView {
  ctx: WorkloadContext;
  name: string;
  uid: string;
  generation: number;
  revision: number;
  replicas: number;
  strategy: RolloutStrategy;
  status: RolloutStatus;
  paused: boolean;
  restartAt?: string;
  image: string;
  health: HealthStatus;
  replicaSets: Array<ReplicaSetRecord & { replicas: number }>;
  analysisRuns: AnalysisRunRecord[];
}

function serviceNames(
  v: RolloutView,
): Array<{ name: string; podHash: string }> {
  const s = v.status;
  const { canary, blueGreen } = v.strategy;
  if (blueGreen) {
    return [
      {
        name: blueGreen.activeService,
        podHash: s.blueGreen.activeSelector ?? s.stableRS,
      },
      ...(blueGreen.previewService
        ? [
            {
              name: blueGreen.previewService,
              podHash: s.blueGreen.previewSelector ?? s.stableRS,
            },
          ]
        : []),
    ];
  }
  const stableService = canary?.stableService ?? v.name;
  return [
    { name: stableService, podHash: s.stableRS },
    ...(canary?.canaryService
      ? [{ name: canary.canaryService, podHash: s.currentPodHash }]
      : []),
  ];
}

function rolloutObject(v: RolloutView): K8sObject {
  const strategy = JSON.parse(JSON.stringify(v.strategy));
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: v.name,
      namespace: v.ctx.namespace,
      uid: v.uid,
      resourceVersion: String(v.generation * 1000 + v.revision),
      generation: v.generation,
      creationTimestamp: formatTime(v.ctx.createdAt),
      labels: {
        'app.kubernetes.io/instance': v.ctx.appName,
        app: v.name,
      },
      annotations: {
        'rollout.argoproj.io/revision': String(v.revision),
        ...trackingAnnotations(v.ctx, 'argoproj.io', 'Rollout', v.name),
      },
    },
    spec: {
      replicas: v.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: v.name } },
      strategy,
      ...(v.paused ? { paused: true } : {}),
      ...(v.restartAt ? { restartAt: v.restartAt } : {}),
      template: {
        metadata: { labels: { app: v.name } },
        spec: {
          containers: [
            {
              name: v.name,
              image: v.image,
              ports: [
                {
                  name: 'http',
                  containerPort: CONTAINER_PORT,
                  protocol: 'TCP',
                },
              ],
              resources: {},
            },
          ],
        },
      },
    },
    status: JSON.parse(JSON.stringify(v.status)),
  };
}

function analysisRunResource(
  v: RolloutView,
  run: AnalysisRunRecord,
): LiveResource {
  const phaseHealth: Record<AnalysisRunStatus['status'], HealthStatus> = {
    Running: { status: 'Progressing' },
    Successful: { status: 'Healthy' },
    Failed: { status: 'Degraded', message: run.message },
  };
  return {
    managed: false,
    health: phaseHealth[run.status],
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: run.name,
        namespace: v.ctx.namespace,
        uid: stableUid(v.ctx.appName, 'AnalysisRun', v.ctx.namespace, run.name),
        resourceVersion: '1',
        creationTimestamp: formatTime(run.createdAt),
        labels: { 'rollouts-pod-template-hash': run.podHash },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: v.name,
            uid: v.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        metrics: run.templates.map(t => ({
          name: t,
          provider: { prometheus: { address: 'http://prometheus:9090' } },
        })),
      },
      status: {
        phase: run.status,
        ...(run.message ? { message: run.message } : {}),
      },
    },
  };
}

/**
 * The Rollout, its Services (selectors pinned to pod-template hashes the way
 * the Rollouts controller does), ReplicaSets, Pods and AnalysisRuns.
 */
export function rolloutResources(v: RolloutView): LiveResource[] {
  const services = serviceNames(v).map(svc =>
    serviceResource(v.ctx, svc.name, {
      app: v.name,
      'rollouts-pod-template-hash': svc.podHash,
    }),
  );
  const replicaSets = v.replicaSets.flatMap(rs =>
    replicaSetResources(v.ctx, {
      ownerKind: 'Rollout',
      ownerApiVersion: 'argoproj.io/v1alpha1',
      ownerName: v.name,
      ownerUid: v.uid,
      podHash: rs.podHash,
      image: rs.image,
      replicas: rs.replicas,
      revision: rs.revision,
      revisionAnnotation: 'rollout.argoproj.io/revision',
      createdAt: rs.createdAt,
    }),
  );
  return [
    ...services,
    {
      object: rolloutObject(v),
      health: v.health,
      images: [v.image],
      managed: true,
    },
    ...replicaSets,
    ...v.analysisRuns.map(run => analysisRunResource(v, run)),
  ];
}
