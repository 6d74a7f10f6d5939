import { SliTemplateError, SliValidationError } from './errors';
import {
  describeValue as describe,
  isMap,
  parseKeptnYaml,
} from '../yaml/keptnYaml';
import { compileSliTemplate } from './template';
import type { SliDocument } from './types';

/**
 * Parses and validates an `sli.yaml` in Keptn prometheus-service style:
 *
 * ```yaml
 * spec_version: "1.0"
 * indicators:
 *   error_rate: sum(rate(http_requests_total{job="$SERVICE",code=~"5.."}[$DURATION_SECONDS]))
 * ```
 *
 * Every template is checked with {@link compileSliTemplate} (placeholders
 * known and in safe positions, literals closed), so a bad template is reported
 * with its line before any query runs.
 *
 * @throws SliValidationError - with path, line and reason
 * @public
 */
export function parseSli(text: string): SliDocument {
  const { root, specVersion, loc } = parseKeptnYaml(text, {
    what: 'SLI',
    makeError: problem => new SliValidationError(problem),
  });

  const raw = root.indicators;
  if (raw === undefined || raw === null) {
    return loc.fail(
      ['indicators'],
      'is required: map each SLI name to a PromQL query',
    );
  }
  if (!isMap(raw)) {
    return loc.fail(
      ['indicators'],
      `must be a mapping of SLI names to PromQL queries, got ${describe(raw)}`,
    );
  }
  const names = Object.keys(raw);
  if (names.length === 0) {
    return loc.fail(['indicators'], 'must define at least one SLI');
  }
  const indicators: Record<string, string> = {};
  for (const name of names) {
    if (name.trim() === '') {
      loc.fail(['indicators', name], 'SLI names must not be empty');
    }
    const query = raw[name];
    if (typeof query !== 'string' || query.trim() === '') {
      loc.fail(
        ['indicators', name],
        `must be a PromQL query (a non-empty string), got ${describe(query)}`,
      );
    }
    try {
      compileSliTemplate(query as string);
    } catch (e) {
      if (e instanceof SliTemplateError) {
        loc.fail(['indicators', name], e.message);
      }
      throw e;
    }
    indicators[name] = query as string;
  }
  return {
    ...(specVersion !== undefined ? { specVersion } : {}),
    indicators,
  };
}
