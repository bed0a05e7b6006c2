/** Getting the database ready at start: migrations and demo data where they belong, and the bundled directory. */
import { getDatabase } from '../platform/db';
import { config, type DatabaseConfig } from '../platform/config';
import { runMigrations, type DatabaseHandle } from '../platform/db/engine';
import { seedDemoData } from '../demo';
import { ensureDefaultDirectory } from '../features/support';

export interface StartupReport {
	engine: DatabaseHandle['engine'];
	migrated: boolean;
	seeded: boolean;
}

/**
 * Embedded mode migrates and seeds on start so a fresh clone just runs. On PostgreSQL (several
 * instances) migrations are a deploy step (`npm run db:migrate`), so instances never race;
 * AUTO_MIGRATE / SEED_DEMO override either default.
 */
export async function prepareDatabase(database: DatabaseConfig = config().database): Promise<StartupReport> {
	const handle = await getDatabase();
	const embedded = handle.engine === 'pglite';
	const migrate = database.autoMigrate ?? embedded;
	const seed = database.seedDemo ?? embedded;
	if (migrate) await runMigrations(handle);
	let seeded = false;
	if (seed) seeded = (await seedDemoData(handle)).created;
	// The bundled Portsmouth support directory, until an authority loads its own (both engines).
	await ensureDefaultDirectory(handle).catch((err: { code?: string; cause?: { code?: string } }) => {
		// Migrations not applied yet (production applies them as a deploy step): try next start.
		if (err?.code !== '42P01' && err?.cause?.code !== '42P01') throw err;
	});
	return { engine: handle.engine, migrated: migrate, seeded };
}

