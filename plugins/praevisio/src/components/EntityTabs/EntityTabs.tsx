import {
  ANNOTATION_ALERT_SELECTOR,
  ANNOTATION_BACKUP_SELECTOR,
  ANNOTATION_COMPLIANCE_PROFILE,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_RPO,
  ANNOTATION_RTO,
  ANNOTATION_RUNBOOK,
  ANNOTATION_SLO,
  ANNOTATION_TIER,
} from '@praevisio/backstage-plugin-common';
import { TabGuard } from '../TabGuard';
import { AnnotationSummaryCard } from './AnnotationSummaryCard';
import { ReleasesView } from '../Releases';

/** Releases tab: environments, rollouts and history from Argo CD. @public */
export function ReleasesContent() {
  return (
    <TabGuard tab="releases" requires={['argocd']}>
      <ReleasesView />
    </TabGuard>
  );
}

/** Incidents tab: alerts, SLO burn and incident timeline. @public */
export function IncidentsContent() {
  return (
    <TabGuard tab="incidents" requires={['alertmanager', 'prometheus']}>
      <AnnotationSummaryCard
        title="Incident wiring"
        annotations={[
          ANNOTATION_ALERT_SELECTOR,
          ANNOTATION_SLO,
          ANNOTATION_RUNBOOK,
          ANNOTATION_TIER,
        ]}
      />
    </TabGuard>
  );
}

/** Compliance tab: control results, evidence and exports. @public */
export function ComplianceContent() {
  return (
    <TabGuard tab="compliance" requires={[]}>
      <AnnotationSummaryCard
        title="Compliance wiring"
        annotations={[ANNOTATION_COMPLIANCE_PROFILE, ANNOTATION_TIER]}
      />
    </TabGuard>
  );
}

/** Backups tab: backups and restore tests against RPO/RTO. @public */
export function BackupsContent() {
  return (
    <TabGuard tab="backups" requires={['kubernetes']}>
      <AnnotationSummaryCard
        title="Backup wiring"
        annotations={[
          ANNOTATION_BACKUP_SELECTOR,
          ANNOTATION_KUBERNETES_ID,
          ANNOTATION_RPO,
          ANNOTATION_RTO,
        ]}
      />
    </TabGuard>
  );
}
