import { createApiRef } from '@backstage/core-plugin-api';
import {
  AuditVerifyResult,
  IntegrationStatus,
} from '@praevisio/backstage-plugin-common';

/** The frontend's view of the Praevisio backend. @public */
export interface PraevisioApi {
  getIntegrations(): Promise<IntegrationStatus[]>;
  verifyAuditChain(options?: {
    fromSeq?: number;
    limit?: number;
  }): Promise<AuditVerifyResult>;
}

/** @public */
export const praevisioApiRef = createApiRef<PraevisioApi>({
  id: 'plugin.praevisio.service',
});
