import type { KeptnScoreFn } from '../types';

export const TOKEN = 'keptn-test-token-0123456789';

/**
 * A stand-in for Praevisio's engine (`parseSlo` + `evaluateGate` from
 * `@praevisio/backstage-plugin-common`, which the sandbox does not depend on):
 * every `<sli>: <= <number>` line of the SLO text is one objective; the score
 * is the share of objectives met. Enough to show that the seeded SLO and
 * values reach the scorer and its answer reaches the event.
 */
export const thresholdScorer: KeptnScoreFn = ({ slo, values }) => {
  const limits = [...slo.matchAll(/^\s*([\w.-]+):\s*<=\s*([\d.]+)\s*$/gm)];
  const indicatorResults = limits.map(([, sli, limit]) => {
    const value = values[sli];
    const ok = typeof value === 'number' && value <= Number(limit);
    return {
      displayName: '',
      keySli: false,
      status: ok ? 'pass' : 'fail',
      score: ok ? 1 : 0,
      value: {
        metric: sli,
        value: typeof value === 'number' ? value : 0,
        comparedValue: 0,
        success: typeof value === 'number',
      },
      passTargets: [
        {
          criteria: `<=${limit}`,
          targetValue: Number(limit),
          violated: !ok,
        },
      ],
      warningTargets: null,
    };
  });
  const met = indicatorResults.filter(r => r.status === 'pass').length;
  const score = limits.length === 0 ? 100 : (100 * met) / limits.length;
  return { result: score === 100 ? 'pass' : 'fail', score, indicatorResults };
};

export const SLO = `
response_time_p95: <= 600
error_rate: <= 0.02
`;

export interface CallResult {
  status: number;
  body: any;
}

/** One HTTP call to the simulator with the test token unless told otherwise. */
export async function call(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  options: {
    body?: unknown;
    rawBody?: string;
    token?: string | null;
    query?: Record<string, string>;
  } = {},
): Promise<CallResult> {
  const target = new URL(path, url);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    target.searchParams.set(k, v);
  }
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) {
    headers['x-token'] = token;
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(target, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const triggerPath = (project: string, stage: string, service: string) =>
  `/api/controlPlane/v1/project/${project}/stage/${stage}/service/${service}/evaluation`;

export const EVENTS_PATH = '/api/mongodb-datastore/event';
