import {
  EnvironmentReleaseDto,
  ReleaseHistoryEntryDto,
  RolloutStatusDto,
  RolloutStepDto,
} from '@praevisio/backstage-plugin-common';
import {
  Application,
  isAutoSyncEnabled,
  ResourceNode,
  ResourceStatus,
  RevisionHistory,
  Rollout,
} from '@praevisio/backstage-plugin-node';

/*
 * Pure mapping from Argo CD and Argo Rollouts objects to the Releases DTOs.
 */

/** Where an application's Argo Rollouts `Rollout` lives. */
export interface RolloutRef {
  namespace: string;
  name: string;
}

/** The revision that is live: the last successful sync. */
export function deployedRevision(app: Application): string | undefined {
  const history = app.status?.history ?? [];
  return (
    history[history.length - 1]?.revision ??
    app.status?.operationState?.syncResult?.revision ??
    app.status?.sync?.revision
  );
}

export function historyMaxId(app: Application): number {
  return Math.max(-1, ...(app.status?.history ?? []).map(h => h.id));
}

function isRollout(r: { group?: string; kind?: string }) {
  return r.kind === 'Rollout' && r.group === 'argoproj.io';
}

/** The managed Rollout, from `status.resources`, else from the resource tree. */
export function findRolloutRef(
  app: Application,
  treeNodes?: ResourceNode[],
): RolloutRef | undefined {
  const candidates: Array<ResourceStatus | ResourceNode> = [
    ...(app.status?.resources ?? []),
    ...(treeNodes ?? []),
  ];
  const found = candidates.find(isRollout);
  if (!found?.name) {
    return undefined;
  }
  return {
    name: found.name,
    namespace: found.namespace ?? app.spec?.destination?.namespace ?? '',
  };
}

export function initiatorOf(entry: {
  initiatedBy?: { username?: string; automated?: boolean };
}): string | undefined {
  if (entry.initiatedBy?.username) {
    return entry.initiatedBy.username;
  }
  return entry.initiatedBy?.automated ? 'automated' : undefined;
}

/** Whether the Rollout has rolled the current pod template out completely. */
export function isFullyPromoted(rollout: Rollout): boolean {
  const status = rollout.status ?? {};
  return (
    observedCurrentSpec(rollout) &&
    !!status.stableRS &&
    status.stableRS === status.currentPodHash &&
    (status.phase === undefined || status.phase === 'Healthy')
  );
}

/**
 * Whether the Rollout controller has seen the latest spec. Right after a sync
 * the old status may still say Healthy; `observedGeneration` tells. Some
 * Argo Rollouts versions store a hash there instead of a number, which
 * cannot be compared and is then ignored.
 */
export function observedCurrentSpec(rollout: Rollout): boolean {
  const observed = rollout.status?.observedGeneration;
  const generation = rollout.metadata?.generation;
  if (observed === undefined || generation === undefined) {
    return true;
  }
  return !/^\d+$/.test(observed) || Number(observed) >= generation;
}

export function isPaused(rollout: Rollout): boolean {
  const status = rollout.status ?? {};
  return (status.pauseConditions?.length ?? 0) > 0 || status.phase === 'Paused';
}

export function runningAnalysis(
  rollout: Rollout,
): { name: string; phase: string } | undefined {
  const status = rollout.status ?? {};
  const run =
    status.canary?.currentStepAnalysisRunStatus ??
    status.canary?.currentBackgroundAnalysisRunStatus ??
    status.blueGreen?.prePromotionAnalysisRunStatus ??
    status.blueGreen?.postPromotionAnalysisRunStatus;
  return run?.name
    ? { name: run.name, phase: run.status ?? 'Unknown' }
    : undefined;
}

function stepOf(step: Record<string, unknown>, index: number): RolloutStepDto {
  if (typeof step.setWeight === 'number') {
    return { index, kind: 'setWeight', description: `${step.setWeight}%` };
  }
  if ('pause' in step) {
    const duration = (step.pause as { duration?: unknown } | undefined)
      ?.duration;
    let description = 'indefinite';
    if (typeof duration === 'number') description = `${duration}s`;
    else if (typeof duration === 'string' && duration) description = duration;
    return { index, kind: 'pause', description };
  }
  if (step.analysis && typeof step.analysis === 'object') {
    const templates =
      (step.analysis as { templates?: Array<{ templateName?: string }> })
        .templates ?? [];
    return {
      index,
      kind: 'analysis',
      description:
        templates
          .map(t => t.templateName)
          .filter(Boolean)
          .join(', ') || 'analysis',
    };
  }
  if ('experiment' in step) {
    return { index, kind: 'experiment', description: 'experiment' };
  }
  return { index, kind: 'other', description: Object.keys(step)[0] ?? 'step' };
}

export function toRolloutStatus(rollout: Rollout): RolloutStatusDto {
  const spec = rollout.spec ?? {};
  const status = rollout.status ?? {};
  const canary = spec.strategy?.canary;
  const steps = (canary?.steps ?? []).map(stepOf);
  const promoted =
    !!status.stableRS && status.stableRS === status.currentPodHash;
  let canaryWeight = status.canary?.weights?.canary?.weight;
  if (canary && canaryWeight === undefined && !promoted && !status.abort) {
    // Without traffic routing the weight is the last setWeight step passed.
    const passed = steps.slice(0, status.currentStepIndex ?? 0);
    const last = [...passed].reverse().find(s => s.kind === 'setWeight');
    canaryWeight = last ? Number.parseFloat(last.description) : undefined;
  }
  const analysis = runningAnalysis(rollout);
  return {
    name: rollout.metadata?.name ?? '',
    namespace: rollout.metadata?.namespace ?? '',
    strategy: canary ? 'canary' : 'blueGreen',
    phase: status.phase ?? 'Unknown',
    ...(status.message ? { message: status.message } : {}),
    steps,
    ...(status.currentStepIndex !== undefined
      ? { currentStepIndex: status.currentStepIndex }
      : {}),
    ...(canaryWeight !== undefined ? { canaryWeight } : {}),
    pauseReasons: (status.pauseConditions ?? []).map(c => c.reason),
    aborted: !!status.abort,
    ...(analysis ? { analysisRun: analysis } : {}),
    ...(status.stableRS ? { stableRevision: status.stableRS } : {}),
    ...(status.currentPodHash && !promoted
      ? { canaryRevision: status.currentPodHash }
      : {}),
    ...(status.blueGreen?.activeSelector
      ? { activeSelector: status.blueGreen.activeSelector }
      : {}),
    ...(status.blueGreen?.previewSelector
      ? { previewSelector: status.blueGreen.previewSelector }
      : {}),
  };
}

export function toEnvironmentRelease(
  app: Application,
  context: {
    instance: string;
    environment: string;
    argoCdUrl: string;
    rollout?: Rollout;
    treeNodes?: ResourceNode[];
  },
): EnvironmentReleaseDto {
  const status = app.status ?? {};
  const history = status.history ?? [];
  const last = history[history.length - 1];
  const operation = status.operationState;
  const treeImages = (context.treeNodes ?? []).flatMap(n => n.images ?? []);
  const images = [
    ...new Set([...(status.summary?.images ?? []), ...treeImages]),
  ].sort();
  const revision = deployedRevision(app);
  return {
    environment: context.environment,
    instance: context.instance,
    application: app.metadata.name,
    project: app.spec?.project || 'default',
    ...(app.spec?.destination?.namespace
      ? { namespace: app.spec.destination.namespace }
      : {}),
    ...(revision ? { revision } : {}),
    ...(app.spec?.source?.targetRevision
      ? { targetRevision: app.spec.source.targetRevision }
      : {}),
    syncStatus: status.sync?.status ?? 'Unknown',
    healthStatus: status.health?.status ?? 'Unknown',
    ...(operation?.phase ? { operationPhase: operation.phase } : {}),
    ...(operation?.message ? { operationMessage: operation.message } : {}),
    images,
    ...(last?.deployedAt ? { lastDeployedAt: last.deployedAt } : {}),
    ...(last && initiatorOf(last) ? { lastDeployedBy: initiatorOf(last) } : {}),
    autoSync: isAutoSyncEnabled(app),
    // The newest entry is what runs now; rolling back to it changes nothing.
    rollbackTargets: history
      .slice(0, -1)
      .reverse()
      .filter(h => h.revision)
      .map(h => ({
        id: h.id,
        revision: h.revision!,
        ...(h.deployedAt ? { deployedAt: h.deployedAt } : {}),
      })),
    ...(context.rollout ? { rollout: toRolloutStatus(context.rollout) } : {}),
    argoCdUrl: context.argoCdUrl,
  };
}

/** History entries of one application, oldest first as Argo CD keeps them. */
export function toHistoryEntries(app: {
  name: string;
  environment: string;
  history: RevisionHistory[];
}): ReleaseHistoryEntryDto[] {
  return app.history
    .filter(h => h.revision && h.deployedAt)
    .map(h => ({
      id: h.id,
      environment: app.environment,
      application: app.name,
      revision: h.revision!,
      deployedAt: h.deployedAt!,
      ...(h.deployStartedAt ? { deployStartedAt: h.deployStartedAt } : {}),
      ...(initiatorOf(h) ? { initiatedBy: initiatorOf(h) } : {}),
    }));
}
