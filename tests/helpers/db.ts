/**
 * A fresh, migrated database for one integration test file, on the engine the vitest project
 * chose (TEST_DB=pglite: in-memory PGlite; TEST_DB=postgres: a new database on a real server).
 * Never a mock: the same schema, migrations and SQL as production.
 */
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { createDatabase } from './scratch-database';

export const testEngine = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A new, empty database on the test PostgreSQL server; returns its URL (for a second process). */
export async function createPostgresTestDatabase(): Promise<string> {
	const adminUrl = inject('postgresAdminUrl');
	const name = `${inject('postgresRunPrefix')}_${randomBytes(4).toString('hex')}`;
	return createDatabase(adminUrl, name);
}

export async function openTestDatabase(): Promise<DatabaseHandle> {
	let handle: DatabaseHandle;
	if (testEngine === 'postgres') {
		handle = await openDatabase({ engine: 'postgres', url: await createPostgresTestDatabase(), poolSize: 5 });
	} else {
		handle = await openDatabase({ engine: 'pglite-memory' });
	}
	await runMigrations(handle);
	return handle;
}
