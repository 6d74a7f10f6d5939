import type { KeptnSeed } from './types';

/**
 * What the demo's Keptn installation holds: notification-worker (Keptn
 * project `platform`) keeps its quality gate in Keptn, so the portal shows a
 * gate scored by Keptn next to the ones Praevisio scores on Prometheus. The
 * values are what its SLI provider would answer; prod runs a little hot so
 * that its gate warns.
 */
const NOTIFICATION_WORKER_SLO = `spec_version: '1.0'
comparison:
  aggregate_function: avg
  compare_with: single
  include_result_with_score: pass
  number_of_comparison_results: 1
objectives:
  - sli: queue_lag_seconds
    displayName: Queue lag (s)
    key_sli: true
    pass:
      - criteria:
          - '<=30'
    warning:
      - criteria:
          - '<=120'
  - sli: delivery_error_rate
    displayName: Delivery error rate
    pass:
      - criteria:
          - '<=0.02'
    warning:
      - criteria:
          - '<=0.05'
  - sli: sends_per_second
    displayName: Sends per second
total_score:
  pass: '90%'
  warning: '75%'
`;

export function demoKeptnSeeds(): KeptnSeed[] {
  const values: Record<string, KeptnSeed['values']> = {
    dev: {
      queue_lag_seconds: 4,
      delivery_error_rate: 0.004,
      sends_per_second: 3,
    },
    staging: {
      queue_lag_seconds: 9,
      delivery_error_rate: 0.011,
      sends_per_second: 12,
    },
    prod: {
      queue_lag_seconds: 48,
      delivery_error_rate: 0.018,
      sends_per_second: 140,
    },
  };
  return Object.entries(values).map(([stage, stageValues]) => ({
    project: 'platform',
    stage,
    service: 'notification-worker',
    slo: NOTIFICATION_WORKER_SLO,
    values: stageValues,
  }));
}
