import { InputError } from '@backstage/errors';
import {
  compileSliTemplate,
  durationForWindow,
  renderSliTemplate,
  SliDocument,
  SliRenderContext,
} from '@praevisio/backstage-plugin-common';
import type {
  PrometheusClient,
  PrometheusQueryOptions,
} from './PrometheusClient';
import type { PrometheusQueryResult } from './types';

/** @public */
export interface FetchSliValuesOptions {
  /** Anything with the client's `query` method. */
  client: Pick<PrometheusClient, 'query'>;
  /** Parsed `sli.yaml`. */
  sli: SliDocument;
  /**
   * Placeholder values. `duration` (`$DURATION_SECONDS`) defaults to the
   * window `end - start`, rounded up to whole seconds, as in Keptn.
   */
  context: SliRenderContext;
  start: Date;
  /** Queries are evaluated at this instant, as Keptn's prometheus-service does. */
  end: Date;
  /**
   * The SLIs to fetch (e.g. those an SLO names); default: every indicator of
   * the document. A name without a query is an error for that SLI.
   */
  indicators?: ReadonlyArray<string>;
  /** Per query. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * SLI values by name. Every requested SLI is in `values`; the ones that failed
 * are `null` there and have the reason in `errors`. The caller must treat any
 * entry in `errors` as a provider failure (fail closed: the evaluation is
 * `errored`).
 *
 * @public
 */
export interface SliValuesResult {
  values: Record<string, number | null>;
  errors: Record<string, string>;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The single finite value of an SLI query answer, or why there is none. */
export function sliValueOf(
  result: PrometheusQueryResult,
): { value: number } | { error: string } {
  let value: number;
  if (result.resultType === 'scalar') {
    value = result.result.value;
  } else if (result.resultType === 'vector') {
    if (result.result.length === 0) {
      return {
        error:
          'the query returned no data (an empty vector); check the labels and the time window',
      };
    }
    if (result.result.length > 1) {
      return {
        error: `the query returned ${result.result.length} series; an SLI query must return exactly one (aggregate with sum, avg, max, …)`,
      };
    }
    const sample = result.result[0];
    if (sample.histogram !== undefined) {
      return {
        error:
          'the query returned a native histogram; an SLI needs a float (use histogram_quantile, histogram_sum, …)',
      };
    }
    value = sample.value;
  } else {
    return {
      error: `the query returned a ${result.resultType} result; an SLI query must return one sample (an instant vector with one series, or a scalar)`,
    };
  }
  if (Number.isNaN(value)) {
    return { error: 'the query returned NaN' };
  }
  if (!Number.isFinite(value)) {
    return {
      error: `the query returned ${value > 0 ? '+Inf' : '-Inf'}`,
    };
  }
  return { value };
}

/**
 * Fetches SLI values from Prometheus: renders each indicator's template for
 * the context, runs all queries concurrently as instant queries at `end`
 * (the client's concurrency cap applies; answers are asked for uncompressed,
 * as they are one sample each), and keeps a value only when the
 * answer is exactly one finite sample. A template or rendering error, an
 * upstream error or timeout, an empty result, more than one series or a
 * NaN/±Inf value is an error for that SLI.
 *
 * @throws InputError - the window is invalid (end not after start)
 * @public
 */
export async function fetchSliValues(
  options: FetchSliValuesOptions,
): Promise<SliValuesResult> {
  const { client, sli, start, end } = options;
  if (
    !(start instanceof Date) ||
    !(end instanceof Date) ||
    !Number.isFinite(start.getTime()) ||
    !Number.isFinite(end.getTime()) ||
    end.getTime() <= start.getTime()
  ) {
    throw new InputError(
      'The evaluation window needs valid start and end times, with end after start',
    );
  }
  const context: SliRenderContext = {
    ...options.context,
    duration: options.context.duration ?? durationForWindow(start, end),
  };
  const names = [...new Set(options.indicators ?? Object.keys(sli.indicators))];
  const queryOptions: PrometheusQueryOptions = {
    time: end,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    // An SLI answer is one sample: gzip would cost both sides more CPU than
    // it saves bytes (about half a millisecond per query on Prometheus' side).
    compression: false,
  };

  const outcomes = await Promise.all(
    names.map(
      async (
        name,
      ): Promise<[string, { value: number } | { error: string }]> => {
        if (!Object.prototype.hasOwnProperty.call(sli.indicators, name)) {
          return [
            name,
            {
              error: `no query is defined for SLI "${name}" in the SLI definitions`,
            },
          ];
        }
        let promql: string;
        try {
          promql = renderSliTemplate(
            compileSliTemplate(sli.indicators[name]),
            context,
          );
        } catch (e) {
          return [name, { error: describeError(e) }];
        }
        try {
          const result = await client.query(promql, queryOptions);
          return [name, sliValueOf(result)];
        } catch (e) {
          return [name, { error: describeError(e) }];
        }
      },
    ),
  );

  const values: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const [name, outcome] of outcomes) {
    if ('value' in outcome) {
      values[name] = outcome.value;
    } else {
      values[name] = null;
      errors[name] = outcome.error;
    }
  }
  return { values, errors };
}
