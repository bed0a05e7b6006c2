/**
 * Bank holidays in England and Wales, as GOV.UK publishes them (www.gov.uk/bank-holidays),
 * substitute days included. Data, not a rule: one-off holidays are announced by proclamation,
 * so a new year is added here when it is published. A school is closed on a bank holiday that
 * falls in term, so loading term dates adds these as closures.
 */
import type { IsoDate } from './calendar';

export interface BankHoliday {
	date: IsoDate;
	name: string;
}

export const ENGLAND_BANK_HOLIDAYS: readonly BankHoliday[] = [
	{ date: '2025-01-01', name: 'New Year’s Day' },
	{ date: '2025-04-18', name: 'Good Friday' },
	{ date: '2025-04-21', name: 'Easter Monday' },
	{ date: '2025-05-05', name: 'Early May bank holiday' },
	{ date: '2025-05-26', name: 'Spring bank holiday' },
	{ date: '2025-08-25', name: 'Summer bank holiday' },
	{ date: '2025-12-25', name: 'Christmas Day' },
	{ date: '2025-12-26', name: 'Boxing Day' },
	{ date: '2026-01-01', name: 'New Year’s Day' },
	{ date: '2026-04-03', name: 'Good Friday' },
	{ date: '2026-04-06', name: 'Easter Monday' },
	{ date: '2026-05-04', name: 'Early May bank holiday' },
	{ date: '2026-05-25', name: 'Spring bank holiday' },
	{ date: '2026-08-31', name: 'Summer bank holiday' },
	{ date: '2026-12-25', name: 'Christmas Day' },
	{ date: '2026-12-28', name: 'Boxing Day (substitute day)' },
	{ date: '2027-01-01', name: 'New Year’s Day' },
	{ date: '2027-03-26', name: 'Good Friday' },
	{ date: '2027-03-29', name: 'Easter Monday' },
	{ date: '2027-05-03', name: 'Early May bank holiday' },
	{ date: '2027-05-31', name: 'Spring bank holiday' },
	{ date: '2027-08-30', name: 'Summer bank holiday' },
	{ date: '2027-12-27', name: 'Christmas Day (substitute day)' },
	{ date: '2027-12-28', name: 'Boxing Day (substitute day)' },
	{ date: '2028-01-03', name: 'New Year’s Day (substitute day)' },
	{ date: '2028-04-14', name: 'Good Friday' },
	{ date: '2028-04-17', name: 'Easter Monday' },
	{ date: '2028-05-01', name: 'Early May bank holiday' },
	{ date: '2028-05-29', name: 'Spring bank holiday' },
	{ date: '2028-08-28', name: 'Summer bank holiday' },
	{ date: '2028-12-25', name: 'Christmas Day' },
	{ date: '2028-12-26', name: 'Boxing Day' }
];

/** The bank holidays from `from` to `to` inclusive. */
export function bankHolidaysBetween(from: IsoDate, to: IsoDate): BankHoliday[] {
	return ENGLAND_BANK_HOLIDAYS.filter((h) => h.date >= from && h.date <= to);
}

/** The last date the list covers: term dates after it cannot be checked for bank holidays. */
export const BANK_HOLIDAYS_KNOWN_UNTIL: IsoDate = '2028-12-31';
