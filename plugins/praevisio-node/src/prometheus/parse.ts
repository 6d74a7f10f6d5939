import type {
  PrometheusNativeHistogram,
  PrometheusPoint,
  PrometheusQueryData,
  PrometheusSeries,
  PrometheusInstantSample,
  PrometheusLabels,
} from './types';

/** Thrown by the parsers for an answer that does not have the documented shape. */
export class MalformedAnswer extends Error {}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a sample value as Prometheus writes it (Go's `strconv.FormatFloat`):
 * `"NaN"`, `"+Inf"`, `"-Inf"` or a decimal number.
 *
 * @throws Error - for anything else (an empty string is not 0)
 * @public
 */
export function parsePrometheusValue(text: unknown): number {
  if (typeof text === 'number') {
    return text;
  }
  if (typeof text !== 'string') {
    throw new MalformedAnswer(
      `sample value must be a string, got ${typeof text}`,
    );
  }
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      if (!FLOAT.test(text)) {
        throw new MalformedAnswer(
          `invalid sample value ${JSON.stringify(text)}`,
        );
      }
      return Number(text);
  }
}

function timestamp(v: unknown): number {
  const t = typeof v === 'string' ? Number(v) : v;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new MalformedAnswer(`invalid timestamp ${JSON.stringify(v)}`);
  }
  return t;
}

function labels(v: unknown): PrometheusLabels {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new MalformedAnswer('series labels must be an object');
  }
  return v as PrometheusLabels;
}

function pair(v: unknown): [unknown, unknown] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new MalformedAnswer('a sample must be a [timestamp, value] pair');
  }
  return [v[0], v[1]];
}

function point(v: unknown): PrometheusPoint {
  const [t, value] = pair(v);
  return { timestamp: timestamp(t), value: parsePrometheusValue(value) };
}

function histogram(v: unknown): PrometheusNativeHistogram {
  if (typeof v !== 'object' || v === null) {
    throw new MalformedAnswer('a histogram must be an object');
  }
  const h = v as { count?: unknown; sum?: unknown; buckets?: unknown };
  const buckets = Array.isArray(h.buckets) ? h.buckets : [];
  return {
    count: parsePrometheusValue(h.count),
    sum: parsePrometheusValue(h.sum),
    buckets: buckets.map(b => {
      if (!Array.isArray(b) || b.length !== 4) {
        throw new MalformedAnswer('a histogram bucket must have 4 entries');
      }
      return [
        Number(b[0]),
        parsePrometheusValue(b[1]),
        parsePrometheusValue(b[2]),
        parsePrometheusValue(b[3]),
      ];
    }),
  };
}

function instantSample(v: unknown): PrometheusInstantSample {
  if (typeof v !== 'object' || v === null) {
    throw new MalformedAnswer('a vector sample must be an object');
  }
  const s = v as { metric?: unknown; value?: unknown; histogram?: unknown };
  const metric = labels(s.metric ?? {});
  if (s.histogram !== undefined) {
    const [t, h] = pair(s.histogram);
    return { metric, timestamp: timestamp(t), histogram: histogram(h) };
  }
  const p = point(s.value);
  return { metric, timestamp: p.timestamp, value: p.value };
}

function series(v: unknown): PrometheusSeries {
  if (typeof v !== 'object' || v === null) {
    throw new MalformedAnswer('a series must be an object');
  }
  const s = v as { metric?: unknown; values?: unknown; histograms?: unknown };
  const values = s.values === undefined ? [] : s.values;
  if (!Array.isArray(values)) {
    throw new MalformedAnswer('series values must be a list');
  }
  const out: PrometheusSeries = {
    metric: labels(s.metric ?? {}),
    values: values.map(point),
  };
  if (s.histograms !== undefined) {
    if (!Array.isArray(s.histograms)) {
      throw new MalformedAnswer('series histograms must be a list');
    }
    out.histograms = s.histograms.map(x => {
      const [t, h] = pair(x);
      return { timestamp: timestamp(t), histogram: histogram(h) };
    });
  }
  return out;
}

/** Parses the `data` member of a successful query answer. */
export function parseQueryData(data: unknown): PrometheusQueryData {
  if (typeof data !== 'object' || data === null) {
    throw new MalformedAnswer('"data" must be an object');
  }
  const d = data as { resultType?: unknown; result?: unknown };
  switch (d.resultType) {
    case 'vector':
      if (!Array.isArray(d.result)) {
        throw new MalformedAnswer('a vector result must be a list');
      }
      return { resultType: 'vector', result: d.result.map(instantSample) };
    case 'matrix':
      if (!Array.isArray(d.result)) {
        throw new MalformedAnswer('a matrix result must be a list');
      }
      return { resultType: 'matrix', result: d.result.map(series) };
    case 'scalar':
      return { resultType: 'scalar', result: point(d.result) };
    case 'string': {
      const [t, value] = pair(d.result);
      if (typeof value !== 'string') {
        throw new MalformedAnswer('a string result must hold a string');
      }
      return {
        resultType: 'string',
        result: { timestamp: timestamp(t), value },
      };
    }
    default:
      throw new MalformedAnswer(
        `unknown resultType ${JSON.stringify(d.resultType)}`,
      );
  }
}

/** Parses a list of annotation strings, ignoring anything that is not one. */
export function stringList(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : [];
}
