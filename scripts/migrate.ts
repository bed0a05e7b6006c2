// `npm run db:migrate`: apply the migrations in drizzle/ to the configured database
// (DATABASE_URL for PostgreSQL, otherwise the embedded PGlite in DATA_DIR). Run once per deploy.
import { databaseOptions, openDatabase, runMigrations } from '../src/lib/server/platform/db/engine';

const options = databaseOptions();
const handle = await openDatabase(options);
try {
	await runMigrations(handle);
	console.log(`Migrations applied (${handle.engine}).`);
} finally {
	await handle.close();
}
