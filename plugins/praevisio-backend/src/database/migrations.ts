import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@praevisio/backstage-plugin-backend',
  'migrations',
);

/** Runs the plugin's knex migrations to the latest version. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: migrationsDir,
    tableName: 'praevisio_knex_migrations',
  });
}

/** Rolls every migration back (used by the up/down migration tests). */
export async function rollbackDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.rollback(
    { directory: migrationsDir, tableName: 'praevisio_knex_migrations' },
    true,
  );
}
