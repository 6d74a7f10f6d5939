import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { AUDIT_GENESIS_HASH } from '@praevisio/backstage-plugin-common';
import {
  applyDatabaseMigrations,
  rollbackDatabaseMigrations,
} from '../database/migrations';
import { computeAuditHash, DatabaseAuditLog } from './AuditLog';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function freshDatabase(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  return knex;
}

const event = (n: number) => ({
  actor: `user:default/user-${n % 3}`,
  action: 'release.sync',
  entityRef: 'component:default/payments-api',
  severity: 'medium' as const,
  details: { revision: `rev-${n}`, weight: n * 1.5, tags: ['a', 'b'] },
});

describe.each(databases.eachSupportedId())('DatabaseAuditLog on %s', id => {
  it('migrates up and down cleanly', async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    expect(await knex.schema.hasTable('praevisio_audit_events')).toBe(true);
    await rollbackDatabaseMigrations(knex);
    expect(await knex.schema.hasTable('praevisio_audit_events')).toBe(false);
    await applyDatabaseMigrations(knex);
    expect(await knex.schema.hasTable('praevisio_audit_events')).toBe(true);
  });

  it('appends a linear chain that verifies, starting from the genesis hash', async () => {
    const knex = await freshDatabase(id);
    const log = DatabaseAuditLog.create({ knex });
    const first = await log.append(event(1));
    const second = await log.append(event(2));

    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toBe(computeAuditHash(first.hash, second));

    await expect(log.verify()).resolves.toEqual({
      ok: true,
      checked: 2,
      fromSeq: 1,
      lastSeq: 2,
      headHash: second.hash,
    });
    const listed = await log.list({
      entityRef: 'component:default/payments-api',
    });
    expect(listed.map(e => e.details.revision)).toEqual(['rev-1', 'rev-2']);
  });

  it('verifies from a later sequence number using the previous hash as anchor', async () => {
    const knex = await freshDatabase(id);
    const log = DatabaseAuditLog.create({ knex });
    for (let i = 1; i <= 5; i++) await log.append(event(i));
    const result = await log.verify({ fromSeq: 3, limit: 2 });
    expect(result).toMatchObject({
      ok: true,
      checked: 2,
      fromSeq: 3,
      lastSeq: 4,
    });
  });

  it('detects a flipped byte with the first bad sequence number', async () => {
    const knex = await freshDatabase(id);
    const log = DatabaseAuditLog.create({ knex });
    for (let i = 1; i <= 6; i++) await log.append(event(i));
    const row = await knex('praevisio_audit_events').where('seq', 4).first();
    const flipped = row.details.replace('rev-4', 'rev-5');
    expect(flipped).not.toBe(row.details);
    await knex('praevisio_audit_events')
      .where('seq', 4)
      .update({ details: flipped });

    await expect(log.verify()).resolves.toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'hash_mismatch',
      checked: 3,
    });
  });

  it('detects a deleted row with the first missing sequence number', async () => {
    const knex = await freshDatabase(id);
    const log = DatabaseAuditLog.create({ knex });
    for (let i = 1; i <= 6; i++) await log.append(event(i));
    await knex('praevisio_audit_events').where('seq', 3).delete();

    await expect(log.verify()).resolves.toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'missing_event',
      lastSeq: 2,
    });
  });

  it('detects a rewritten tail whose hashes were recomputed but not re-linked', async () => {
    const knex = await freshDatabase(id);
    const log = DatabaseAuditLog.create({ knex });
    for (let i = 1; i <= 3; i++) await log.append(event(i));
    // An attacker rewrites event 2 consistently with its own hash…
    const row = await knex('praevisio_audit_events').where('seq', 2).first();
    const details = JSON.parse(row.details);
    details.revision = 'forged';
    const forgedHash = computeAuditHash(row.prev_hash, {
      seq: 2,
      occurredAt: row.occurred_at,
      actor: row.actor,
      action: row.action,
      entityRef: row.entity_ref,
      severity: row.severity,
      details,
    });
    await knex('praevisio_audit_events')
      .where('seq', 2)
      .update({ details: JSON.stringify(details), hash: forgedHash });
    // …and event 3 no longer links to it.
    await expect(log.verify()).resolves.toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'prev_hash_mismatch',
    });
  });
});

describe('DatabaseAuditLog on POSTGRES_15 with two connection pools', () => {
  const pools: Knex[] = [];
  afterAll(async () => {
    await Promise.all(pools.map(p => p.destroy()));
  });

  it('appends concurrently from two pools into one linear chain', async () => {
    if (!databases.supports('POSTGRES_15')) {
      throw new Error(
        'POSTGRES_15 is not available: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
      );
    }
    const knexA = await freshDatabase('POSTGRES_15');
    const knexB = knexFactory({
      ...knexA.client.config,
      pool: { min: 0, max: 5 },
    });
    pools.push(knexB);
    const logA = DatabaseAuditLog.create({ knex: knexA });
    const logB = DatabaseAuditLog.create({ knex: knexB });

    const appended = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? logA : logB).append(event(i)),
      ),
    );

    expect(appended.map(e => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    await expect(logA.verify()).resolves.toMatchObject({
      ok: true,
      checked: 40,
      lastSeq: 40,
    });
  });
});
