// The knex CLI's configuration (`npx knex migrate:latest`, `npx knex seed:run`):
// the same DATABASE_URL, migrations and seeds as the service itself.
import { loadDatabaseUrl } from './src/config';
import { knexConfigFor } from './src/store/db';
import { seedSource } from './seeds';

function databaseUrl(): string {
  try {
    return loadDatabaseUrl();
  } catch (error) {
    // The knex CLI would print the stack of this module's loading; a sentence says it all.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

const config = { ...knexConfigFor(databaseUrl()), seeds: { seedSource } };

export default config;
module.exports = config;
