import { SliValidationError } from './errors';
import { parseSli } from './parseSli';

const KEPTN_SLI = `---
spec_version: '1.0'
indicators:
  throughput: "sum(rate(http_requests_total{job='$SERVICE-$PROJECT-$STAGE'}[$DURATION_SECONDS]))"
  error_rate: sum(rate(http_requests_total{job="$SERVICE",code=~"5.."}[$DURATION_SECONDS])) / sum(rate(http_requests_total{job="$SERVICE"}[$DURATION_SECONDS]))
  response_time_p95: >-
    histogram_quantile(0.95, sum(rate(http_response_time_milliseconds_bucket{job='$SERVICE-$PROJECT-$STAGE'}[$DURATION_SECONDS])) by (le))
`;

function errorOf(text: string): SliValidationError {
  try {
    parseSli(text);
  } catch (e) {
    if (e instanceof SliValidationError) return e;
    throw e;
  }
  throw new Error('expected an SliValidationError');
}

describe('parseSli', () => {
  it('parses a Keptn prometheus-service sli.yaml', () => {
    const sli = parseSli(KEPTN_SLI);
    expect(sli.specVersion).toBe('1.0');
    expect(Object.keys(sli.indicators)).toEqual([
      'throughput',
      'error_rate',
      'response_time_p95',
    ]);
    expect(sli.indicators.response_time_p95).toBe(
      "histogram_quantile(0.95, sum(rate(http_response_time_milliseconds_bucket{job='$SERVICE-$PROJECT-$STAGE'}[$DURATION_SECONDS])) by (le))",
    );
  });

  it('reports a bad template with its line and the placeholder', () => {
    const e = errorOf(`spec_version: "1.0"
indicators:
  ok: up
  bad: up{job=$SERVICE}
`);
    expect(e.path).toBe('indicators.bad');
    expect(e.line).toBe(4);
    expect(e.reason).toMatch(
      /^Placeholder \$SERVICE: must stand inside a quoted string literal/,
    );
  });

  it('rejects missing, empty or malformed indicators', () => {
    expect(errorOf('spec_version: "1.0"\n').reason).toMatch(/is required/);
    expect(errorOf('indicators: {}\n').reason).toMatch(/at least one SLI/);
    expect(errorOf('indicators: [a]\n').reason).toMatch(/must be a mapping/);
    const e = errorOf('indicators:\n  a: up\n  b:\n');
    expect(e.path).toBe('indicators.b');
    expect(e.reason).toMatch(/must be a PromQL query/);
    expect(errorOf('').reason).toBe('the SLI document is empty');
    expect(errorOf('- a\n').reason).toMatch(/must be a mapping/);
  });

  it('reports invalid YAML and duplicate keys with line and column', () => {
    const e = errorOf('indicators:\n  a: up\n  a: down\n');
    expect(e.reason).toMatch(/invalid YAML/);
    expect(e.line).toBe(3);
    expect(e.column).toBeDefined();
    expect(errorOf('indicators: [\n').reason).toMatch(/invalid YAML/);
  });
});
