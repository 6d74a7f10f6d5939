import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditVerifyResult,
  IntegrationsResponse,
  IntegrationStatus,
} from '@praevisio/backstage-plugin-common';
import { PraevisioApi } from './PraevisioApi';

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
