import { ArgoCdSimulator } from './ArgoCdSimulator';
import { Exchange, TestClient } from './__testUtils__/client';
import { ContractChecker, contractsAvailable } from './__testUtils__/contracts';
import { Harness, commits, startHarness } from './__testUtils__/fixtures';
import { fakeSha } from './util';

// When the contract files are present, every response these behavioural tests
// receive is also checked against both supported swaggers (last test below).
const checker = contractsAvailable() ? new ContractChecker() : undefined;
const served: Exchange[] = [];

describe('ArgoCdSimulator API behaviour', () => {
  let h: Harness;
  let client: TestClient;

  beforeEach(async () => {
    h = await startHarness();
    client = h.client;
  });

  afterEach(async () => {
    await h.sim.stop();
    served.push(...client.exchanges);
  });

  const app = async (name: string) =>
    (await client.get(`/api/v1/applications/${name}`)).body;

  describe('transport and authentication', () => {
    it('answers 415 unless Content-Type is exactly application/json', async () => {
      const charset = await client.post(
        '/api/v1/applications/web/sync',
        {},
        {
          contentType: 'application/json; charset=utf-8',
        },
      );
      expect(charset.status).toBe(415);
      expect(charset.text).toBe('Invalid content type\n');

      const none = await client.post(
        '/api/v1/session',
        { username: 'admin', password: 'admin' },
        { contentType: null },
      );
      expect(none.status).toBe(415);

      // The comparison is case-insensitive, like argocd-server's.
      const upper = await client.post(
        '/api/v1/applications/web/sync',
        {},
        { contentType: 'Application/JSON' },
      );
      expect(upper.status).toBe(200);
      // GET requests are never checked.
      expect(
        (
          await client.get('/api/v1/applications', {
            contentType: 'text/plain',
          })
        ).status,
      ).toBe(200);
    });

    it('answers 401 without or with an invalid token', async () => {
      const missing = await client.get('/api/v1/applications', { token: null });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({
        error: 'no session information',
        code: 16,
        message: 'no session information',
        details: [],
      });
      const forged = await client.get('/api/v1/applications', {
        token: `${client.token}x`,
      });
      expect(forged.status).toBe(401);
      expect(forged.body.message).toMatch(
        /^invalid session: token signature is invalid/,
      );
    });

    it('logs in with POST /api/v1/session and accepts the argocd.token cookie', async () => {
      const login = await client.post(
        '/api/v1/session',
        { username: 'admin', password: 'admin' },
        { token: null },
      );
      expect(login.status).toBe(200);
      expect(login.body.token.split('.')).toHaveLength(3);
      const claims = JSON.parse(
        Buffer.from(login.body.token.split('.')[1], 'base64url').toString(),
      );
      expect(claims).toMatchObject({ iss: 'argocd', sub: 'admin' });

      const viaCookie = await client.get('/api/v1/applications', {
        token: null,
        cookie: `theme=dark; argocd.token=${login.body.token}`,
      });
      expect(viaCookie.status).toBe(200);

      const wrong = await client.post(
        '/api/v1/session',
        { username: 'admin', password: 'nope' },
        { token: null },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('Invalid username or password');
    });

    it('expires session tokens after 24h but keeps static tokens', async () => {
      h.clock.tick(25 * 3600_000);
      const expired = await client.get('/api/v1/applications');
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/token is expired/);
      expect(
        (
          await client.get('/api/v1/applications', {
            token: 'static-admin-token',
          })
        ).status,
      ).toBe(200);
    });

    it('reports the version, with build details only for authenticated callers', async () => {
      const anonymous = await client.get('/api/version', { token: null });
      expect(Object.keys(anonymous.body)).toEqual(['Version']);
      expect(anonymous.body.Version).toMatch(/^v3\.5\.1\+[0-9a-f]{7}$/);
      const full = await client.get('/api/version');
      expect(full.body).toMatchObject({
        GitTreeState: 'clean',
        Platform: 'linux/amd64',
      });
      const info = await client.get('/api/v1/session/userinfo');
      expect(info.body).toEqual({
        loggedIn: true,
        username: 'admin',
        iss: 'argocd',
      });
    });

    it('answers 503 Unavailable while switched off', async () => {
      h.sim.setAvailable(false);
      const res = await client.get('/api/v1/applications');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe(14);
      h.sim.setAvailable(true);
      expect((await client.get('/api/v1/applications')).status).toBe(200);
    });

    it('counts upstream requests per route', async () => {
      h.sim.resetStats();
      await client.get('/api/v1/applications');
      await client.get('/api/v1/applications/web');
      await client.get('/api/v1/applications/shop');
      await client.get('/api/v1/nonsense');
      expect(h.sim.stats()).toEqual({
        requestCount: 4,
        byRoute: {
          'GET /api/v1/applications': 1,
          'GET /api/v1/applications/{name}': 2,
          'GET <unmatched>': 1,
        },
      });
      expect(h.sim.requestCount).toBe(4);
    });
  });

  describe('listing and reading applications', () => {
    it('lists applications sorted by name and filters by label selector and project', async () => {
      const all = await client.get('/api/v1/applications');
      expect(all.body.items.map((a: any) => a.metadata.name)).toEqual([
        'ledger',
        'shop',
        'storefront',
        'web',
        'web-auto',
      ]);
      expect(all.body.metadata.resourceVersion).toMatch(/^\d+$/);

      const selected = await client.get('/api/v1/applications', {
        query: {
          selector:
            'app.kubernetes.io/part-of=web,praevisio.io/environment!=staging',
        },
      });
      expect(selected.body.items.map((a: any) => a.metadata.name)).toEqual([
        'web',
      ]);

      const setBased = await client.get('/api/v1/applications', {
        query: {
          selector:
            'praevisio.io/environment in (prod), app.kubernetes.io/part-of notin (shop)',
        },
      });
      expect(setBased.body.items.map((a: any) => a.metadata.name)).toEqual([
        'ledger',
        'storefront',
      ]);

      const byProject = await client.get('/api/v1/applications', {
        query: { projects: ['finance'] },
      });
      expect(byProject.body.items.map((a: any) => a.metadata.name)).toEqual([
        'ledger',
      ]);

      const invalid = await client.get('/api/v1/applications', {
        query: { selector: 'a in (b' },
      });
      expect(invalid.status).toBe(500);
      expect(invalid.body.message).toMatch(/^error parsing the selector/);
    });

    it('hides applications the token may not see', async () => {
      const list = await client.get('/api/v1/applications', {
        token: 'finance-only',
      });
      expect(list.body.items.map((a: any) => a.metadata.name)).toEqual([
        'ledger',
      ]);
    });

    it('answers 403 for a missing or forbidden app without ?project=, 404 with it', async () => {
      const missing = await client.get('/api/v1/applications/nope');
      expect(missing.status).toBe(403);
      expect(missing.body).toMatchObject({
        code: 7,
        message: 'permission denied',
      });

      const forbidden = await client.get('/api/v1/applications/web', {
        token: 'finance-only',
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.message).toBe('permission denied');

      const missingInProject = await client.get('/api/v1/applications/nope', {
        query: { project: 'default' },
      });
      expect(missingInProject.status).toBe(404);
      expect(missingInProject.body).toMatchObject({
        code: 5,
        message: 'applications.argoproj.io "nope" not found',
      });
      // Allowed in the named project, but the app lives elsewhere: NotFound.
      const foreign = await client.get('/api/v1/applications/web', {
        token: 'finance-only',
        query: { project: 'finance' },
      });
      expect(foreign.status).toBe(404);
      const wrongProject = await client.get('/api/v1/applications/web', {
        query: { project: 'finance' },
      });
      expect(wrongProject.status).toBe(404);

      const two = await client.get('/api/v1/applications/web', {
        query: { project: ['a', 'b'] },
      });
      expect(two.status).toBe(400);
    });

    it('serves status with history oldest→newest and the HEAD revision it compared to', async () => {
      const web = await app('web');
      const [c1, c2, c3] = commits('web', 3).map(c => c.revision);
      expect(web.status.history.map((x: any) => [x.id, x.revision])).toEqual([
        [0, c1],
        [1, c2],
      ]);
      expect(web.status.history[1]).toEqual(
        expect.objectContaining({
          deployedAt: expect.any(String),
          deployStartedAt: expect.any(String),
          source: expect.objectContaining({ repoURL: expect.any(String) }),
          initiatedBy: { username: 'admin' },
        }),
      );
      expect(web.status.sync).toMatchObject({
        status: 'OutOfSync',
        revision: c3,
      });
      expect(web.status.health.status).toBe('Healthy');
      expect(web.status.operationState).toMatchObject({
        phase: 'Succeeded',
        syncResult: { revision: c2 },
      });
    });

    it('serves revision metadata, including pushed revisions', async () => {
      const [c1] = commits('web', 1);
      const meta = await client.get(
        `/api/v1/applications/web/revisions/${c1.revision}/metadata`,
      );
      expect(meta.body).toEqual({
        author: c1.author,
        date: c1.date,
        message: c1.message,
      });

      const sha = fakeSha('pushed');
      h.sim.pushRevision('web', sha, {
        author: 'Grace Hopper <grace@example.com>',
        message: 'fix: flaky retry',
      });
      const pushed = await client.get(
        `/api/v1/applications/web/revisions/${sha}/metadata`,
      );
      expect(pushed.body).toMatchObject({
        author: 'Grace Hopper <grace@example.com>',
        message: 'fix: flaky retry',
      });

      const unknown = await client.get(
        `/api/v1/applications/web/revisions/${fakeSha('x')}/metadata`,
      );
      expect(unknown.status).toBe(500);
    });

    it('serves the resource tree with refs inline', async () => {
      const tree = await client.get('/api/v1/applications/web/resource-tree');
      const deployment = tree.body.nodes.find(
        (n: any) => n.kind === 'Deployment',
      );
      expect(deployment).toMatchObject({
        group: 'apps',
        version: 'v1',
        namespace: 'web',
        name: 'web',
        uid: expect.any(String),
        health: { status: 'Healthy' },
      });
      const pod = tree.body.nodes.find((n: any) => n.kind === 'Pod');
      expect(pod.group).toBeUndefined();
      expect(pod.parentRefs[0]).toMatchObject({
        group: 'apps',
        kind: 'ReplicaSet',
      });
    });
  });

  describe('sync', () => {
    it('queues the operation, then Running → Succeeded and Progressing → Healthy', async () => {
      const head = commits('web', 3)[2].revision;
      const queued = await client.post('/api/v1/applications/web/sync', {
        prune: true,
      });
      expect(queued.status).toBe(200);
      expect(queued.body.operation).toMatchObject({
        sync: { revision: head, prune: true },
        initiatedBy: { username: 'admin' },
      });
      // Like the real controller, nothing has run yet: the state is the previous one.
      expect(queued.body.status.operationState.phase).toBe('Succeeded');
      expect(queued.body.status.operationState.syncResult.revision).not.toBe(
        head,
      );

      h.sim.advance();
      let web = await app('web');
      expect(web.status.operationState).toMatchObject({
        phase: 'Running',
        operation: { sync: { revision: head } },
      });

      const again = await client.post('/api/v1/applications/web/sync', {});
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({
        code: 9,
        message: 'another operation is already in progress',
      });

      h.sim.advance();
      web = await app('web');
      expect(web.operation).toBeUndefined();
      expect(web.status.operationState).toMatchObject({
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        syncResult: { revision: head },
      });
      expect(web.status.sync.status).toBe('Synced');
      expect(web.status.health.status).toBe('Progressing');
      expect(web.status.history.at(-1)).toMatchObject({
        id: 2,
        revision: head,
      });

      h.sim.advance();
      expect((await app('web')).status.health.status).toBe('Healthy');
    });

    it('returns the app unchanged for a dry run', async () => {
      const before = await app('web');
      const dry = await client.post('/api/v1/applications/web/sync', {
        dryRun: true,
      });
      expect(dry.status).toBe(200);
      expect(dry.body.operation).toBeUndefined();
      h.sim.advance();
      expect((await app('web')).status.history).toEqual(before.status.history);
    });

    it('rejects unresolvable revisions and pinned revisions on auto-synced apps', async () => {
      const branch = await client.post('/api/v1/applications/web/sync', {
        revision: 'no-such-branch',
      });
      expect(branch.status).toBe(400);
      expect(branch.body.message).toMatch(
        /Unable to resolve 'no-such-branch' to a commit SHA/,
      );

      const pinned = await client.post('/api/v1/applications/web-auto/sync', {
        revision: commits('web-auto', 1)[0].revision,
      });
      expect(pinned.status).toBe(400);
      expect(pinned.body.message).toMatch(
        /^Cannot sync to [0-9a-f]{40}: auto-sync currently set to HEAD$/,
      );
    });

    it('accepts an unknown commit SHA and fails the operation later', async () => {
      const res = await client.post('/api/v1/applications/web/sync', {
        revision: fakeSha('ghost'),
      });
      expect(res.status).toBe(200);
      h.sim.advance(2);
      expect((await app('web')).status.operationState).toMatchObject({
        phase: 'Error',
        message: expect.stringMatching(/^ComparisonError/),
      });
    });

    it('fails the next sync on request (failNextSync)', async () => {
      const before = await app('web');
      h.sim.failNextSync('web');
      await client.post('/api/v1/applications/web/sync', {});
      h.sim.advance(2);
      const web = await app('web');
      expect(web.status.operationState.phase).toBe('Failed');
      expect(web.status.operationState.message).toMatch(
        /^one or more objects failed to apply/,
      );
      expect(web.status.history).toEqual(before.status.history);
      expect(web.status.sync.status).toBe('OutOfSync');
      // Only the next one fails.
      await client.post('/api/v1/applications/web/sync', {});
      h.sim.advance(2);
      expect((await app('web')).status.operationState.phase).toBe('Succeeded');
    });

    it('enforces the sync permission separately from get', async () => {
      const denied = await client.post(
        '/api/v1/applications/web/sync',
        {},
        { token: 'viewer-token' },
      );
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(
        'permission denied: applications, sync, default/web, sub: viewer',
      );
    });

    it('can terminate a running operation', async () => {
      const idle = await client.delete('/api/v1/applications/web/operation');
      expect(idle.status).toBe(400);
      await client.post('/api/v1/applications/web/sync', {});
      h.sim.advance();
      expect(
        (await client.delete('/api/v1/applications/web/operation')).body,
      ).toEqual({});
      expect((await app('web')).status.operationState.phase).toBe(
        'Terminating',
      );
      h.sim.advance();
      const web = await app('web');
      expect(web.status.operationState).toMatchObject({
        phase: 'Failed',
        message: 'Operation terminated',
      });
      expect(web.operation).toBeUndefined();
    });
  });

  describe('auto-sync, rollback and history', () => {
    it('auto-syncs a pushed revision', async () => {
      const sha = fakeSha('auto-push');
      h.sim.pushRevision('web-auto', sha, {
        author: 'Bot <bot@example.com>',
        message: 'bump image',
      });
      expect((await app('web-auto')).status.sync.status).toBe('OutOfSync');
      h.sim.advance(3);
      const auto = await app('web-auto');
      expect(auto.status.sync).toMatchObject({
        status: 'Synced',
        revision: sha,
      });
      expect(auto.status.history.at(-1)).toMatchObject({
        revision: sha,
        initiatedBy: { automated: true },
      });
    });

    it('refuses rollback while auto-sync is enabled, until a client disables it', async () => {
      const refused = await client.post(
        '/api/v1/applications/web-auto/rollback',
        { id: 0 },
      );
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe(
        'rollback cannot be initiated when auto-sync is enabled',
      );

      const patched = await client.patch('/api/v1/applications/web-auto', {
        name: 'web-auto',
        patchType: 'merge',
        patch: JSON.stringify({ spec: { syncPolicy: { automated: null } } }),
      });
      expect(patched.status).toBe(200);
      expect(patched.body.spec.syncPolicy?.automated).toBeUndefined();
      expect(
        (await client.post('/api/v1/applications/web-auto/rollback', { id: 0 }))
          .status,
      ).toBe(200);
    });

    it('updates the spec with PUT .../spec', async () => {
      const spec = (await app('web-auto')).spec;
      delete spec.syncPolicy;
      const res = await client.put('/api/v1/applications/web-auto/spec', spec);
      expect(res.status).toBe(200);
      expect(res.body.syncPolicy).toBeUndefined();
      expect((await app('web-auto')).metadata.generation).toBe(2);
    });

    it('rejects rollback to an unknown history id', async () => {
      const res = await client.post('/api/v1/applications/web/rollback', {
        id: 99,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 3,
        message: 'application web does not have deployment with id 99',
      });
    });

    it('rolls back to a previous deployment, leaving the app OutOfSync', async () => {
      const [c1] = commits('web', 1);
      const res = await client.post('/api/v1/applications/web/rollback', {
        id: '0',
      });
      expect(res.body.operation.sync).toMatchObject({
        revision: c1.revision,
        syncStrategy: { apply: {} },
      });
      h.sim.advance(2);
      const web = await app('web');
      expect(web.status.history.at(-1)).toMatchObject({
        id: 2,
        revision: c1.revision,
      });
      expect(web.status.sync.status).toBe('OutOfSync');
    });

    it('caps history at spec.revisionHistoryLimit, keeping ids increasing', async () => {
      const patched = await client.patch('/api/v1/applications/web', {
        patch: JSON.stringify([
          { op: 'add', path: '/spec/revisionHistoryLimit', value: 3 },
        ]),
      });
      expect(patched.body.spec.revisionHistoryLimit).toBe(3);
      for (let i = 0; i < 4; i++) {
        await client.post('/api/v1/applications/web/sync', {});
        h.sim.advance(2);
      }
      const history = (await app('web')).status.history;
      expect(history.map((x: any) => x.id)).toEqual([3, 4, 5]);
      expect(Date.parse(history[0].deployedAt)).toBeLessThanOrEqual(
        Date.parse(history[2].deployedAt),
      );
    });

    it('defaults the history cap to 10', async () => {
      for (let i = 0; i < 10; i++) {
        await client.post('/api/v1/applications/web/sync', {});
        h.sim.advance(2);
      }
      const history = (await app('web')).status.history;
      expect(history).toHaveLength(10);
      expect(history[0].id).toBe(2);
      expect(history[9].id).toBe(11);
    });

    it('rejects unknown patch types and broken patches', async () => {
      const type = await client.patch('/api/v1/applications/web', {
        patchType: 'strategic',
        patch: '{}',
      });
      expect(type.status).toBe(400);
      expect(type.body.message).toBe("Patch type 'strategic' is not supported");
      const broken = await client.patch('/api/v1/applications/web', {
        patch: JSON.stringify([
          { op: 'replace', path: '/spec/nope/x', value: 1 },
        ]),
      });
      expect(broken.status).toBe(500);
      const project = await client.patch('/api/v1/applications/web', {
        patchType: 'merge',
        patch: JSON.stringify({ spec: { project: 'ghost' } }),
      });
      expect(project.status).toBe(400);
    });
  });
});

describe('ArgoCdSimulator options', () => {
  it('serves no actions/v2 when impersonating Argo CD before 3.1', async () => {
    const h = await startHarness({ version: 'v2.14.0' });
    try {
      const res = await h.client.post(
        '/api/v1/applications/shop/resource/actions/v2',
        {
          action: 'restart',
          namespace: 'shop',
          resourceName: 'shop',
          group: 'argoproj.io',
          kind: 'Rollout',
          version: 'v1alpha1',
        },
      );
      expect(res.status).toBe(404);
      expect((await h.client.get('/api/version')).body.Version).toMatch(
        /^v2\.14\.0\+/,
      );
    } finally {
      await h.sim.stop();
      served.push(...h.client.exchanges);
    }
  });

  it('adds latency to every response', async () => {
    const sim = ArgoCdSimulator.create({ latencyMs: 60, tickMs: 0 });
    const { url } = await sim.start();
    try {
      const client = new TestClient(url);
      const started = Date.now();
      await client.get('/api/version');
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
      served.push(...client.exchanges);
    } finally {
      await sim.stop();
    }
  });

  it('progresses on its own timer when tickMs > 0', async () => {
    const sim = ArgoCdSimulator.create({
      tickMs: 20,
      applications: [
        {
          name: 'solo',
          commits: commits('solo', 2),
          history: commits('solo', 1),
        },
      ],
    });
    const { url } = await sim.start();
    try {
      const client = new TestClient(url);
      await client.login();
      await client.post('/api/v1/applications/solo/sync', {});
      await new Promise(r => setTimeout(r, 200));
      expect(sim.application('solo')?.status.sync.status).toBe('Synced');
      served.push(...client.exchanges);
    } finally {
      await sim.stop();
    }
  });
});

// Declared last, so it runs after every test above has recorded its exchanges.
(checker ? describe : describe.skip)('responses served in this file', () => {
  it('all validate against swagger v3.5.1 and v2.14.0', () => {
    expect(served.length).toBeGreaterThan(0);
    expect(checker?.violations(served)).toEqual([]);
  });
});
