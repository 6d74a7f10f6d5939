/** @public */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** @public */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** @public */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe call is let through. Default 30 s. */
  cooldownMs?: number;
  clock?: Clock;
  /** Told about every state change, e.g. to log it. */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/**
 * Permission to make one call. Exactly one of the methods must be called when
 * the call is over.
 *
 * @public
 */
export interface CircuitPermit {
  /** The upstream answered in a way that proves it is up. */
  success(): void;
  /** The upstream failed (network error, timeout, 502/503/504). */
  failure(): void;
  /** The call says nothing about the upstream (e.g. the caller aborted). */
  release(): void;
}

/**
 * A consecutive-failure circuit breaker for one upstream.
 *
 * closed → open after `failureThreshold` consecutive failures; open → half-open
 * once `cooldownMs` has passed, letting exactly one probe through; the probe's
 * success closes the circuit, its failure opens it for another cool-down.
 *
 * @public
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly clock: Clock;
  private readonly onStateChange?: CircuitBreakerOptions['onStateChange'];

  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  static create(options: CircuitBreakerOptions = {}): CircuitBreaker {
    return new CircuitBreaker(options);
  }

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.cooldownMs = Math.max(0, options.cooldownMs ?? 30_000);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.onStateChange = options.onStateChange;
  }

  /** The state as it would be seen by the next call. */
  get state(): CircuitState {
    if (this.current === 'open' && this.cooldownElapsed()) {
      return 'half-open';
    }
    return this.current;
  }

  /** Epoch ms at which an open circuit lets a probe through. */
  get retryAt(): number | undefined {
    return this.current === 'open'
      ? this.openedAt + this.cooldownMs
      : undefined;
  }

  /**
   * Whether a call would be refused right now, without taking a permit. Used
   * to fail fast before queueing for a concurrency slot.
   */
  wouldReject(): boolean {
    if (this.current === 'open') {
      return !this.cooldownElapsed();
    }
    return this.current === 'half-open' && this.probeInFlight;
  }

  /** Returns a permit for one call, or `undefined` when the call must fail fast. */
  tryAcquire(): CircuitPermit | undefined {
    if (this.current === 'open') {
      if (!this.cooldownElapsed()) {
        return undefined;
      }
      this.transition('half-open');
    }
    if (this.current === 'half-open') {
      if (this.probeInFlight) {
        return undefined;
      }
      this.probeInFlight = true;
      return this.permit(true);
    }
    return this.permit(false);
  }

  private permit(isProbe: boolean): CircuitPermit {
    let settled = false;
    const settle = (fn: () => void) => () => {
      if (settled) {
        return;
      }
      settled = true;
      if (isProbe) {
        this.probeInFlight = false;
      }
      fn();
    };
    return {
      success: settle(() => this.onSuccess()),
      failure: settle(() => this.onFailure(isProbe)),
      release: settle(() => {}),
    };
  }

  private onSuccess() {
    this.consecutiveFailures = 0;
    if (this.current !== 'closed') {
      this.transition('closed');
    }
  }

  private onFailure(isProbe: boolean) {
    this.consecutiveFailures += 1;
    if (
      isProbe ||
      this.current === 'half-open' ||
      (this.current === 'closed' &&
        this.consecutiveFailures >= this.failureThreshold)
    ) {
      this.openedAt = this.clock.now();
      this.transition('open');
    }
  }

  private cooldownElapsed(): boolean {
    return this.clock.now() - this.openedAt >= this.cooldownMs;
  }

  private transition(next: CircuitState) {
    const previous = this.current;
    if (previous === next) {
      return;
    }
    this.current = next;
    this.onStateChange?.(next, previous);
  }
}
