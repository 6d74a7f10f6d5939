/** Label set of a series. @public */
export type PrometheusLabels = Record<string, string>;

/**
 * A time for the Prometheus API: a `Date`, Unix seconds (as the API takes
 * them, fractions allowed) or an RFC 3339 string.
 *
 * @public
 */
export type PrometheusTime = Date | number | string;

/** A native histogram value, numbers parsed. @public */
export interface PrometheusNativeHistogram {
  count: number;
  sum: number;
  /** `[boundaryRule, lower, upper, count]` per bucket. */
  buckets: Array<[number, number, number, number]>;
}

/** One point of a float series. @public */
export interface PrometheusPoint {
  /** Unix seconds. */
  timestamp: number;
  /** Parsed from Prometheus' string form: may be NaN or ±Infinity. */
  value: number;
}

/** One sample of an instant vector: a float or a native histogram. @public */
export type PrometheusInstantSample =
  | {
      metric: PrometheusLabels;
      timestamp: number;
      value: number;
      histogram?: undefined;
    }
  | {
      metric: PrometheusLabels;
      timestamp: number;
      value?: undefined;
      histogram: PrometheusNativeHistogram;
    };

/** One series of a range result. @public */
export interface PrometheusSeries {
  metric: PrometheusLabels;
  /** Float points (empty for a histogram-only series). */
  values: PrometheusPoint[];
  /** Native histogram points, when the series has any. */
  histograms?: Array<{
    timestamp: number;
    histogram: PrometheusNativeHistogram;
  }>;
}

/** The `data` of a query answer, by result type. @public */
export type PrometheusQueryData =
  | { resultType: 'vector'; result: PrometheusInstantSample[] }
  | { resultType: 'matrix'; result: PrometheusSeries[] }
  | { resultType: 'scalar'; result: PrometheusPoint }
  | { resultType: 'string'; result: { timestamp: number; value: string } };

/** Annotations Prometheus returns next to the data. @public */
export interface PrometheusAnnotations {
  /** Present (possibly empty) on every answer. */
  warnings: string[];
  /** Info-level annotations (Prometheus 2.45+). */
  infos: string[];
}

/** Answer of an instant query. @public */
export type PrometheusQueryResult = PrometheusQueryData & PrometheusAnnotations;

/** Answer of a range query. @public */
export type PrometheusRangeResult = {
  resultType: 'matrix';
  result: PrometheusSeries[];
} & PrometheusAnnotations;
