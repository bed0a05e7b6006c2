/**
 * Compulsory school age (England). Below it (Nursery, and Reception until the prescribed day
 * after the fifth birthday) and above it, the law on attendance does not bind the parent: no
 * penalty notice, no legal step, so none of that wording may be shown.
 *
 * Begins (Education Act 1996, s.8(2), with the prescribed days set by the Education (Start of
 * Compulsory School Age) Order 1998): on the fifth birthday if it falls on a prescribed day,
 * otherwise at the beginning of the next prescribed day after it. The prescribed days are
 * 31 December, 31 March and 31 August — "whichever comes first" after the fifth birthday (as
 * DfE, IPSEA and local-authority guidance put it: a child who turns 5 on 10 February 2024 is of
 * compulsory school age from 31 March 2024).
 *
 * Ends (s.8(3)–(4), school leaving date = the last Friday in June): at the end of the last Friday
 * in June of the school year in which the child turns 16 — so a child who turns 16 between
 * September and August leaves on that school year's last Friday in June.
 *
 * Pure: no I/O.
 */
import { addDays, compareDates, dayOfWeek, isValidIsoDate, type IsoDate } from './calendar';

const pad = (n: number) => String(n).padStart(4, '0');

/** The birthday in `year` of someone born on `dob` (29 February falls on 28 February in common years: no prescribed day is affected). */
function birthdayIn(dob: IsoDate, year: number): IsoDate {
	const md = dob.slice(5);
	const candidate = `${pad(year)}-${md}`;
	return isValidIsoDate(candidate) ? candidate : `${pad(year)}-02-28`;
}

/** The day compulsory school age begins for a child born on `dob`. */
export function compulsorySchoolAgeBegins(dob: IsoDate): IsoDate {
	if (!isValidIsoDate(dob)) throw new RangeError(`Invalid date of birth "${dob}"`);
	const year = Number(dob.slice(0, 4)) + 5;
	const fifth = birthdayIn(dob, year);
	const prescribed = [`${pad(year)}-03-31`, `${pad(year)}-08-31`, `${pad(year)}-12-31`];
	// On a prescribed day itself it begins that day; otherwise on the next one.
	for (const day of prescribed) if (compareDates(day, fifth) >= 0) return day;
	return `${pad(year + 1)}-03-31`; // unreachable: 31 December is the last day of the year
}

/** The last Friday in June of `year`: the school leaving date. */
export function schoolLeavingDate(year: number): IsoDate {
	let d = `${pad(year)}-06-30`;
	while (dayOfWeek(d) !== 5) d = addDays(d, -1);
	return d;
}

/** The last day a child born on `dob` is of compulsory school age (inclusive). */
export function compulsorySchoolAgeEnds(dob: IsoDate): IsoDate {
	if (!isValidIsoDate(dob)) throw new RangeError(`Invalid date of birth "${dob}"`);
	const year = Number(dob.slice(0, 4)) + 16;
	const sixteenth = birthdayIn(dob, year);
	// Turning 16 in September or later belongs to the next school year, so to next June's date.
	return Number(sixteenth.slice(5, 7)) >= 9 ? schoolLeavingDate(year + 1) : schoolLeavingDate(year);
}

export interface ChildAge {
	/** From the MIS; null when the school has not sent it. */
	dateOfBirth?: IsoDate | null;
	/** 0 = Reception, negative = Nursery, 1–13 = Year 1 to Year 13. */
	yearGroup?: number | null;
}

/**
 * Is the child of compulsory school age on `date`? Without a date of birth the year group decides
 * where it can: Years 1 to 11 are, Nursery and the sixth form are not, and Reception is not
 * assumed to be (some Reception children are not yet five), so no penalty wording appears for a
 * child we cannot place.
 */
export function isOfCompulsorySchoolAge(child: ChildAge, date: IsoDate): boolean {
	if (child.dateOfBirth && isValidIsoDate(child.dateOfBirth)) {
		return compareDates(compulsorySchoolAgeBegins(child.dateOfBirth), date) <= 0 && compareDates(date, compulsorySchoolAgeEnds(child.dateOfBirth)) <= 0;
	}
	const y = child.yearGroup;
	return typeof y === 'number' && y >= 1 && y <= 11;
}

/** Is the child of compulsory school age on any day from `from` to `to`? */
export function ofCompulsorySchoolAgeDuring(child: ChildAge, from: IsoDate, to: IsoDate): boolean {
	if (child.dateOfBirth && isValidIsoDate(child.dateOfBirth)) {
		return (
			compareDates(compulsorySchoolAgeBegins(child.dateOfBirth), to) <= 0 && compareDates(from, compulsorySchoolAgeEnds(child.dateOfBirth)) <= 0
		);
	}
	return isOfCompulsorySchoolAge(child, from);
}
