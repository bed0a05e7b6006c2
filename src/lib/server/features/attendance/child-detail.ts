/**
 * Everything on a parent's attendance page for one child: computed by the domain
 * rules from the child's marks this academic year and the school's calendar. Only for a
 * guardian linked to the child (null otherwise: callers answer 404).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import {
	BAND_INFO,
	attendancePercent,
	bandFor,
	daysFromSessions,
	daysMissedForPercent,
	formatDays,
	formatDaysAsWeeks,
	formatPercent,
	latenessTimeLost,
	learningDayMinutes,
	DEFAULT_SCHOOL_DAY_MINUTES,
	lessonsLost,
	missedSessions,
	projectToYearEnd,
	schoolCareerTimeLost,
	tallyMarks,
	timeLostTable,
	rollingWindowBounds,
	unauthorisedInRollingWindow,
	PENALTY_NOTICE,
	type Band,
	type Mark
} from '../../../domain/attendance';
import {
	attendanceSummaryText,
	changeText,
	freshnessText,
	halfTermFigures,
	latesSummary,
	weeklyTrend
} from '../../../domain/attendance-detail';
import {
	academicYearBounds,
	addDays,
	compareDates,
	countSchoolDays,
	countSchoolSessions,
	localDateOf,
	type IsoDate
} from '../../../domain/calendar';
import { CODE_MEANINGS, type AttendanceCode } from '../../../domain/codes';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { linkedChild } from './children';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { attendanceMarks, pupils, schools } from '../../platform/db/schema';
import { ofCompulsorySchoolAgeDuring } from '../../../domain/school-age';
import { childFirstName } from '../../../domain/pupils';

export interface CalendarDay {
	date: IsoDate;
	am: { code: string; meaning: string } | null;
	pm: { code: string; meaning: string } | null;
}

export async function childAttendanceDetail(handle: DatabaseHandle | Db, guardianId: string, pupilId: string, now: Date = new Date()) {
	const db = 'db' in handle ? handle.db : handle;
	const child = await linkedChild(db, guardianId, pupilId);
	if (!child) return null;
	const cal = await loadSchoolCalendar(db, child.schoolId);
	const [school] = await db
		.select({
			lessonsPerDay: schools.lessonsPerDay,
			timeLostPercents: schools.timeLostPercents,
			amRegisterOpens: schools.amRegisterOpens,
			schoolDayEnds: schools.schoolDayEnds
		})
		.from(schools)
		.where(eq(schools.id, child.schoolId));
	const [age] = await db.select({ dateOfBirth: pupils.dateOfBirth, yearGroup: pupils.yearGroup }).from(pupils).where(eq(pupils.id, pupilId));
	const today = localDateOf(now, cal.timeZone);
	const year = academicYearBounds(cal, today);
	const to = compareDates(today, year.endsOn) < 0 ? today : year.endsOn;

	// The penalty window can reach back into last school year (September looks back to July),
	// so load from whichever starts first; every other figure is this academic year's only.
	const windowBounds = rollingWindowBounds(cal, to);
	const loadFrom = compareDates(windowBounds.windowStart, year.startsOn) < 0 ? windowBounds.windowStart : year.startsOn;
	const rows = await db
		.select({ date: attendanceMarks.date, session: attendanceMarks.session, code: attendanceMarks.code, minutesLate: attendanceMarks.minutesLate })
		.from(attendanceMarks)
		.where(and(eq(attendanceMarks.pupilId, pupilId), sql`${attendanceMarks.date} >= ${loadFrom}::date`, sql`${attendanceMarks.date} <= ${to}::date`))
		.orderBy(asc(attendanceMarks.date), asc(attendanceMarks.session));
	const windowMarks: Mark[] = rows.map((r) => ({ ...r, code: r.code as AttendanceCode }));
	const marks = windowMarks.filter((m) => compareDates(m.date, year.startsOn) >= 0);
	const tally = tallyMarks(marks);
	const percent = attendancePercent(tally.attended, tally.possible);
	const band: Band | null = bandFor(tally.attended, tally.possible);
	const info = band ? BAND_INFO[band] : null;
	const lastMarkDate = marks.at(-1)?.date ?? null;
	const missed = missedSessions(tally);

	const schoolDaysInYear = countSchoolDays(cal, year.startsOn, year.endsOn);
	const after = lastMarkDate ?? addDays(year.startsOn, -1);
	const remaining = compareDates(after, year.endsOn) < 0 ? countSchoolSessions(cal, addDays(after, 1), year.endsOn) : 0;
	const projection = projectToYearEnd(tally, remaining);
	const halfTerm = halfTermFigures(marks, cal, year.startsOn, to);
	const window = unauthorisedInRollingWindow(windowMarks, cal, to);
	const firstName = childFirstName(child);

	const days = new Map<IsoDate, CalendarDay>();
	for (const m of marks) {
		const day = days.get(m.date) ?? { date: m.date, am: null, pm: null };
		const entry = { code: m.code, meaning: CODE_MEANINGS[m.code]?.parent ?? m.code };
		if (m.session === 'AM') day.am = entry;
		else day.pm = entry;
		days.set(m.date, day);
	}

	const ownRow =
		percent === null
			? null
			: { percent: Math.round(percent * 10) / 10, daysMissed: daysMissedForPercent(Math.round(percent * 10) / 10, schoolDaysInYear) };
	const change = halfTerm ? changeText(halfTerm.change, halfTerm.name) : null;

	return {
		child,
		firstName,
		academicYear: year.academicYear,
		from: year.startsOn,
		to,
		lastMarkDate,
		freshness: freshnessText(lastMarkDate),
		tally,
		percent,
		percentText: formatPercent(percent),
		band,
		parentLabel: info?.parentLabel ?? null,
		parentMessage: info?.parentMessage ?? null,
		parentNextSteps: info ? [...info.parentNextSteps] : [],
		daysMissed: daysFromSessions(missed),
		daysMissedText: formatDaysAsWeeks(daysFromSessions(missed)),
		authorisedDaysText: formatDays(daysFromSessions(tally.authorisedAbsence)),
		unauthorisedDaysText: formatDays(daysFromSessions(tally.unauthorisedAbsence)),
		lessonsMissed: Math.round(lessonsLost(missed, school?.lessonsPerDay ?? 5)),
		lates: latesSummary(tally),
		// Lateness as time lost: the child's own minutes a late day, over this school's year, in
		// days of this school's own length (register opening to the end of the day).
		lateness: (() => {
			const l = latesSummary(tally);
			const lateMarks = l.beforeClose + l.afterClose;
			if (lateMarks === 0 || l.minutes === 0) return null;
			const perDay = Math.round(l.minutes / lateMarks);
			const dayMinutes = (school && learningDayMinutes(school.amRegisterOpens, school.schoolDayEnds)) ?? DEFAULT_SCHOOL_DAY_MINUTES;
			return { minutesPerDay: perDay, daysAYear: latenessTimeLost(perDay, schoolDaysInYear, dayMinutes).schoolDaysRounded };
		})(),
		halfTerm: halfTerm
			? { name: halfTerm.name, percentText: formatPercent(halfTerm.percent), change: halfTerm.change, changeText: change }
			: null,
		trend: weeklyTrend(marks),
		projection: {
			remainingSessions: remaining,
			daysMissed: projection.projectedDaysMissed,
			daysMissedText: projection.projectedDaysMissed === null ? null : formatDaysAsWeeks(projection.projectedDaysMissed)
		},
		schoolDaysInYear,
		// The percentages the school's own letters quote (Lanercost: 97, 95 and 90), for its own year length.
		timeLost: timeLostTable(schoolDaysInYear, school?.timeLostPercents?.length ? school.timeLostPercents : undefined),
		ownRow: ownRow ? { ...ownRow, text: formatDaysAsWeeks(ownRow.daysMissed) } : null,
		career: percent === null ? null : schoolCareerTimeLost(Math.round(percent * 10) / 10),
		// Penalty notices are only for children of compulsory school age: not for Nursery, nor a
		// Reception child before the prescribed day after their fifth birthday.
		penaltyWindow:
			window.count > 0 && age && ofCompulsorySchoolAgeDuring(age, window.windowStart, window.windowEnd)
				? {
						count: window.count,
						threshold: window.threshold,
						from: window.windowStart,
						to: window.windowEnd,
						reachesThreshold: window.reachesThreshold,
						amounts: { first21: PENALTY_NOTICE.first.amountPaidWithin21Days, first28: PENALTY_NOTICE.first.amountPaidWithin28Days }
					}
				: null,
		calendar: [...days.values()],
		summaryText: attendanceSummaryText({ childName: firstName, academicYear: year.academicYear, tally, lastMarkDate, change })
	};
}

export type ChildAttendanceDetail = NonNullable<Awaited<ReturnType<typeof childAttendanceDetail>>>;
