/**
 * The school years the maintained mark counts are kept by (pupil_year_code_counts): 1 August to
 * 31 July, so that any school's academic year, whatever its term dates, falls inside one.
 */
import type { IsoDate } from './calendar';

export interface CountYear {
	/** 1 August. */
	start: IsoDate;
	/** The next 31 July. */
	end: IsoDate;
}

export function countYearOf(date: IsoDate): CountYear {
	const y = Number(date.slice(0, 4));
	const startYear = date.slice(5) >= '08-01' ? y : y - 1;
	return { start: `${startYear}-08-01`, end: `${startYear + 1}-07-31` };
}

/**
 * The count year that holds the whole of `from`..`to`, or null when the range crosses 1 August
 * (then the summary counts the marks themselves). The caller still has to check that the year
 * has no marks outside the range before it can use the year's counts for it.
 */
export function countYearCovering(from: IsoDate, to: IsoDate): CountYear | null {
	if (from > to) return null;
	const year = countYearOf(from);
	return to <= year.end ? year : null;
}
