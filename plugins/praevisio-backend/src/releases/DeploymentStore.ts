import { Knex } from 'knex';
import {
  DeploymentDto,
  DeploymentState,
  ReleaseCommandKind,
  TERMINAL_DEPLOYMENT_STATES,
} from '@praevisio/backstage-plugin-common';
import { assertTransition, isTerminalState } from './deploymentStateMachine';
import { isUniqueViolation } from '../service/databaseErrors';

const TABLE = 'praevisio_deployments';

/** What became of the upstream call of a command. */
export type CommandStatus =
  /** Recorded; the call has not returned (yet). */
  | 'pending'
  /** Argo CD accepted the command. */
  | 'accepted'
  /** Argo CD (or Praevisio before calling it) refused; nothing happened. */
  | 'refused'
  /** The call may or may not have reached Argo CD (timeout, lost answer). */
  | 'unknown';

/** What the reconciler compares Argo CD's state against. */
export interface DeploymentContext {
  project: string;
  /** sync and rollback: `status.operationState` before the command, as JSON. */
  operationBefore?: string;
  /** sync and rollback: the highest `status.history[].id` before the command. */
  historyMaxIdBefore?: number;
  /** rollback: the history id rolled back to. */
  historyId?: number;
  /** disable-auto-sync-and-rollback: auto-sync was turned off. */
  autoSyncDisabled?: boolean;
  /** Rollout actions: the Rollout and its state before the action. */
  rollout?: {
    namespace: string;
    name: string;
    stepIndex?: number;
    currentPodHash?: string;
    abortedAt?: string;
  };
}

/** The first answer to a command, returned again on replay. */
export interface StoredResponse {
  status: number;
  body?: DeploymentDto;
  error?: { name: string; message: string };
}

/** A deployment as stored. */
export interface DeploymentRecord {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  entityRef: string;
  instance: string;
  application: string;
  environment: string;
  kind: ReleaseCommandKind;
  state: DeploymentState;
  commandStatus: CommandStatus;
  fromRevision?: string;
  toRevision?: string;
  requestedBy: string;
  requestedAt: string;
  updatedAt: string;
  finishedAt?: string;
  message?: string;
  context: DeploymentContext;
  response?: StoredResponse;
}

export type NewDeployment = Pick<
  DeploymentRecord,
  | 'id'
  | 'idempotencyKey'
  | 'requestHash'
  | 'entityRef'
  | 'instance'
  | 'application'
  | 'environment'
  | 'kind'
  | 'fromRevision'
  | 'toRevision'
  | 'requestedBy'
  | 'context'
> & {
  /** Held while the deployment is not terminal; one holder at a time. */
  lockKey?: string;
};

export type InsertResult =
  | { outcome: 'inserted'; record: DeploymentRecord }
  /** A deployment with the same requester and idempotency key exists. */
  | { outcome: 'duplicate'; record: DeploymentRecord }
  /** Another deployment holds the lock. */
  | { outcome: 'locked'; holder: DeploymentRecord };

/** Persistence of deployments. */
export interface DeploymentStore {
  /** Insert-or-fetch on the idempotency key; safe across replicas. */
  insert(deployment: NewDeployment): Promise<InsertResult>;
  get(id: string): Promise<DeploymentRecord | undefined>;
  findByIdempotencyKey(
    requestedBy: string,
    idempotencyKey: string,
  ): Promise<DeploymentRecord | undefined>;
  /** Deployments not in a terminal state, oldest first. */
  listActive(limit: number): Promise<DeploymentRecord[]>;
  /** An entity's deployments, newest first. */
  listForEntity(entityRef: string, limit: number): Promise<DeploymentRecord[]>;
  /**
   * Moves a deployment from `from` to `to` if it is still in `from`
   * (compare-and-set), after validating the transition. Returns undefined
   * when someone else moved it first. Terminal states release the lock.
   *
   * @throws ConflictError - the state machine forbids the transition
   */
  transition(
    id: string,
    change: {
      kind: ReleaseCommandKind;
      from: DeploymentState;
      to: DeploymentState;
      message?: string;
      commandStatus?: CommandStatus;
    },
  ): Promise<DeploymentRecord | undefined>;
  /** Updates fields other than the state. */
  update(
    id: string,
    change: {
      commandStatus?: CommandStatus;
      message?: string;
      context?: DeploymentContext;
      response?: StoredResponse;
      /** Only if the command status is still this one. */
      ifCommandStatus?: CommandStatus;
    },
  ): Promise<DeploymentRecord | undefined>;
}

interface Row {
  id: string;
  idempotency_key: string;
  request_hash: string;
  entity_ref: string;
  instance: string;
  application: string;
  environment: string;
  kind: string;
  state: string;
  command_status: string;
  from_revision: string | null;
  to_revision: string | null;
  requested_by: string;
  requested_at: string;
  updated_at: string;
  finished_at: string | null;
  message: string | null;
  lock_key: string | null;
  context: string;
  response_status: number | null;
  response_body: string | null;
}

function toRecord(row: Row): DeploymentRecord {
  let response: StoredResponse | undefined;
  if (row.response_status !== null && row.response_body !== null) {
    response = {
      status: Number(row.response_status),
      ...JSON.parse(row.response_body),
    };
  }
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    entityRef: row.entity_ref,
    instance: row.instance,
    application: row.application,
    environment: row.environment,
    kind: row.kind as ReleaseCommandKind,
    state: row.state as DeploymentState,
    commandStatus: row.command_status as CommandStatus,
    ...(row.from_revision ? { fromRevision: row.from_revision } : {}),
    ...(row.to_revision ? { toRevision: row.to_revision } : {}),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    updatedAt: row.updated_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    ...(row.message ? { message: row.message } : {}),
    context: JSON.parse(row.context),
    ...(response ? { response } : {}),
  };
}

/** The API shape of a deployment. */
export function toDeploymentDto(record: DeploymentRecord): DeploymentDto {
  return {
    id: record.id,
    entityRef: record.entityRef,
    instance: record.instance,
    application: record.application,
    environment: record.environment,
    kind: record.kind,
    ...(record.fromRevision ? { fromRevision: record.fromRevision } : {}),
    ...(record.toRevision ? { toRevision: record.toRevision } : {}),
    state: record.state,
    requestedBy: record.requestedBy,
    requestedAt: record.requestedAt,
    updatedAt: record.updatedAt,
    ...(record.message ? { message: record.message } : {}),
  };
}

/** knex implementation; safe with several replicas on one PostgreSQL. */
export class DatabaseDeploymentStore implements DeploymentStore {
  static create(options: {
    knex: Knex;
    clock?: () => Date;
  }): DatabaseDeploymentStore {
    return new DatabaseDeploymentStore(
      options.knex,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly knex: Knex,
    private readonly clock: () => Date,
  ) {}

  async insert(deployment: NewDeployment): Promise<InsertResult> {
    const now = this.clock().toISOString();
    const row: Row = {
      id: deployment.id,
      idempotency_key: deployment.idempotencyKey,
      request_hash: deployment.requestHash,
      entity_ref: deployment.entityRef,
      instance: deployment.instance,
      application: deployment.application,
      environment: deployment.environment,
      kind: deployment.kind,
      state: 'requested',
      command_status: 'pending',
      from_revision: deployment.fromRevision ?? null,
      to_revision: deployment.toRevision ?? null,
      requested_by: deployment.requestedBy,
      requested_at: now,
      updated_at: now,
      finished_at: null,
      message: null,
      lock_key: deployment.lockKey ?? null,
      context: JSON.stringify(deployment.context),
      response_status: null,
      response_body: null,
    };
    // Two attempts: a lock holder may finish between our insert and lookup.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // ON CONFLICT on the idempotency key only: a lock conflict still throws.
        await this.knex<Row>(TABLE)
          .insert(row)
          .onConflict(['requested_by', 'idempotency_key'])
          .ignore();
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        const duplicate = await this.findByIdempotencyKey(
          deployment.requestedBy,
          deployment.idempotencyKey,
        );
        if (duplicate) {
          return { outcome: 'duplicate', record: duplicate };
        }
        const holder = await this.knex<Row>(TABLE)
          .where('lock_key', row.lock_key)
          .first();
        if (holder) {
          return { outcome: 'locked', holder: toRecord(holder) };
        }
        continue;
      }
      const stored = await this.findByIdempotencyKey(
        deployment.requestedBy,
        deployment.idempotencyKey,
      );
      if (!stored) {
        throw new Error(`Deployment ${deployment.id} vanished after insert`);
      }
      return stored.id === deployment.id
        ? { outcome: 'inserted', record: stored }
        : { outcome: 'duplicate', record: stored };
    }
    throw new Error(
      `Could not record deployment ${deployment.id}: lock ${deployment.lockKey} kept changing hands`,
    );
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    const row = await this.knex<Row>(TABLE).where('id', id).first();
    return row ? toRecord(row) : undefined;
  }

  async findByIdempotencyKey(
    requestedBy: string,
    idempotencyKey: string,
  ): Promise<DeploymentRecord | undefined> {
    const row = await this.knex<Row>(TABLE)
      .where({ requested_by: requestedBy, idempotency_key: idempotencyKey })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listActive(limit: number): Promise<DeploymentRecord[]> {
    const rows = await this.knex<Row>(TABLE)
      .whereNotIn('state', TERMINAL_DEPLOYMENT_STATES as DeploymentState[])
      .orderBy('requested_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit);
    return rows.map(toRecord);
  }

  async listForEntity(
    entityRef: string,
    limit: number,
  ): Promise<DeploymentRecord[]> {
    const rows = await this.knex<Row>(TABLE)
      .where('entity_ref', entityRef)
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(toRecord);
  }

  async transition(
    id: string,
    change: {
      kind: ReleaseCommandKind;
      from: DeploymentState;
      to: DeploymentState;
      message?: string;
      commandStatus?: CommandStatus;
    },
  ): Promise<DeploymentRecord | undefined> {
    assertTransition(change.kind, change.from, change.to);
    const now = this.clock().toISOString();
    const terminal = isTerminalState(change.to);
    const updated = await this.knex<Row>(TABLE)
      .where({ id, state: change.from })
      .update({
        state: change.to,
        updated_at: now,
        ...(change.message !== undefined ? { message: change.message } : {}),
        ...(change.commandStatus
          ? { command_status: change.commandStatus }
          : {}),
        ...(terminal ? { finished_at: now, lock_key: null } : {}),
      });
    return updated ? this.get(id) : undefined;
  }

  async update(
    id: string,
    change: {
      commandStatus?: CommandStatus;
      message?: string;
      context?: DeploymentContext;
      response?: StoredResponse;
      ifCommandStatus?: CommandStatus;
    },
  ): Promise<DeploymentRecord | undefined> {
    const query = this.knex<Row>(TABLE).where('id', id);
    if (change.ifCommandStatus) {
      query.where('command_status', change.ifCommandStatus);
    }
    const { status, ...responseBody } = change.response ?? { status: 0 };
    const updated = await query.update({
      updated_at: this.clock().toISOString(),
      ...(change.commandStatus ? { command_status: change.commandStatus } : {}),
      ...(change.message !== undefined ? { message: change.message } : {}),
      ...(change.context ? { context: JSON.stringify(change.context) } : {}),
      ...(change.response
        ? {
            response_status: status,
            response_body: JSON.stringify(responseBody),
          }
        : {}),
    });
    return updated ? this.get(id) : undefined;
  }
}
