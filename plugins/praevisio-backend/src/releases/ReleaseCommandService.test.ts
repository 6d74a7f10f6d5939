import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DeploymentState } from '@praevisio/backstage-plugin-common';
import {
  ArgoCdClientRegistry,
  ArgoCdHttpOptions,
} from '@praevisio/backstage-plugin-node';
import { Knex } from 'knex';
import { DatabaseAuditLog } from '../audit/AuditLog';
import { applyDatabaseMigrations } from '../database/migrations';
import { DeploymentReconciler } from './DeploymentReconciler';
import { DatabaseDeploymentStore, DeploymentStore } from './DeploymentStore';
import { EnvironmentResolver } from './EnvironmentResolver';
import { ReleaseCommandRequest } from './commandRules';
import {
  ExecuteCommandOptions,
  ReleaseCommandService,
} from './ReleaseCommandService';
import { ReleasesReadModel } from './ReleasesReadModel';
import {
  ACTION_ROUTE,
  ArgoCdSimulator,
  callArgoCd,
  calls,
  ENVIRONMENTS,
  PATCH_ROUTE,
  ROLLBACK_ROUTE,
  sha,
  shopEntity,
  startSimulator,
  SYNC_ROUTE,
  TOKEN,
} from './__testUtils__/sandbox';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const logger = mockServices.rootLogger({ level: 'none' });

/** One backend replica's Releases services over a shared database. */
function replica(
  knex: Knex,
  url: string,
  changed: string[],
  wrapStore: (store: DeploymentStore) => DeploymentStore = s => s,
  http?: ArgoCdHttpOptions,
) {
  const registry = ArgoCdClientRegistry.create({
    instances: [{ name: 'main', url, token: TOKEN }],
    http,
  });
  const readModel = ReleasesReadModel.create({
    registry,
    environments: EnvironmentResolver.fromConfig(
      new ConfigReader({ praevisio: { environments: ENVIRONMENTS } }),
    ),
    logger,
    ttlMs: 10_000,
    idleMs: 300_000,
  });
  const store = wrapStore(DatabaseDeploymentStore.create({ knex }));
  const auditLog = DatabaseAuditLog.create({ knex });
  const onChanged = (ref: string) => {
    readModel.invalidate(ref);
    changed.push(ref);
  };
  const commands = ReleaseCommandService.create({
    store,
    readModel,
    registry,
    auditLog,
    logger,
    onChanged,
  });
  const reconciler = (clock?: () => number) =>
    DeploymentReconciler.create({
      store,
      registry,
      auditLog,
      logger,
      onChanged,
      stuckAfterMs: 30 * 60_000,
      pendingTimeoutMs: 120_000,
      clock,
    });
  return { commands, reconciler, store, auditLog, readModel };
}

describe.each(databases.eachSupportedId())('Release commands on %s', id => {
  let sim: ArgoCdSimulator;
  let url: string;
  let knex: Knex;
  let changed: string[];
  let r: ReturnType<typeof replica>;

  beforeEach(async () => {
    ({ sim, url } = await startSimulator());
    knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    changed = [];
    r = replica(knex, url, changed);
  });

  afterEach(async () => {
    await sim.stop();
  });

  const command = (
    application: string,
    request: ReleaseCommandRequest,
    overrides: Partial<ExecuteCommandOptions> = {},
  ): ExecuteCommandOptions => ({
    entity: shopEntity,
    application,
    actor: 'user:default/ada',
    idempotencyKey: `key-${Math.random()}`,
    request,
    ...overrides,
  });

  /** Runs controller passes, reconciling after each; returns the states seen. */
  async function drive(deploymentId: string, passes: number) {
    const reconciler = r.reconciler();
    const seen: DeploymentState[] = [];
    for (let i = 0; i < passes; i++) {
      sim.advance();
      await reconciler.reconcileOnce();
      const state = (await r.store.get(deploymentId))!.state;
      if (seen[seen.length - 1] !== state) seen.push(state);
    }
    return seen;
  }

  function pushProdRevision(label: string) {
    sim.pushRevision('shop-prod', sha(label), {
      author: 'Grace Hopper <grace@example.com>',
      message: `release ${label}`,
    });
  }

  it('makes one upstream sync for 20 concurrent identical commands arriving at two replicas', async () => {
    const other = replica(knex, url, changed);
    sim.resetStats();
    const same = command(
      'shop-dev',
      { type: 'sync' },
      { idempotencyKey: 'double-click' },
    );

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : r).commands.execute(same),
      ),
    );

    expect(calls(sim, SYNC_ROUTE)).toBe(1);
    expect(new Set(results.map(x => x.deployment.id)).size).toBe(1);
    expect(results.filter(x => !x.replayed)).toHaveLength(1);
    expect(results.every(x => x.status === 202)).toBe(true);
    expect(
      await r.store.listForEntity('component:default/shop', 10),
    ).toHaveLength(1);
  });

  it('makes one upstream promote for 20 concurrent identical promotes arriving at two replicas', async () => {
    pushProdRevision('prod-9');
    const sync = (
      await r.commands.execute(command('shop-prod', { type: 'sync' }))
    ).deployment;
    await drive(sync.id, 4); // paused at the canary step
    const other = replica(knex, url, changed);
    sim.resetStats();
    const same = command(
      'shop-prod',
      { type: 'rollout', action: 'promote' },
      { idempotencyKey: 'promote-click' },
    );

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : r).commands.execute(same),
      ),
    );

    expect(calls(sim, ACTION_ROUTE)).toBe(1);
    expect(new Set(results.map(x => x.deployment.id)).size).toBe(1);
    expect(results.every(x => x.status === 202)).toBe(true);
  });

  it('answers a duplicate that looked for its key just before another replica ran the promote with that result', async () => {
    pushProdRevision('prod-8');
    const sync = (
      await r.commands.execute(command('shop-prod', { type: 'sync' }))
    ).deployment;
    await drive(sync.id, 4);
    // Replica B's first lookup happens before replica A records the promote.
    const late = replica(knex, url, changed, store => {
      let first = true;
      return Object.assign(Object.create(store), {
        findByIdempotencyKey: (by: string, key: string) => {
          if (first) {
            first = false;
            return Promise.resolve(undefined);
          }
          return store.findByIdempotencyKey(by, key);
        },
      });
    });
    const same = command(
      'shop-prod',
      { type: 'rollout', action: 'promote' },
      { idempotencyKey: 'late-click' },
    );
    const ran = await r.commands.execute(same);
    sim.resetStats();

    // B finds the Rollout no longer paused; it answers as A did instead of 409.
    await expect(late.commands.execute(same)).resolves.toEqual({
      ...ran,
      replayed: true,
    });
    expect(calls(sim, ACTION_ROUTE)).toBe(0);
  });

  it('replays the first answer without calling Argo CD again, and refuses the key for another request', async () => {
    const first = await r.commands.execute(
      command('shop-dev', { type: 'sync' }, { idempotencyKey: 'k1' }),
    );
    sim.resetStats();
    sim.advance(2); // the deployment moves on; the replay still answers as the first time

    const replay = await r.commands.execute(
      command('shop-dev', { type: 'sync' }, { idempotencyKey: 'k1' }),
    );
    expect(replay).toEqual({ ...first, replayed: true });
    expect(first.deployment.state).toBe('syncing');
    expect(sim.stats().requestCount).toBe(0);

    await expect(
      r.commands.execute(
        command(
          'shop-dev',
          { type: 'sync', revision: sha('dev-1') },
          { idempotencyKey: 'k1' },
        ),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'was already used for a different request',
      ),
    });
    // Keys belong to their user: another user may reuse the string.
    const grace = await r.commands.execute(
      command(
        'shop-prod',
        { type: 'sync' },
        { idempotencyKey: 'k1', actor: 'user:default/grace' },
      ),
    );
    expect(grace.deployment.id).not.toBe(first.deployment.id);
  });

  it('refuses a second sync of an application locally while the first is in progress', async () => {
    await r.commands.execute(command('shop-dev', { type: 'sync' }));
    sim.resetStats();

    await expect(
      r.commands.execute(
        command('shop-dev', { type: 'sync' }, { actor: 'user:default/grace' }),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /requested by user:default\/ada .* is still syncing\. Wait for it to finish/,
      ),
    });
    expect(calls(sim, SYNC_ROUTE)).toBe(0);
  });

  it("passes on Argo CD's operation-in-progress refusal as 409 after exactly one call", async () => {
    // Someone syncs in the Argo CD UI.
    expect(
      (await callArgoCd(url, 'POST', '/api/v1/applications/shop-dev/sync', {}))
        .status,
    ).toBe(200);
    sim.resetStats();

    const attempt = command('shop-dev', { type: 'sync' });
    const refusal = await r.commands.execute(attempt).catch(e => e);

    expect(refusal).toMatchObject({
      statusCode: 409,
      message: expect.stringContaining(
        'another operation is already in progress',
      ),
    });
    expect(calls(sim, SYNC_ROUTE)).toBe(1);
    const [recorded] = await r.store.listForEntity('component:default/shop', 1);
    expect(recorded).toMatchObject({
      state: 'failed',
      commandStatus: 'refused',
    });

    // A replay answers the same refusal without asking Argo CD again.
    await expect(r.commands.execute(attempt)).rejects.toMatchObject({
      statusCode: 409,
      message: refusal.message,
    });
    expect(calls(sim, SYNC_ROUTE)).toBe(1);
  });

  it('passes on the auto-sync refusal with its reason, and rolls back after turning auto-sync off when asked', async () => {
    sim.resetStats();
    const refusal = await r.commands
      .execute(
        command('shop-staging', {
          type: 'rollback',
          historyId: 0,
          disableAutoSync: false,
        }),
      )
      .catch(e => e);
    expect(refusal).toMatchObject({
      statusCode: 409,
      message: expect.stringContaining(
        'rollback cannot be initiated when auto-sync is enabled',
      ),
    });
    expect(refusal.message).toContain('send disableAutoSync: true');
    expect(calls(sim, ROLLBACK_ROUTE)).toBe(1);

    const result = await r.commands.execute(
      command('shop-staging', {
        type: 'rollback',
        historyId: 0,
        disableAutoSync: true,
      }),
    );
    expect(result.deployment).toMatchObject({
      kind: 'disable-auto-sync-and-rollback',
      state: 'syncing',
      toRevision: sha('staging-1'),
    });
    expect(calls(sim, PATCH_ROUTE)).toBe(1);
    expect(calls(sim, ROLLBACK_ROUTE)).toBe(2);
    expect(
      sim.application('shop-staging')!.spec.syncPolicy?.automated,
    ).toBeUndefined();

    const audit = await r.auditLog.list({
      entityRef: 'component:default/shop',
    });
    expect(audit.map(e => [e.action, e.severity])).toEqual([
      ['release.rollback', 'medium'],
      ['release.rollback.refused', 'medium'],
      ['release.disable-auto-sync-and-rollback', 'high'],
      ['release.disable-auto-sync-and-rollback.accepted', 'high'],
    ]);
    expect((await r.auditLog.verify()).ok).toBe(true);
  });

  it('refuses a Rollout action that does not apply without sending it', async () => {
    sim.resetStats();
    await expect(
      r.commands.execute(
        command('shop-prod', { type: 'rollout', action: 'promote' }),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        "Rollout 'shop-prod/shop' is not paused (phase Healthy), so there is nothing to promote",
    });
    await expect(
      r.commands.execute(
        command('shop-dev', { type: 'rollout', action: 'abort' }),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^action: /),
    });
    expect(calls(sim, ACTION_ROUTE)).toBe(0);
    expect(await r.store.listForEntity('component:default/shop', 10)).toEqual(
      [],
    );
  });

  it('drives a sync to succeeded', async () => {
    sim.pushRevision('shop-dev', sha('dev-3'), {
      author: 'a',
      message: 'feat: 3',
    });
    const { deployment } = await r.commands.execute(
      command('shop-dev', { type: 'sync' }),
    );
    expect(deployment).toMatchObject({
      state: 'syncing',
      fromRevision: sha('dev-2'),
      environment: 'dev',
    });

    expect(await drive(deployment.id, 4)).toEqual([
      'syncing',
      'progressing',
      'succeeded',
    ]);
    expect(changed.length).toBeGreaterThan(0);
    const audit = await r.auditLog.list({
      entityRef: 'component:default/shop',
    });
    expect(audit[audit.length - 1]).toMatchObject({
      action: 'release.deployment-finished',
      details: { deploymentId: deployment.id, state: 'succeeded' },
    });
  });

  it('drives a canary through its pause, a promotion and the analysis to succeeded', async () => {
    pushProdRevision('prod-2');
    const sync = (
      await r.commands.execute(command('shop-prod', { type: 'sync' }))
    ).deployment;
    expect(await drive(sync.id, 4)).toEqual([
      'syncing',
      'progressing',
      'paused',
    ]);
    expect((await r.store.get(sync.id))!.message).toContain('CanaryPauseStep');

    const promote = (
      await r.commands.execute(
        command('shop-prod', { type: 'rollout', action: 'promote' }),
      )
    ).deployment;
    expect(promote).toMatchObject({
      kind: 'promote',
      state: 'promoting',
      toRevision: sha('prod-2'),
    });
    expect(calls(sim, ACTION_ROUTE)).toBe(1);

    expect(await drive(promote.id, 5)).toEqual([
      'promoting',
      'analysing',
      'promoting',
      'succeeded',
    ]);
    expect((await r.store.get(sync.id))!.state).toBe('succeeded');
  });

  it('drives an abort to aborted, for the abort and for the sync it stopped', async () => {
    pushProdRevision('prod-3');
    const sync = (
      await r.commands.execute(command('shop-prod', { type: 'sync' }))
    ).deployment;
    await drive(sync.id, 4);

    const abort = (
      await r.commands.execute(
        command('shop-prod', { type: 'rollout', action: 'abort' }),
      )
    ).deployment;
    expect(abort.state).toBe('requested');
    expect(await drive(abort.id, 1)).toEqual(['aborted']);
    expect((await r.store.get(sync.id))!).toMatchObject({
      state: 'aborted',
      message: expect.stringContaining('RolloutAborted'),
    });
  });

  it('drives a rollback to rolled_back', async () => {
    const { deployment } = await r.commands.execute(
      command('shop-dev', {
        type: 'rollback',
        historyId: 0,
        disableAutoSync: false,
      }),
    );
    expect(deployment).toMatchObject({
      kind: 'rollback',
      fromRevision: sha('dev-2'),
      toRevision: sha('dev-1'),
    });
    expect(await drive(deployment.id, 4)).toContain('rolled_back');
    const history = sim.application('shop-dev')!.status.history!;
    expect(history[history.length - 1].revision).toBe(sha('dev-1'));
  });

  it('picks up open deployments after a restart without repeating the command', async () => {
    sim.pushRevision('shop-dev', sha('dev-4'), {
      author: 'a',
      message: 'feat: 4',
    });
    const { deployment } = await r.commands.execute(
      command('shop-dev', { type: 'sync' }),
    );
    sim.resetStats();

    // A new process: new services over the same database.
    const restarted = replica(knex, url, changed);
    sim.advance(3);
    await restarted.reconciler().reconcileOnce();

    expect((await restarted.store.get(deployment.id))!.state).toBe('succeeded');
    expect(calls(sim, SYNC_ROUTE)).toBe(0);
  });

  it('never repeats a sync whose answer was lost, and learns its outcome from Argo CD', async () => {
    // The sync reaches Argo CD, but the connection drops before the answer.
    const lossy = replica(knex, url, changed, undefined, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST' && String(input).endsWith('/sync')) {
          throw new TypeError('socket hang up');
        }
        return response;
      },
    });
    sim.pushRevision('shop-dev', sha('dev-6'), {
      author: 'a',
      message: 'feat: 6',
    });
    sim.resetStats();

    const lost = await lossy.commands
      .execute(command('shop-dev', { type: 'sync' }))
      .catch(e => e);
    expect(lost).toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('Praevisio does not send it again'),
    });
    const [open] = await r.store.listForEntity('component:default/shop', 1);
    expect(open).toMatchObject({
      state: 'requested',
      commandStatus: 'unknown',
    });

    // Meanwhile nobody can start another operation on the app through us.
    await expect(
      r.commands.execute(command('shop-dev', { type: 'sync' })),
    ).rejects.toMatchObject({ name: 'ConflictError' });

    expect(await drive(open.id, 3)).toEqual([
      'syncing',
      'progressing',
      'succeeded',
    ]);
    expect(calls(sim, SYNC_ROUTE)).toBe(1);
  });

  it('fails a deployment Argo CD never started once it is stuck, and frees the application', async () => {
    let now = Date.now();
    const { deployment } = await r.commands.execute(
      command('shop-dev', { type: 'sync' }),
    );
    // The Argo CD controller never picks the operation up (no advance).
    const reconciler = r.reconciler(() => now);
    await reconciler.reconcileOnce();
    expect((await r.store.get(deployment.id))!.state).toBe('syncing');

    now += 31 * 60_000;
    await reconciler.reconcileOnce();
    expect((await r.store.get(deployment.id))!).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('No progress for 30 minutes'),
    });
    await expect(
      r.commands.execute(
        command('shop-dev', {
          type: 'rollback',
          historyId: 0,
          disableAutoSync: false,
        }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        'another operation is already in progress',
      ),
    });
  });
});
