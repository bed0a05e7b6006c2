/**
 * Reading a roster (pupils and their guardians) from an MIS: the CSV exports SIMS, Arbor,
 * Bromcom and ScholarPack produce (their column names are all recognised, see
 * PUPIL_COLUMNS / GUARDIAN_COLUMNS), or the same fields as JSON from the token API. Every
 * problem names its file and row; a roster with any problem is applied not at all.
 */
import { parse } from 'csv-parse/sync';
import { normalisePhone } from '../../accounts';
import { toLocale } from '../../../../domain/locale';
import { parseCalendarDate, parseYearGroup } from '../../../../domain/calendar-import';
import type { PupilFlags } from '../../../platform/db/schema';
import type { IsoDate } from '../../../../domain/calendar';

export type RosterFile = 'pupils' | 'guardians';

/** The pupil flags that are Y or N in a roster. */
export type RosterFlag = 'fsm' | 'pupilPremium' | 'lookedAfter' | 'youngCarer' | 'eal';

/** What is wrong with one field of a row; a row's problems are reported together. */
export type RosterRowProblem =
	| { code: 'upn_missing' }
	| { code: 'upn_invalid'; upn: string }
	| { code: 'legal_forename_missing' }
	| { code: 'legal_surname_missing' }
	| { code: 'name_too_long'; max: number }
	| { code: 'year_group_invalid'; value: string }
	| { code: 'date_invalid'; date: 'date_of_birth' | 'admission' | 'leaving'; value: string }
	| { code: 'sen_invalid'; value: string }
	| { code: 'ehcp_invalid'; value: string }
	| { code: 'flag_invalid'; flag: RosterFlag; value: string }
	| { code: 'pupil_upn_missing' }
	| { code: 'forename_missing' }
	| { code: 'surname_missing' }
	| { code: 'phone_invalid'; value: string }
	| { code: 'email_invalid'; value: string }
	| { code: 'contact_unfindable' }
	| { code: 'parental_responsibility_invalid'; value: string }
	| { code: 'lives_with_invalid'; value: string }
	| { code: 'contact_order_invalid'; value: string };

/**
 * What is wrong with a roster, as codes with their values (the words for staff and the API are
 * src/lib/i18n-staff-problems.ts's).
 */
export type RosterProblem =
	| { code: 'row_invalid'; problems: RosterRowProblem[] }
	| { code: 'file_too_large'; maxMegabytes: number }
	/** csv-parse's own description of where the file stops being CSV. */
	| { code: 'csv_unreadable'; detail: string }
	| { code: 'file_empty' }
	| { code: 'header_missing'; columns: { field: string; example: string }[] }
	| { code: 'upn_repeated'; upn: string; firstRow: number }
	| { code: 'pupil_not_in_file'; upn: string }
	| { code: 'contact_differs'; firstRow: number }
	| { code: 'contact_listed_twice'; upn: string; firstRow: number }
	| { code: 'no_pupils_in_file' }
	| { code: 'json_shape' }
	| { code: 'no_pupils_in_roster' }
	| { code: 'contact_id_differs'; same: 'phone' | 'email'; otherRow: number }
	| { code: 'contact_matches_another'; otherRow: number }
	| { code: 'contact_details_taken' };

export type RosterError = {
	file: RosterFile;
	/** CSV line (the header is line 1), or the 1-based index in the API's array; 0 = the file as a whole. */
	row: number;
} & RosterProblem;

export interface RosterPupil {
	row: number;
	upn: string;
	firstName: string;
	lastName: string;
	preferredName: string | null;
	dateOfBirth: IsoDate | null;
	yearGroup: number;
	className: string | null;
	joinedOn: IsoDate | null;
	leftOn: IsoDate | null;
	/** Only what the MIS sent. */
	flags: PupilFlags;
}

export interface RosterGuardian {
	row: number;
	upn: string;
	contactId: string | null;
	firstName: string;
	lastName: string;
	relationship: string;
	parentalResponsibility: boolean;
	livesWith: boolean;
	contactPriority: number;
	phone: string | null;
	email: string | null;
	preferredLanguage: string;
}

export interface ParsedRoster {
	pupils: RosterPupil[];
	guardians: RosterGuardian[];
	errors: RosterError[];
}

/** Our field → the header names MIS exports use for it (compared lower-case, spaces squashed). */
export const PUPIL_COLUMNS: Readonly<Record<string, readonly string[]>> = {
	upn: ['upn', 'unique pupil number', 'pupil upn'],
	firstName: ['legal forename', 'forename', 'first name', 'legal first name', 'firstname', 'given name'],
	lastName: ['legal surname', 'surname', 'last name', 'lastname', 'family name'],
	preferredName: ['preferred forename', 'preferred name', 'known as', 'preferred first name', 'chosen name'],
	dateOfBirth: ['dob', 'date of birth', 'birth date', 'birthdate'],
	yearGroup: ['year group', 'year', 'nc year', 'national curriculum year', 'curriculum year', 'year taught in'],
	className: ['class', 'reg group', 'registration group', 'form', 'tutor group', 'form group', 'registration class'],
	joinedOn: ['admission date', 'date of admission', 'entry date', 'start date', 'date of entry'],
	leftOn: ['leaving date', 'date of leaving', 'leave date', 'end date'],
	sen: ['sen status', 'sen', 'send', 'sen provision', 'send status'],
	ehcp: ['ehcp', 'ehc plan', 'has ehcp'],
	fsm: ['fsm', 'fsm eligible', 'free school meals', 'fsm eligibility'],
	pupilPremium: ['pupil premium', 'pp', 'pp eligible', 'pupil premium eligible'],
	lookedAfter: ['looked after', 'in care', 'cla', 'lac', 'child looked after', 'looked after child'],
	youngCarer: ['young carer'],
	eal: ['eal', 'english as an additional language']
};

export const GUARDIAN_COLUMNS: Readonly<Record<string, readonly string[]>> = {
	upn: ['upn', 'pupil upn', 'unique pupil number'],
	contactId: ['contact id', 'contact ref', 'contact reference', 'guardian id', 'parent id', 'contact mis id', 'person id'],
	firstName: ['contact forename', 'forename', 'first name', 'contact first name', 'firstname', 'given name'],
	lastName: ['contact surname', 'surname', 'last name', 'contact last name', 'lastname', 'family name'],
	relationship: ['relationship', 'relationship to pupil', 'relation', 'contact relationship'],
	parentalResponsibility: ['parental responsibility', 'has parental responsibility', 'pr'],
	livesWith: ['lives with pupil', 'lives with', 'resides with pupil', 'resides with', 'same address'],
	contactPriority: ['priority', 'contact priority', 'contact order', 'order', 'priority order'],
	phone: ['mobile', 'mobile phone', 'mobile number', 'phone', 'telephone', 'telephone number', 'main phone', 'contact mobile'],
	email: ['email', 'email address', 'e-mail', 'contact email', 'main email'],
	preferredLanguage: ['preferred language', 'language', 'home language', 'first language', 'contact language']
};

const squash = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[_\s]+/g, ' ');

/** Which column (index) holds each field; unknown headers are ignored (exports carry extra columns). */
export function mapHeader(header: string[], columns: Readonly<Record<string, readonly string[]>>): Map<string, number> {
	const map = new Map<string, number>();
	const names = header.map(squash);
	for (const [field, aliases] of Object.entries(columns)) {
		// The first alias is the preferred one: "legal forename" wins over "forename" when both exist.
		for (const alias of aliases) {
			const at = names.indexOf(alias);
			if (at >= 0) {
				map.set(field, at);
				break;
			}
		}
	}
	return map;
}

type Raw = Record<string, string | undefined>;

const YES = new Set(['y', 'yes', 'true', 't', '1']);
const NO = new Set(['n', 'no', 'false', 'f', '0']);

function bool(v: string | undefined): boolean | undefined | 'bad' {
	if (v === undefined || v.trim() === '') return undefined;
	const s = v.trim().toLowerCase();
	if (YES.has(s)) return true;
	if (NO.has(s)) return false;
	return 'bad';
}

function sen(v: string | undefined): PupilFlags['sen'] | undefined | 'bad' {
	if (v === undefined || v.trim() === '') return undefined;
	const s = v.trim().toLowerCase();
	if (['n', 'none', 'no', 'no sen'].includes(s)) return 'none';
	if (['k', 'sen support', 'support', 'school support'].includes(s)) return 'support';
	if (['e', 'ehcp', 'ehc plan', 'education, health and care plan', 's', 'statement'].includes(s)) return 'ehcp';
	return 'bad';
}

const NAME_MAX = 100;

export function readPupil(raw: Raw, row: number, errors: RosterError[]): RosterPupil | null {
	const problems: RosterRowProblem[] = [];
	const upn = (raw.upn ?? '').trim().toUpperCase();
	if (!upn) problems.push({ code: 'upn_missing' });
	else if (upn.length > 32 || !/^[A-Z0-9-]+$/.test(upn)) problems.push({ code: 'upn_invalid', upn });
	const firstName = (raw.firstName ?? '').trim();
	const lastName = (raw.lastName ?? '').trim();
	if (!firstName) problems.push({ code: 'legal_forename_missing' });
	if (!lastName) problems.push({ code: 'legal_surname_missing' });
	if (firstName.length > NAME_MAX || lastName.length > NAME_MAX) problems.push({ code: 'name_too_long', max: NAME_MAX });
	const yearGroup = parseYearGroup(raw.yearGroup ?? '');
	if (yearGroup === null) problems.push({ code: 'year_group_invalid', value: raw.yearGroup ?? '' });
	const date = (which: 'date_of_birth' | 'admission' | 'leaving', v: string | undefined): IsoDate | null => {
		if (!v || !v.trim()) return null;
		const d = parseCalendarDate(v);
		if (!d) problems.push({ code: 'date_invalid', date: which, value: v });
		return d;
	};
	const dateOfBirth = date('date_of_birth', raw.dateOfBirth);
	const joinedOn = date('admission', raw.joinedOn);
	const leftOn = date('leaving', raw.leftOn);
	const flags: PupilFlags = {};
	const s = sen(raw.sen);
	if (s === 'bad') problems.push({ code: 'sen_invalid', value: raw.sen ?? '' });
	else if (s) flags.sen = s;
	const e = bool(raw.ehcp);
	if (e === 'bad') problems.push({ code: 'ehcp_invalid', value: raw.ehcp ?? '' });
	else if (e === true) flags.sen = 'ehcp';
	for (const key of ['fsm', 'pupilPremium', 'lookedAfter', 'youngCarer', 'eal'] as const) {
		const b = bool(raw[key]);
		if (b === 'bad') problems.push({ code: 'flag_invalid', flag: key, value: raw[key] ?? '' });
		else if (b !== undefined) flags[key] = b;
	}
	if (problems.length) {
		errors.push({ file: 'pupils', row, code: 'row_invalid', problems });
		return null;
	}
	const preferred = (raw.preferredName ?? '').trim().slice(0, NAME_MAX);
	return {
		row,
		upn,
		firstName,
		lastName,
		preferredName: preferred && preferred !== firstName ? preferred : null,
		dateOfBirth,
		yearGroup: yearGroup!,
		className: (raw.className ?? '').trim().slice(0, 40) || null,
		joinedOn,
		leftOn,
		flags
	};
}

const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function readGuardian(raw: Raw, row: number, errors: RosterError[]): RosterGuardian | null {
	const problems: RosterRowProblem[] = [];
	const upn = (raw.upn ?? '').trim().toUpperCase();
	if (!upn) problems.push({ code: 'pupil_upn_missing' });
	const contactId = (raw.contactId ?? '').trim().slice(0, 64) || null;
	const firstName = (raw.firstName ?? '').trim();
	const lastName = (raw.lastName ?? '').trim();
	if (!firstName) problems.push({ code: 'forename_missing' });
	if (!lastName) problems.push({ code: 'surname_missing' });
	if (firstName.length > NAME_MAX || lastName.length > NAME_MAX) problems.push({ code: 'name_too_long', max: NAME_MAX });
	let phone: string | null = null;
	if (raw.phone && raw.phone.trim()) {
		phone = normalisePhone(raw.phone);
		if (!phone) problems.push({ code: 'phone_invalid', value: raw.phone });
	}
	let email: string | null = null;
	if (raw.email && raw.email.trim()) {
		email = raw.email.trim().toLowerCase();
		if (!EMAIL.test(email) || email.length > 254) problems.push({ code: 'email_invalid', value: raw.email });
	}
	if (!contactId && !phone && !email && !problems.length) problems.push({ code: 'contact_unfindable' });
	const pr = bool(raw.parentalResponsibility);
	if (pr === 'bad') problems.push({ code: 'parental_responsibility_invalid', value: raw.parentalResponsibility ?? '' });
	const lives = bool(raw.livesWith);
	if (lives === 'bad') problems.push({ code: 'lives_with_invalid', value: raw.livesWith ?? '' });
	let contactPriority = 1;
	if (raw.contactPriority && raw.contactPriority.trim()) {
		contactPriority = Number(raw.contactPriority.trim());
		if (!Number.isInteger(contactPriority) || contactPriority < 1 || contactPriority > 20) problems.push({ code: 'contact_order_invalid', value: raw.contactPriority });
	}
	if (problems.length) {
		errors.push({ file: 'guardians', row, code: 'row_invalid', problems });
		return null;
	}
	return {
		row,
		upn,
		contactId,
		firstName,
		lastName,
		relationship: (raw.relationship ?? '').trim().slice(0, 60) || 'Parent',
		parentalResponsibility: pr === undefined ? true : (pr as boolean),
		livesWith: lives === undefined ? true : (lives as boolean),
		contactPriority,
		phone,
		email,
		preferredLanguage: toLocale(raw.preferredLanguage) ?? 'en'
	};
}

const MAX_ROSTER_MEGABYTES = 20;
/** Largest roster file accepted (a big secondary's contacts export is well under this). */
export const MAX_ROSTER_BYTES = MAX_ROSTER_MEGABYTES * 1024 * 1024;

function readCsv<T>(
	file: RosterFile,
	text: string,
	columns: Readonly<Record<string, readonly string[]>>,
	required: string[],
	read: (raw: Raw, row: number, errors: RosterError[]) => T | null,
	errors: RosterError[]
): T[] {
	if (text.length > MAX_ROSTER_BYTES) {
		errors.push({ file, row: 0, code: 'file_too_large', maxMegabytes: MAX_ROSTER_MEGABYTES });
		return [];
	}
	let records: string[][];
	try {
		records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
	} catch (err) {
		const line = (err as { lines?: number }).lines ?? 0;
		errors.push({ file, row: line, code: 'csv_unreadable', detail: (err as Error).message });
		return [];
	}
	const headerAt = records.findIndex((r) => r.some((f) => f.trim() !== ''));
	if (headerAt < 0) {
		errors.push({ file, row: 1, code: 'file_empty' });
		return [];
	}
	const map = mapHeader(records[headerAt]!, columns);
	const missing = required.filter((f) => !map.has(f));
	if (missing.length) {
		errors.push({ file, row: headerAt + 1, code: 'header_missing', columns: missing.map((f) => ({ field: f, example: columns[f]![0]! })) });
		return [];
	}
	const out: T[] = [];
	for (let i = headerAt + 1; i < records.length; i++) {
		const record = records[i]!;
		if (record.every((f) => f.trim() === '')) continue;
		const raw: Raw = {};
		for (const [field, at] of map) raw[field] = record[at];
		const v = read(raw, i + 1, errors);
		if (v) out.push(v);
	}
	return out;
}

/** Cross-file checks: duplicate UPNs, contacts for pupils not in the pupils file, conflicting contact details. */
export function checkRoster(pupils: RosterPupil[], guardians: RosterGuardian[], errors: RosterError[]): void {
	const seen = new Map<string, number>();
	for (const p of pupils) {
		const first = seen.get(p.upn);
		if (first !== undefined) errors.push({ file: 'pupils', row: p.row, code: 'upn_repeated', upn: p.upn, firstRow: first });
		else seen.set(p.upn, p.row);
	}
	const byPerson = new Map<string, RosterGuardian>();
	const links = new Map<string, number>();
	for (const g of guardians) {
		if (!seen.has(g.upn)) errors.push({ file: 'guardians', row: g.row, code: 'pupil_not_in_file', upn: g.upn });
		const key = personKey(g);
		const first = byPerson.get(key);
		if (first && (first.phone !== g.phone || first.email !== g.email || first.firstName !== g.firstName || first.lastName !== g.lastName)) {
			errors.push({ file: 'guardians', row: g.row, code: 'contact_differs', firstRow: first.row });
		} else if (!first) byPerson.set(key, g);
		const link = `${g.upn}|${key}`;
		if (links.has(link)) errors.push({ file: 'guardians', row: g.row, code: 'contact_listed_twice', upn: g.upn, firstRow: links.get(link)! });
		else links.set(link, g.row);
	}
}

/** How rows name one person within a school's file: the MIS contact id, else phone, else email. */
export function personKey(g: Pick<RosterGuardian, 'contactId' | 'phone' | 'email'>): string {
	return g.contactId ? `id:${g.contactId}` : g.phone ? `phone:${g.phone}` : `email:${g.email}`;
}

export function parseRosterCsv(input: { pupils: string; guardians: string }): ParsedRoster {
	const errors: RosterError[] = [];
	const pupils = readCsv('pupils', input.pupils, PUPIL_COLUMNS, ['upn', 'firstName', 'lastName', 'yearGroup'], readPupil, errors);
	const guardians = readCsv('guardians', input.guardians, GUARDIAN_COLUMNS, ['upn', 'firstName', 'lastName'], readGuardian, errors);
	if (!errors.some((e) => e.file === 'pupils') && pupils.length === 0) errors.push({ file: 'pupils', row: 0, code: 'no_pupils_in_file' });
	checkRoster(pupils, guardians, errors);
	return { pupils, guardians, errors: sortErrors(errors) };
}

export function sortErrors(errors: RosterError[]): RosterError[] {
	return errors.sort((a, b) => (a.file === b.file ? a.row - b.row : a.file === 'pupils' ? -1 : 1));
}

/** The API's JSON: { pupils: [{ upn, firstName, ... }], guardians: [{ upn, contactId, ... }] }, fields named as above. */
export function parseRosterJson(body: unknown): ParsedRoster {
	const errors: RosterError[] = [];
	const obj = body as { pupils?: unknown; guardians?: unknown } | null;
	if (!obj || typeof obj !== 'object' || !Array.isArray(obj.pupils) || !Array.isArray(obj.guardians)) {
		return { pupils: [], guardians: [], errors: [{ file: 'pupils', row: 0, code: 'json_shape' }] };
	}
	const asRaw = (v: unknown): Raw => {
		const out: Raw = {};
		if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? undefined : typeof x === 'boolean' ? (x ? 'Y' : 'N') : String(x);
		return out;
	};
	const pupils = obj.pupils.map((p, i) => readPupil(asRaw(p), i + 1, errors)).filter((p): p is RosterPupil => p !== null);
	const guardians = obj.guardians.map((g, i) => readGuardian(asRaw(g), i + 1, errors)).filter((g): g is RosterGuardian => g !== null);
	if (obj.pupils.length === 0) errors.push({ file: 'pupils', row: 0, code: 'no_pupils_in_roster' });
	checkRoster(pupils, guardians, errors);
	return { pupils, guardians, errors: sortErrors(errors) };
}
