import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  ANNOTATION_GATE_PROVIDER,
  ANNOTATION_KEPTN_INSTANCE,
  ANNOTATION_KEPTN_PROJECT,
  ANNOTATION_KEPTN_SERVICE,
  IndicatorResult,
  IndicatorStatus,
} from '@praevisio/backstage-plugin-common';
import {
  KeptnClientRegistry,
  KeptnEvaluationFinished,
  KeptnIndicatorResult,
} from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { isUniqueViolation } from '../service/databaseErrors';
import { StoredGateEvaluation } from './GateEvaluationStore';

export type GateProviderName = 'prometheus' | 'keptn';
const GATE_PROVIDERS: readonly GateProviderName[] = ['prometheus', 'keptn'];

/**
 * Who scores an entity's gate: Praevisio itself on Prometheus (the default),
 * or an existing Keptn v1 installation when the entity says
 * `praevisio.io/gate-provider: keptn`.
 */
export function gateProviderOf(entity: Entity): GateProviderName {
  const raw = entity.metadata.annotations?.[ANNOTATION_GATE_PROVIDER];
  if (raw === undefined || raw.trim() === '') return 'prometheus';
  const value = raw.trim().toLowerCase();
  if (!(GATE_PROVIDERS as readonly string[]).includes(value)) {
    throw new InputError(
      `Annotation ${ANNOTATION_GATE_PROVIDER}: '${raw}' is not a gate provider (use ${GATE_PROVIDERS.join(
        ' or ',
      )})`,
    );
  }
  return value as GateProviderName;
}

/** What a provider answered for one evaluation, before it is stored. */
export type GateProviderOutcome = Pick<
  StoredGateEvaluation,
  | 'result'
  | 'score'
  | 'indicatorResults'
  | 'values'
  | 'errors'
  | 'comparedEvaluationIds'
  | 'providerInstance'
  | 'keptnContext'
  | 'sloText'
  | 'sloLocation'
  | 'sliLocation'
  | 'message'
>;

const TRIGGERS = 'praevisio_gate_keptn_triggers';

/**
 * The keptnContext of each evaluation Praevisio triggered under an
 * idempotency key, recorded right after the trigger: a replay or a restart
 * waits for that evaluation instead of triggering a second one.
 */
export class KeptnTriggerStore {
  constructor(private readonly knex: Knex) {}

  async find(
    triggeredBy: string,
    idempotencyKey: string,
  ): Promise<{ keptnInstance: string; keptnContext: string } | undefined> {
    const row = await this.knex(TRIGGERS)
      .where({ triggered_by: triggeredBy, idempotency_key: idempotencyKey })
      .first();
    return row
      ? { keptnInstance: row.keptn_instance, keptnContext: row.keptn_context }
      : undefined;
  }

  /**
   * Records a trigger; when another replica recorded one for the same key
   * first, returns that one (and the caller waits for it instead).
   */
  async record(trigger: {
    triggeredBy: string;
    idempotencyKey: string;
    keptnInstance: string;
    keptnContext: string;
    at: Date;
  }): Promise<{ keptnInstance: string; keptnContext: string }> {
    try {
      await this.knex(TRIGGERS).insert({
        triggered_by: trigger.triggeredBy,
        idempotency_key: trigger.idempotencyKey,
        keptn_instance: trigger.keptnInstance,
        keptn_context: trigger.keptnContext,
        created_at: trigger.at.toISOString(),
      });
      return trigger;
    } catch (error) {
      if (isUniqueViolation(error)) {
        const first = await this.find(
          trigger.triggeredBy,
          trigger.idempotencyKey,
        );
        if (first) return first;
      }
      throw error;
    }
  }
}

export interface KeptnGateProviderOptions {
  keptn: KeptnClientRegistry;
  triggers: KeptnTriggerStore;
  /** How long to wait for Keptn's lighthouse; then the evaluation is errored. */
  timeoutMs: number;
  /** Pause between datastore polls. Default 1000. */
  pollMs?: number;
  clock?: () => Date;
}

/**
 * The Keptn v1 adapter (DESIGN §6): triggers an evaluation of
 * `keptn.sh/project` / `keptn.sh/service` in the stage named like the
 * environment through the control-plane API, waits for
 * `evaluation.finished` in the datastore and maps it to Praevisio's shape.
 * Keptn scores with its own slo.yaml and baseline; its answer is taken as it
 * is, with the slo.yaml it sent and the keptnContext kept as evidence.
 * Anything short of a clear result (refusal, timeout, errored evaluation)
 * is an `errored` outcome: the gate fails closed.
 */
export class KeptnGateProvider {
  private readonly clock: () => Date;

  constructor(private readonly options: KeptnGateProviderOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async evaluate(input: {
    entity: Entity;
    environment: string;
    window: { start: Date; end: Date };
    triggeredBy: string;
    idempotencyKey?: string;
  }): Promise<GateProviderOutcome> {
    const { keptn, triggers } = this.options;
    const annotations = input.entity.metadata.annotations ?? {};
    const project = annotations[ANNOTATION_KEPTN_PROJECT]?.trim();
    if (!project) {
      throw new InputError(
        `The entity has no ${ANNOTATION_KEPTN_PROJECT} annotation; ${ANNOTATION_GATE_PROVIDER}: keptn needs the Keptn project (and ${ANNOTATION_KEPTN_SERVICE}, default the entity name)`,
      );
    }
    const service =
      annotations[ANNOTATION_KEPTN_SERVICE]?.trim() ||
      input.entity.metadata.name;
    if (!keptn.isConfigured) {
      throw new ServiceUnavailableError(
        `${ANNOTATION_GATE_PROVIDER} is keptn, but no Keptn instance is configured; add praevisio.keptn.instances[] to app-config.yaml`,
      );
    }
    const instance = annotations[ANNOTATION_KEPTN_INSTANCE]?.trim();
    if (instance && !keptn.instanceNames.includes(instance)) {
      throw new InputError(
        `Annotation ${ANNOTATION_KEPTN_INSTANCE}: Keptn instance '${instance}' is not configured (configured: ${keptn.instanceNames.join(
          ', ',
        )})`,
      );
    }
    const client = keptn.get(instance || undefined);

    let keptnContext: string | undefined;
    try {
      const earlier = input.idempotencyKey
        ? await triggers.find(input.triggeredBy, input.idempotencyKey)
        : undefined;
      if (earlier && earlier.keptnInstance === client.name) {
        keptnContext = earlier.keptnContext;
      } else {
        ({ keptnContext } = await client.triggerEvaluation({
          project,
          stage: input.environment,
          service,
          start: input.window.start,
          end: input.window.end,
          labels: {
            'praevisio.io/entity': stringifyEntityRef(input.entity),
            'praevisio.io/triggered-by': input.triggeredBy,
          },
        }));
        if (input.idempotencyKey) {
          ({ keptnContext } = await triggers.record({
            triggeredBy: input.triggeredBy,
            idempotencyKey: input.idempotencyKey,
            keptnInstance: client.name,
            keptnContext,
            at: this.clock(),
          }));
        }
      }
      const finished = await client.waitForEvaluation(keptnContext, {
        timeoutMs: this.options.timeoutMs,
        pollMs: this.options.pollMs ?? 1000,
      });
      return fromFinished(finished, client.name);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        result: 'errored',
        score: 0,
        indicatorResults: [],
        values: {},
        errors: {},
        comparedEvaluationIds: [],
        providerInstance: client.name,
        ...(keptnContext ? { keptnContext } : {}),
        message: `Keptn '${client.name}' gave no result for ${project}/${input.environment}/${service}: ${reason}`,
      };
    }
  }
}

const STATUSES: readonly IndicatorStatus[] = [
  'pass',
  'warning',
  'fail',
  'info',
];

/** Keptn's indicator result in Praevisio's (identical) shape, defaults filled. */
function toIndicatorResult(r: KeptnIndicatorResult): IndicatorResult {
  const status = (STATUSES as readonly string[]).includes(r.status)
    ? (r.status as IndicatorStatus)
    : 'fail';
  const value = r.value ?? { metric: '', value: 0, success: false };
  return {
    displayName: r.displayName || value.metric,
    keySli: r.keySli === true,
    status,
    score: typeof r.score === 'number' ? r.score : 0,
    value: {
      metric: value.metric,
      value: value.value,
      ...(value.comparedValue !== undefined
        ? { comparedValue: value.comparedValue }
        : {}),
      success: value.success === true,
      ...(value.message ? { message: value.message } : {}),
    },
    passTargets: r.passTargets ?? null,
    warningTargets: r.warningTargets ?? null,
  } as IndicatorResult;
}

/** Maps Keptn's `evaluation.finished` to a stored outcome. */
export function fromFinished(
  finished: KeptnEvaluationFinished,
  instance: string,
): GateProviderOutcome {
  const errored = finished.status.toLowerCase() === 'errored';
  const indicatorResults =
    finished.evaluation.indicatorResults.map(toIndicatorResult);
  const values: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const r of indicatorResults) {
    if (!r.value.metric) continue;
    values[r.value.metric] = r.value.success ? r.value.value : null;
    if (!r.value.success) {
      errors[r.value.metric] =
        r.value.message || 'Keptn reported no value for this SLI';
    }
  }
  const message =
    finished.message ||
    (errored ? 'Keptn reported the evaluation as errored' : undefined);
  return {
    result: errored ? 'errored' : finished.result,
    score: errored ? 0 : finished.evaluation.score,
    indicatorResults,
    values,
    errors,
    comparedEvaluationIds: [],
    providerInstance: instance,
    keptnContext: finished.keptnContext,
    ...(finished.evaluation.sloFileContent !== undefined
      ? { sloText: finished.evaluation.sloFileContent }
      : {}),
    ...(message ? { message } : {}),
  };
}
