// @ts-check

/**
 * Quality gates scored by a Keptn v1 installation, and bounded retries of
 * automatic rollout commands (DESIGN §6).
 *
 * - `praevisio_gate_keptn_triggers`: the keptnContext of an evaluation
 *   Praevisio asked Keptn for, recorded right after the trigger, so that a
 *   restart (or a replay of the same idempotency key) waits for that
 *   evaluation instead of triggering another one.
 * - Evaluations remember which provider instance scored them and, for Keptn,
 *   the keptnContext (the link to the evidence in Keptn's datastore).
 * - Gate decisions count failed attempts of their upstream command and keep
 *   the last error; after too many the command is given up (`failed`) and a
 *   human takes over, instead of retrying a refused command forever.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('praevisio_gate_keptn_triggers', table => {
    table.comment('Keptn evaluations triggered by Praevisio, by request key');
    table.string('triggered_by', 512).notNullable();
    table.string('idempotency_key', 255).notNullable();
    table.string('keptn_instance', 255).notNullable();
    table.string('keptn_context', 255).notNullable();
    table.string('created_at', 32).notNullable();
    table.primary(
      ['triggered_by', 'idempotency_key'],
      'praevisio_gate_keptn_triggers_pk',
    );
  });
  await knex.schema.alterTable('praevisio_gate_evaluations', table => {
    table
      .string('provider_instance', 255)
      .nullable()
      .comment('The configured Prometheus or Keptn instance that answered');
    table.string('keptn_context', 255).nullable();
  });
  await knex.schema.alterTable('praevisio_gate_decisions', table => {
    table
      .integer('action_attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed attempts of the upstream command');
    table.text('action_error').nullable().comment('The last failure');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('praevisio_gate_decisions', table => {
    table.dropColumn('action_error');
    table.dropColumn('action_attempts');
  });
  await knex.schema.alterTable('praevisio_gate_evaluations', table => {
    table.dropColumn('keptn_context');
    table.dropColumn('provider_instance');
  });
  await knex.schema.dropTable('praevisio_gate_keptn_triggers');
};
