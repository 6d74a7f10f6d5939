/**
 * Keptn v1 (1.4.5) API simulator for demos, local development and tests: the
 * shipyard-controller's evaluation trigger and the mongodb-datastore's event
 * query. Typical use:
 *
 *   const sim = KeptnSimulator.create({ apiToken: 't', scoreEvaluation, tickMs: 0 });
 *   sim.seed({ project, stage, service, slo: sloYaml, values: { response_time_p95: 180 } });
 *   const { url } = await sim.start();
 *   // POST {url}/api/controlPlane/v1/project/{p}/stage/{s}/service/{svc}/evaluation → {keptnContext}
 *   sim.advance(); // the evaluation.finished event appears
 *
 * Never imported by plugins or production code.
 */
export {
  KeptnSimulator,
  KEPTN_CONTROL_PLANE_PREFIX,
  KEPTN_DATASTORE_PREFIX,
  EVALUATION_FINISHED_TYPE,
} from './KeptnSimulator';
export type { KeptnSimulatorOptions } from './KeptnSimulator';
export type {
  KeptnEvent,
  KeptnPreviousEvaluation,
  KeptnScore,
  KeptnScoreFn,
  KeptnScoreInput,
  KeptnSeed,
  KeptnSimulatorStats,
} from './types';
