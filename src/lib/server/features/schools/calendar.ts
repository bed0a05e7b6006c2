/**
 * Managing a school's calendar: terms, INSET days, closures and protected periods, entered one
 * by one or imported from CSV or iCalendar, with England's bank holidays added wherever they
 * fall in term. A year whose term dates are not loaded yet is "not published" — never
 * "closed": the school has simply not told us.
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseHandle } from '../../platform/db/engine';
import { protectedPeriods, schoolClosures, schoolTerms, type StaffUser } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { academicYearOf, addDays, compareDates, isWeekend, validateCalendar, type IsoDate, type SchoolCalendar } from '../../../domain/calendar';
import { bankHolidaysBetween, BANK_HOLIDAYS_KNOWN_UNTIL } from '../../../domain/bank-holidays';
import { parseCalendarCsv, parseCalendarIcs, parseCalendarDate, type CalendarEntry } from '../../../domain/calendar-import';
import type { CalendarFileProblem, CalendarRuleProblem } from '../../../domain/calendar-problems';
import type { CalendarServiceProblem } from './problems';

type Actor = Pick<StaffUser, 'id' | 'role' | 'schoolId'>;

/** Who may change the calendar: the school's office, leads and head, or the LA. */
export function canManageCalendar(actor: Actor, schoolId: string): boolean {
	return actor.role === 'la_admin' || (actor.schoolId === schoolId && ['office', 'attendance_lead', 'headteacher', 'school_admin'].includes(actor.role));
}

function yearBounds(academicYear: string): { from: IsoDate; to: IsoDate } {
	const start = Number(academicYear.slice(0, 4));
	return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

export function nextAcademicYear(academicYear: string): string {
	const start = Number(academicYear.slice(0, 4)) + 1;
	return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

export interface CalendarYearView {
	academicYear: string;
	/** No term dates for this year yet: "not published", never "closed". */
	published: boolean;
	terms: { id: string; name: string; startsOn: IsoDate; endsOn: IsoDate }[];
	closures: { id: string; date: IsoDate; sessions: 'AM' | 'PM' | 'BOTH'; kind: 'inset' | 'bank_holiday' | 'closure'; description: string }[];
	protectedPeriods: { id: string; name: string; startsOn: IsoDate; endsOn: IsoDate; yearGroups: number[] | null }[];
}

/** This academic year and the next (and any later one already entered). */
export async function calendarOverview(handle: DatabaseHandle, schoolId: string, today: IsoDate): Promise<CalendarYearView[]> {
	const db = handle.db;
	const terms = await db.select().from(schoolTerms).where(eq(schoolTerms.schoolId, schoolId)).orderBy(asc(schoolTerms.startsOn));
	const closures = await db.select().from(schoolClosures).where(eq(schoolClosures.schoolId, schoolId)).orderBy(asc(schoolClosures.date));
	const periods = await db.select().from(protectedPeriods).where(eq(protectedPeriods.schoolId, schoolId)).orderBy(asc(protectedPeriods.startsOn));
	const current = academicYearOf(today);
	const years = new Set([current, nextAcademicYear(current)]);
	for (const t of terms) if (t.academicYear > current) years.add(t.academicYear);
	return [...years].sort().map((academicYear) => {
		const { from, to } = yearBounds(academicYear);
		const yearTerms = terms.filter((t) => t.academicYear === academicYear);
		return {
			academicYear,
			published: yearTerms.length > 0,
			terms: yearTerms.map((t) => ({ id: t.id, name: t.name, startsOn: t.startsOn, endsOn: t.endsOn })),
			closures: closures.filter((c) => c.date >= from && c.date <= to).map((c) => ({ id: c.id, date: c.date, sessions: c.sessions, kind: c.kind, description: c.description })),
			protectedPeriods: periods.filter((p) => p.startsOn >= from && p.startsOn <= to).map((p) => ({ id: p.id, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn, yearGroups: p.yearGroups ?? null }))
		};
	});
}

/** A problem on the line of the file (or the form: line 0) it is about. */
export type CalendarChangeProblem = { line: number } & (CalendarFileProblem | CalendarRuleProblem | CalendarServiceProblem);

export interface CalendarChangeResult {
	ok: boolean;
	problems: CalendarChangeProblem[];
	/** What was written, when ok. */
	summary?: { terms: number; closures: number; bankHolidays: number; protectedPeriods: number; years: string[] };
}

/** The date (the first one a problem names) and the names that tie a calendar problem to the entry it is about. */
function mentions(p: CalendarRuleProblem): { on: string | undefined; names: string[] } {
	switch (p.code) {
		case 'unknown_time_zone': return { on: undefined, names: [] };
		case 'term_invalid_date': return { on: undefined, names: [p.term] };
		case 'term_ends_before_start': return { on: p.endsOn, names: [p.term] };
		case 'terms_overlap': return { on: undefined, names: [p.first, p.second] };
		case 'closure_invalid_date': return { on: /\d{4}-\d{2}-\d{2}/.exec(p.date)?.[0], names: [p.description] };
		case 'closure_outside_terms': return { on: p.date, names: [] };
	}
}

/** Weekday dates from..to, for closures that span several days. */
function weekdays(from: IsoDate, to: IsoDate): IsoDate[] {
	const out: IsoDate[] = [];
	for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) if (!isWeekend(d)) out.push(d);
	return out;
}

/** Bank holidays that fall on a weekday inside one of the terms. */
function bankHolidaysInTerms(terms: { startsOn: IsoDate; endsOn: IsoDate }[]) {
	return terms.flatMap((t) => bankHolidaysBetween(t.startsOn, t.endsOn)).filter((h) => !isWeekend(h.date));
}

/**
 * Replaces the calendar of every academic year the entries' terms belong to (so importing the
 * same file twice changes nothing, and a corrected file replaces the old one), and adds any
 * other entries. All or nothing: a problem anywhere writes nothing.
 */
export async function applyCalendarEntries(
	handle: DatabaseHandle,
	actor: Actor,
	schoolId: string,
	entries: CalendarEntry[],
	how: { replaceYears: boolean; source: string }
): Promise<CalendarChangeResult> {
	if (!canManageCalendar(actor, schoolId)) return { ok: false, problems: [{ line: 0, code: 'calendar_not_allowed' }] };
	const existing = await loadSchoolCalendar(handle.db, schoolId);
	const newTerms = entries.filter((e) => e.kind === 'term');
	const years = how.replaceYears ? [...new Set(newTerms.map((t) => academicYearOf(t.endsOn)))] : [];
	const inReplaced = (d: IsoDate) => years.includes(academicYearOf(d));
	const keptTerms = existing.terms.filter((t) => !inReplaced(t.endsOn));
	const keptClosures = existing.closures.filter((c) => !inReplaced(c.date));
	const closures = entries
		.filter((e) => e.kind === 'inset' || e.kind === 'closure' || e.kind === 'bank_holiday')
		.flatMap((e) => weekdays(e.startsOn, e.endsOn).map((date) => ({ date, sessions: e.sessions, kind: e.kind as 'inset' | 'closure' | 'bank_holiday', description: e.name, line: e.line })));
	const allTerms = [...keptTerms, ...newTerms.map((t) => ({ name: t.name, startsOn: t.startsOn, endsOn: t.endsOn }))];
	const bankHolidays = bankHolidaysInTerms(newTerms).filter((h) => !closures.some((c) => c.date === h.date));
	const candidate: SchoolCalendar = {
		timeZone: existing.timeZone,
		terms: allTerms,
		closures: [...keptClosures.filter((c) => !closures.some((n) => n.date === c.date)), ...closures]
	};
	const problems: CalendarChangeProblem[] = [];
	for (const p of validateCalendar(candidate)) {
		const { on, names } = mentions(p);
		const entry = entries.find((e) => (on && e.startsOn <= on && on <= e.endsOn) || names.includes(e.name));
		problems.push({ line: entry?.line ?? 0, ...p });
	}
	const dup = new Map<IsoDate, number>();
	for (const c of closures) {
		if (dup.has(c.date) && dup.get(c.date) !== c.line) problems.push({ line: c.line, code: 'closure_already_on_line', date: c.date, otherLine: dup.get(c.date)! });
		dup.set(c.date, c.line);
	}
	const late = newTerms.find((t) => t.endsOn > BANK_HOLIDAYS_KNOWN_UNTIL);
	if (late) problems.push({ line: late.line, code: 'bank_holidays_unknown_after', until: BANK_HOLIDAYS_KNOWN_UNTIL });
	if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };

	await handle.db.transaction(async (tx) => {
		for (const year of years) {
			const { from, to } = yearBounds(year);
			await tx.delete(schoolTerms).where(and(eq(schoolTerms.schoolId, schoolId), eq(schoolTerms.academicYear, year)));
			await tx.delete(schoolClosures).where(and(eq(schoolClosures.schoolId, schoolId), gte(schoolClosures.date, from), lte(schoolClosures.date, to)));
			await tx.delete(protectedPeriods).where(and(eq(protectedPeriods.schoolId, schoolId), gte(protectedPeriods.startsOn, from), lte(protectedPeriods.startsOn, to)));
		}
		if (newTerms.length) {
			await tx.insert(schoolTerms).values(newTerms.map((t) => ({ schoolId, academicYear: academicYearOf(t.endsOn), name: t.name, startsOn: t.startsOn, endsOn: t.endsOn })));
		}
		const closureRows = [
			...closures.map((c) => ({ schoolId, date: c.date, sessions: c.sessions, kind: c.kind, description: c.description })),
			...bankHolidays.map((h) => ({ schoolId, date: h.date, sessions: 'BOTH' as const, kind: 'bank_holiday' as const, description: h.name }))
		];
		for (const row of closureRows) {
			await tx
				.insert(schoolClosures)
				.values(row)
				.onConflictDoUpdate({ target: [schoolClosures.schoolId, schoolClosures.date], set: { sessions: row.sessions, kind: row.kind, description: row.description } });
		}
		const periods = entries.filter((e) => e.kind === 'protected');
		if (periods.length) {
			await tx.insert(protectedPeriods).values(periods.map((p) => ({ schoolId, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn, yearGroups: p.yearGroups })));
		}
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: actor.id,
			action: 'school.calendar_changed',
			schoolId,
			subjectType: 'school',
			subjectId: schoolId,
			details: { source: how.source, years, terms: newTerms.length, closures: closures.length, bankHolidays: bankHolidays.length, protectedPeriods: periods.length }
		});
	});
	return {
		ok: true,
		problems: [],
		summary: { terms: newTerms.length, closures: closures.length, bankHolidays: bankHolidays.length, protectedPeriods: entries.filter((e) => e.kind === 'protected').length, years }
	};
}

/** Imports a CSV or iCalendar file; the academic years its terms belong to are replaced. */
export async function importCalendarFile(
	handle: DatabaseHandle,
	actor: Actor,
	schoolId: string,
	file: { name: string; text: string }
): Promise<CalendarChangeResult> {
	const ics = /\.ics$/i.test(file.name) || file.text.trimStart().startsWith('BEGIN:VCALENDAR');
	const parsed = ics ? parseCalendarIcs(file.text) : parseCalendarCsv(file.text);
	if (parsed.problems.length) return { ok: false, problems: parsed.problems };
	if (parsed.entries.length === 0) return { ok: false, problems: [{ line: 0, code: 'calendar_file_has_no_entries' }] };
	return applyCalendarEntries(handle, actor, schoolId, parsed.entries, { replaceYears: true, source: ics ? 'ics' : 'csv' });
}

const entrySchema = z
	.object({
		kind: z.enum(['term', 'inset', 'closure', 'protected'], { error: 'choose_entry_kind' }),
		name: z.string().trim().max(120, 'entry_name_too_long'),
		startsOn: z.string().transform((v, ctx) => parseCalendarDate(v) ?? (ctx.addIssue({ code: 'custom', message: 'entry_first_day_not_date' }), z.NEVER)),
		endsOn: z.string().optional().transform((v, ctx) => (!v ? null : (parseCalendarDate(v) ?? (ctx.addIssue({ code: 'custom', message: 'entry_last_day_not_date' }), z.NEVER)))),
		sessions: z.enum(['AM', 'PM', 'BOTH']).default('BOTH'),
		yearGroups: z.array(z.coerce.number().int().min(-1).max(13)).default([])
	})
	.superRefine((v, ctx) => {
		if (v.kind !== 'inset' && v.kind !== 'closure' && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'entry_name_missing' });
		if (v.endsOn && v.startsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'entry_last_before_first' });
	});

const ENTRY_CODES: readonly string[] = ['choose_entry_kind', 'entry_name_too_long', 'entry_first_day_not_date', 'entry_last_day_not_date', 'entry_name_missing', 'entry_last_before_first'];

/** The entry form's issue message back to the problem it names (zod's own words for what no form sends). */
function entryProblem(message: string): CalendarServiceProblem {
	return ENTRY_CODES.includes(message) ? ({ code: message } as CalendarServiceProblem) : { code: 'not_accepted', detail: message };
}

/** One entry typed into the calendar page. Adding a term adds its bank holidays too. */
export async function addCalendarEntry(handle: DatabaseHandle, actor: Actor, schoolId: string, input: z.input<typeof entrySchema>): Promise<CalendarChangeResult & { field?: string }> {
	const parsed = entrySchema.safeParse(input);
	if (!parsed.success) {
		const i = parsed.error.issues[0]!;
		return { ok: false, field: String(i.path[0] ?? 'form'), problems: [{ line: 0, ...entryProblem(i.message) }] };
	}
	const v = parsed.data;
	const entry: CalendarEntry = {
		kind: v.kind,
		name: v.name || (v.kind === 'inset' ? 'INSET day' : 'School closed'),
		startsOn: v.startsOn,
		endsOn: v.endsOn ?? v.startsOn,
		sessions: v.kind === 'inset' || v.kind === 'closure' ? v.sessions : 'BOTH',
		yearGroups: v.kind === 'protected' && v.yearGroups.length ? [...new Set(v.yearGroups)].sort((a, b) => a - b) : null,
		line: 0
	};
	return applyCalendarEntries(handle, actor, schoolId, [entry], { replaceYears: false, source: 'form' });
}

/** Removes one term, closure or protected period of the school's own calendar. */
export async function removeCalendarEntry(handle: DatabaseHandle, actor: Actor, schoolId: string, kind: 'term' | 'closure' | 'protected', id: string): Promise<boolean> {
	if (!canManageCalendar(actor, schoolId) || !/^[0-9a-f-]{36}$/i.test(id)) return false;
	const table = kind === 'term' ? schoolTerms : kind === 'closure' ? schoolClosures : protectedPeriods;
	const rows = await handle.db.transaction(async (tx) => {
		const removed = await tx.delete(table).where(and(eq(table.id, id), eq(table.schoolId, schoolId))).returning({ id: table.id });
		if (kind === 'term' && removed.length) {
			// Its INSET days and bank holidays go with it: a closure outside every term means nothing.
			const cal = await loadSchoolCalendar(tx, schoolId);
			const orphans = cal.closures.filter((c) => !cal.terms.some((t) => t.startsOn <= c.date && c.date <= t.endsOn)).map((c) => c.date);
			for (const date of orphans) await tx.delete(schoolClosures).where(and(eq(schoolClosures.schoolId, schoolId), eq(schoolClosures.date, date)));
		}
		return removed;
	});
	if (rows.length) await writeAudit(handle.db, { actorType: 'staff', actorId: actor.id, action: 'school.calendar_changed', schoolId, subjectType: 'school', subjectId: schoolId, details: { source: 'form', removed: kind } });
	return rows.length > 0;
}

