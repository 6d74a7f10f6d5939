/** A Keptn slo.yaml: p95 (relative + absolute, warning band), key SLI error_rate, informational throughput. */
export const SLO_YAML = `spec_version: "1.0"
comparison:
  compare_with: single_result
  include_result_with_score: pass
  number_of_comparison_results: 1
  aggregate_function: avg
objectives:
  - sli: response_time_p95
    displayName: Response time P95
    pass:
      - criteria:
          - "<=+10%"
          - "<600"
    warning:
      - criteria:
          - "<=800"
  - sli: error_rate
    displayName: Error rate
    key_sli: true
    pass:
      - criteria:
          - "<=1"
  - sli: throughput
total_score:
  pass: "90%"
  warning: "50%"
`;

/** Deterministic samples around 100 (50 of them), in two different orders. */
export const BASELINE = Array.from(
  { length: 50 },
  (_, i) => 100 + ((i * 37) % 21) - 10,
);
export const SAME = Array.from(
  { length: 50 },
  (_, i) => 100 + ((i * 53) % 21) - 10,
);
export const HIGHER = BASELINE.map(v => v * 1.5);

export function canaryConfig(metrics: Array<Record<string, unknown>>): string {
  return JSON.stringify(
    { thresholds: { pass: 95, marginal: 60 }, metrics },
    null,
    2,
  );
}
