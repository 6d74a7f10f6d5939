import { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  CanaryAnalysisDto,
  DeploymentDto,
  EnvironmentReleaseDto,
  GateDecisionDto,
  GateEvaluationDto,
  GatesOverviewDto,
  ReleaseHistoryPageDto,
  ReleasesOverviewDto,
  RolloutStatusDto,
} from '@praevisio/backstage-plugin-common';
import { PraevisioApi, praevisioApiRef } from '../../../api/PraevisioApi';

// permission-common (AuthorizeResult) is not a dependency of this package.
type Decision = Awaited<ReturnType<PermissionApi['authorize']>>['result'];
export const ALLOW = 'ALLOW' as unknown as Decision;
export const DENY = 'DENY' as unknown as Decision;

export const SHA_PROD = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const SHA_PREV = '0000000bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
export const SHA_NEW = '2222222ccccccccccccccccccccccccccccccccc';

/**
 * A component owned by team-payments. Give each permission scenario its own
 * name: usePermission caches decisions per (permission, resourceRef) in SWR
 * across tests of a file.
 */
export function makeEntity(name = 'payments'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'argocd/app-name': name },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
    },
  };
}

export function canaryRollout(
  overrides: Partial<RolloutStatusDto> = {},
): RolloutStatusDto {
  return {
    name: 'payments',
    namespace: 'payments-prod',
    strategy: 'canary',
    phase: 'Paused',
    steps: [
      { index: 0, kind: 'setWeight', description: '20%' },
      { index: 1, kind: 'pause', description: 'indefinite' },
      { index: 2, kind: 'analysis', description: 'success-rate' },
      { index: 3, kind: 'setWeight', description: '100%' },
    ],
    currentStepIndex: 1,
    canaryWeight: 20,
    pauseReasons: ['CanaryPauseStep'],
    aborted: false,
    analysisRun: { name: 'payments-7f9-2', phase: 'Running' },
    stableRevision: SHA_PROD,
    canaryRevision: SHA_NEW,
    ...overrides,
  };
}

export function makeEnvironment(
  overrides: Partial<EnvironmentReleaseDto> = {},
): EnvironmentReleaseDto {
  return {
    environment: 'prod',
    instance: 'main',
    application: 'payments-prod',
    project: 'payments',
    namespace: 'payments',
    revision: SHA_PROD,
    targetRevision: 'main',
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    images: ['ghcr.io/acme/payments:1.4.2'],
    lastDeployedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    lastDeployedBy: 'alice',
    autoSync: false,
    rollbackTargets: [
      { id: 12, revision: SHA_PROD, deployedAt: '2025-01-02T10:00:00Z' },
      { id: 11, revision: SHA_PREV, deployedAt: '2025-01-01T10:00:00Z' },
    ],
    argoCdUrl: 'https://argocd.example.com/applications/payments-prod',
    ...overrides,
  };
}

export function makeOverview(
  overrides: Partial<ReleasesOverviewDto> = {},
): ReleasesOverviewDto {
  return {
    entityRef: 'component:default/payments',
    environments: [
      makeEnvironment({
        environment: 'dev',
        application: 'payments-dev',
        revision: SHA_NEW,
        autoSync: true,
        syncStatus: 'OutOfSync',
        healthStatus: 'Progressing',
        lastDeployedBy: 'argo-bot',
      }),
      makeEnvironment(),
    ],
    fetchedAt: new Date().toISOString(),
    stale: false,
    problems: [],
    ...overrides,
  };
}

export function makeDeployment(
  overrides: Partial<DeploymentDto> = {},
): DeploymentDto {
  return {
    id: 'd-1',
    entityRef: 'component:default/payments',
    instance: 'main',
    application: 'payments-prod',
    environment: 'prod',
    kind: 'sync',
    fromRevision: SHA_PREV,
    toRevision: SHA_PROD,
    state: 'succeeded',
    requestedBy: 'user:default/alice',
    requestedAt: '2025-01-02T09:59:00Z',
    updatedAt: '2025-01-02T10:00:00Z',
    ...overrides,
  };
}

export function makeHistoryPage(
  page: number,
  pageSize = 10,
  total = 25,
): ReleaseHistoryPageDto {
  const count = Math.max(0, Math.min(pageSize, total - page * pageSize));
  return {
    items: Array.from({ length: count }, (_, i) => {
      const n = page * pageSize + i;
      return {
        id: 100 - n,
        environment: 'prod',
        application: 'payments-prod',
        revision: `${String(n).padStart(7, '0')}${'d'.repeat(33)}`,
        deployedAt: '2025-01-02T10:00:00Z',
        author: `author-${n}`,
        message: `commit message ${n}`,
        initiatedBy: n % 2 ? 'automated' : 'alice',
      };
    }),
    total,
    page,
    pageSize,
  };
}

export function makeGateEvaluation(
  overrides: Partial<GateEvaluationDto> = {},
): GateEvaluationDto {
  return {
    id: 'ev-1',
    entityRef: 'component:default/payments',
    environment: 'prod',
    application: 'payments-prod',
    provider: 'prometheus',
    window: { start: '2025-01-02T09:55:00Z', end: '2025-01-02T10:00:00Z' },
    result: 'pass',
    score: 100,
    indicatorResults: [
      {
        displayName: 'Response time p95',
        keySli: false,
        status: 'pass',
        score: 1,
        value: {
          metric: 'response_time_p95',
          value: 412.5,
          comparedValue: 400,
          success: true,
        },
        passTargets: [
          { criteria: '<=+10%', targetValue: 440, violated: false },
          { criteria: '<600', targetValue: 600, violated: false },
        ],
        warningTargets: [
          { criteria: '<=800', targetValue: 800, violated: false },
        ],
      },
    ],
    values: { response_time_p95: 412.5 },
    errors: {},
    comparedEvaluationIds: ['ev-0'],
    sloLocation: 'github.com/acme/payments/slo.yaml',
    trigger: 'automatic',
    triggeredBy: 'praevisio',
    createdAt: '2025-01-02T10:00:05Z',
    ...overrides,
  };
}

export function makeCanaryAnalysis(
  overrides: Partial<CanaryAnalysisDto> = {},
): CanaryAnalysisDto {
  return {
    id: 'ca-1',
    entityRef: 'component:default/payments',
    environment: 'prod',
    application: 'payments-prod',
    deploymentId: 'd-1',
    window: { start: '2025-01-02T09:50:00Z', end: '2025-01-02T10:00:00Z' },
    baselineHash: '6d4cf56db9',
    canaryHash: '7f9c8b5d44',
    score: 50,
    classification: 'Fail',
    reason: 'Critical metric error_rate is High',
    groups: [
      { name: 'latency', score: 100 },
      { name: 'errors', score: 0 },
    ],
    metrics: [
      {
        name: 'latency_p95',
        classification: 'Pass',
        critical: false,
        baseline: { count: 60, mean: 0.21 },
        canary: { count: 60, mean: 0.22 },
        statistics: {
          confidenceInterval: [-0.01, 0.02],
          estimate: 0.01,
          effectSize: 1.05,
        },
      },
      {
        name: 'error_rate',
        classification: 'High',
        critical: true,
        baseline: { count: 60, mean: 0.001 },
        canary: { count: 58, mean: 0.04 },
        statistics: {
          confidenceInterval: [0.03, 0.05],
          estimate: 0.039,
          effectSize: 40,
        },
      },
    ],
    createdAt: '2025-01-02T10:00:10Z',
    ...overrides,
  };
}

export function makeGateDecision(
  overrides: Partial<GateDecisionDto> = {},
): GateDecisionDto {
  return {
    id: 'dec-1',
    entityRef: 'component:default/payments',
    deploymentId: 'd-1',
    application: 'payments-prod',
    environment: 'prod',
    decision: 'abort',
    decidedBy: 'praevisio',
    reason: 'Canary analysis failed: error_rate High',
    gateEvaluationId: 'ev-1',
    canaryAnalysisId: 'ca-1',
    at: '2025-01-02T10:00:12Z',
    ...overrides,
  };
}

export function makeGatesOverview(
  overrides: Partial<GatesOverviewDto> = {},
): GatesOverviewDto {
  return {
    evaluations: [],
    canaryAnalyses: [],
    decisions: [],
    ...overrides,
  };
}

/** A PraevisioApi whose release reads answer with the given fixtures. */
export function mockPraevisioApi(
  overrides: Partial<Record<keyof PraevisioApi, jest.Mock>> = {},
) {
  return {
    getIntegrations: jest.fn(async () => []),
    verifyAuditChain: jest.fn(),
    getReleases: jest.fn(async () => makeOverview()),
    getReleaseHistory: jest.fn(
      async (_ref: string, o: { page: number; pageSize: number }) =>
        makeHistoryPage(o.page, o.pageSize),
    ),
    getDeployments: jest.fn(async () => [makeDeployment()]),
    sync: jest.fn(async () => makeDeployment({ state: 'requested' })),
    rollback: jest.fn(async () =>
      makeDeployment({ kind: 'rollback', state: 'requested' }),
    ),
    rolloutAction: jest.fn(async () =>
      makeDeployment({ kind: 'promote', state: 'requested' }),
    ),
    getGates: jest.fn(async () => makeGatesOverview()),
    evaluateGate: jest.fn(async () => makeGateEvaluation({ id: 'ev-new' })),
    overrideGate: jest.fn(async () =>
      makeGateEvaluation({
        result: 'fail',
        override: {
          result: 'pass',
          reason: 'known upstream issue',
          by: 'user:default/alice',
          at: '2025-01-02T10:05:00Z',
        },
      }),
    ),
    ...overrides,
  };
}

/** A permission API that denies the named permissions and allows the rest. */
export function permissionApi(denied: string[] = []): PermissionApi {
  return {
    authorize: async request =>
      ({
        result: denied.includes(request.permission.name) ? DENY : ALLOW,
      } as Awaited<ReturnType<PermissionApi['authorize']>>),
  };
}

export function mockAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() };
}

/** Renders inside a test app with the Praevisio API, permissions and an entity. */
export function renderReleases(
  ui: ReactNode,
  options: {
    api?: ReturnType<typeof mockPraevisioApi>;
    permissions?: PermissionApi;
    alertApi?: ReturnType<typeof mockAlertApi>;
    entity?: Entity;
    extraApis?: Array<readonly [any, any]>;
  } = {},
) {
  const api = options.api ?? mockPraevisioApi();
  const alertApi = options.alertApi ?? mockAlertApi();
  const apis: Array<readonly [any, any]> = [
    [praevisioApiRef, api],
    [permissionApiRef, options.permissions ?? permissionApi()],
    [alertApiRef, alertApi],
    ...(options.extraApis ?? []),
  ];
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <EntityProvider entity={options.entity ?? makeEntity()}>
        {ui}
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** The error PraevisioClient throws for a Backstage error body. */
export async function responseError(
  status: number,
  message: string,
  name = 'ConflictError',
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/api/praevisio/x' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 409 ? 'Conflict' : 'Error',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

export const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
