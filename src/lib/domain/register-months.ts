/**
 * The child's register marks grouped by calendar month, so a parent's page can fold a year of
 * marks into a dozen lines and open only the latest month.
 */
import { isAbsence, isAttendanceCode } from './codes';
import type { IsoDate } from './calendar';

export interface MarkedDay {
	date: IsoDate;
	am: { code: string } | null;
	pm: { code: string } | null;
}

export interface MarkMonth<T extends MarkedDay> {
	/** 'YYYY-MM' */
	month: string;
	days: T[];
	/** Sessions this month that were an absence (authorised or not); two make a day. */
	sessionsMissed: number;
}

const missed = (mark: { code: string } | null) => (mark && isAttendanceCode(mark.code) && isAbsence(mark.code) ? 1 : 0);

/** Groups days by month in the order given (a list newest first gives months newest first). */
export function groupMarksByMonth<T extends MarkedDay>(days: readonly T[]): MarkMonth<T>[] {
	const months: MarkMonth<T>[] = [];
	for (const day of days) {
		const month = day.date.slice(0, 7);
		let group = months.at(-1);
		if (!group || group.month !== month) {
			group = months.find((g) => g.month === month);
			if (!group) {
				group = { month, days: [], sessionsMissed: 0 };
				months.push(group);
			}
		}
		group.days.push(day);
		group.sessionsMissed += missed(day.am) + missed(day.pm);
	}
	return months;
}
