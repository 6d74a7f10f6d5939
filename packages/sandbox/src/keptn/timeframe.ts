/**
 * The evaluation window rules of Keptn 1.4.5: the shipyard-controller's
 * request validation (`EvaluationParamsValidator`) followed by go-utils'
 * `timeutils.GetStartEndTime`.
 */

/** Why a window was refused, and which Keptn error it becomes. */
export class EvaluationWindowError extends Error {
  name = 'EvaluationWindowError';

  constructor(
    message: string,
    /**
     * `request`: refused by the handler's validator (body `{code: 400, …}`);
     * `timeframe`: refused by GetStartEndTime (body `{code: 0, …}`, the
     * manager's `evaluationErrInvalidTimeframe`, still HTTP 400).
     */
    readonly stage: 'request' | 'timeframe',
  ) {
    super(message);
  }
}

export interface EvaluationWindowParams {
  start?: string;
  end?: string;
  timeframe?: string;
}

/** Keptn's default window when no timeframe is given. */
export const DEFAULT_TIMEFRAME = '5m';

const GO_DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go's `time.ParseDuration` ("5m", "1h30m", "90s", "1.5h", "-2m", "0"), in
 * milliseconds; undefined when Go would refuse it.
 */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(text)!;
  const sign = m[1] === '-' ? -1 : 1;
  const rest = m[2];
  if (rest === '0') {
    return 0;
  }
  if (rest === '') {
    return undefined;
  }
  const part = /(\d*(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < rest.length) {
    part.lastIndex = index;
    const p = part.exec(rest);
    if (!p || p[1] === '' || p[1] === '.') {
      return undefined;
    }
    total += Number(p[1]) * GO_DURATION_UNITS_MS[p[2]];
    index = part.lastIndex;
  }
  return sign * total;
}

const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * go-utils `ParseTimestamp`: Keptn's ISO 8601 layout
 * (`2006-01-02T15:04:05.000Z`), RFC 3339, or `2006-01-02T15:04:05` read as UTC.
 */
export function parseKeptnTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) {
    return undefined;
  }
  const date = new Date(`${m[1]}${m[2] ?? ''}${m[3] ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** go-utils `GetKeptnTimeStamp`: `2006-01-02T15:04:05.000Z`. */
export function formatKeptnTimestamp(date: Date): string {
  return date.toISOString();
}

/**
 * The window Keptn evaluates: `{start, end}` or `{start, timeframe}`, or a
 * `timeframe` (default 5m) ending now. `end` and `timeframe` are exclusive and
 * the window must be at least one minute long.
 *
 * @throws EvaluationWindowError
 */
export function evaluationWindow(
  params: EvaluationWindowParams,
  now: Date,
): { start: Date; end: Date } {
  const start = params.start ?? '';
  const end = params.end ?? '';
  const timeframe = params.timeframe ?? '';

  // shipyard-controller EvaluationParamsValidator.
  if (timeframe !== '' && end !== '') {
    throw new EvaluationWindowError(
      'timeframe and end time specifications cannot be set together',
      'request',
    );
  }
  if (start !== '' && timeframe === '' && end === '') {
    throw new EvaluationWindowError(
      'timeframe or end time specifications need to be specified when using start parameter',
      'request',
    );
  }
  if (start === '' && end !== '') {
    throw new EvaluationWindowError(
      'end time specifications cannot be set without start parameter',
      'request',
    );
  }

  // go-utils timeutils.GetStartEndTime.
  const durationMs = parseGoDuration(timeframe || DEFAULT_TIMEFRAME);
  if (durationMs === undefined) {
    throw new EvaluationWindowError(
      `could not parse provided timeframe: time: invalid duration ${JSON.stringify(
        timeframe,
      )}`,
      'timeframe',
    );
  }
  let startDate = new Date(now.getTime() - durationMs);
  let endDate = new Date(now.getTime());
  if (start !== '') {
    const parsed = parseKeptnTimestamp(start);
    if (!parsed) {
      throw new EvaluationWindowError(
        `parsing time ${JSON.stringify(
          start,
        )} as "2006-01-02T15:04:05": cannot parse`,
        'timeframe',
      );
    }
    startDate = parsed;
  }
  if (end !== '') {
    const parsed = parseKeptnTimestamp(end);
    if (!parsed) {
      throw new EvaluationWindowError(
        `parsing time ${JSON.stringify(
          end,
        )} as "2006-01-02T15:04:05": cannot parse`,
        'timeframe',
      );
    }
    endDate = parsed;
  }
  if (start !== '' && end === '' && timeframe !== '') {
    endDate = new Date(startDate.getTime() + durationMs);
  }
  if (endDate.getTime() - startDate.getTime() < 60_000) {
    throw new EvaluationWindowError(
      'end date must be at least 1 minute after start date',
      'timeframe',
    );
  }
  return { start: startDate, end: endDate };
}
