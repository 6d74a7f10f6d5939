import {
  assertTransition,
  canTransition,
  isTerminalState,
} from './deploymentStateMachine';

describe('deployment state machine', () => {
  it('follows a canary sync from request to success', () => {
    const path = [
      'requested',
      'syncing',
      'progressing',
      'paused',
      'analysing',
      'promoting',
      'paused',
      'promoting',
      'succeeded',
    ] as const;
    for (let i = 1; i < path.length; i++) {
      expect(canTransition('sync', path[i - 1], path[i])).toBe(true);
    }
  });

  it('lets the reconciler skip states it did not see', () => {
    expect(canTransition('sync', 'requested', 'succeeded')).toBe(true);
    expect(canTransition('sync', 'syncing', 'paused')).toBe(true);
  });

  it('never goes back and never leaves a terminal state', () => {
    expect(canTransition('sync', 'progressing', 'syncing')).toBe(false);
    expect(canTransition('sync', 'paused', 'progressing')).toBe(false);
    for (const terminal of [
      'succeeded',
      'failed',
      'aborted',
      'rolled_back',
    ] as const) {
      expect(isTerminalState(terminal)).toBe(true);
      expect(canTransition('rollback', terminal, 'syncing')).toBe(false);
      expect(canTransition('rollback', terminal, 'failed')).toBe(false);
    }
  });

  it('ends rollbacks as rolled_back and syncs as succeeded', () => {
    expect(canTransition('rollback', 'syncing', 'rolled_back')).toBe(true);
    expect(canTransition('rollback', 'syncing', 'succeeded')).toBe(false);
    expect(
      canTransition(
        'disable-auto-sync-and-rollback',
        'progressing',
        'rolled_back',
      ),
    ).toBe(true);
    expect(canTransition('sync', 'syncing', 'rolled_back')).toBe(false);
    expect(canTransition('abort', 'requested', 'aborted')).toBe(true);
    expect(canTransition('abort', 'requested', 'succeeded')).toBe(false);
  });

  it('explains a refused transition', () => {
    expect(() => assertTransition('sync', 'succeeded', 'failed')).toThrow(
      "A sync deployment cannot go from 'succeeded' to 'failed'",
    );
  });
});
