/**
 * Development and demo only: "take" this morning's register at the demo school, as its MIS
 * would send it after registration closes, so the staff board's first day contact list has
 * pupils on it at any hour. Goes through the real MIS import (idempotent, amendments recorded).
 * Every 50th pupil (by MIS id) is absent with no reason yet (N); everyone else is present.
 */
import { asc, eq } from 'drizzle-orm';
import { isSchoolDay, localDateOf } from '../../domain/calendar';
import { loadSchoolCalendar } from '../platform/school-calendar';
import type { DatabaseHandle } from '../platform/db/engine';
import { pupils, schools } from '../platform/db/schema';
import { DEMO_SCHOOL } from './seed';
import { importRegisterMarks } from '../features/register-import';

export type DemoRegisterResult =
	| { ok: true; date: string; absent: number; present: number }
	| { ok: false; message: string };

export async function takeDemoMorningRegister(handle: DatabaseHandle, now: Date = new Date()): Promise<DemoRegisterResult> {
	const [school] = await handle.db.select({ id: schools.id, timeZone: schools.timeZone }).from(schools).where(eq(schools.urn, DEMO_SCHOOL.urn));
	if (!school) return { ok: false, message: 'The demo school is not loaded.' };
	const today = localDateOf(now, school.timeZone);
	if (!isSchoolDay(await loadSchoolCalendar(handle.db, school.id), today)) {
		return { ok: false, message: 'Today is not a school day at the demo school.' };
	}
	const roll = await handle.db.select({ misId: pupils.misId }).from(pupils).where(eq(pupils.schoolId, school.id)).orderBy(asc(pupils.misId));
	const marks = roll.map((p, i) => ({ pupilId: p.misId, date: today, session: 'AM', code: i % 50 === 7 ? 'N' : '/' }));
	const result = await importRegisterMarks(handle, {
		schoolId: school.id,
		importedBy: 'dev:demo-register',
		marks: { marks }
	});
	if (result.status !== 'applied') return { ok: false, message: 'The demo register could not be imported.' };
	const absent = marks.filter((m) => m.code === 'N').length;
	return { ok: true, date: today, absent, present: marks.length - absent };
}
