/*
 * Realistic Argo CD answers, modelled on what argocd-server v2.14/v3.x sends
 * and checked against the swagger response schemas in the contract test.
 */

const SHA_OLD = '0d1e5e5c3a4b2f9e8d7c6b5a4f3e2d1c0b9a8f7e';
const SHA_NEW = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

/** A JWT as Argo CD issues it (HS256, unsigned here); `exp` in seconds. */
export function fakeJwt(subject: string, expSeconds?: number): string {
  const enc = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  return [
    enc({ alg: 'HS256', typ: 'JWT' }),
    enc({
      iss: 'argocd',
      sub: `${subject}:login`,
      jti: `${subject}-${Math.random().toString(36).slice(2)}`,
      iat: 1_700_000_000,
      nbf: 1_700_000_000,
      ...(expSeconds !== undefined ? { exp: expSeconds } : {}),
    }),
    Buffer.from(`signature-of-${subject}`).toString('base64url'),
  ].join('.');
}

export const source = {
  repoURL: 'https://github.com/example/shop-deploy.git',
  path: 'overlays/prod',
  targetRevision: 'main',
};

export const rolloutObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    name: 'shop',
    namespace: 'shop',
    uid: '5b0d3c5e-7a43-4a25-9a0e-3b8c1f3f6e11',
    generation: 7,
    labels: { 'app.kubernetes.io/instance': 'shop-prod' },
  },
  spec: {
    replicas: 4,
    strategy: {
      canary: {
        steps: [
          { setWeight: 25 },
          { pause: {} },
          { setWeight: 50 },
          { pause: { duration: '10m' } },
        ],
      },
    },
  },
  status: {
    phase: 'Paused',
    message: 'CanaryPauseStep',
    pauseConditions: [
      { reason: 'CanaryPauseStep', startTime: '2025-06-02T10:15:00Z' },
    ],
    controllerPause: true,
    currentStepIndex: 1,
    currentPodHash: '6d8f7b9c5d',
    stableRS: '7c9b8d6f4b',
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 4,
    availableReplicas: 4,
    observedGeneration: '7',
    canary: {
      weights: {
        canary: { weight: 25, podTemplateHash: '6d8f7b9c5d' },
        stable: { weight: 75, podTemplateHash: '7c9b8d6f4b' },
      },
    },
  },
};

export const application = {
  metadata: {
    name: 'shop-prod',
    namespace: 'argocd',
    uid: '1f7c1b9e-2a77-4c4e-8d0a-0b7f4b9c2d31',
    resourceVersion: '184467',
    generation: 42,
    creationTimestamp: '2025-01-10T08:00:00Z',
    labels: {
      'backstage.io/kubernetes-id': 'shop',
      'praevisio.io/environment': 'prod',
    },
    annotations: {
      'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'shop',
    },
  },
  spec: {
    project: 'payments',
    source,
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'shop',
    },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
      retry: {
        limit: 5,
        backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
      },
    },
    revisionHistoryLimit: 10,
  },
  status: {
    sync: {
      status: 'Synced',
      revision: SHA_NEW,
      comparedTo: {
        source,
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'shop',
        },
      },
    },
    health: { status: 'Suspended', lastTransitionTime: '2025-06-02T10:15:02Z' },
    history: [
      {
        id: 11,
        revision: SHA_OLD,
        deployStartedAt: '2025-05-30T09:00:00Z',
        deployedAt: '2025-05-30T09:00:41Z',
        source,
        initiatedBy: { username: 'alice@example.com' },
      },
      {
        id: 12,
        revision: SHA_NEW,
        deployStartedAt: '2025-06-02T10:14:10Z',
        deployedAt: '2025-06-02T10:14:52Z',
        source,
        initiatedBy: { automated: true },
      },
    ],
    operationState: {
      operation: {
        sync: {
          revision: SHA_NEW,
          prune: true,
          syncOptions: ['CreateNamespace=true'],
        },
        initiatedBy: { automated: true },
        retry: { limit: 5 },
      },
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: '2025-06-02T10:14:10Z',
      finishedAt: '2025-06-02T10:14:52Z',
      syncResult: {
        revision: SHA_NEW,
        source,
        resources: [
          {
            group: 'argoproj.io',
            version: 'v1alpha1',
            kind: 'Rollout',
            namespace: 'shop',
            name: 'shop',
            status: 'Synced',
            message: 'rollout.argoproj.io/shop configured',
            hookPhase: 'Running',
            syncPhase: 'Sync',
          },
        ],
      },
    },
    resources: [
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'shop',
        name: 'shop',
        status: 'Synced',
        health: { status: 'Suspended', message: 'Rollout is paused' },
      },
      {
        version: 'v1',
        kind: 'Service',
        namespace: 'shop',
        name: 'shop',
        status: 'Synced',
        health: { status: 'Healthy' },
      },
    ],
    reconciledAt: '2025-06-02T10:20:00Z',
    sourceType: 'Kustomize',
    summary: {
      images: ['ghcr.io/example/shop:1.8.0', 'ghcr.io/example/shop:1.9.0'],
    },
    controllerNamespace: 'argocd',
  },
};

export const applicationList = {
  metadata: { resourceVersion: '184470' },
  items: [application],
};

export const resourceTree = {
  nodes: [
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace: 'shop',
      name: 'shop',
      uid: rolloutObject.metadata.uid,
      resourceVersion: '184401',
      health: { status: 'Suspended', message: 'Rollout is paused' },
      info: [{ name: 'Revision', value: 'Rev:12' }],
      createdAt: '2025-01-10T08:01:00Z',
    },
    {
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      namespace: 'shop',
      name: 'shop-6d8f7b9c5d',
      uid: '8e2d4b8a-1111-4c1d-9a3e-5f6a7b8c9d0e',
      parentRefs: [
        {
          group: 'argoproj.io',
          kind: 'Rollout',
          namespace: 'shop',
          name: 'shop',
          uid: rolloutObject.metadata.uid,
        },
      ],
      info: [{ name: 'Revision', value: 'Rev:12' }],
      health: { status: 'Healthy' },
      images: ['ghcr.io/example/shop:1.9.0'],
      createdAt: '2025-06-02T10:14:20Z',
    },
    {
      version: 'v1',
      kind: 'Service',
      namespace: 'shop',
      name: 'shop',
      uid: '0a1b2c3d-2222-4e5f-8a9b-0c1d2e3f4a5b',
      health: { status: 'Healthy' },
      networkingInfo: {
        targetLabels: { app: 'shop' },
        externalURLs: ['https://shop.example.com'],
      },
    },
  ],
  hosts: [{ name: 'node-a', resourcesInfo: [] }],
};

export const resourceResponse = { manifest: JSON.stringify(rolloutObject) };

export const revisionMetadata = {
  author: 'Alice Example <alice@example.com>',
  date: '2025-06-02T09:58:11Z',
  message: 'shop: bump image to 1.9.0\n\nRelease notes: PAY-1234',
  tags: ['v1.9.0'],
};

/** The grpc-gateway error body. */
export function grpcError(code: number, message: string) {
  return { error: message, code, message, details: [] };
}

/** gRPC codes used by Argo CD. */
export const GrpcCode = {
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  FailedPrecondition: 9,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;
