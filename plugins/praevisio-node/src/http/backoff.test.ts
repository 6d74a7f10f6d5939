import { abortableSleep, fullJitterDelay } from './backoff';

describe('fullJitterDelay', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('draws uniformly below an exponentially growing, capped ceiling', () => {
    expect(fullJitterDelay(1, options, () => 0.999)).toBe(99);
    expect(fullJitterDelay(2, options, () => 0.999)).toBe(199);
    expect(fullJitterDelay(3, options, () => 0.5)).toBe(200);
    expect(fullJitterDelay(10, options, () => 0.999)).toBe(999);
    expect(fullJitterDelay(3, options, () => 0)).toBe(0);
  });
});

describe('abortableSleep', () => {
  it('rejects with the reason when aborted', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});
