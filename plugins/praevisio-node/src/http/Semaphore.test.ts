import { Semaphore, SemaphoreQueueFullError } from './Semaphore';

describe('Semaphore', () => {
  it('caps holders and hands slots over in FIFO order', async () => {
    const semaphore = Semaphore.create({ maxConcurrent: 2 });
    const order: number[] = [];
    const r1 = await semaphore.acquire();
    const r2 = await semaphore.acquire();
    const p3 = semaphore.acquire().then(r => {
      order.push(3);
      return r;
    });
    const p4 = semaphore.acquire().then(r => {
      order.push(4);
      return r;
    });
    await Promise.resolve();
    expect(semaphore.inFlight).toBe(2);
    expect(semaphore.waiting).toBe(2);
    r1();
    const r3 = await p3;
    expect(order).toEqual([3]);
    r2();
    const r4 = await p4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    r4(); // releasing twice is harmless
    expect(semaphore.inFlight).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const semaphore = Semaphore.create({ maxConcurrent: 1, maxQueue: 1 });
    await semaphore.acquire();
    const queued = semaphore.acquire();
    await expect(semaphore.acquire()).rejects.toBeInstanceOf(
      SemaphoreQueueFullError,
    );
    expect(semaphore.waiting).toBe(1);
    queued.catch(() => {});
  });

  it('leaves the queue when the waiter aborts', async () => {
    const semaphore = Semaphore.create({ maxConcurrent: 1 });
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.inFlight).toBe(0);
  });
});
