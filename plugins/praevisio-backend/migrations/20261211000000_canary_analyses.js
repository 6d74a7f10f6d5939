// @ts-check

/**
 * Canary analyses (Kayenta-style judge on Prometheus samples) and the gate
 * decisions Praevisio takes at Rollout pauses (DESIGN §5, §6).
 *
 * - Canary analyses keep the configuration and the raw samples, so the judge
 *   can be re-run on exactly the same input.
 * - A decision is unique per `(deployment_id, step_key)`: the automation
 *   records it before acting, so a restart finds it and never acts twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('praevisio_canary_analyses', table => {
    table.comment('Canary analyses: samples, config, judgement');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('environment', 255).notNullable();
    table.string('application', 253).notNullable();
    table.string('deployment_id', 36).nullable();
    table.string('window_start', 32).notNullable();
    table.string('window_end', 32).notNullable();
    table.string('baseline_hash', 255).nullable();
    table.string('canary_hash', 255).nullable();
    table.double('score').notNullable();
    table.string('classification', 16).notNullable();
    table.text('reason').nullable();
    table.text('groups').notNullable().comment('JSON');
    table.text('metrics').notNullable().comment('JSON: CanaryMetricDto[]');
    table.text('config').notNullable().comment('JSON: the canary config used');
    table
      .text('samples')
      .notNullable()
      .comment('JSON: {baseline, canary, errors} as queried');
    table.string('created_at', 32).notNullable();
    table.index(['entity_ref', 'created_at'], 'praevisio_canary_entity_idx');
  });
  await knex.schema.createTable('praevisio_gate_decisions', table => {
    table.comment('What Praevisio decided at a Rollout pause, and why');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('deployment_id', 36).notNullable();
    table.string('step_key', 255).notNullable();
    table.string('application', 253).notNullable();
    table.string('environment', 255).notNullable();
    table.string('decision', 16).notNullable();
    table.string('decided_by', 512).notNullable();
    table.text('reason').notNullable();
    table.string('gate_evaluation_id', 36).nullable();
    table.string('canary_analysis_id', 36).nullable();
    table
      .string('action_status', 16)
      .notNullable()
      .comment('recorded | done: whether the upstream action was issued');
    table.string('at', 32).notNullable();
    table.unique(['deployment_id', 'step_key'], {
      indexName: 'praevisio_gate_decisions_step_unique',
    });
    table.index(['entity_ref', 'at'], 'praevisio_gate_decisions_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('praevisio_gate_decisions');
  await knex.schema.dropTable('praevisio_canary_analyses');
};
