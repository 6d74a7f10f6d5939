/** Shared API types (DTOs) between the Praevisio backend and frontend. */

/** Which integrations the backend has configuration for. @public */
export interface IntegrationStatus {
  name: 'argocd' | 'prometheus' | 'alertmanager' | 'keptn' | 'kubernetes';
  configured: boolean;
  /** Names of configured instances; never URLs with credentials or tokens. */
  instances: string[];
  /** What to add to app-config.yaml when not configured. */
  howToConfigure: string;
}

/** @public */
export interface IntegrationsResponse {
  integrations: IntegrationStatus[];
}

/** One event of the append-only audit chain. @public */
export interface AuditEvent {
  seq: number;
  /** ISO 8601 */
  occurredAt: string;
  actor: string;
  action: string;
  entityRef?: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Result of checking the audit hash chain. @public */
export interface AuditVerifyResult {
  ok: boolean;
  /** Number of events checked. */
  checked: number;
  fromSeq: number;
  /** Sequence number of the last checked event (0 when none). */
  lastSeq: number;
  /** Hash of the last checked event. */
  headHash: string;
  /** Sequence number where the chain first breaks. */
  firstBadSeq?: number;
  reason?: 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_event';
}

/** The chain's hash before the first event. @public */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
