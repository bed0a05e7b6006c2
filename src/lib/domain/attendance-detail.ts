/**
 * The figures on a parent's attendance page (docs/domain-rules.md §3–4, §7), from one child's marks
 * and the school calendar: week-by-week trend, this half term, change since the last half term,
 * lates, data freshness, and a short summary for SMS/Telegram.
 *
 * Pure: no I/O.
 */
import {
	attendancePercent,
	daysFromSessions,
	formatDaysAsWeeks,
	formatPercent,
	missedSessions,
	tallyMarks,
	type Mark,
	type Tally
} from './attendance';
import { compareDates, startOfIsoWeek, addDays, termContaining, type IsoDate, type SchoolCalendar } from './calendar';
import { longDate } from './absence';

export interface WeekPoint {
	/** Monday of the week. */
	weekStart: IsoDate;
	possible: number;
	attended: number;
	/** This week's attendance; null for a week with no possible sessions. */
	percent: number | null;
	/** The year so far up to the end of this week. */
	cumulativePercent: number | null;
}

/** Week-by-week attendance (weeks with marks only), oldest first. */
export function weeklyTrend(marks: readonly Mark[]): WeekPoint[] {
	const byWeek = new Map<IsoDate, Mark[]>();
	for (const m of marks) {
		const w = startOfIsoWeek(m.date);
		const list = byWeek.get(w) ?? [];
		list.push(m);
		byWeek.set(w, list);
	}
	const weeks = [...byWeek.keys()].sort(compareDates);
	let possible = 0;
	let attended = 0;
	return weeks.map((weekStart) => {
		const t = tallyMarks(byWeek.get(weekStart)!);
		possible += t.possible;
		attended += t.attended;
		return {
			weekStart,
			possible: t.possible,
			attended: t.attended,
			percent: attendancePercent(t.attended, t.possible),
			cumulativePercent: attendancePercent(attended, possible)
		};
	});
}

/** The marks from `from` to `to` inclusive. */
export function marksBetween(marks: readonly Mark[], from: IsoDate, to: IsoDate): Mark[] {
	return marks.filter((m) => compareDates(m.date, from) >= 0 && compareDates(m.date, to) <= 0);
}

export interface HalfTermFigures {
	/** The half term containing `asOf` (or the last one before it, in a holiday). */
	name: string;
	startsOn: IsoDate;
	tally: Tally;
	percent: number | null;
	/** Year-to-date attendance at the end of the previous half term; null in the first half term. */
	percentBefore: number | null;
	/** Year-to-date now minus year-to-date before this half term, in percentage points. */
	change: number | null;
}

/** This half term's attendance, and how the year's figure has moved since the last half term ended. */
export function halfTermFigures(marks: readonly Mark[], cal: SchoolCalendar, yearStartsOn: IsoDate, asOf: IsoDate): HalfTermFigures | null {
	const terms = cal.terms.filter((t) => compareDates(t.startsOn, yearStartsOn) >= 0 && compareDates(t.startsOn, asOf) <= 0);
	const term = termContaining(cal, asOf) ?? terms[terms.length - 1];
	if (!term) return null;
	const inTerm = tallyMarks(marksBetween(marks, term.startsOn, asOf));
	const before = tallyMarks(marksBetween(marks, yearStartsOn, addDays(term.startsOn, -1)));
	const yearNow = tallyMarks(marksBetween(marks, yearStartsOn, asOf));
	const percentBefore = attendancePercent(before.attended, before.possible);
	const percentNow = attendancePercent(yearNow.attended, yearNow.possible);
	return {
		name: term.name,
		startsOn: term.startsOn,
		tally: inTerm,
		percent: attendancePercent(inTerm.attended, inTerm.possible),
		percentBefore,
		change: percentBefore !== null && percentNow !== null ? Math.round((percentNow - percentBefore) * 10) / 10 : null
	};
}

/** Supportive words for a change: celebrated when up, gentle when down, nothing when steady. */
export function changeText(change: number | null, halfTermName: string): string | null {
	if (change === null || Math.abs(change) < 0.1) return null;
	const points = `${Math.abs(change).toFixed(1)} ${Math.abs(change) === 1 ? 'point' : 'points'}`;
	return change > 0
		? `Up ${points} since the start of ${halfTermName}. Well done!`
		: `Down ${points} since the start of ${halfTermName}. Every day from now on helps it climb back.`;
}

/** 'Register data to Friday 13 November 2026': the last day with a mark. */
export function freshnessText(lastMarkDate: IsoDate | null): string {
	return lastMarkDate ? `Register data to ${longDate(lastMarkDate)}` : 'No register data yet';
}

/** Lates: `L` (late, before the register closed: counts as present) and `U` (after it closed: unauthorised). */
export function latesSummary(t: Tally): { beforeClose: number; afterClose: number; minutes: number } {
	return { beforeClose: t.lateBeforeClose, afterClose: t.lateAfterClose, minutes: t.minutesLate };
}

/**
 * The bot's answer to "attendance": one or two SMS segments, supportive, no codes. For example:
 * "Sam: 93.2% this year (2026/27), 4½ days missed so far. Register data to Friday 13 November 2026."
 */
export function attendanceSummaryText(input: {
	childName: string;
	academicYear: string;
	tally: Pick<Tally, 'possible' | 'attended'>;
	lastMarkDate: IsoDate | null;
	change?: string | null;
}): string {
	const percent = attendancePercent(input.tally.attended, input.tally.possible);
	if (percent === null) return `${input.childName}: no register marks yet this year.`;
	const days = daysFromSessions(missedSessions(input.tally));
	return [
		`${input.childName}: ${formatPercent(percent)} this year (${input.academicYear}), ${formatDaysAsWeeks(days)} missed so far.`,
		input.change ?? null,
		`${freshnessText(input.lastMarkDate)}.`
	]
		.filter(Boolean)
		.join(' ');
}
