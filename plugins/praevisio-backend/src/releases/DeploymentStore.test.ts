import { randomUUID } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  applyDatabaseMigrations,
  rollbackDatabaseMigrations,
} from '../database/migrations';
import { DatabaseDeploymentStore, NewDeployment } from './DeploymentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function newDeployment(overrides: Partial<NewDeployment> = {}): NewDeployment {
  return {
    id: randomUUID(),
    idempotencyKey: 'key-1',
    requestHash: 'a'.repeat(64),
    entityRef: 'component:default/shop',
    instance: 'main',
    application: 'shop-prod',
    environment: 'prod',
    kind: 'sync',
    fromRevision: 'abc',
    toRevision: 'def',
    requestedBy: 'user:default/ada',
    context: { project: 'default', historyMaxIdBefore: 3 },
    lockKey: 'operation:main/shop-prod',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore on %s',
  id => {
    async function store() {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      return DatabaseDeploymentStore.create({ knex });
    }

    it('migrates up and down cleanly', async () => {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('praevisio_deployments')).toBe(true);
      await rollbackDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('praevisio_deployments')).toBe(false);
      expect(await knex.schema.hasTable('praevisio_audit_events')).toBe(false);
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('praevisio_deployments')).toBe(true);
    });

    it('records one deployment for 20 concurrent inserts with the same idempotency key', async () => {
      const s = await store();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => s.insert(newDeployment())),
      );
      const inserted = results.filter(r => r.outcome === 'inserted');
      expect(inserted).toHaveLength(1);
      const winner =
        inserted[0].outcome === 'inserted' && inserted[0].record.id;
      for (const r of results) {
        expect(r.outcome === 'locked' ? undefined : r.record.id).toBe(winner);
      }
      expect(await s.listActive(10)).toHaveLength(1);
    });

    it('keys idempotency per requester', async () => {
      const s = await store();
      const a = await s.insert(newDeployment({ lockKey: undefined }));
      const b = await s.insert(
        newDeployment({
          requestedBy: 'user:default/grace',
          lockKey: undefined,
        }),
      );
      expect([a.outcome, b.outcome]).toEqual(['inserted', 'inserted']);
    });

    it('lets one operation per application hold the lock until it ends', async () => {
      const s = await store();
      const first = await s.insert(newDeployment());
      expect(first.outcome).toBe('inserted');
      const firstId = first.outcome === 'inserted' ? first.record.id : '';

      const second = await s.insert(newDeployment({ idempotencyKey: 'key-2' }));
      expect(second).toMatchObject({
        outcome: 'locked',
        holder: { id: firstId, state: 'requested' },
      });
      // Another lane (or no lock) is not held back.
      expect(
        (
          await s.insert(
            newDeployment({
              idempotencyKey: 'key-3',
              kind: 'abort',
              lockKey: undefined,
            }),
          )
        ).outcome,
      ).toBe('inserted');

      await s.transition(firstId, {
        kind: 'sync',
        from: 'requested',
        to: 'syncing',
      });
      const ended = await s.transition(firstId, {
        kind: 'sync',
        from: 'syncing',
        to: 'succeeded',
      });
      expect(ended?.finishedAt).toBeDefined();
      expect(
        (await s.insert(newDeployment({ idempotencyKey: 'key-2' }))).outcome,
      ).toBe('inserted');
    });

    it('moves state only from the expected state and only along the state machine', async () => {
      const s = await store();
      const { record } = (await s.insert(newDeployment())) as {
        record: { id: string };
      };
      expect(
        await s.transition(record.id, {
          kind: 'sync',
          from: 'syncing',
          to: 'progressing',
        }),
      ).toBeUndefined();
      await expect(
        s.transition(record.id, {
          kind: 'sync',
          from: 'requested',
          to: 'rolled_back',
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const failed = await s.transition(record.id, {
        kind: 'sync',
        from: 'requested',
        to: 'failed',
        message: 'another operation is already in progress',
        commandStatus: 'refused',
      });
      expect(failed).toMatchObject({
        state: 'failed',
        commandStatus: 'refused',
        message: 'another operation is already in progress',
      });
      expect(await s.listActive(10)).toEqual([]);
    });

    it('keeps the first answer for replays', async () => {
      const s = await store();
      const { record } = (await s.insert(newDeployment())) as {
        record: { id: string };
      };
      await s.update(record.id, {
        response: {
          status: 409,
          error: { name: 'ConflictError', message: 'busy' },
        },
      });
      expect(
        (await s.findByIdempotencyKey('user:default/ada', 'key-1'))?.response,
      ).toEqual({
        status: 409,
        error: { name: 'ConflictError', message: 'busy' },
      });
    });

    it('lists an entity’s deployments newest first', async () => {
      let tick = Date.parse('2025-06-01T00:00:00Z');
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      const s = DatabaseDeploymentStore.create({
        knex,
        clock: () => new Date((tick += 1000)),
      });
      for (const key of ['a', 'b', 'c']) {
        await s.insert(
          newDeployment({ idempotencyKey: key, lockKey: undefined }),
        );
      }
      const listed = await s.listForEntity('component:default/shop', 2);
      expect(listed.map(d => d.idempotencyKey)).toEqual(['c', 'b']);
    });
  },
);
