// @ts-check

/**
 * Quality-gate evaluations (DESIGN §5, §6): everything needed to reproduce
 * the score — the SLO text, window, raw SLI values and provider errors, the
 * ids of the earlier evaluations used as baseline — plus the result, and a
 * human override when there is one.
 *
 * - `(triggered_by, idempotency_key)` is unique; NULL keys (automatic
 *   evaluations) never collide on SQLite or PostgreSQL.
 * - Timestamps are ISO 8601 UTC strings, like the other Praevisio tables.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('praevisio_gate_evaluations', table => {
    table.comment('Quality-gate evaluations, reproducible from their columns');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('environment', 255).notNullable();
    table.string('application', 253).nullable();
    table.string('deployment_id', 36).nullable();
    table.string('provider', 16).notNullable();
    table.string('window_start', 32).notNullable();
    table.string('window_end', 32).notNullable();
    table.string('result', 16).notNullable();
    table.double('score').notNullable();
    table.text('indicator_results').notNullable().comment('JSON');
    table.text('sli_values').notNullable().comment('JSON: raw values');
    table
      .text('sli_errors')
      .notNullable()
      .comment('JSON: why a value is missing');
    table
      .text('compared_evaluation_ids')
      .notNullable()
      .comment('JSON: baseline evaluations, newest first');
    table.text('slo_text').nullable().comment('The slo.yaml as read');
    table.string('slo_location', 2048).nullable();
    table.string('sli_location', 2048).nullable();
    table.text('message').nullable();
    table.string('trigger', 16).notNullable();
    table.string('triggered_by', 512).notNullable();
    table.string('idempotency_key', 255).nullable();
    table.string('request_hash', 64).nullable();
    table.string('created_at', 32).notNullable();
    table.string('override_result', 16).nullable();
    table.text('override_reason').nullable();
    table.string('override_by', 512).nullable();
    table.string('override_at', 32).nullable();
    table.unique(['triggered_by', 'idempotency_key'], {
      indexName: 'praevisio_gate_evaluations_idempotency_unique',
    });
    table.index(
      ['entity_ref', 'environment', 'created_at'],
      'praevisio_gate_evaluations_entity_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('praevisio_gate_evaluations');
};
