import type { RolloutCondition, RolloutStatus } from './rolloutTypes';
import { formatTime } from './util';

/**
 * The Rollout's status.conditions for its phase. Transition times only move
 * when a condition's status or reason changes, as in the controller.
 */
export function rolloutConditions(
  s: RolloutStatus,
  name: string,
  revision: number,
  now: Date,
): RolloutCondition[] {
  const rsName = `${name}-${s.currentPodHash}`;
  const wanted: Array<
    Omit<RolloutCondition, 'lastTransitionTime' | 'lastUpdateTime'>
  > = [
    {
      type: 'Available',
      status: 'True',
      reason: 'AvailableReason',
      message: 'Rollout has minimum availability',
    },
  ];
  if (s.phase === 'Degraded') {
    wanted.push({
      type: 'Progressing',
      status: 'False',
      reason: 'RolloutAborted',
      message: `Rollout aborted update to revision ${revision}`,
    });
  } else if (s.phase === 'Paused') {
    wanted.push({
      type: 'Progressing',
      status: 'Unknown',
      reason: 'RolloutPaused',
      message: 'Rollout is paused',
    });
    wanted.push({
      type: 'Paused',
      status: 'True',
      reason: 'RolloutPaused',
      message: 'Rollout is paused',
    });
  } else if (s.phase === 'Healthy') {
    wanted.push({
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rsName}" has successfully progressed.`,
    });
  } else {
    wanted.push({
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rsName}" is progressing.`,
    });
  }
  wanted.push({
    type: 'Healthy',
    status: s.phase === 'Healthy' ? 'True' : 'False',
    reason: 'RolloutHealthy',
    message:
      s.phase === 'Healthy' ? 'Rollout is healthy' : 'Rollout is not healthy',
  });
  const stamp = formatTime(now);
  return wanted.map(c => {
    const previous = s.conditions.find(p => p.type === c.type);
    const unchanged =
      previous && previous.status === c.status && previous.reason === c.reason;
    return {
      ...c,
      lastTransitionTime: unchanged ? previous.lastTransitionTime : stamp,
      lastUpdateTime:
        unchanged && previous.message === c.message
          ? previous.lastUpdateTime
          : stamp,
    };
  });
}
