// `npm run db:seed`: open the configured database (DATABASE_URL for PostgreSQL, otherwise the
// embedded PGlite in DATA_DIR), apply the migrations and load the fictional demo school
// (Harbourside Primary). Does nothing when the demo school is already there.
// Optional: SEED_TODAY=YYYY-MM-DD marks the register up to the school day before that date.
import { databaseOptions, openDatabase, runMigrations } from '../src/lib/server/platform/db/engine';
import { DEMO_SCHOOL, seedDemoData } from '../src/lib/server/demo/seed';

const today = process.env.SEED_TODAY?.trim() || undefined;
const handle = await openDatabase(databaseOptions());
try {
	await runMigrations(handle);
	const started = performance.now();
	const result = await seedDemoData(handle, { today });
	const ms = Math.round(performance.now() - started);
	if (result.created) {
		console.log(
			`Seeded ${DEMO_SCHOOL.name} (${handle.engine}): ${result.pupils} pupils, ${result.guardians} guardians, ` +
				`${result.marks} marks up to ${result.lastMarkedDay ?? '(term not started)'} in ${ms} ms.`
		);
	} else {
		console.log(`${DEMO_SCHOOL.name} is already there (${handle.engine}); nothing to do.`);
	}
} finally {
	await handle.close();
}
