/**
 * A fresh, migrated database for one integration test file, on the engine the vitest project
 * chose (TEST_DB=pglite: in-memory PGlite; TEST_DB=postgres: a new database on a real server).
 * Never a mock: the same schema, migrations and SQL as production. Each starts as a copy of the
 * run's migrated template (tests/setup/migrated-template.ts), which saves initdb and the
 * migrations per file; the migrations still run (a no-op on a current copy).
 */
import { inject } from 'vitest';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { copyDatabase, createDatabase } from './scratch-database';

export const testEngine = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A new, empty database on the test PostgreSQL server; returns its URL (for a second process). */
export async function createPostgresTestDatabase(): Promise<string> {
	const adminUrl = inject('postgresAdminUrl');
	const name = `${inject('postgresRunPrefix')}_${randomBytes(4).toString('hex')}`;
	return createDatabase(adminUrl, name);
}

let template: Blob | undefined;

/**
 * `fromEmpty`: an empty database migrated here, not a copy of the template (the engine test
 * checks that the migrations alone build the schema).
 */
export async function openTestDatabase(opts: { fromEmpty?: boolean } = {}): Promise<DatabaseHandle> {
	let handle: DatabaseHandle;
	if (opts.fromEmpty) {
		handle =
			testEngine === 'postgres'
				? await openDatabase({ engine: 'postgres', url: await createPostgresTestDatabase(), poolSize: 5 })
				: await openDatabase({ engine: 'pglite-memory' });
	} else if (testEngine === 'postgres') {
		const name = `${inject('postgresRunPrefix')}_${randomBytes(4).toString('hex')}`;
		const url = await copyDatabase(inject('postgresAdminUrl'), inject('postgresTemplate'), name);
		handle = await openDatabase({ engine: 'postgres', url, poolSize: 5 });
	} else {
		template ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
		handle = await openDatabase({ engine: 'pglite-memory', loadDataDir: template });
	}
	await runMigrations(handle);
	return handle;
}
