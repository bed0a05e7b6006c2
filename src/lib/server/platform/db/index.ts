/**
 * The app-wide database: opened once per process from the configuration (platform/config.ts). Start-up
 * (src/lib/server/startup) migrates it and seeds the demo schools on the embedded default.
 */
import { databaseOptions, openDatabase, type DatabaseHandle } from './engine';

let opening: Promise<DatabaseHandle> | undefined;

export function getDatabase(): Promise<DatabaseHandle> {
	opening ??= openDatabase(databaseOptions()).catch((err) => {
		opening = undefined;
		throw err;
	});
	return opening;
}

export async function closeDatabase(): Promise<void> {
	const current = opening;
	opening = undefined;
	if (current) await (await current).close();
}
