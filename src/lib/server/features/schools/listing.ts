import { asc, eq, inArray } from 'drizzle-orm';
import { DEFAULT_TIME_ZONE, localDateOf } from '../../../domain/calendar';
import type { Db } from '../../platform/db/engine';
import { schools } from '../../platform/db/schema';

export interface SchoolListing {
	slug: string;
	name: string;
	/** Local time the morning register closes, 'HH:MM'. */
	amRegisterCloses: string;
}

/** Schools in this deployment: public information only. */
export async function listSchools(db: Db): Promise<SchoolListing[]> {
	const rows = await db
		.select({ slug: schools.slug, name: schools.name, amRegisterCloses: schools.amRegisterCloses })
		.from(schools)
		.orderBy(asc(schools.name));
	return rows.map((r) => ({ ...r, amRegisterCloses: r.amRegisterCloses.slice(0, 5) }));
}

/** A school's name, or null for an unknown id. */
export async function schoolName(db: Db, schoolId: string): Promise<string | null> {
	const [school] = await db.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId));
	return school?.name ?? null;
}

export interface SchoolContact {
	id: string;
	name: string;
	phone: string | null;
	email: string | null;
	/** The support directory the school's families are shown. */
	directory: string;
	timeZone: string;
	/** Local time the morning register closes, 'HH:MM:SS'. */
	amRegisterCloses: string;
}

/** How families reach each of these schools, sorted by name. */
export async function schoolContacts(db: Db, schoolIds: readonly string[]): Promise<SchoolContact[]> {
	if (schoolIds.length === 0) return [];
	const rows = await db
		.select({
			id: schools.id,
			name: schools.name,
			phone: schools.phone,
			email: schools.email,
			directory: schools.supportDirectory,
			timeZone: schools.timeZone,
			amRegisterCloses: schools.amRegisterCloses
		})
		.from(schools)
		.where(inArray(schools.id, [...schoolIds]));
	return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** The school's own time zone (for staff pages' dates and times). */
export async function schoolTimeZone(db: Db, schoolId: string): Promise<string> {
	const [s] = await db.select({ tz: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	return s?.tz ?? DEFAULT_TIME_ZONE;
}

/** Today's date where the school is (its own time zone). */
export async function schoolToday(db: Db, schoolId: string, now: Date = new Date()): Promise<string> {
	const [s] = await db.select({ tz: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	return localDateOf(now, s?.tz ?? DEFAULT_TIME_ZONE);
}
