import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DeploymentDto,
  praevisioReleaseDeployPermission,
  RolloutCommand,
  SyncPreviewDto,
} from '@praevisio/backstage-plugin-common';
import {
  Application,
  ArgoCdAutoSyncEnabledError,
  ArgoCdClient,
  ArgoCdClientRegistry,
} from '@praevisio/backstage-plugin-node';
import { AuditLog } from '../audit/AuditLog';
import {
  DeploymentContext,
  DeploymentRecord,
  DeploymentStore,
  toDeploymentDto,
} from './DeploymentStore';
import {
  certainlyNotApplied,
  commandKindOf,
  lockKeyOf,
  ReleaseCommandRequest,
  requestHash,
  ROLLOUT_ACTION,
  rolloutRefusal,
} from './commandRules';
import { acceptedStateOf } from './deploymentStateMachine';
import { CommandError, statusCodeOf } from './errors';
import { operationFingerprint } from './observeDeployment';
import { buildSyncPreview } from './syncPreview';
import { ApplicationTarget, ReleasesReadModel } from './ReleasesReadModel';
import { deployedRevision, historyMaxId } from './releaseMapping';

export interface ExecuteCommandOptions {
  entity: Entity;
  application: string;
  /** Who asks: a user or service entity ref. Idempotency keys are per actor. */
  actor: string;
  idempotencyKey: string;
  request: ReleaseCommandRequest;
}

export interface CommandResult {
  /** 202: accepted; Argo CD works on it and the reconciler follows it. */
  status: number;
  deployment: DeploymentDto;
  /** The answer of an earlier request with the same key. */
  replayed: boolean;
}

/** Something changed for the entity: refresh caches, tell open pages. */
export type ReleasesChangedListener = (entityRef: string) => void;

export interface ReleaseCommandServiceOptions {
  store: DeploymentStore;
  readModel: ReleasesReadModel;
  registry: ArgoCdClientRegistry;
  auditLog: AuditLog;
  logger: LoggerService;
  onChanged: ReleasesChangedListener;
  clock?: () => number;
  /** How long a replay waits for the first request still in flight. */
  replayWaitMs?: number;
  /** After this long a still-pending command is taken as abandoned. */
  pendingTimeoutMs?: number;
}

/**
 * Refuses a promotion the quality gate does not allow (src/gates): throws a
 * ConflictError saying why. Called before anything reaches Argo CD.
 */
export interface PromotionGuard {
  checkPromotion(options: {
    entityRef: string;
    application: string;
    environment: string;
    actor: string;
  }): Promise<void>;
}

/** What a command starts from, read from Argo CD before it is recorded. */
interface PreparedCommand {
  fromRevision?: string;
  toRevision?: string;
  context: DeploymentContext;
}

export const DEFAULT_PENDING_TIMEOUT_MS = 120_000;
const REPLAY_POLL_MS = 100;

/**
 * Release commands: sync (and its dry-run preview), rollback, and Rollout
 * actions. Each command is recorded before Argo CD is called, at most once
 * per (actor, Idempotency-Key) across every replica, audited in the hash
 * chain, and then left to the reconciler to follow.
 */
export class ReleaseCommandService {
  /** Commands in flight in this process, by actor and idempotency key. */
  private readonly flights = new Map<
    string,
    { hash: string; promise: Promise<CommandResult> }
  >();
  private readonly clock: () => number;
  private readonly replayWaitMs: number;
  private readonly pendingTimeoutMs: number;
  private promotionGuard?: PromotionGuard;

  static create(options: ReleaseCommandServiceOptions): ReleaseCommandService {
    return new ReleaseCommandService(options);
  }

  private constructor(private readonly options: ReleaseCommandServiceOptions) {
    this.clock = options.clock ?? (() => Date.now());
    this.replayWaitMs = options.replayWaitMs ?? 30_000;
    this.pendingTimeoutMs =
      options.pendingTimeoutMs ?? DEFAULT_PENDING_TIMEOUT_MS;
  }

  /** Set once at startup, when gates are configured. */
  setPromotionGuard(guard: PromotionGuard): void {
    this.promotionGuard = guard;
  }

  async listDeployments(
    entityRef: string,
    limit: number,
  ): Promise<DeploymentDto[]> {
    const records = await this.options.store.listForEntity(entityRef, limit);
    return records.map(toDeploymentDto);
  }

  /**
   * What a sync would change (see {@link buildSyncPreview}); changes nothing.
   */
  async preview(
    entity: Entity,
    application: string,
    revision?: string,
  ): Promise<SyncPreviewDto> {
    const target = await this.options.readModel.findApplication(
      entity,
      application,
    );
    const client = this.options.registry.get(target.instance);
    const app = await client.getApplication(application, {
      project: target.project,
    });
    return buildSyncPreview(app, revision);
  }

  /**
   * Runs a command once per (actor, idempotency key): concurrent duplicates
   * in this process share one execution, duplicates on other replicas meet
   * at the database's unique key, and later replays get the first answer.
   *
   * @throws ConflictError - the key was used for another request, or another
   *   deployment of the application is in progress, or the Rollout is not in
   *   a state the action applies to
   */
  async execute(options: ExecuteCommandOptions): Promise<CommandResult> {
    const entityRef = stringifyEntityRef(options.entity);
    const hash = requestHash(entityRef, options.application, options.request);
    const flightKey = `${options.actor}\n${options.idempotencyKey}`;
    const running = this.flights.get(flightKey);
    if (running) {
      if (running.hash !== hash) {
        throw keyReused(options.idempotencyKey);
      }
      const first = await running.promise;
      return { ...first, replayed: true };
    }
    const promise = this.executeOnce(options, entityRef, hash).finally(() =>
      this.flights.delete(flightKey),
    );
    this.flights.set(flightKey, { hash, promise });
    return promise;
  }

  private async executeOnce(
    options: ExecuteCommandOptions,
    entityRef: string,
    hash: string,
  ): Promise<CommandResult> {
    const { store } = this.options;
    const existing = await store.findByIdempotencyKey(
      options.actor,
      options.idempotencyKey,
    );
    if (existing) {
      return this.replay(existing, hash);
    }
    const kind = commandKindOf(options.request);
    let target: ApplicationTarget;
    let client: ArgoCdClient;
    let prepared: PreparedCommand;
    try {
      target = await this.options.readModel.findApplication(
        options.entity,
        options.application,
      );
      client = this.options.registry.get(target.instance);
      if (
        this.promotionGuard &&
        options.request.type === 'rollout' &&
        (options.request.action === 'promote' ||
          options.request.action === 'promote-full')
      ) {
        await this.promotionGuard.checkPromotion({
          entityRef,
          application: target.application,
          environment: target.environment,
          actor: options.actor,
        });
      }
      prepared = await this.prepare(options.request, target, client);
    } catch (error) {
      // A duplicate on another replica may have run the command meanwhile
      // (a promote no longer finds the Rollout paused): answer as it did.
      const raced = await store.findByIdempotencyKey(
        options.actor,
        options.idempotencyKey,
      );
      if (raced) {
        return this.replay(raced, hash);
      }
      throw error;
    }
    const inserted = await store.insert({
      id: randomUUID(),
      idempotencyKey: options.idempotencyKey,
      requestHash: hash,
      entityRef,
      instance: target.instance,
      application: target.application,
      environment: target.environment,
      kind,
      ...prepared,
      requestedBy: options.actor,
      lockKey: lockKeyOf(kind, target),
    });
    if (inserted.outcome === 'duplicate') {
      return this.replay(inserted.record, hash);
    }
    if (inserted.outcome === 'locked') {
      const holder = inserted.holder;
      const next =
        holder.state === 'paused'
          ? 'Promote or abort its rollout first.'
          : 'Wait for it to finish.';
      throw new ConflictError(
        `Deployment ${holder.id} (${holder.kind} of '${holder.application}', requested by ${holder.requestedBy} at ${holder.requestedAt}) is still ${holder.state}. ${next}`,
      );
    }
    return this.run(inserted.record, client, options.request);
  }

  /**
   * Reads the current state in Argo CD (never a command) to record what the
   * command starts from, and refuses Rollout actions that do not apply.
   */
  private async prepare(
    request: ReleaseCommandRequest,
    target: ApplicationTarget,
    client: ArgoCdClient,
  ): Promise<PreparedCommand> {
    const scope = { project: target.project };
    if (request.type === 'rollout') {
      if (!target.rollout) {
        throw new InputError(
          `action: Argo CD application '${target.application}' has no Argo Rollouts Rollout, so '${request.action}' does not apply`,
        );
      }
      const rollout = await client.getRollout(target.application, {
        ...scope,
        namespace: target.rollout.namespace,
        resourceName: target.rollout.name,
      });
      const status = rollout.status ?? {};
      const refusal = rolloutRefusal(
        request.action,
        rollout,
        `Rollout '${target.rollout.namespace}/${target.rollout.name}'`,
      );
      if (refusal) {
        throw new ConflictError(refusal);
      }
      const history = target.history;
      const previous = history[history.length - 2]?.revision;
      const backwards = request.action === 'abort';
      return {
        ...revisions(
          backwards ? target.revision : previous,
          backwards ? previous : target.revision,
        ),
        context: {
          ...scope,
          rollout: {
            ...target.rollout,
            ...(status.currentStepIndex !== undefined
              ? { stepIndex: status.currentStepIndex }
              : {}),
            ...(status.currentPodHash
              ? { currentPodHash: status.currentPodHash }
              : {}),
            ...(status.abortedAt ? { abortedAt: status.abortedAt } : {}),
          },
        },
      };
    }

    const app: Application = await client.getApplication(
      target.application,
      scope,
    );
    const context: DeploymentContext = {
      ...scope,
      operationBefore: operationFingerprint(app),
      historyMaxIdBefore: historyMaxId(app),
    };
    if (request.type === 'sync') {
      return {
        ...revisions(
          deployedRevision(app),
          request.revision ??
            app.status?.sync?.revision ??
            app.spec?.source?.targetRevision,
        ),
        context,
      };
    }
    const entry = (app.status?.history ?? []).find(
      h => h.id === request.historyId,
    );
    if (!entry) {
      const known = (app.status?.history ?? []).map(h => h.id).join(', ');
      throw new InputError(
        `historyId: ${request.historyId} is not in the deploy history of '${
          target.application
        }' (known ids: ${known || 'none'})`,
      );
    }
    return {
      ...revisions(deployedRevision(app), entry.revision),
      context: { ...context, historyId: request.historyId },
    };
  }

  /** Calls Argo CD for a recorded command and records the outcome. */
  private async run(
    record: DeploymentRecord,
    client: ArgoCdClient,
    request: ReleaseCommandRequest,
  ): Promise<CommandResult> {
    const { store } = this.options;
    const scope = { project: record.context.project };
    // Fail closed: no command reaches Argo CD unless its request is in the chain.
    try {
      await this.appendAudit(record, 'requested');
    } catch (error) {
      this.options.logger.error(
        `Could not append deployment ${record.id} to the audit chain`,
        error as Error,
      );
      return this.fail(
        record,
        new ServiceUnavailableError(
          'The audit chain could not be written, so the command was not sent to Argo CD',
        ),
        false,
      );
    }
    let autoSyncDisabled = false;
    try {
      switch (record.kind) {
        case 'sync':
          await client.sync(record.application, {
            ...scope,
            revision: request.type === 'sync' ? request.revision : undefined,
          });
          break;
        case 'disable-auto-sync-and-rollback': {
          await client.setAutoSync(record.application, false, scope);
          autoSyncDisabled = true;
          await store.update(record.id, {
            context: { ...record.context, autoSyncDisabled: true },
          });
          await this.rollback(client, record);
          break;
        }
        case 'rollback':
          await this.rollback(client, record);
          break;
        default: {
          const rollout = record.context.rollout!;
          await client.runRolloutAction(record.application, {
            ...scope,
            namespace: rollout.namespace,
            resourceName: rollout.name,
            action: ROLLOUT_ACTION[record.kind as RolloutCommand],
          });
        }
      }
    } catch (error) {
      const answer = autoSyncDisabled
        ? new CommandError(
            statusCodeOf(error),
            (error as Error).name,
            `${(error as Error).message}. Auto-sync of '${
              record.application
            }' was turned off and stays off.`,
          )
        : error;
      return this.fail(record, answer, !certainlyNotApplied(error));
    }

    const accepted = acceptedStateOf(record.kind);
    const updated =
      accepted === record.state
        ? await store.update(record.id, { commandStatus: 'accepted' })
        : await store.transition(record.id, {
            kind: record.kind,
            from: record.state,
            to: accepted,
            commandStatus: 'accepted',
          });
    const deployment = toDeploymentDto(updated ?? record);
    await store.update(record.id, {
      response: { status: 202, body: deployment },
    });
    await this.appendAudit(updated ?? record, 'accepted').catch(error =>
      this.options.logger.error(
        `Could not append the outcome of deployment ${record.id} to the audit chain`,
        error,
      ),
    );
    this.options.onChanged(record.entityRef);
    return { status: 202, deployment, replayed: false };
  }

  private async rollback(client: ArgoCdClient, record: DeploymentRecord) {
    try {
      await client.rollback(record.application, {
        project: record.context.project,
        id: record.context.historyId!,
      });
    } catch (error) {
      if (ArgoCdAutoSyncEnabledError.is(error)) {
        throw new ArgoCdAutoSyncEnabledError(
          `${error.message}. To roll back anyway, send disableAutoSync: true, which turns auto-sync off first (needs the ${praevisioReleaseDeployPermission.name} permission too)`,
          error.details,
        );
      }
      throw error;
    }
  }

  /**
   * Records a failed command and throws what the caller sees. When Argo CD
   * may have applied it after all, the deployment stays open with an unknown
   * outcome and the reconciler finds out; the command is never repeated.
   */
  private async fail(
    record: DeploymentRecord,
    error: unknown,
    outcomeUnknown: boolean,
  ): Promise<never> {
    const { store } = this.options;
    const message = (error as Error).message;
    let answer = error as Error;
    if (outcomeUnknown) {
      await store.update(record.id, {
        commandStatus: 'unknown',
        message: `Argo CD may or may not have received the command: ${message}`,
      });
      answer = new ServiceUnavailableError(
        `Argo CD did not answer in time, so it is unknown whether it received the command. Praevisio does not send it again; it watches '${record.application}' and records the outcome as deployment ${record.id}. ${message}`,
      );
    } else {
      await store.transition(record.id, {
        kind: record.kind,
        from: record.state,
        to: 'failed',
        message,
        commandStatus: 'refused',
      });
    }
    await store.update(record.id, {
      response: {
        status: statusCodeOf(answer),
        error: { name: answer.name, message: answer.message },
      },
    });
    await this.appendAudit(record, outcomeUnknown ? 'unknown' : 'refused', {
      reason: message,
    }).catch(auditError =>
      this.options.logger.error(
        `Could not append the outcome of deployment ${record.id} to the audit chain`,
        auditError,
      ),
    );
    this.options.onChanged(record.entityRef);
    throw answer;
  }

  /** The first answer for a key, waiting for it if the first request is still running. */
  private async replay(
    record: DeploymentRecord,
    hash: string,
  ): Promise<CommandResult> {
    if (record.requestHash !== hash) {
      throw keyReused(record.idempotencyKey, record.id);
    }
    const deadline = this.clock() + this.replayWaitMs;
    let current: DeploymentRecord = record;
    while (!current.response) {
      const abandoned =
        this.clock() - Date.parse(current.requestedAt) > this.pendingTimeoutMs;
      if (current.commandStatus !== 'pending' || abandoned) {
        // The first request never stored its answer; say where things stand.
        return {
          status: 202,
          deployment: toDeploymentDto(current),
          replayed: true,
        };
      }
      if (this.clock() > deadline) {
        throw new ConflictError(
          `The request with this Idempotency-Key is still being processed as deployment ${record.id}; try again shortly`,
        );
      }
      await sleep(REPLAY_POLL_MS);
      current = (await this.options.store.get(record.id)) ?? current;
    }
    const { status, body, error } = current.response;
    if (error) {
      throw new CommandError(status, error.name, error.message);
    }
    return { status, deployment: body!, replayed: true };
  }

  private appendAudit(
    record: DeploymentRecord,
    outcome: 'requested' | 'accepted' | 'refused' | 'unknown',
    extra: Record<string, unknown> = {},
  ) {
    return this.options.auditLog.append({
      actor: record.requestedBy,
      action: `release.${record.kind}${
        outcome === 'requested' ? '' : `.${outcome}`
      }`,
      entityRef: record.entityRef,
      severity:
        record.kind === 'disable-auto-sync-and-rollback' ? 'high' : 'medium',
      details: {
        deploymentId: record.id,
        instance: record.instance,
        application: record.application,
        environment: record.environment,
        fromRevision: record.fromRevision,
        toRevision: record.toRevision,
        historyId: record.context.historyId,
        outcome,
        ...extra,
      },
    });
  }
}

function revisions(from?: string, to?: string) {
  return {
    ...(from ? { fromRevision: from } : {}),
    ...(to ? { toRevision: to } : {}),
  };
}

function keyReused(key: string, deploymentId?: string) {
  return new ConflictError(
    `Idempotency-Key '${key}' was already used for a different request${
      deploymentId ? ` (deployment ${deploymentId})` : ''
    }; use a new key for a new request`,
  );
}
