import { GateEvaluationDto } from '@praevisio/backstage-plugin-common';

/** The newest evaluation matching `filter`, by `createdAt`. */
export function latestEvaluation(
  evaluations: GateEvaluationDto[] | undefined,
  filter: (evaluation: GateEvaluationDto) => boolean,
): GateEvaluationDto | undefined {
  let latest: GateEvaluationDto | undefined;
  for (const ev of evaluations ?? []) {
    if (!filter(ev)) continue;
    if (!latest || Date.parse(ev.createdAt) > Date.parse(latest.createdAt)) {
      latest = ev;
    }
  }
  return latest;
}

/** The newest evaluation of one environment (and application, when known). */
export function latestEvaluationForEnvironment(
  evaluations: GateEvaluationDto[] | undefined,
  environment: string,
  application?: string,
): GateEvaluationDto | undefined {
  return latestEvaluation(
    evaluations,
    ev =>
      ev.environment === environment &&
      (!application || !ev.application || ev.application === application),
  );
}
