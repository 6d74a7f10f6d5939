import type { KeptnSeed } from './types';

/**
 * What the demo's Keptn installation holds: ledger-service (Keptn project
 * `finance`) keeps its quality gate in Keptn, so the portal shows a gate
 * scored by Keptn next to the ones Praevisio scores on Prometheus. The values
 * are what its SLI provider would answer; prod runs a little hot so that its
 * gate warns.
 */
const LEDGER_SERVICE_SLO = `spec_version: '1.0'
comparison:
  aggregate_function: avg
  compare_with: single
  include_result_with_score: pass
  number_of_comparison_results: 1
objectives:
  - sli: posting_lag_seconds
    displayName: Posting lag (s)
    key_sli: true
    pass:
      - criteria:
          - '<=30'
    warning:
      - criteria:
          - '<=120'
  - sli: rejected_posting_ratio
    displayName: Rejected postings
    pass:
      - criteria:
          - '<=0.02'
    warning:
      - criteria:
          - '<=0.05'
  - sli: postings_per_second
    displayName: Postings per second
total_score:
  pass: '90%'
  warning: '75%'
`;

export function demoKeptnSeeds(): KeptnSeed[] {
  const values: Record<string, KeptnSeed['values']> = {
    dev: {
      posting_lag_seconds: 4,
      rejected_posting_ratio: 0.004,
      postings_per_second: 3,
    },
    staging: {
      posting_lag_seconds: 9,
      rejected_posting_ratio: 0.011,
      postings_per_second: 12,
    },
    prod: {
      posting_lag_seconds: 48,
      rejected_posting_ratio: 0.018,
      postings_per_second: 140,
    },
  };
  return Object.entries(values).map(([stage, stageValues]) => ({
    project: 'finance',
    stage,
    service: 'ledger-service',
    slo: LEDGER_SERVICE_SLO,
    values: stageValues,
  }));
}
