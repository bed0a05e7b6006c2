/**
 * What a report needs to know of the child's school (calendar, register times, time zone), read
 * once and kept for a short while: at the morning peak every report for a school asks the same.
 */
import { eq } from 'drizzle-orm';
import { type RegisterTimes, type SchoolCalendar } from '../../../domain/calendar';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import type { Db } from '../../platform/db/engine';
import { schools } from '../../platform/db/schema';

export interface SchoolContext {
	calendar: SchoolCalendar;
	registerTimes: RegisterTimes;
}

export async function loadSchoolContext(db: Db, schoolId: string): Promise<SchoolContext> {
	const [s] = await db
		.select({
			amOpens: schools.amRegisterOpens,
			amCloses: schools.amRegisterCloses,
			pmOpens: schools.pmRegisterOpens,
			pmCloses: schools.pmRegisterCloses
		})
		.from(schools)
		.where(eq(schools.id, schoolId));
	if (!s) throw new Error(`No school with id ${schoolId}`);
	return {
		calendar: await loadSchoolCalendar(db, schoolId),
		registerTimes: { AM: { opens: s.amOpens, closes: s.amCloses }, PM: { opens: s.pmOpens, closes: s.pmCloses } }
	};
}

/**
 * Calendars and register times change a few times a year, but every report needs them: at the
 * morning peak, reading them once per school per half minute instead of on every report saves
 * four queries per report. A change made by staff is seen within SCHOOL_CONTEXT_TTL_MS on every
 * instance. Only used for new reports (amendments and check-ins read fresh, in their transaction).
 */
const SCHOOL_CONTEXT_TTL_MS = 30_000;
const schoolContextCache = new WeakMap<object, Map<string, { at: number; ctx: Promise<SchoolContext> }>>();

/**
 * `via`: the transaction the caller is in, to read through on a miss (the cache is still the
 * app-wide handle's; a transaction must not wait on a second connection, and PGlite has one).
 */
export function cachedSchoolContext(db: Db, schoolId: string, now = Date.now(), via: Db = db): Promise<SchoolContext> {
	let perDb = schoolContextCache.get(db);
	if (!perDb) {
		perDb = new Map();
		schoolContextCache.set(db, perDb);
	}
	const hit = perDb.get(schoolId);
	if (hit && now - hit.at < SCHOOL_CONTEXT_TTL_MS) return hit.ctx;
	const ctx = loadSchoolContext(via, schoolId);
	perDb.set(schoolId, { at: now, ctx });
	ctx.catch(() => perDb.delete(schoolId));
	return ctx;
}
