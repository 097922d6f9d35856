// The knex CLI's configuration (`npx knex migrate:latest`, `npx knex seed:run`):
// the same DATABASE_URL, migrations and seeds as the service itself.
import { loadConfig } from './src/config';
import { knexConfigFor } from './src/store/db';
import { seedSource } from './seeds';

const config = { ...knexConfigFor(loadConfig().DATABASE_URL), seeds: { seedSource } };

export default config;
module.exports = config;
