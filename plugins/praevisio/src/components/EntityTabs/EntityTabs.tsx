import { Grid, Typography } from '@material-ui/core';
import {
  ANNOTATION_ALERT_SELECTOR,
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ARGOCD_PROJECT_NAME,
  ANNOTATION_AUTO_PROMOTE,
  ANNOTATION_BACKUP_SELECTOR,
  ANNOTATION_COMPLIANCE_PROFILE,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_RPO,
  ANNOTATION_RTO,
  ANNOTATION_RUNBOOK,
  ANNOTATION_SLI,
  ANNOTATION_SLO,
  ANNOTATION_TIER,
} from '@praevisio/backstage-plugin-common';
import { TabGuard } from '../TabGuard';
import { AnnotationSummaryCard } from './AnnotationSummaryCard';

function ComingNext(props: { what: string }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {props.what}
    </Typography>
  );
}

/** Releases tab: environments, rollouts and history from Argo CD. @public */
export function ReleasesContent() {
  return (
    <TabGuard tab="releases" requires={['argocd']}>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <AnnotationSummaryCard
            title="Release wiring"
            annotations={[
              ANNOTATION_ARGOCD_APP_NAME,
              ANNOTATION_ARGOCD_APP_SELECTOR,
              ANNOTATION_ARGOCD_PROJECT_NAME,
              ANNOTATION_ARGOCD_INSTANCE_NAME,
              ANNOTATION_SLO,
              ANNOTATION_SLI,
              ANNOTATION_AUTO_PROMOTE,
            ]}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <ComingNext what="Argo CD is configured. Environment status, rollouts and history are read from it once the Releases backend is enabled." />
        </Grid>
      </Grid>
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
