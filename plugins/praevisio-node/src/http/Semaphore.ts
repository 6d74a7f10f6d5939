/** @public */
export interface SemaphoreOptions {
  /** Calls allowed in flight at once. */
  maxConcurrent: number;
  /** Calls allowed to wait for a slot; more are refused at once. Default: unbounded. */
  maxQueue?: number;
}

/**
 * Thrown by {@link Semaphore.acquire} when the wait queue is full.
 *
 * @public
 */
export class SemaphoreQueueFullError extends Error {
  name = 'SemaphoreQueueFullError' as const;
}

interface Waiter {
  resolve(release: () => void): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A FIFO async semaphore that caps the calls in flight to one upstream.
 * Waiting can be abandoned through an AbortSignal.
 *
 * @public
 */
export class Semaphore {
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private active = 0;
  private readonly queue: Waiter[] = [];

  static create(options: SemaphoreOptions): Semaphore {
    return new Semaphore(options);
  }

  constructor(options: SemaphoreOptions) {
    this.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent));
    this.maxQueue = Math.max(0, options.maxQueue ?? Number.POSITIVE_INFINITY);
  }

  /** Calls holding a slot. */
  get inFlight(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.active < this.maxConcurrent) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new SemaphoreQueueFullError(
          `too many queued calls (${this.queue.length} waiting, ${this.active} in flight)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) {
            this.queue.splice(index, 1);
            reject(signal.reason);
          }
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.queue.shift();
      if (next) {
        // Hand the slot over directly: `active` stays the same.
        if (next.onAbort) {
          next.signal?.removeEventListener('abort', next.onAbort);
        }
        next.resolve(this.releaser());
      } else {
        this.active -= 1;
      }
    };
  }
}
