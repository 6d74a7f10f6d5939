/** What a test or demo seeds for one project/stage/service. */
export interface KeptnSeed {
  project: string;
  stage: string;
  service: string;
  /** A Keptn `slo.yaml` (spec 1.0), as text. */
  slo: string;
  /** SLI values by SLI name, as the SLI provider would answer them. */
  values: Record<string, number | null>;
}

/** `data.evaluation` of an earlier `evaluation.finished` event, with its result. */
export interface KeptnPreviousEvaluation {
  /** `data.result` of the event (Keptn stores errored evaluations as `fail`). */
  result: string;
  score: number;
  indicatorResults: unknown[];
  /** Id of the `evaluation.finished` event. */
  eventId: string;
}

/** Input of a {@link KeptnScoreFn}. */
export interface KeptnScoreInput {
  project: string;
  stage: string;
  service: string;
  /** The seeded `slo.yaml` text. */
  slo: string;
  /** The seeded SLI values at evaluation time. */
  values: Readonly<Record<string, number | null>>;
  /** Earlier finished evaluations of the same project/stage/service, newest first. */
  previous: KeptnPreviousEvaluation[];
}

/**
 * The score of one evaluation. Praevisio's `evaluateGate` result
 * (`@praevisio/backstage-plugin-common`) fits as it is.
 */
export interface KeptnScore {
  /** `pass`, `warning`, `fail` or `errored` (which Keptn reports as `fail`). */
  result: string;
  /** 0–100. */
  score: number;
  /** Keptn `indicatorResults[]` entries. */
  indicatorResults: ReadonlyArray<unknown>;
  message?: string;
}

/**
 * Scores an evaluation from the seeded SLO and values. A thrown error makes
 * the evaluation `errored` (status errored, result fail), as a lighthouse
 * failure does in Keptn.
 */
export type KeptnScoreFn = (input: KeptnScoreInput) => KeptnScore;

/** A Keptn CloudEvent as the mongodb-datastore serves it. */
export interface KeptnEvent {
  data: Record<string, unknown>;
  gitcommitid?: string;
  id: string;
  shkeptncontext: string;
  shkeptnspecversion: string;
  source: string;
  specversion: string;
  time: string;
  triggeredid?: string;
  type: string;
}

export interface KeptnSimulatorStats {
  requestCount: number;
  /** Per `METHOD /path/{template}` (unmatched paths as `METHOD <unmatched>`). */
  byRoute: Record<string, number>;
  evaluationsTriggered: number;
  evaluationsFinished: number;
  /** Triggered, not finished yet. */
  evaluationsPending: number;
}
