/**
 * School calendar rules: terms (half terms), closures (INSET, bank holidays, other closures),
 * school days and sessions, academic years, rolling school weeks, register windows across
 * BST/GMT changes, and the "N must be resolved within 5 school days" rule (docs/domain-rules.md §3, §5, §7).
 *
 * Calendar dates are ISO date strings ('YYYY-MM-DD') and all date arithmetic on them is done on
 * UTC midnights, so the result never depends on the machine's time zone. Wall-clock instants
 * (register windows, report timing) go through `@date-fns/tz`, never hand-rolled offsets.
 *
 * Pure: no I/O, no framework imports.
 */
import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns';
import type { CalendarRuleProblem } from './calendar-problems';

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A register session: morning or afternoon. */
export type Session = 'AM' | 'PM';

export const SESSIONS: readonly Session[] = ['AM', 'PM'];

/** A half term, e.g. "Autumn 1". Both dates inclusive. Holidays are the gaps between terms. */
export interface Term {
	name: string;
	startsOn: IsoDate;
	endsOn: IsoDate;
}

/** A day or half day inside a term when the school is not open to pupils. */
export interface Closure {
	date: IsoDate;
	sessions: 'AM' | 'PM' | 'BOTH';
	kind: 'inset' | 'bank_holiday' | 'closure';
	description: string;
}

export interface SchoolCalendar {
	/** IANA zone, normally 'Europe/London'. */
	timeZone: string;
	terms: Term[];
	closures: Closure[];
}

/** Register open/close times, local wall clock 'HH:MM' (a trailing ':SS' as stored by PostgreSQL `time` is accepted). */
export interface RegisterTimes {
	AM: { opens: string; closes: string };
	PM: { opens: string; closes: string };
}

export const DEFAULT_TIME_ZONE = 'Europe/London';

const DAY_MS = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// IsoDate basics (UTC arithmetic)
// ---------------------------------------------------------------------------------------------

/** True for a real calendar date written exactly 'YYYY-MM-DD' (so '2026-02-30' is false). */
export function isValidIsoDate(value: unknown): value is IsoDate {
	if (typeof value !== 'string') return false;
	const m = ISO_DATE_RE.exec(value);
	if (!m) return false;
	const y = Number(m[1]);
	const mo = Number(m[2]);
	const d = Number(m[3]);
	if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
	const t = new Date(Date.UTC(y, mo - 1, d));
	t.setUTCFullYear(y); // Date.UTC maps years 0..99 to 1900..1999
	return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function assertIsoDate(value: IsoDate, label = 'date'): void {
	if (!isValidIsoDate(value)) {
		throw new RangeError(`Invalid ${label} "${String(value)}": expected a real date as YYYY-MM-DD`);
	}
}

/** Days since 1970-01-01 (UTC) for a valid IsoDate. */
function toDayNumber(date: IsoDate): number {
	assertIsoDate(date);
	const y = Number(date.slice(0, 4));
	const mo = Number(date.slice(5, 7));
	const d = Number(date.slice(8, 10));
	const t = new Date(0);
	t.setUTCFullYear(y, mo - 1, d);
	return Math.round(t.getTime() / DAY_MS);
}

function fromDayNumber(day: number): IsoDate {
	const t = new Date(day * DAY_MS);
	const y = t.getUTCFullYear();
	const yyyy = y < 0 ? '-' + String(-y).padStart(6, '0') : String(y).padStart(4, '0');
	return `${yyyy}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
	if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
	return fromDayNumber(toDayNumber(date) + n);
}

/** -1, 0 or 1 (usable as an Array.sort comparator). */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
	const x = toDayNumber(a);
	const y = toDayNumber(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
	return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function dayOfWeek(date: IsoDate): number {
	// 1970-01-01 was a Thursday (4).
	return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
	const d = dayOfWeek(date);
	return d === 0 || d === 6;
}

/** The Monday of the ISO week (Mon–Sun) containing `date`. */
export function startOfIsoWeek(date: IsoDate): IsoDate {
	const dow = dayOfWeek(date); // Sun=0
	const back = dow === 0 ? 6 : dow - 1;
	return addDays(date, -back);
}

// ---------------------------------------------------------------------------------------------
// Terms, closures, school days and sessions
// ---------------------------------------------------------------------------------------------

/** The term whose inclusive range contains `date`, if any (first match in `cal.terms`). */
export function termContaining(cal: SchoolCalendar, date: IsoDate): Term | undefined {
	const day = toDayNumber(date);
	return cal.terms.find((t) => toDayNumber(t.startsOn) <= day && day <= toDayNumber(t.endsOn));
}

function closedSessionsFrom(closures: readonly Closure[], date: IsoDate): Set<Session> {
	const closed = new Set<Session>();
	for (const c of closures) {
		if (c.date !== date) continue;
		if (c.sessions === 'BOTH') {
			closed.add('AM');
			closed.add('PM');
		} else {
			closed.add(c.sessions);
		}
	}
	return closed;
}

type ClosureIndex = Map<IsoDate, Set<Session>>;

function buildClosureIndex(closures: readonly Closure[]): ClosureIndex {
	const index: ClosureIndex = new Map();
	for (const c of closures) {
		assertIsoDate(c.date, 'closure date');
		let set = index.get(c.date);
		if (!set) {
			set = new Set();
			index.set(c.date, set);
		}
		if (c.sessions === 'BOTH') {
			set.add('AM');
			set.add('PM');
		} else {
			set.add(c.sessions);
		}
	}
	return index;
}

interface TermSpan {
	start: number;
	end: number;
}

function termSpans(cal: SchoolCalendar): TermSpan[] {
	return cal.terms
		.map((t) => ({ start: toDayNumber(t.startsOn), end: toDayNumber(t.endsOn) }))
		.filter((s) => s.start <= s.end)
		.sort((a, b) => a.start - b.start);
}

function sessionsFor(day: number, spans: readonly TermSpan[], closed: ClosureIndex): Session[] {
	const dow = (((day + 4) % 7) + 7) % 7;
	if (dow === 0 || dow === 6) return [];
	if (!spans.some((s) => s.start <= day && day <= s.end)) return [];
	const shut = closed.get(fromDayNumber(day));
	if (!shut) return ['AM', 'PM'];
	return SESSIONS.filter((s) => !shut.has(s));
}

/**
 * The register sessions held on `date`: a weekday inside a term, minus any closures on that
 * date. A half-day closure ('AM' or 'PM') removes one session; 'BOTH' removes the day.
 * Several closures on one date combine.
 */
export function schoolSessionsOn(cal: SchoolCalendar, date: IsoDate): Session[] {
	if (isWeekend(date)) return [];
	if (!termContaining(cal, date)) return [];
	const shut = closedSessionsFrom(cal.closures, date);
	return SESSIONS.filter((s) => !shut.has(s));
}

/** At least one session is held on `date` (so a half-day closure is still a school day). */
export function isSchoolDay(cal: SchoolCalendar, date: IsoDate): boolean {
	return schoolSessionsOn(cal, date).length > 0;
}

/** School days from `from` to `to`, both inclusive, in order. Empty when `from` > `to`. */
export function schoolDaysBetween(cal: SchoolCalendar, from: IsoDate, to: IsoDate): IsoDate[] {
	return schoolSessionsBetweenGrouped(cal, from, to).map((d) => d.date);
}

function schoolSessionsBetweenGrouped(
	cal: SchoolCalendar,
	from: IsoDate,
	to: IsoDate
): { date: IsoDate; sessions: Session[] }[] {
	const a = toDayNumber(from);
	const b = toDayNumber(to);
	const out: { date: IsoDate; sessions: Session[] }[] = [];
	if (a > b) return out;
	const spans = termSpans(cal);
	const closed = buildClosureIndex(cal.closures);
	for (const span of spans) {
		const lo = Math.max(a, span.start);
		const hi = Math.min(b, span.end);
		for (let day = lo; day <= hi; day++) {
			const sessions = sessionsFor(day, spans, closed);
			if (sessions.length > 0) out.push({ date: fromDayNumber(day), sessions });
		}
	}
	// Overlapping terms (a data error) must not double count a day.
	out.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
	return out.filter((d, i) => i === 0 || out[i - 1]?.date !== d.date);
}

/** Every register session from `from` to `to`, both inclusive, in order (AM before PM). */
export function schoolSessionsBetween(
	cal: SchoolCalendar,
	from: IsoDate,
	to: IsoDate
): { date: IsoDate; session: Session }[] {
	return schoolSessionsBetweenGrouped(cal, from, to).flatMap((d) =>
		d.sessions.map((session) => ({ date: d.date, session }))
	);
}

/** Number of register sessions from `from` to `to` inclusive. */
export function countSchoolSessions(cal: SchoolCalendar, from: IsoDate, to: IsoDate): number {
	return schoolSessionsBetween(cal, from, to).length;
}

/** School days from `from` to `to` inclusive: a whole day counts 1, a half day 0.5. */
export function countSchoolDays(cal: SchoolCalendar, from: IsoDate, to: IsoDate): number {
	return countSchoolSessions(cal, from, to) / 2;
}

// ---------------------------------------------------------------------------------------------
// Academic years
// ---------------------------------------------------------------------------------------------

/** '2026/27' for any date from 1 September 2026 to 31 August 2027. */
export function academicYearOf(date: IsoDate): string {
	assertIsoDate(date);
	const y = Number(date.slice(0, 4));
	const m = Number(date.slice(5, 7));
	const start = m >= 9 ? y : y - 1;
	return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * First term start and last term end of the academic year containing `date`, taken from the
 * calendar. A term belongs to the academic year of its end date (so an autumn term that starts
 * in the last days of August still belongs to the new year); when `date` falls inside a term,
 * that term's year is used. When the calendar has no terms for that year, falls back to
 * 1 September – 31 August and sets `fromCalendar: false`.
 */
export function academicYearBounds(
	cal: SchoolCalendar,
	date: IsoDate
): { startsOn: IsoDate; endsOn: IsoDate; academicYear: string; fromCalendar: boolean } {
	const containing = termContaining(cal, date);
	const year = academicYearOf(containing ? containing.endsOn : date);
	const terms = cal.terms.filter((t) => academicYearOf(t.endsOn) === year);
	if (terms.length === 0) {
		const startYear = Number(year.slice(0, 4));
		return {
			startsOn: `${String(startYear).padStart(4, '0')}-09-01`,
			endsOn: `${String(startYear + 1).padStart(4, '0')}-08-31`,
			academicYear: year,
			fromCalendar: false
		};
	}
	let startsOn = terms[0]!.startsOn;
	let endsOn = terms[0]!.endsOn;
	for (const t of terms) {
		if (compareDates(t.startsOn, startsOn) < 0) startsOn = t.startsOn;
		if (compareDates(t.endsOn, endsOn) > 0) endsOn = t.endsOn;
	}
	return { startsOn, endsOn, academicYear: year, fromCalendar: true };
}

/**
 * Is the school open on `date` for a meeting or a review with a family? In a year whose term
 * dates are published, on a school day (not a holiday, an INSET day or a weekend); in a year
 * not yet published, on any weekday, since its holidays are not known yet.
 */
export function schoolOpenOn(cal: SchoolCalendar, date: IsoDate): boolean {
	return calendarPublishedFor(cal, date) ? isSchoolDay(cal, date) : !isWeekend(date);
}

/** Has the school published its term dates for the academic year `date` falls in? */
export function calendarPublishedFor(cal: SchoolCalendar, date: IsoDate): boolean {
	return academicYearBounds(cal, date).fromCalendar;
}

/**
 * The sessions from `from` to `to`: from the calendar where the school has published that year's
 * dates, and every weekday (both sessions) where it has not yet — provisional, to be checked
 * against the calendar when it arrives. `unpublished` lists the academic years not yet known.
 */
export function sessionsKnownOrNot(
	cal: SchoolCalendar,
	from: IsoDate,
	to: IsoDate
): { sessions: { date: IsoDate; session: Session }[]; unpublished: string[] } {
	const sessions: { date: IsoDate; session: Session }[] = [];
	const unpublished: string[] = [];
	// One academic year (1 September – 31 August) at a time.
	for (let start = from; compareDates(start, to) <= 0; ) {
		const year = academicYearOf(start);
		const yearEnd = `${year.slice(0, 4).replace(/^\d+$/, (y) => String(Number(y) + 1).padStart(4, '0'))}-08-31`;
		const end = compareDates(yearEnd, to) < 0 ? yearEnd : to;
		if (calendarPublishedFor(cal, start)) {
			sessions.push(...schoolSessionsBetween(cal, start, end));
		} else {
			unpublished.push(year);
			for (let d = start; compareDates(d, end) <= 0; d = addDays(d, 1)) {
				if (!isWeekend(d)) sessions.push({ date: d, session: 'AM' }, { date: d, session: 'PM' });
			}
		}
		start = addDays(end, 1);
	}
	return { sessions, unpublished };
}

// ---------------------------------------------------------------------------------------------
// Stepping through school days
// ---------------------------------------------------------------------------------------------

/**
 * The n-th school day after `date` (n > 0) or before it (n < 0); `date` itself for n = 0
 * (whether or not it is a school day). `date` itself is never counted as one of the n days.
 * Returns undefined when the calendar has no more school days in that direction (e.g. the
 * next academic year's terms are not loaded yet).
 */
export function addSchoolDays(cal: SchoolCalendar, date: IsoDate, n: number): IsoDate | undefined {
	if (!Number.isInteger(n)) throw new RangeError(`addSchoolDays: n must be an integer, got ${n}`);
	let day = toDayNumber(date);
	if (n === 0) return date;
	const spans = termSpans(cal);
	if (spans.length === 0) return undefined;
	const closed = buildClosureIndex(cal.closures);
	const first = spans[0]!.start;
	const last = Math.max(...spans.map((s) => s.end));
	const step = n > 0 ? 1 : -1;
	let remaining = Math.abs(n);
	while (remaining > 0) {
		day += step;
		if (step > 0 && day > last) return undefined;
		if (step < 0 && day < first) return undefined;
		if (sessionsFor(day, spans, closed).length > 0) remaining--;
	}
	return fromDayNumber(day);
}

/** The first school day strictly after `date`, or undefined if the calendar has none. */
export function nextSchoolDay(cal: SchoolCalendar, date: IsoDate): IsoDate | undefined {
	return addSchoolDays(cal, date, 1);
}

/** The last school day strictly before `date`, or undefined if the calendar has none. */
export function previousSchoolDay(cal: SchoolCalendar, date: IsoDate): IsoDate | undefined {
	return addSchoolDays(cal, date, -1);
}

// ---------------------------------------------------------------------------------------------
// School weeks (rolling windows)
// ---------------------------------------------------------------------------------------------

/**
 * The last `n` ISO weeks (Monday–Sunday) that contain at least one school session, ending with
 * the week containing `asOf` and going back in time, oldest first. Weeks without any session
 * (holidays, a week of closures) are skipped, so the window spans half terms and terms. If the
 * week containing `asOf` has no sessions (asOf is in a holiday) it is not included: the window
 * ends with the latest school week before it. Returns fewer than n weeks when the calendar
 * runs out.
 */
export function schoolWeeksEndingAt(
	cal: SchoolCalendar,
	asOf: IsoDate,
	n: number
): { weekStart: IsoDate; weekEnd: IsoDate }[] {
	if (!Number.isInteger(n) || n < 0) {
		throw new RangeError(`schoolWeeksEndingAt: n must be a non-negative integer, got ${n}`);
	}
	const spans = termSpans(cal);
	const out: { weekStart: IsoDate; weekEnd: IsoDate }[] = [];
	if (n === 0 || spans.length === 0) return out;
	const closed = buildClosureIndex(cal.closures);
	const first = spans[0]!.start;
	let monday = toDayNumber(startOfIsoWeek(asOf));
	while (out.length < n && monday + 6 >= first) {
		let hasSession = false;
		for (let d = monday; d <= monday + 4 && !hasSession; d++) {
			hasSession = sessionsFor(d, spans, closed).length > 0;
		}
		if (hasSession) {
			out.push({ weekStart: fromDayNumber(monday), weekEnd: fromDayNumber(monday + 6) });
		}
		monday -= 7;
	}
	return out.reverse();
}

// ---------------------------------------------------------------------------------------------
// Overdue N
// ---------------------------------------------------------------------------------------------

/** School days an `N` may stay unresolved before it must become `O` (docs/domain-rules.md §3). */
export const N_RESOLUTION_SCHOOL_DAYS = 5;

/**
 * School days that have passed since `markDate`: the school days d with markDate < d ≤ today.
 * The mark's own day is not counted; `today` is counted when it is a school day. A half-day
 * closure day still counts as one school day; weekends, holidays and whole-day closures
 * (INSET, bank holidays) do not count.
 */
export function schoolDaysSince(cal: SchoolCalendar, markDate: IsoDate, today: IsoDate): number {
	if (compareDates(today, markDate) <= 0) return 0;
	return schoolDaysBetween(cal, addDays(markDate, 1), today).length;
}

/**
 * The last school day on which an `N` recorded on `markDate` may still be resolved: the 5th
 * school day after markDate. Undefined when the calendar does not reach that far.
 */
export function nResolutionDeadline(cal: SchoolCalendar, markDate: IsoDate): IsoDate | undefined {
	return addSchoolDays(cal, markDate, N_RESOLUTION_SCHOOL_DAYS);
}

/**
 * An `N` is overdue when more than 5 school days have passed since `markDate` — i.e. when
 * {@link schoolDaysSince} (school days after markDate up to and including today) is 6 or more.
 * Example: an N on Monday 5 Oct 2026 may be resolved up to and including Monday 12 Oct (Tue,
 * Wed, Thu, Fri, Mon are the 5 school days) and is overdue from Tuesday 13 Oct. A weekend,
 * holiday or INSET day in between extends the deadline.
 */
export function isOverdueN(cal: SchoolCalendar, markDate: IsoDate, today: IsoDate): boolean {
	return schoolDaysSince(cal, markDate, today) > N_RESOLUTION_SCHOOL_DAYS;
}

// ---------------------------------------------------------------------------------------------
// Wall-clock times and register windows (time zones via @date-fns/tz)
// ---------------------------------------------------------------------------------------------

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Parse 'HH:MM' (or 'HH:MM:SS', seconds ignored) to minutes after midnight. Throws on bad input. */
export function parseTimeOfDay(value: string): number {
	const m = HHMM_RE.exec(typeof value === 'string' ? value.trim() : '');
	if (!m) throw new RangeError(`Invalid time "${String(value)}": expected HH:MM (24-hour)`);
	return Number(m[1]) * 60 + Number(m[2]);
}

// Building an Intl.DateTimeFormat costs about 150 µs and every report checks its school's zone
// several times: each answer is kept (a deployment has a handful of zones; the cache stays small
// because only the first 64 distinct names are kept).
const timeZoneValidity = new Map<string, boolean>();

export function isValidTimeZone(timeZone: string): boolean {
	if (typeof timeZone !== 'string' || timeZone.trim() === '') return false;
	const known = timeZoneValidity.get(timeZone);
	if (known !== undefined) return known;
	let valid: boolean;
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone });
		valid = true;
	} catch {
		valid = false;
	}
	if (timeZoneValidity.size < 64) timeZoneValidity.set(timeZone, valid);
	return valid;
}

function assertTimeZone(timeZone: string): void {
	if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${String(timeZone)}"`);
}

/**
 * The real instant of a local wall-clock time on a calendar date in `timeZone`
 * (e.g. 09:15 on 2026-10-01 in Europe/London is 08:15Z during BST, 09:15Z in GMT).
 */
export function zonedInstant(timeZone: string, date: IsoDate, time: string): Date {
	const key = `${timeZone}|${date}|${time}`;
	const known = zonedInstants.get(key);
	if (known !== undefined) return new Date(known);
	assertIsoDate(date);
	assertTimeZone(timeZone);
	const minutes = parseTimeOfDay(time);
	const y = Number(date.slice(0, 4));
	const mo = Number(date.slice(5, 7));
	const d = Number(date.slice(8, 10));
	const local = new TZDate(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60, 0, 0, timeZone);
	// The answer never changes, and at the morning peak every report asks for the same few
	// (each school's register times on the next days): the time-zone arithmetic is done once.
	if (zonedInstants.size >= ZONED_INSTANT_CACHE_SIZE) zonedInstants.clear();
	zonedInstants.set(key, local.getTime());
	return new Date(local.getTime());
}
const ZONED_INSTANT_CACHE_SIZE = 4096;
const zonedInstants = new Map<string, number>();

/**
 * When the `session` register opens and closes on `date`, as real instants, for the school's
 * local times in `timeZone`. Throws when the closing time is not after the opening time.
 */
export function registerWindow(
	timeZone: string,
	date: IsoDate,
	session: Session,
	times: RegisterTimes
): { opensAt: Date; closesAt: Date } {
	const t = times[session];
	if (!t) throw new RangeError(`Unknown session "${String(session)}"`);
	if (parseTimeOfDay(t.closes) <= parseTimeOfDay(t.opens)) {
		throw new RangeError(
			`${session} register must close after it opens (opens ${t.opens}, closes ${t.closes})`
		);
	}
	return {
		opensAt: zonedInstant(timeZone, date, t.opens),
		closesAt: zonedInstant(timeZone, date, t.closes)
	};
}

/** The calendar date of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): IsoDate {
	assertTimeZone(timeZone);
	const ms = instant.getTime();
	if (Number.isNaN(ms)) throw new RangeError('Invalid instant');
	// Since 1972 every zone's offset is a whole number of minutes, so every instant of one UTC
	// minute has the same local date: the last answer per zone serves the rest of that minute
	// (most calls ask about now, and the formatting is the costly part).
	if (ms < WHOLE_MINUTE_OFFSETS_FROM) return format(instant, 'yyyy-MM-dd', { in: tz(timeZone) });
	const minute = Math.floor(ms / 60_000);
	const last = lastLocalDate.get(timeZone);
	if (last && last.minute === minute) return last.date;
	const date = format(instant, 'yyyy-MM-dd', { in: tz(timeZone) });
	if (lastLocalDate.size < 64 || last) lastLocalDate.set(timeZone, { minute, date });
	return date;
}
const lastLocalDate = new Map<string, { minute: number; date: IsoDate }>();
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1972, 0, 1);

/** The wall-clock time 'HH:MM' (24-hour) of `instant` in `timeZone`. */
export function localTimeOf(instant: Date, timeZone: string): string {
	assertTimeZone(timeZone);
	if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid instant');
	return format(instant, 'HH:mm', { in: tz(timeZone) });
}

export type ReportTiming = 'early' | 'on_time' | 'late';

/**
 * How an absence report made at `instant` for `session` on `date` relates to that session's
 * register (docs/domain-rules.md §5):
 * - 'early'   — before the register opens (e.g. the evening before, or for a future day);
 * - 'on_time' — while the register is open: opensAt ≤ instant < closesAt;
 * - 'late'    — at or after the register closes (accepted, but the parent is told the school
 *               may call).
 * Both 'early' and 'on_time' count as reported in time; see {@link isReportInTime}.
 */
export function reportTiming(
	instant: Date,
	timeZone: string,
	date: IsoDate,
	session: Session,
	times: RegisterTimes
): ReportTiming {
	if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid instant');
	const { opensAt, closesAt } = registerWindow(timeZone, date, session, times);
	const t = instant.getTime();
	if (t < opensAt.getTime()) return 'early';
	if (t < closesAt.getTime()) return 'on_time';
	return 'late';
}

/** 'early' and 'on_time' reports were made before the register closed. */
export function isReportInTime(timing: ReportTiming): boolean {
	return timing !== 'late';
}

// ---------------------------------------------------------------------------------------------
// Calendar validation (for imports, seeds and settings forms)
// ---------------------------------------------------------------------------------------------

/**
 * Problems with a calendar, as codes with their values (empty when it is usable): invalid dates, a term
 * ending before it starts, overlapping terms, a closure outside every term, an unknown zone.
 */
export function validateCalendar(cal: SchoolCalendar): CalendarRuleProblem[] {
	const problems: CalendarRuleProblem[] = [];
	if (!isValidTimeZone(cal.timeZone)) problems.push({ code: 'unknown_time_zone', timeZone: cal.timeZone });
	const good: Term[] = [];
	for (const t of cal.terms) {
		if (!isValidIsoDate(t.startsOn) || !isValidIsoDate(t.endsOn)) {
			problems.push({ code: 'term_invalid_date', term: t.name });
		} else if (compareDates(t.endsOn, t.startsOn) < 0) {
			problems.push({ code: 'term_ends_before_start', term: t.name, startsOn: t.startsOn, endsOn: t.endsOn });
		} else {
			good.push(t);
		}
	}
	const sorted = [...good].sort((a, b) => compareDates(a.startsOn, b.startsOn));
	for (let i = 1; i < sorted.length; i++) {
		const prev = sorted[i - 1]!;
		const cur = sorted[i]!;
		if (compareDates(cur.startsOn, prev.endsOn) <= 0) {
			problems.push({ code: 'terms_overlap', first: prev.name, second: cur.name });
		}
	}
	for (const c of cal.closures) {
		if (!isValidIsoDate(c.date)) {
			problems.push({ code: 'closure_invalid_date', description: c.description, date: c.date });
		} else if (!good.some((t) => compareDates(t.startsOn, c.date) <= 0 && compareDates(c.date, t.endsOn) <= 0)) {
			problems.push({ code: 'closure_outside_terms', date: c.date, what: c.description || c.kind });
		}
	}
	return problems;
}
