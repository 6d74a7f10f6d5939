import { ArgoCdSimulator, seedDemoApplications } from './argocd';
import { startControlServer } from './control';

describe('sandbox control API', () => {
  let argocd: ArgoCdSimulator;
  let control: Awaited<ReturnType<typeof startControlServer>>;
  beforeAll(async () => {
    argocd = ArgoCdSimulator.create({
      applications: seedDemoApplications(),
      tickMs: 0,
    });
    control = await startControlServer({ argocd });
  });
  afterAll(async () => {
    await control.close();
  });

  const post = (path: string, body?: unknown) =>
    fetch(`${control.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('lands a new commit on an application, which then is out of sync', async () => {
    expect(argocd.application('payments-api-prod')?.status?.sync?.status).toBe(
      'Synced',
    );
    const res = await post(
      '/control/argocd/applications/payments-api-prod/revisions',
      {
        message: 'feat: new checkout flow',
      },
    );
    expect(res.status).toBe(201);
    const { revision } = await res.json();
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    expect(argocd.application('payments-api-prod')?.status?.sync?.status).toBe(
      'OutOfSync',
    );
  });

  it('takes Argo CD down and up again', async () => {
    expect(
      (await post('/control/argocd/availability', { available: false })).status,
    ).toBe(200);
    expect(
      (await post('/control/argocd/availability', { available: 'no' })).status,
    ).toBe(400);
    await post('/control/argocd/availability', { available: true });
  });

  it('answers 404 for an unknown application and 400 for a bad body', async () => {
    expect(
      (await post('/control/argocd/applications/nope/fail-next-sync')).status,
    ).toBe(404);
    const bad = await post(
      '/control/argocd/applications/payments-api-dev/revisions',
      {
        message: 42,
      },
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('message must be a non-empty string');
  });
});
