import { mockServices, TestDatabases } from '@backstage/backend-test-utils';

/**
 * Databases for `startTestBackend`: each call of `factory()` gives a backend
 * its own in-memory SQLite database, destroyed after the test file.
 *
 * Backstage's default database service never destroys SQLite pools (its
 * DatabaseManager skips them at shutdown), and each pool's reaping interval
 * kept the jest worker alive after the tests: "A worker process has failed to
 * exit gracefully". Call at the top level of a test file or in a `describe`.
 */
export function testBackendDatabases() {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  return {
    factory: async () =>
      mockServices.database.factory({
        knex: await databases.init('SQLITE_3'),
      }),
  };
}
