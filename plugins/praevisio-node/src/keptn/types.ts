/** A time for Keptn: a `Date` or an ISO 8601 / RFC 3339 timestamp (UTC when it has no zone). @public */
export type KeptnTime = Date | string;

/** Which project/stage/service to evaluate, and what to attach. @public */
export interface KeptnEvaluationTarget {
  project: string;
  stage: string;
  service: string;
  /** Attached to the Keptn events (`data.labels`). */
  labels?: Record<string, string>;
  gitcommitid?: string;
  signal?: AbortSignal;
}

/**
 * Input of `KeptnClient.triggerEvaluation`. The window is `{start, end}`,
 * `{start, timeframe}`, a `timeframe` ending now, or nothing (Keptn's default:
 * 5 minutes ending now); `end` and `timeframe` exclude each other and the
 * window must last at least one minute.
 *
 * @public
 */
export type KeptnTriggerEvaluationRequest = KeptnEvaluationTarget &
  (
    | { start: KeptnTime; end: KeptnTime; timeframe?: undefined }
    | {
        start?: KeptnTime;
        /** A Go duration such as `5m`, `1h30m` or `90s`. */
        timeframe: string;
        end?: undefined;
      }
    | { start?: undefined; end?: undefined; timeframe?: undefined }
  );

/** @public */
export interface KeptnTriggerEvaluationResult {
  keptnContext: string;
}

/** Keptn's overall result of an evaluation. @public */
export type KeptnEvaluationResult = 'pass' | 'warning' | 'fail';

/** One criterion of an indicator result. @public */
export interface KeptnSliTarget {
  criteria: string;
  targetValue: number;
  violated: boolean;
}

/** One objective's result, as Keptn's lighthouse reports it. @public */
export interface KeptnIndicatorResult {
  displayName?: string;
  keySli?: boolean;
  /** `pass`, `warning`, `fail` or `info`. */
  status: string;
  score: number;
  value: {
    metric: string;
    value: number;
    comparedValue?: number;
    success: boolean;
    message?: string;
  };
  passTargets?: KeptnSliTarget[] | null;
  warningTargets?: KeptnSliTarget[] | null;
}

/** A `sh.keptn.event.evaluation.finished` event, parsed. @public */
export interface KeptnEvaluationFinished {
  keptnContext: string;
  /** Id of the finished event. */
  eventId: string;
  /** Id of the event that triggered the evaluation. */
  triggeredId?: string;
  /** When the event was sent. */
  time?: string;
  project: string;
  stage: string;
  service: string;
  labels: Record<string, string>;
  /**
   * `succeeded`, or `errored` when the evaluation could not run (SLI provider
   * failure, invalid SLO, …); an errored evaluation has result `fail`.
   */
  status: string;
  result: KeptnEvaluationResult;
  message: string;
  evaluation: {
    /** 0–100. */
    score: number;
    result: KeptnEvaluationResult;
    timeStart?: string;
    timeEnd?: string;
    indicatorResults: KeptnIndicatorResult[];
    gitCommit?: string;
    comparedEvents?: string[];
    /** The slo.yaml Keptn scored with (decoded from `sloFileContent`). */
    sloFileContent?: string;
  };
  gitcommitid?: string;
}

/** Options of `KeptnClient.waitForEvaluation`. @public */
export interface KeptnWaitOptions {
  /** Give up (with `KeptnEvaluationTimeoutError`) after this long. Required: there is no endless wait. */
  timeoutMs: number;
  /** Pause between polls. Default 2000. */
  pollMs?: number;
  signal?: AbortSignal;
}
