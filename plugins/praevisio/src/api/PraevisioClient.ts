import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditVerifyResult,
  DeploymentDto,
  EvaluateGateRequestDto,
  GateEvaluationDto,
  GatesOverviewDto,
  IntegrationsResponse,
  IntegrationStatus,
  OverrideGateRequestDto,
  ReleaseHistoryPageDto,
  ReleasesOverviewDto,
  RollbackRequestDto,
  RolloutRequestDto,
  SyncPreviewDto,
  SyncRequestDto,
} from '@praevisio/backstage-plugin-common';
import { EntityRefLike, PraevisioApi } from './PraevisioApi';

/** HTTP client for /api/praevisio. @public */
export class PraevisioClient implements PraevisioApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getIntegrations(): Promise<IntegrationStatus[]> {
    const body = await this.request<IntegrationsResponse>('/integrations');
    return body.integrations;
  }

  async verifyAuditChain(
    options: { fromSeq?: number; limit?: number } = {},
  ): Promise<AuditVerifyResult> {
    const query = new URLSearchParams();
    if (options.fromSeq !== undefined)
      query.set('fromSeq', String(options.fromSeq));
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request<AuditVerifyResult>(
      `/audit/verify${qs ? `?${qs}` : ''}`,
    );
  }

  async getReleases(entityRef: EntityRefLike): Promise<ReleasesOverviewDto> {
    return this.request<ReleasesOverviewDto>(
      `${entityPath(entityRef)}/releases`,
    );
  }

  async getReleaseHistory(
    entityRef: EntityRefLike,
    options: { application?: string; page: number; pageSize: number },
  ): Promise<ReleaseHistoryPageDto> {
    const query = new URLSearchParams();
    if (options.application) query.set('application', options.application);
    query.set('page', String(options.page));
    query.set('pageSize', String(options.pageSize));
    return this.request<ReleaseHistoryPageDto>(
      `${entityPath(entityRef)}/releases/history?${query}`,
    );
  }

  async getDeployments(
    entityRef: EntityRefLike,
    options: { limit?: number } = {},
  ): Promise<DeploymentDto[]> {
    const qs =
      options.limit !== undefined
        ? `?${new URLSearchParams({ limit: String(options.limit) })}`
        : '';
    const body = await this.request<{ items: DeploymentDto[] }>(
      `${entityPath(entityRef)}/deployments${qs}`,
    );
    return body.items;
  }

  sync(
    entityRef: EntityRefLike,
    application: string,
    body: SyncRequestDto & { dryRun: true },
    idempotencyKey: string,
  ): Promise<SyncPreviewDto>;
  sync(
    entityRef: EntityRefLike,
    application: string,
    body: SyncRequestDto & { dryRun?: false },
    idempotencyKey: string,
  ): Promise<DeploymentDto>;
  async sync(
    entityRef: EntityRefLike,
    application: string,
    body: SyncRequestDto,
    idempotencyKey: string,
  ): Promise<SyncPreviewDto | DeploymentDto> {
    return this.post(
      `${applicationPath(entityRef, application)}/sync`,
      body,
      idempotencyKey,
    );
  }

  async rollback(
    entityRef: EntityRefLike,
    application: string,
    body: RollbackRequestDto,
    idempotencyKey: string,
  ): Promise<DeploymentDto> {
    return this.post(
      `${applicationPath(entityRef, application)}/rollback`,
      body,
      idempotencyKey,
    );
  }

  async rolloutAction(
    entityRef: EntityRefLike,
    application: string,
    body: RolloutRequestDto,
    idempotencyKey: string,
  ): Promise<DeploymentDto> {
    return this.post(
      `${applicationPath(entityRef, application)}/rollout`,
      body,
      idempotencyKey,
    );
  }

  async getGates(entityRef: EntityRefLike): Promise<GatesOverviewDto> {
    return this.request<GatesOverviewDto>(`${entityPath(entityRef)}/gates`);
  }

  async evaluateGate(
    entityRef: EntityRefLike,
    body: EvaluateGateRequestDto,
    idempotencyKey: string,
  ): Promise<GateEvaluationDto> {
    return this.post(
      `${entityPath(entityRef)}/gates/evaluate`,
      body,
      idempotencyKey,
    );
  }

  async overrideGate(
    entityRef: EntityRefLike,
    evaluationId: string,
    body: OverrideGateRequestDto,
    idempotencyKey: string,
  ): Promise<GateEvaluationDto> {
    return this.post(
      `${entityPath(entityRef)}/gates/evaluations/${encodeURIComponent(
        evaluationId,
      )}/override`,
      body,
      idempotencyKey,
    );
  }

  /** Mutations carry the caller's idempotency key so a replay is harmless. */
  private post<T>(path: string, body: unknown, idempotencyKey: string) {
    return this.request<T>(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
  }

  /** Every call goes through here so errors carry the backend's message. */
  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('praevisio');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function entityPath(entityRef: EntityRefLike): string {
  const ref: CompoundEntityRef =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return `/entities/${[
    ref.kind.toLocaleLowerCase('en-US'),
    ref.namespace,
    ref.name,
  ]
    .map(encodeURIComponent)
    .join('/')}`;
}

function applicationPath(entityRef: EntityRefLike, application: string) {
  return `${entityPath(entityRef)}/releases/${encodeURIComponent(application)}`;
}
