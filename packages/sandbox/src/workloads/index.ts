/**
 * Simulated workloads: Prometheus metrics of every Argo CD application's
 * stable and canary pods, a `/metrics` endpoint, and a real Prometheus
 * scraping it for demos. Never imported by plugins or production code.
 */
export {
  BAD_PROFILE,
  HEALTHY_PROFILE,
  LATENCY_BUCKETS,
  MARGINAL_PROFILE,
  REVISION_QUALITIES,
  WorkloadMetrics,
  parseRevisionQuality,
  renderExposition,
} from './WorkloadMetrics';
export type {
  RevisionProfile,
  RevisionQuality,
  SeriesSnapshot,
  WorkloadMetricsOptions,
} from './WorkloadMetrics';
export { argoCdPodGroups } from './topology';
export type { PodGroup, Track } from './topology';
export { EXPOSITION_CONTENT_TYPE, startMetricsServer } from './server';
export {
  PROMETHEUS_INSTALL_HINT,
  findPrometheusBinary,
  freePort,
  prometheusConfig,
  launchPrometheus,
  startSandboxPrometheus,
} from './prometheus';
export type {
  LaunchPrometheusOptions,
  SandboxPrometheus,
  SandboxPrometheusOptions,
} from './prometheus';
