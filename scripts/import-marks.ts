// `npm run import:marks -- --school <slug> <file.csv> [--reason "..."] [--by <who>]`
// Imports an MIS attendance-marks CSV into the configured database (DATABASE_URL for
// PostgreSQL, otherwise the embedded PGlite in DATA_DIR — stop the app first, it holds the lock).
// Exit status: 0 applied, 2 rejected (nothing applied; the errors are printed), 1 failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { databaseOptions, openDatabase, type DatabaseHandle } from '../src/lib/server/platform/db/engine';
import { schools } from '../src/lib/server/platform/db/schema';
import { importRegisterCsv } from '../src/lib/server/features/register-import';
import { importErrorMessages } from '../src/lib/i18n-staff-problems';

const usage = 'Usage: npm run import:marks -- --school <slug> <file.csv> [--reason "<amendment reason>"] [--by <who>]';

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

const { values, positionals } = (() => {
	try {
		return parseArgs({
			options: {
				school: { type: 'string' },
				reason: { type: 'string' },
				by: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			},
			allowPositionals: true
		});
	} catch (err) {
		fail(`${(err as Error).message}\n${usage}`);
	}
})();

if (values.help) {
	console.log(usage);
	process.exit(0);
}
const file = positionals[0];
if (!values.school || !file || positionals.length > 1) fail(usage);
if (!fs.existsSync(file)) fail(`No such file: ${file}`);

async function run(handle: DatabaseHandle, schoolSlug: string, csvPath: string): Promise<number> {
	const [school] = await handle.db
		.select({ id: schools.id, name: schools.name })
		.from(schools)
		.where(eq(schools.slug, schoolSlug));
	if (!school) {
		console.error(`No school with slug "${schoolSlug}"`);
		return 1;
	}
	const started = Date.now();
	const result = await importRegisterCsv(handle, {
		schoolId: school.id,
		input: fs.createReadStream(csvPath),
		filename: path.basename(csvPath),
		importedBy: values.by ?? `cli:${os.userInfo().username}`,
		amendmentReason: values.reason,
		actorType: 'system'
	});
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status === 'applied') {
		console.log(
			`Applied to ${school.name} in ${seconds}s: ${result.rowsRead} rows, ${result.marksInserted} marks new, ` +
				`${result.marksAmended} amended, ${result.marksUnchanged} unchanged (import ${result.importId}).`
		);
		return 0;
	}
	console.error(`Rejected: nothing was applied. ${result.errorCount} error(s) in ${result.rowsRead} rows:`);
	for (const e of importErrorMessages(result.errors)) console.error(`  line ${e.row}: ${e.message}`);
	if (result.errorCount > result.errors.length) {
		console.error(`  ...and ${result.errorCount - result.errors.length} more`);
	}
	return 2;
}

// Closed before exiting, so an embedded data directory is flushed and its lock released.
const handle = await openDatabase(databaseOptions());
let exitCode: number;
try {
	exitCode = await run(handle, values.school, file);
} finally {
	await handle.close();
}
process.exit(exitCode);
