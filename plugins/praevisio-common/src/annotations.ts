/**
 * Catalog annotations Praevisio reads. Ecosystem annotations are reused so that
 * entities already annotated for the Argo CD, Prometheus and Keptn plugins work
 * unchanged (see docs/annotations.md).
 */

/** @public */
export const ANNOTATION_ARGOCD_APP_NAME = 'argocd/app-name';
/** @public */
export const ANNOTATION_ARGOCD_APP_SELECTOR = 'argocd/app-selector';
/** @public */
export const ANNOTATION_ARGOCD_PROJECT_NAME = 'argocd/project-name';
/** @public */
export const ANNOTATION_ARGOCD_INSTANCE_NAME = 'argocd/instance-name';
/** @public */
export const ANNOTATION_PROMETHEUS_SERVICE_NAME = 'prometheus.io/service-name';
/** @public */
export const ANNOTATION_SLO = 'praevisio.io/slo';
/** @public */
export const ANNOTATION_SLI = 'praevisio.io/sli';
/** @public */
export const ANNOTATION_CANARY_CONFIG = 'praevisio.io/canary-config';
/** @public Who scores the gate: `prometheus` (default) or `keptn`. */
export const ANNOTATION_GATE_PROVIDER = 'praevisio.io/gate-provider';
/** @public */
export const ANNOTATION_KEPTN_PROJECT = 'keptn.sh/project';
/** @public */
export const ANNOTATION_KEPTN_SERVICE = 'keptn.sh/service';
/** @public Which configured Keptn instance (`praevisio.keptn.instances[].name`); default the first. */
export const ANNOTATION_KEPTN_INSTANCE = 'praevisio.io/keptn-instance';
/** @public */
export const ANNOTATION_ALERT_SELECTOR = 'praevisio.io/alert-selector';
/** @public */
export const ANNOTATION_RUNBOOK = 'praevisio.io/runbook';
/** @public */
export const ANNOTATION_TIER = 'praevisio.io/tier';
/** @public */
export const ANNOTATION_RPO = 'praevisio.io/rpo';
/** @public */
export const ANNOTATION_RTO = 'praevisio.io/rto';
/** @public */
export const ANNOTATION_BACKUP_SELECTOR = 'praevisio.io/backup-selector';
/** @public */
export const ANNOTATION_COMPLIANCE_PROFILE = 'praevisio.io/compliance-profile';
/** @public */
export const ANNOTATION_AUTO_PROMOTE = 'praevisio.io/auto-promote';
/** @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * What enables each tab, used by the frontend's empty states and by the
 * `is*Available` helpers.
 * @public
 */
export const TAB_ENABLING_ANNOTATIONS = {
  releases: [ANNOTATION_ARGOCD_APP_NAME, ANNOTATION_ARGOCD_APP_SELECTOR],
  incidents: [ANNOTATION_ALERT_SELECTOR, ANNOTATION_SLO],
  compliance: [ANNOTATION_COMPLIANCE_PROFILE],
  backups: [
    ANNOTATION_BACKUP_SELECTOR,
    ANNOTATION_KUBERNETES_ID,
    ANNOTATION_RPO,
  ],
} as const;

/** @public */
export type PraevisioTab = keyof typeof TAB_ENABLING_ANNOTATIONS;
