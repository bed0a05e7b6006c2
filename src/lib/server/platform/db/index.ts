/**
 * The app-wide database: opened once per process from the environment, migrated and seeded
 * with the demo school when running on the embedded default.
 */
import { databaseOptionsFromEnv, openDatabase, runMigrations, type DatabaseHandle } from './engine';
import { seedDemoData } from '../../demo/seed';
import { ensureDefaultDirectory } from '../../features/support';

let opening: Promise<DatabaseHandle> | undefined;

export function getDatabase(): Promise<DatabaseHandle> {
	opening ??= openDatabase(databaseOptionsFromEnv()).catch((err) => {
		opening = undefined;
		throw err;
	});
	return opening;
}

export interface StartupReport {
	engine: DatabaseHandle['engine'];
	migrated: boolean;
	seeded: boolean;
}

function flag(value: string | undefined, fallback: boolean): boolean {
	if (value === undefined || value.trim() === '') return fallback;
	return ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

/**
 * Embedded mode migrates and seeds on start so a fresh clone just runs. On PostgreSQL (several
 * instances) migrations are a deploy step (`npm run db:migrate`), so instances never race;
 * AUTO_MIGRATE / SEED_DEMO override either default.
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv = process.env): Promise<StartupReport> {
	const handle = await getDatabase();
	const embedded = handle.engine === 'pglite';
	const migrate = flag(env.AUTO_MIGRATE, embedded);
	const seed = flag(env.SEED_DEMO, embedded);
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

export async function closeDatabase(): Promise<void> {
	const current = opening;
	opening = undefined;
	if (current) await (await current).close();
}
