import { CircuitBreaker, CircuitState } from './CircuitBreaker';

function setup(failureThreshold = 3, cooldownMs = 1000) {
  let now = 0;
  const changes: CircuitState[] = [];
  const breaker = CircuitBreaker.create({
    failureThreshold,
    cooldownMs,
    clock: { now: () => now },
    onStateChange: state => changes.push(state),
  });
  return {
    breaker,
    changes,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('CircuitBreaker', () => {
  it('opens after the configured number of consecutive failures', () => {
    const { breaker, changes } = setup(3);
    breaker.tryAcquire()!.failure();
    breaker.tryAcquire()!.failure();
    expect(breaker.state).toBe('closed');
    breaker.tryAcquire()!.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.wouldReject()).toBe(true);
    expect(changes).toEqual(['open']);
  });

  it('counts only consecutive failures', () => {
    const { breaker } = setup(2);
    breaker.tryAcquire()!.failure();
    breaker.tryAcquire()!.success();
    breaker.tryAcquire()!.failure();
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one probe through after the cool-down and closes on its success', () => {
    const { breaker, advance, changes } = setup(1, 1000);
    breaker.tryAcquire()!.failure();
    advance(999);
    expect(breaker.tryAcquire()).toBeUndefined();
    advance(1);
    expect(breaker.state).toBe('half-open');
    const probe = breaker.tryAcquire()!;
    expect(probe).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined(); // second caller fails fast
    probe.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBeDefined();
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens for another cool-down when the probe fails', () => {
    const { breaker, advance } = setup(1, 1000);
    breaker.tryAcquire()!.failure();
    advance(1000);
    breaker.tryAcquire()!.failure();
    expect(breaker.state).toBe('open');
    advance(500);
    expect(breaker.tryAcquire()).toBeUndefined();
    advance(500);
    expect(breaker.tryAcquire()).toBeDefined();
  });

  it('frees the probe slot when the probe says nothing about the upstream', () => {
    const { breaker, advance } = setup(1, 10);
    breaker.tryAcquire()!.failure();
    advance(10);
    breaker.tryAcquire()!.release();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBeDefined();
  });

  it('ignores a permit settled twice', () => {
    const { breaker } = setup(2);
    const permit = breaker.tryAcquire()!;
    permit.failure();
    permit.failure();
    expect(breaker.state).toBe('closed');
  });
});
