/** Loads a school's calendar from the database into the pure domain shape. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from './db/engine';
import { schoolClosures, schoolTerms, schools } from './db/schema';
import type { SchoolCalendar } from '../../domain/calendar';

export async function loadSchoolCalendar(db: Db, schoolId: string): Promise<SchoolCalendar> {
	const [school] = await db
		.select({ timeZone: schools.timeZone })
		.from(schools)
		.where(eq(schools.id, schoolId));
	if (!school) throw new Error(`No school with id ${schoolId}`);
	const terms = await db
		.select({ name: schoolTerms.name, startsOn: schoolTerms.startsOn, endsOn: schoolTerms.endsOn })
		.from(schoolTerms)
		.where(eq(schoolTerms.schoolId, schoolId))
		.orderBy(asc(schoolTerms.startsOn));
	const closures = await db
		.select({
			date: schoolClosures.date,
			sessions: schoolClosures.sessions,
			kind: schoolClosures.kind,
			description: schoolClosures.description
		})
		.from(schoolClosures)
		.where(eq(schoolClosures.schoolId, schoolId))
		.orderBy(asc(schoolClosures.date));
	return { timeZone: school.timeZone, terms, closures };
}
