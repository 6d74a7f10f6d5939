import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  AuditVerifyResult,
  DeploymentDto,
  EvaluateGateRequestDto,
  GateEvaluationDto,
  GatesOverviewDto,
  IntegrationStatus,
  OverrideGateRequestDto,
  ReleaseHistoryPageDto,
  ReleasesOverviewDto,
  RollbackRequestDto,
  RolloutRequestDto,
  SyncPreviewDto,
  SyncRequestDto,
} from '@praevisio/backstage-plugin-common';

/** An entity, as a ref string (`component:default/payments`) or compound ref. @public */
export type EntityRefLike = string | CompoundEntityRef;

/** The frontend's view of the Praevisio backend. @public */
export interface PraevisioApi {
  getIntegrations(): Promise<IntegrationStatus[]>;
  verifyAuditChain(options?: {
    fromSeq?: number;
    limit?: number;
  }): Promise<AuditVerifyResult>;

  /** Environments, rollouts and (possibly stale) Argo CD state of an entity. */
  getReleases(entityRef: EntityRefLike): Promise<ReleasesOverviewDto>;
  /** One page (0-based) of the deploy history, optionally of one application. */
  getReleaseHistory(
    entityRef: EntityRefLike,
    options: { application?: string; page: number; pageSize: number },
  ): Promise<ReleaseHistoryPageDto>;
  /** Commands issued through Praevisio, newest first. */
  getDeployments(
    entityRef: EntityRefLike,
    options?: { limit?: number },
  ): Promise<DeploymentDto[]>;

  /** A dry run: what a sync would change. */
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
  rollback(
    entityRef: EntityRefLike,
    application: string,
    body: RollbackRequestDto,
    idempotencyKey: string,
  ): Promise<DeploymentDto>;
  rolloutAction(
    entityRef: EntityRefLike,
    application: string,
    body: RolloutRequestDto,
    idempotencyKey: string,
  ): Promise<DeploymentDto>;

  /** Quality gate evaluations, canary analyses and Rollout decisions. */
  getGates(entityRef: EntityRefLike): Promise<GatesOverviewDto>;
  /** Runs the quality gate of one environment now. */
  evaluateGate(
    entityRef: EntityRefLike,
    body: EvaluateGateRequestDto,
    idempotencyKey: string,
  ): Promise<GateEvaluationDto>;
  /** Lets a failed gate count as passed; needs praevisio.gate.override. */
  overrideGate(
    entityRef: EntityRefLike,
    evaluationId: string,
    body: OverrideGateRequestDto,
    idempotencyKey: string,
  ): Promise<GateEvaluationDto>;
}

/** @public */
export const praevisioApiRef = createApiRef<PraevisioApi>({
  id: 'plugin.praevisio.service',
});
