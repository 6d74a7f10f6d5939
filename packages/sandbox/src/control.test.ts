import { ArgoCdSimulator, seedDemoApplications } from './argocd';
import { startControlServer } from './control';
import { WorkloadMetrics } from './workloads';

describe('sandbox control API', () => {
  let argocd: ArgoCdSimulator;
  let workloads: WorkloadMetrics;
  let control: Awaited<ReturnType<typeof startControlServer>>;
  let bare: Awaited<ReturnType<typeof startControlServer>>;
  beforeAll(async () => {
    argocd = ArgoCdSimulator.create({
      applications: seedDemoApplications(),
      tickMs: 0,
    });
    workloads = WorkloadMetrics.create({ argocd });
    control = await startControlServer({ argocd, workloads });
    bare = await startControlServer({ argocd });
  });
  afterAll(async () => {
    await control.close();
    await bare.close();
  });

  const post = (path: string, body?: unknown, url = control.url) =>
    fetch(`${url}${path}`, {
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

  it('lands a bad revision, which the workload metrics then serve badly', async () => {
    const res = await post(
      '/control/argocd/applications/payments-api-staging/revisions',
      { bad: true },
    );
    expect(res.status).toBe(201);
    const { revision, bad } = await res.json();
    expect(bad).toBe(true);
    expect(workloads.isRevisionBad(revision)).toBe(true);
    const healthy = await post(
      '/control/argocd/applications/payments-api-dev/revisions',
    );
    expect(await healthy.json()).toMatchObject({ bad: false });
    expect(
      (
        await post('/control/argocd/applications/payments-api-dev/revisions', {
          bad: 'yes',
        })
      ).status,
    ).toBe(400);
  });

  it('marks a revision bad and healthy again', async () => {
    const revision = 'ABCDEF0123456789abcdef0123456789abcdef01';
    const path = `/control/workloads/revisions/${revision}/bad`;
    const res = await post(path, { bad: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      revision: revision.toLowerCase(),
      bad: true,
    });
    expect(workloads.isRevisionBad(revision)).toBe(true);
    expect((await post(path, { bad: false })).status).toBe(200);
    expect(workloads.isRevisionBad(revision)).toBe(false);
    expect((await post(path, {})).status).toBe(400);
    const notSha = await post('/control/workloads/revisions/main/bad', {
      bad: true,
    });
    expect(notSha.status).toBe(400);
    expect((await notSha.json()).error).toMatch(/must be a Git SHA/);
  });

  it('lands a marginal revision, and takes bad: true as the bad quality', async () => {
    const res = await post(
      '/control/argocd/applications/payments-api-staging/revisions',
      { quality: 'marginal', message: 'feat: slower fraud rules' },
    );
    expect(res.status).toBe(201);
    const { revision, ...rest } = await res.json();
    expect(rest).toEqual({ quality: 'marginal', bad: false });
    expect(workloads.revisionQuality(revision)).toBe('marginal');
    expect(argocd.application('payments-api-staging')?.status.sync.status).toBe(
      'OutOfSync',
    );

    const alias = await post(
      '/control/argocd/applications/payments-api-staging/revisions',
      { bad: true, quality: 'bad' },
    );
    expect(alias.status).toBe(201);
    const aliased = await alias.json();
    expect(aliased).toMatchObject({ quality: 'bad', bad: true });
    expect(workloads.revisionQuality(aliased.revision)).toBe('bad');
  });

  it('rejects an unknown or contradictory quality, naming the field', async () => {
    const path = '/control/argocd/applications/ledger-service-dev/revisions';
    const syncStatus = () =>
      argocd.application('ledger-service-dev')?.status.sync.status;
    expect(syncStatus()).toBe('Synced');
    const unknown = await post(path, { quality: 'flaky' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe(
      "quality must be one of healthy, marginal, bad, got 'flaky'",
    );
    const wrongType = await post(path, { quality: 2 });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).error).toMatch(/^quality must be one of/);
    const contradiction = await post(path, { bad: true, quality: 'marginal' });
    expect(contradiction.status).toBe(400);
    expect((await contradiction.json()).error).toMatch(
      /^bad: true contradicts quality 'marginal'/,
    );
    // Nothing landed.
    expect(syncStatus()).toBe('Synced');
  });

  it('sets a revision’s quality', async () => {
    const revision = 'FEDCBA0123456789abcdef0123456789abcdef01';
    const path = `/control/workloads/revisions/${revision}/quality`;
    const res = await post(path, { quality: 'marginal' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      revision: revision.toLowerCase(),
      quality: 'marginal',
    });
    expect(workloads.revisionQuality(revision)).toBe('marginal');
    expect((await post(path, { quality: 'bad' })).status).toBe(200);
    expect(workloads.isRevisionBad(revision)).toBe(true);
    expect((await post(path, { quality: 'healthy' })).status).toBe(200);
    expect(workloads.revisionQuality(revision)).toBe('healthy');

    const missing = await post(path, {});
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('quality is required');
    const invalid = await post(path, { quality: 'MARGINAL' });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toMatch(/^quality must be one of/);
    const notSha = await post('/control/workloads/revisions/main/quality', {
      quality: 'bad',
    });
    expect(notSha.status).toBe(400);
    expect((await notSha.json()).error).toMatch(/must be a Git SHA/);
  });

  it('answers 409 to the quality knobs without workload metrics', async () => {
    const app = '/control/argocd/applications/payments-api-dev/revisions';
    const refused: Array<[string, object]> = [
      ['/control/workloads/revisions/abcdef0/bad', { bad: true }],
      [app, { bad: true }],
      ['/control/workloads/revisions/abcdef0/quality', { quality: 'marginal' }],
      [app, { quality: 'marginal' }],
    ];
    for (const [path, body] of refused) {
      expect((await post(path, body, bare.url)).status).toBe(409);
    }
    // A healthy revision needs no workload metrics.
    expect((await post(app, { quality: 'healthy' }, bare.url)).status).toBe(
      201,
    );
  });
});
