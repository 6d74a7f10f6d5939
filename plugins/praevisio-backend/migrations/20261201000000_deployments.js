// @ts-check

/**
 * Deployments: every release command issued through Praevisio (sync,
 * rollback, rollout actions) and what became of it (DESIGN §5).
 *
 * - `(requested_by, idempotency_key)` is unique: an insert-or-fetch on it is
 *   what makes a replayed or concurrent request (on any replica) reuse the
 *   first one instead of calling Argo CD again.
 * - `lock_key` is set while a deployment is not terminal and cleared when it
 *   ends. Being unique, it lets only one operation per application run at a
 *   time; NULLs never collide on SQLite or PostgreSQL.
 * - Timestamps are ISO 8601 UTC strings, like the audit chain, so that they
 *   compare and sort the same on every database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('praevisio_deployments', table => {
    table.comment('Release commands issued through Praevisio and their state');
    table.string('id', 36).primary().notNullable();
    table.string('idempotency_key', 255).notNullable();
    table
      .string('request_hash', 64)
      .notNullable()
      .comment('SHA-256 of the canonical request; same key + other body = 409');
    table.string('entity_ref', 512).notNullable();
    table.string('instance', 255).notNullable();
    table.string('application', 253).notNullable();
    table.string('environment', 255).notNullable();
    table.string('kind', 48).notNullable();
    table.string('state', 24).notNullable();
    table
      .string('command_status', 16)
      .notNullable()
      .comment('pending | accepted | refused | unknown: the upstream call');
    table.string('from_revision', 255).nullable();
    table.string('to_revision', 255).nullable();
    table.string('requested_by', 512).notNullable();
    table.string('requested_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.string('finished_at', 32).nullable();
    table.text('message').nullable();
    table.string('lock_key', 600).nullable();
    table
      .text('context')
      .notNullable()
      .comment('JSON: what the reconciler compares Argo CD state against');
    table.integer('response_status').nullable();
    table
      .text('response_body')
      .nullable()
      .comment('JSON: the first answer, returned again on replay');
    table.unique(['requested_by', 'idempotency_key'], {
      indexName: 'praevisio_deployments_idempotency_unique',
    });
    table.unique(['lock_key'], {
      indexName: 'praevisio_deployments_lock_unique',
    });
    table.index(
      ['entity_ref', 'requested_at'],
      'praevisio_deployments_entity_idx',
    );
    table.index(['state'], 'praevisio_deployments_state_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('praevisio_deployments');
};
