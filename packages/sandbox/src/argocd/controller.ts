import type { ApplicationRecord } from './application';
import { ArgoApiError, anotherOperationInProgress } from './errors';
import type { ApplicationStore } from './store';
import { groupVersion } from './store';
import type {
  Operation,
  OperationInitiator,
  ResourceResult,
  SyncOperationResource,
  SyncStrategy,
} from './types';
import { formatTime } from './util';

export interface SyncRequest {
  revision?: string;
  dryRun?: boolean;
  prune?: boolean;
  strategy?: SyncStrategy;
  resources?: SyncOperationResource[];
  syncOptions?: { items?: string[] };
  retryStrategy?: Operation['retry'];
  infos?: Array<{ name: string; value: string }>;
}

/**
 * The application controller: turns requested operations (`app.operation`)
 * into operation states, applies synced revisions to the live workload,
 * records history, and auto-syncs. Each `advance()` is one reconciliation
 * pass over every application.
 */
export class ApplicationController {
  private readonly store: ApplicationStore;
  private readonly clock: () => Date;

  constructor(store: ApplicationStore, clock: () => Date) {
    this.store = store;
    this.clock = clock;
  }

  /** ApplicationService.Sync after RBAC: validates, then queues the operation. */
  requestSync(
    record: ApplicationRecord,
    req: SyncRequest,
    initiatedBy: OperationInitiator,
  ) {
    const source = record.source;
    const targetRevision = source.targetRevision ?? '';
    if (req.revision && req.revision !== (targetRevision || 'HEAD')) {
      if (record.autoSyncEnabled && !req.dryRun) {
        throw new ArgoApiError(
          'FailedPrecondition',
          `Cannot sync to ${req.revision}: auto-sync currently set to ${targetRevision}`,
        );
      }
    }
    const revision = this.store.git.resolve(
      source.repoURL,
      req.revision || targetRevision || 'HEAD',
      record.branch,
    );
    const syncPolicy = record.app.spec.syncPolicy;
    const syncOptions = req.syncOptions?.items ?? syncPolicy?.syncOptions;
    const retry = req.retryStrategy ?? syncPolicy?.retry;
    const operation: Operation = {
      sync: {
        revision,
        ...(req.prune ? { prune: true } : {}),
        ...(req.dryRun ? { dryRun: true } : {}),
        ...(req.strategy ? { syncStrategy: req.strategy } : {}),
        ...(req.resources?.length ? { resources: req.resources } : {}),
        ...(syncOptions?.length ? { syncOptions } : {}),
        source: structuredClone(source),
      },
      initiatedBy,
      ...(req.infos?.length ? { info: req.infos } : {}),
      retry: retry ? structuredClone(retry) : {},
    };
    this.setOperation(record, operation, !!req.dryRun);
  }

  /** ApplicationService.Rollback after RBAC. */
  requestRollback(
    record: ApplicationRecord,
    req: { id?: number | string; dryRun?: boolean; prune?: boolean },
    initiatedBy: OperationInitiator,
  ) {
    if (record.autoSyncEnabled) {
      throw new ArgoApiError(
        'FailedPrecondition',
        'rollback cannot be initiated when auto-sync is enabled',
      );
    }
    // int64 fields arrive as JSON numbers or strings through grpc-gateway.
    const id = Number(req.id ?? 0);
    const deployment = record.app.status.history?.find(h => h.id === id);
    if (!deployment) {
      throw new ArgoApiError(
        'InvalidArgument',
        `application ${record.name} does not have deployment with id ${
          req.id ?? 0
        }`,
      );
    }
    const syncOptions = record.app.spec.syncPolicy?.syncOptions;
    this.setOperation(
      record,
      {
        sync: {
          revision: deployment.revision,
          ...(req.prune ? { prune: true } : {}),
          ...(syncOptions?.length ? { syncOptions } : {}),
          syncStrategy: { apply: {} },
          source: structuredClone(deployment.source),
        },
        initiatedBy,
        retry: {},
      },
      !!req.dryRun,
    );
  }

  /** ApplicationService.TerminateOperation after RBAC. */
  terminate(record: ApplicationRecord): void {
    const app = record.app;
    if (!app.operation || !app.status.operationState) {
      throw new ArgoApiError(
        'InvalidArgument',
        'Unable to terminate operation. No operation is in progress',
      );
    }
    if (!record.operationStarted) {
      this.start(record);
    }
    app.status.operationState.phase = 'Terminating';
    this.store.touch(record);
  }

  /**
   * argo.SetAppOperation. A dry run goes through the same checks but leaves
   * the app untouched: it changes neither live state nor history.
   */
  private setOperation(
    record: ApplicationRecord,
    operation: Operation,
    dryRun: boolean,
  ) {
    if (record.app.operation) {
      throw anotherOperationInProgress();
    }
    if (dryRun) {
      return;
    }
    record.app.operation = operation;
    record.operationStarted = false;
    this.store.touch(record);
  }

  /** One reconciliation pass over every application. */
  advance(): void {
    for (const record of this.store.all()) {
      record.workload.reconcile(this.clock());
      this.progressOperation(record);
      this.autoSync(record);
      this.store.refresh(record, true);
    }
  }

  private start(record: ApplicationRecord): void {
    const operation = record.app.operation!;
    record.app.status.operationState = {
      operation: structuredClone(operation),
      phase: 'Running',
      message: 'one or more tasks are running',
      startedAt: formatTime(this.clock()),
      syncResult: {
        revision: operation.sync?.revision ?? '',
        ...(operation.sync?.source
          ? { source: structuredClone(operation.sync.source) }
          : {}),
      },
    };
    record.operationStarted = true;
  }

  private progressOperation(record: ApplicationRecord): void {
    const app = record.app;
    const operation = app.operation;
    if (!operation) {
      return;
    }
    if (!record.operationStarted) {
      this.start(record);
      return;
    }
    const state = app.status.operationState!;
    const now = this.clock();
    const sync = operation.sync ?? {};
    const revision = sync.revision ?? '';
    const source = sync.source ?? record.source;
    if (state.phase === 'Terminating') {
      state.phase = 'Failed';
      state.message = 'Operation terminated';
    } else if (!this.store.git.has(source.repoURL, revision)) {
      // A SHA is accepted unverified by the API; the repo-server fails later.
      state.phase = 'Error';
      state.message = `ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = unable to resolve git revision ${revision}: reference not found`;
    } else if (record.failNextSync) {
      record.failNextSync = false;
      state.phase = 'Failed';
      state.message = `one or more objects failed to apply, reason: admission webhook "validate.kyverno.svc" denied the request: image ${record.imageFor(
        this.store.git,
        revision,
      )} is not signed`;
      state.syncResult = {
        revision,
        source: structuredClone(source),
        resources: this.resourceResults(record, false, true),
      };
    } else {
      const appliesWorkload =
        !sync.resources?.length ||
        sync.resources.some(r => r.kind === record.workload.kind);
      const changed =
        appliesWorkload &&
        record.workload.applyImage(
          record.imageFor(this.store.git, revision),
          now,
        );
      if (appliesWorkload) {
        record.deployedRevision = revision;
      }
      state.phase = 'Succeeded';
      state.message = 'successfully synced (all tasks run)';
      state.syncResult = {
        revision,
        source: structuredClone(source),
        resources: this.resourceResults(record, changed, false),
      };
      // Partial syncs (explicit resources) do not count as deployments.
      if (!sync.resources?.length) {
        record.appendHistory({
          revision,
          deployStartedAt: state.startedAt,
          deployedAt: formatTime(now),
          source: structuredClone(source),
          ...(operation.initiatedBy
            ? { initiatedBy: operation.initiatedBy }
            : {}),
        });
      }
    }
    state.finishedAt = formatTime(now);
    delete app.operation;
    record.operationStarted = false;
  }

  private resourceResults(
    record: ApplicationRecord,
    workloadChanged: boolean,
    failed: boolean,
  ): ResourceResult[] {
    return record.workload
      .resources()
      .filter(r => r.managed)
      .map(r => {
        const { group, version } = groupVersion(r.object.apiVersion);
        const isWorkload = r.object.kind === record.workload.kind;
        const ref = `${r.object.kind.toLowerCase()}${
          group ? `.${group}` : ''
        }/${r.object.metadata.name}`;
        return {
          group,
          version,
          kind: r.object.kind,
          namespace: r.object.metadata.namespace ?? '',
          name: r.object.metadata.name,
          status: failed && isWorkload ? 'SyncFailed' : 'Synced',
          message:
            failed && isWorkload
              ? 'admission webhook "validate.kyverno.svc" denied the request'
              : `${ref} ${
                  isWorkload && workloadChanged ? 'configured' : 'unchanged'
                }`,
          hookPhase: failed && isWorkload ? 'Failed' : 'Running',
          syncPhase: 'Sync',
        };
      });
  }

  /**
   * appcontroller.autoSync: sync OutOfSync apps to their target, but never
   * retry a revision the last automated attempt already tried (unless
   * selfHeal and that attempt succeeded).
   */
  private autoSync(record: ApplicationRecord): void {
    const app = record.app;
    if (!record.autoSyncEnabled || app.operation) {
      return;
    }
    const target = this.store.targetRevision(record);
    if (!target || this.store.inSync(record, target)) {
      return;
    }
    const last = app.status.operationState;
    const attempted =
      last?.syncResult?.revision === target ||
      last?.operation.sync?.revision === target;
    const selfHeal = !!app.spec.syncPolicy?.automated?.selfHeal;
    if (attempted && (!selfHeal || last?.phase !== 'Succeeded')) {
      return;
    }
    const syncPolicy = app.spec.syncPolicy;
    app.operation = {
      sync: {
        revision: target,
        ...(syncPolicy?.automated?.prune ? { prune: true } : {}),
        ...(syncPolicy?.syncOptions?.length
          ? { syncOptions: syncPolicy.syncOptions }
          : {}),
        source: structuredClone(record.source),
      },
      initiatedBy: { automated: true },
      retry: syncPolicy?.retry ? structuredClone(syncPolicy.retry) : {},
    };
    record.operationStarted = false;
  }
}
