/** @public */
export interface RetryOptions {
  /** Attempts in total for idempotent calls, the first included. Default 3. */
  maxAttempts?: number;
  /** Cap of the first retry's delay. Default 200 ms. */
  baseDelayMs?: number;
  /** Cap of any retry's delay. Default 5 s. */
  maxDelayMs?: number;
}

/** Sleeps, or rejects with the signal's reason once it aborts. @public */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * "Full jitter" exponential backoff (AWS architecture blog, 2015): a uniform
 * random delay between 0 and min(max, base × 2^(retry-1)). It spreads retries
 * of many clients better than equal or decorrelated jitter.
 *
 * @param retry - 1 for the first retry, 2 for the second, …
 * @param random - uniform in [0, 1)
 * @public
 */
export function fullJitterDelay(
  retry: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  random: () => number,
): number {
  const ceiling = Math.min(
    options.maxDelayMs,
    options.baseDelayMs * 2 ** Math.max(0, retry - 1),
  );
  return Math.floor(random() * ceiling);
}

/** A setTimeout-based {@link SleepFn}. @public */
export const abortableSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
