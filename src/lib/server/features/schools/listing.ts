import { asc } from 'drizzle-orm';
import { getDatabase } from '../../platform/db';
import { schools } from '../../platform/db/schema';

export interface SchoolListing {
	slug: string;
	name: string;
	/** Local time the morning register closes, 'HH:MM'. */
	amRegisterCloses: string;
}

/** Schools in this deployment: public information only. */
export async function listSchools(): Promise<SchoolListing[]> {
	const { db } = await getDatabase();
	const rows = await db
		.select({ slug: schools.slug, name: schools.name, amRegisterCloses: schools.amRegisterCloses })
		.from(schools)
		.orderBy(asc(schools.name));
	return rows.map((r) => ({ ...r, amRegisterCloses: r.amRegisterCloses.slice(0, 5) }));
}
