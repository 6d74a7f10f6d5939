import { ArgoApiError } from './errors';
import { rolloutConditions } from './rolloutConditions';
import {
  AnalysisRunRecord,
  ReplicaSetRecord,
  rolloutResources,
} from './rolloutResources';
import type {
  CanaryStep,
  PauseReason,
  RolloutAnalysis,
  RolloutPhase,
  RolloutStatus,
  RolloutStrategy,
} from './rolloutTypes';
import type { HealthStatus } from './types';
import {
  formatTime,
  parseDurationSeconds,
  podTemplateHash,
  safeEncodedHash,
  stableUid,
} from './util';
import {
  LiveResource,
  ResourceAction,
  Workload,
  WorkloadContext,
} from './workload';

/*
 * Argo Rollouts, reduced to what a client of Argo CD can observe: the Rollout
 * object's spec/status (field names from the Rollout CRD), its ReplicaSets,
 * Pods and step AnalysisRuns. Each `reconcile()` is one controller pass and
 * moves the rollout at most one observable step, so tests can walk through a
 * canary deterministically.
 */

export const ROLLOUT_ACTIONS = [
  'resume',
  'promote-full',
  'abort',
  'retry',
  'restart',
  'pause',
  'skip-current-step',
] as const;

export class RolloutWorkload implements Workload {
  readonly kind = 'Rollout' as const;
  readonly name: string;
  private readonly ctx: WorkloadContext;
  private readonly replicas: number;
  private readonly strategy: RolloutStrategy;
  private readonly uid: string;
  private generation = 1;
  private status: RolloutStatus;
  private replicaSets: ReplicaSetRecord[];
  private analysisRuns: AnalysisRunRecord[] = [];
  private canaryWeight = 0;
  private paused = false;
  private restartAt?: string;
  /** Which step the controller paused at, so a resume is not mistaken for the next pause. */
  private pausedAtStep?: number;
  private abortDetail?: string;
  private failAnalysis = false;

  constructor(
    ctx: WorkloadContext,
    options: {
      name: string;
      replicas: number;
      image: string;
      strategy: RolloutStrategy;
    },
  ) {
    if (!options.strategy.canary === !options.strategy.blueGreen) {
      throw new Error(
        `Rollout ${options.name}: set exactly one of canary or blueGreen`,
      );
    }
    this.ctx = ctx;
    this.name = options.name;
    this.replicas = options.replicas;
    this.strategy = options.strategy;
    this.uid = stableUid(ctx.appName, 'Rollout', ctx.namespace, options.name);
    const hash = this.hashFor(options.image);
    this.replicaSets = [
      {
        podHash: hash,
        image: options.image,
        revision: 1,
        createdAt: ctx.createdAt,
      },
    ];
    this.status = {
      HPAReplicas: this.replicas,
      replicas: this.replicas,
      updatedReplicas: this.replicas,
      readyReplicas: this.replicas,
      availableReplicas: this.replicas,
      currentPodHash: hash,
      stableRS: hash,
      observedGeneration: '1',
      phase: 'Healthy',
      message: '',
      canary: {},
      blueGreen: {},
      conditions: [],
      selector: `app=${this.name}`,
    };
    if (this.strategy.canary) {
      this.status.currentStepIndex = this.steps.length;
      this.status.currentStepHash = safeEncodedHash(
        JSON.stringify(this.steps),
        10,
      );
    } else {
      this.status.blueGreen = { activeSelector: hash, previewSelector: hash };
    }
    this.refresh(ctx.createdAt);
  }

  private get steps(): CanaryStep[] {
    return this.strategy.canary?.steps ?? [];
  }

  private hashFor(image: string): string {
    // restartAt is deliberately not part of the template: a restart evicts
    // pods but keeps the ReplicaSet, unlike a Deployment restart.
    return podTemplateHash(`${this.name}:${image}`);
  }

  private get current(): ReplicaSetRecord {
    return this.replicaSets[this.replicaSets.length - 1];
  }

  private get revision(): number {
    return this.current.revision;
  }

  image(): string {
    return this.current.image;
  }

  /** Test hook: the next step AnalysisRun fails, which aborts the rollout. */
  failNextAnalysis(): void {
    this.failAnalysis = true;
  }

  applyImage(image: string, now: Date): boolean {
    const hash = this.hashFor(image);
    if (hash === this.status.currentPodHash) {
      // An identical pod template is a no-op, even for an aborted rollout.
      return false;
    }
    this.generation++;
    this.status.observedGeneration = String(this.generation);
    const known = this.replicaSets.find(rs => rs.podHash === hash);
    this.replicaSets = this.replicaSets.filter(rs => rs.podHash !== hash);
    this.replicaSets.push({
      podHash: hash,
      image,
      revision: this.revision + 1,
      createdAt: known?.createdAt ?? now,
    });
    this.replicaSets = this.replicaSets.slice(-4);
    const s = this.status;
    s.currentPodHash = hash;
    this.clearPause();
    delete s.abort;
    delete s.abortedAt;
    delete s.promoteFull;
    this.abortDetail = undefined;
    if (hash === s.stableRS) {
      // Going back to the stable ReplicaSet skips every step (fast rollback).
      this.promote();
    } else {
      if (this.strategy.canary) {
        s.currentStepIndex = 0;
        this.canaryWeight = 0;
        delete s.canary.currentStepAnalysisRunStatus;
      }
      this.setPhase('Progressing', 'more replicas need to be updated');
    }
    this.refresh(now);
    return true;
  }

  reconcile(now: Date): void {
    const s = this.status;
    if (this.restartAt && s.restartedAt !== this.restartAt) {
      s.restartedAt = this.restartAt;
    }
    if (s.promoteFull) {
      this.promote();
    } else if (s.abort) {
      this.applyAbort(now);
    } else if (this.paused) {
      this.setPhase('Paused', 'manually paused');
    } else if (s.currentPodHash === s.stableRS) {
      this.promote();
    } else if (this.strategy.canary) {
      this.stepCanary(now);
    } else {
      this.stepBlueGreen(now);
    }
    this.refresh(now);
  }

  runAction(action: string, now: Date): void {
    const s = this.status;
    switch (action) {
      case 'resume':
        // Lua: clear pause conditions and spec.paused; the controller then unpauses.
        if (s.pauseConditions?.length || this.paused) {
          delete s.pauseConditions;
          this.paused = false;
          this.setPhase('Progressing', 'waiting for rollout to unpause');
        }
        break;
      case 'promote-full':
        s.promoteFull = true;
        this.clearPause();
        this.setPhase('Progressing', 'waiting for all steps to complete');
        break;
      case 'abort':
        s.abort = true;
        this.applyAbort(now);
        break;
      case 'retry':
        if (s.abort) {
          delete s.abort;
          delete s.abortedAt;
          delete s.canary.currentStepAnalysisRunStatus;
          this.abortDetail = undefined;
          this.setPhase('Progressing', 'more replicas need to be updated');
        }
        break;
      case 'restart':
        // Lua sets spec.restartAt; the controller restarts pods on its next pass.
        this.restartAt = formatTime(now);
        break;
      case 'pause':
        this.paused = true;
        this.setPhase('Paused', 'manually paused');
        break;
      case 'skip-current-step': {
        const index = s.currentStepIndex ?? 0;
        if (this.strategy.canary && index < this.steps.length) {
          this.clearPause();
          s.currentStepIndex = index + 1;
          this.setPhase('Progressing', 'waiting for all steps to complete');
        }
        break;
      }
      default:
        throw new ArgoApiError(
          'Unknown',
          `error getting Lua resource action: built-in script does not exist`,
        );
    }
    this.refresh(now);
  }

  /** Argo CD's Rollout actions/discovery.lua. */
  actions(): ResourceAction[] {
    const s = this.status;
    const paused = s.pauseConditions?.length ? true : this.paused;
    const fullyPromoted = s.currentPodHash === s.stableRS;
    const steps = this.strategy.canary?.steps;
    return [
      { name: 'restart', disabled: false },
      { name: 'resume', disabled: !paused },
      { name: 'abort', disabled: fullyPromoted || !!s.abort },
      { name: 'retry', disabled: fullyPromoted || !s.abort },
      { name: 'promote-full', disabled: fullyPromoted },
      { name: 'pause', disabled: fullyPromoted || paused },
      {
        name: 'skip-current-step',
        disabled: !steps || (s.currentStepIndex ?? 0) >= steps.length,
      },
    ];
  }

  health(): HealthStatus {
    const { phase, message } = this.status;
    switch (phase) {
      case 'Paused':
        return { status: 'Suspended', message: message || 'Rollout is paused' };
      case 'Degraded':
        return { status: 'Degraded', message };
      case 'Progressing':
        return { status: 'Progressing', message };
      default:
        return { status: 'Healthy' };
    }
  }

  // --- controller ------------------------------------------------------------

  private stepCanary(now: Date): void {
    const s = this.status;
    const index = s.currentStepIndex ?? 0;
    if (index >= this.steps.length) {
      this.promote();
      return;
    }
    const step = this.steps[index];
    if (step.setWeight !== undefined) {
      this.canaryWeight = step.setWeight;
      s.currentStepIndex = index + 1;
      this.setPhase('Progressing', 'waiting for all steps to complete');
    } else if (step.pause) {
      this.pauseStep(
        'CanaryPauseStep',
        parseDurationSeconds(step.pause.duration),
        index,
        now,
        () => {
          s.currentStepIndex = index + 1;
        },
      );
    } else if (step.analysis) {
      this.analysisStep(step.analysis, index, now);
    } else {
      // setCanaryScale, experiment, …: nothing observable to simulate.
      s.currentStepIndex = index + 1;
    }
  }

  private analysisStep(
    analysis: RolloutAnalysis,
    index: number,
    now: Date,
  ): void {
    const s = this.status;
    const name = `${this.name}-${s.currentPodHash}-${this.revision}-${index}`;
    const run = this.analysisRuns.find(r => r.name === name);
    if (!run) {
      this.analysisRuns.push({
        name,
        status: 'Running',
        templates: analysis.templates.map(t => t.templateName),
        podHash: s.currentPodHash,
        createdAt: now,
      });
      this.analysisRuns = this.analysisRuns.slice(-5);
      s.canary.currentStepAnalysisRunStatus = { name, status: 'Running' };
      this.setPhase('Progressing', 'waiting for all steps to complete');
      return;
    }
    if (run.status !== 'Running') {
      return;
    }
    if (this.failAnalysis) {
      this.failAnalysis = false;
      const metric = run.templates[0] ?? 'success-rate';
      run.status = 'Failed';
      run.message = `Metric "${metric}" assessed Failed due to failed (1) > failureLimit (0)`;
      s.canary.currentStepAnalysisRunStatus = {
        name,
        status: 'Failed',
        message: run.message,
      };
      s.abort = true;
      this.abortDetail = run.message;
      this.applyAbort(now);
      return;
    }
    run.status = 'Successful';
    s.canary.currentStepAnalysisRunStatus = { name, status: 'Successful' };
    s.currentStepIndex = index + 1;
  }

  private stepBlueGreen(now: Date): void {
    const s = this.status;
    const bg = this.strategy.blueGreen!;
    if (s.blueGreen.previewSelector !== s.currentPodHash) {
      // The preview ReplicaSet is up; the preview Service now points at it.
      s.blueGreen.previewSelector = s.currentPodHash;
      this.setPhase('Progressing', 'active service cutover pending');
      return;
    }
    if (bg.autoPromotionEnabled === false) {
      this.pauseStep('BlueGreenPause', undefined, -1, now, () =>
        this.promote(),
      );
    } else if (bg.autoPromotionSeconds) {
      this.pauseStep('BlueGreenPause', bg.autoPromotionSeconds, -1, now, () =>
        this.promote(),
      );
    } else {
      this.promote();
    }
  }

  /**
   * The controller's pause protocol: it adds a pause condition and sets
   * controllerPause; `resume` removes the condition, and the controller
   * reads "controllerPause without a condition" as "resumed".
   */
  private pauseStep(
    reason: PauseReason,
    durationSeconds: number | undefined,
    step: number,
    now: Date,
    onDone: () => void,
  ): void {
    const s = this.status;
    const condition = s.pauseConditions?.find(c => c.reason === reason);
    if (condition) {
      const elapsed = (now.getTime() - Date.parse(condition.startTime)) / 1000;
      if (durationSeconds !== undefined && elapsed >= durationSeconds) {
        this.clearPause();
        this.setPhase('Progressing', 'waiting for all steps to complete');
        onDone();
      } else {
        this.setPhase('Paused', reason);
      }
      return;
    }
    if (s.controllerPause && this.pausedAtStep === step) {
      this.clearPause();
      this.setPhase('Progressing', 'waiting for all steps to complete');
      onDone();
      return;
    }
    s.pauseConditions = [{ reason, startTime: formatTime(now) }];
    s.controllerPause = true;
    this.pausedAtStep = step;
    this.setPhase('Paused', reason);
  }

  private clearPause(): void {
    delete this.status.pauseConditions;
    delete this.status.controllerPause;
    this.pausedAtStep = undefined;
  }

  private promote(): void {
    const s = this.status;
    s.stableRS = s.currentPodHash;
    if (this.strategy.canary) {
      s.currentStepIndex = this.steps.length;
    } else {
      s.blueGreen = {
        activeSelector: s.currentPodHash,
        previewSelector: s.currentPodHash,
      };
    }
    this.canaryWeight = 0;
    this.clearPause();
    delete s.promoteFull;
    delete s.abort;
    delete s.abortedAt;
    this.abortDetail = undefined;
    this.setPhase('Healthy', '');
  }

  private applyAbort(now: Date): void {
    const s = this.status;
    if (s.currentPodHash === s.stableRS) {
      // Nothing to abort: the abort action is disabled on a fully promoted rollout.
      delete s.abort;
      return;
    }
    s.abortedAt ??= formatTime(now);
    this.canaryWeight = 0;
    this.clearPause();
    if (this.strategy.canary) {
      s.currentStepIndex = 0;
    }
    const detail = this.abortDetail ? `: ${this.abortDetail}` : '';
    this.setPhase(
      'Degraded',
      `RolloutAborted: Rollout aborted update to revision ${this.revision}${detail}`,
    );
  }

  private setPhase(phase: RolloutPhase, message: string): void {
    this.status.phase = phase;
    this.status.message = message;
  }

  // --- derived status --------------------------------------------------------

  private replicaCounts(): Map<string, number> {
    const s = this.status;
    const counts = new Map<string, number>();
    if (s.currentPodHash === s.stableRS) {
      counts.set(s.stableRS, this.replicas);
      return counts;
    }
    if (this.strategy.canary) {
      const canary = s.abort
        ? 0
        : Math.ceil((this.replicas * this.canaryWeight) / 100);
      // With traffic routing the stable stays fully scaled; without it,
      // the weight is approximated by the replica ratio.
      const stable = this.strategy.canary.trafficRouting
        ? this.replicas
        : this.replicas - canary;
      counts.set(s.stableRS, stable);
      counts.set(s.currentPodHash, canary);
    } else {
      counts.set(s.blueGreen.activeSelector ?? s.stableRS, this.replicas);
      const previewUp =
        !s.abort && s.blueGreen.previewSelector === s.currentPodHash;
      counts.set(s.currentPodHash, previewUp ? this.replicas : 0);
    }
    return counts;
  }

  private refresh(now: Date): void {
    const s = this.status;
    const counts = this.replicaCounts();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    s.replicas = total;
    s.HPAReplicas = total;
    s.readyReplicas = total;
    s.availableReplicas = total;
    s.updatedReplicas = counts.get(s.currentPodHash) ?? 0;
    const canary = this.strategy.canary;
    if (canary?.trafficRouting) {
      const weight = s.currentPodHash === s.stableRS ? 0 : this.canaryWeight;
      s.canary.weights = {
        canary: {
          weight,
          podTemplateHash: s.currentPodHash,
          serviceName: canary.canaryService,
        },
        stable: {
          weight: 100 - weight,
          podTemplateHash: s.stableRS,
          serviceName: canary.stableService,
        },
      };
    }
    s.conditions = rolloutConditions(s, this.name, this.revision, now);
  }

  resources(): LiveResource[] {
    const counts = this.replicaCounts();
    return rolloutResources({
      ctx: this.ctx,
      name: this.name,
      uid: this.uid,
      generation: this.generation,
      revision: this.revision,
      replicas: this.replicas,
      strategy: this.strategy,
      status: this.status,
      paused: this.paused,
      restartAt: this.restartAt,
      image: this.current.image,
      health: this.health(),
      replicaSets: this.replicaSets.map(rs => ({
        ...rs,
        replicas: counts.get(rs.podHash) ?? 0,
      })),
      analysisRuns: this.analysisRuns,
    });
  }
}
