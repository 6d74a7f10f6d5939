// @ts-check

/**
 * The append-only audit chain (DESIGN §7). `seq` is assigned by the appender
 * inside a serialized transaction, so the primary key also guarantees that two
 * replicas can never fork the chain.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('praevisio_audit_events', table => {
    table.comment('Append-only, hash-chained audit events');
    table.bigInteger('seq').primary().notNullable();
    table.string('occurred_at', 32).notNullable().comment('ISO 8601, UTC');
    table.string('actor', 512).notNullable();
    table.string('action', 128).notNullable();
    table.string('entity_ref', 512).nullable();
    table.string('severity', 16).notNullable();
    table.text('details').notNullable().comment('canonical JSON');
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable().unique();
    table.index(['entity_ref', 'seq'], 'praevisio_audit_events_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('praevisio_audit_events');
};
