/**
 * Attendance codes: the 2024 national set (School Attendance (Pupil Registration) (England)
 * Regulations 2024, in force from August 2024) and how each one counts. See docs/domain-rules.md §3.
 *
 * Pure: no I/O, no framework imports.
 */

/** Every valid 2024 code, grouped by category in register order. */
export const ATTENDANCE_CODES = [
	// Present
	'/',
	'\\',
	'L',
	// Attending an approved educational activity (counts as attended)
	'K',
	'V',
	'P',
	'W',
	'B',
	// Authorised absence
	'C1',
	'M',
	'J1',
	'S',
	'C2',
	'C',
	'T',
	'R',
	'I',
	'E',
	// Unauthorised absence
	'G',
	'N',
	'O',
	'U',
	// Not a possible session (administrative / unable to attend because of an unavoidable cause)
	'D',
	'X',
	'Q',
	'Y1',
	'Y2',
	'Y3',
	'Y4',
	'Y5',
	'Y6',
	'Y7',
	'Z',
	'#'
] as const;

export type AttendanceCode = (typeof ATTENDANCE_CODES)[number];

export type CodeCategory =
	| 'present'
	| 'approved_educational_activity'
	| 'authorised_absence'
	| 'unauthorised_absence'
	| 'not_possible';

export const CODE_CATEGORIES: readonly CodeCategory[] = [
	'present',
	'approved_educational_activity',
	'authorised_absence',
	'unauthorised_absence',
	'not_possible'
];

const CATEGORY_OF: Readonly<Record<AttendanceCode, CodeCategory>> = {
	'/': 'present',
	'\\': 'present',
	L: 'present',
	K: 'approved_educational_activity',
	V: 'approved_educational_activity',
	P: 'approved_educational_activity',
	W: 'approved_educational_activity',
	B: 'approved_educational_activity',
	C1: 'authorised_absence',
	M: 'authorised_absence',
	J1: 'authorised_absence',
	S: 'authorised_absence',
	C2: 'authorised_absence',
	C: 'authorised_absence',
	T: 'authorised_absence',
	R: 'authorised_absence',
	I: 'authorised_absence',
	E: 'authorised_absence',
	G: 'unauthorised_absence',
	N: 'unauthorised_absence',
	O: 'unauthorised_absence',
	U: 'unauthorised_absence',
	D: 'not_possible',
	X: 'not_possible',
	Q: 'not_possible',
	Y1: 'not_possible',
	Y2: 'not_possible',
	Y3: 'not_possible',
	Y4: 'not_possible',
	Y5: 'not_possible',
	Y6: 'not_possible',
	Y7: 'not_possible',
	Z: 'not_possible',
	'#': 'not_possible'
};

/** Staff and parent labels for each category (parent wording is plain and neutral). */
export const CATEGORY_LABELS: Readonly<Record<CodeCategory, { staff: string; parent: string }>> = {
	present: { staff: 'Present', parent: 'In school' },
	approved_educational_activity: {
		staff: 'Approved educational activity',
		parent: 'Learning away from school (counts as attending)'
	},
	authorised_absence: { staff: 'Authorised absence', parent: 'Absent (authorised)' },
	unauthorised_absence: { staff: 'Unauthorised absence', parent: 'Absent (not authorised)' },
	not_possible: {
		staff: 'Not a possible session',
		parent: 'Not counted (school could not expect attendance)'
	}
};

const CODE_SET: ReadonlySet<string> = new Set<string>(ATTENDANCE_CODES);

/** Type guard: is `value` exactly one of the 2024 codes (case-sensitive, untrimmed)? */
export function isAttendanceCode(value: unknown): value is AttendanceCode {
	return typeof value === 'string' && CODE_SET.has(value);
}

export function codeCategory(code: AttendanceCode): CodeCategory {
	const category = CATEGORY_OF[code];
	if (category === undefined) {
		throw new RangeError(`Unknown attendance code "${String(code)}"`);
	}
	return category;
}

/** The codes in one category, in register order. */
export function codesInCategory(category: CodeCategory): AttendanceCode[] {
	return ATTENDANCE_CODES.filter((c) => CATEGORY_OF[c] === category);
}

/** Present (`/` `\` `L`) or approved educational activity (`K` `V` `P` `W` `B`). */
export function countsAsAttended(code: AttendanceCode): boolean {
	const c = codeCategory(code);
	return c === 'present' || c === 'approved_educational_activity';
}

/** Counts in the denominator: everything except the "not a possible session" codes. */
export function isPossibleSession(code: AttendanceCode): boolean {
	return codeCategory(code) !== 'not_possible';
}

/** `G` `N` `O` `U` — the codes that count towards the penalty notice threshold (docs/domain-rules.md §7). */
export function isUnauthorisedAbsence(code: AttendanceCode): boolean {
	return codeCategory(code) === 'unauthorised_absence';
}

export function isAuthorisedAbsence(code: AttendanceCode): boolean {
	return codeCategory(code) === 'authorised_absence';
}

/** A missed possible session: authorised or unauthorised absence. */
export function isAbsence(code: AttendanceCode): boolean {
	return isAuthorisedAbsence(code) || isUnauthorisedAbsence(code);
}

/**
 * Late codes: `L` (arrived late before the register closed — counts as present) and `U`
 * (arrived after the register closed — an unauthorised absence for that session).
 */
export function isLateCode(code: AttendanceCode): boolean {
	return code === 'L' || code === 'U';
}

/**
 * Pre-August-2024 codes that still arrive in old MIS exports, mapped to their 2024 equivalents:
 * - `J` (interview) became `J1`;
 * - `H` (agreed family holiday) was abolished; an agreed holiday is recorded as leave in
 *   exceptional circumstances, `C`;
 * - `Y` (unable to attend due to exceptional circumstances) became `Y7` (any other unavoidable cause).
 * An old `C` is still `C` and needs no mapping.
 */
export const LEGACY_CODE_MAP: Readonly<Record<string, AttendanceCode>> = {
	J: 'J1',
	H: 'C',
	Y: 'Y7'
};

/**
 * Codes whose nature the MIS may describe (docs/domain-rules.md §3): the approved educational
 * activity (B off-site education, K provision arranged by the local authority, P sporting
 * activity, V educational visit) and the unavoidable cause of a Y code (transport, closure,
 * emergency...). Other codes say all there is to say.
 */
export const CODES_WITH_DETAIL: readonly AttendanceCode[] = ['B', 'K', 'P', 'V', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'];

export function takesCodeDetail(code: AttendanceCode): boolean {
	return CODES_WITH_DETAIL.includes(code);
}

/** Why a value is not an attendance code (the words: src/lib/i18n-staff-problems.ts). */
export type CodeProblem = { code: 'code_missing' } | { code: 'code_blank' } | { code: 'code_not_in_set'; value: string };

export type ParseCodeResult =
	| { ok: true; code: AttendanceCode; legacyFrom?: string }
	| { ok: false; problem: CodeProblem };

/**
 * Parse a code from an import or an API call. Trims surrounding whitespace; letters are
 * case-insensitive (`i` → `I`, `y3` → `Y3`). Legacy pre-2024 codes are mapped (see
 * {@link LEGACY_CODE_MAP}) and reported in `legacyFrom`. Anything else is rejected with a
 * plain error naming the value (the caller adds the row number).
 */
export function parseAttendanceCode(raw: string): ParseCodeResult {
	if (typeof raw !== 'string') {
		return { ok: false, problem: { code: 'code_missing' } };
	}
	const value = raw.trim();
	if (value === '') {
		return { ok: false, problem: { code: 'code_blank' } };
	}
	const upper = value.toUpperCase();
	if (isAttendanceCode(upper)) {
		return { ok: true, code: upper };
	}
	const mapped = Object.prototype.hasOwnProperty.call(LEGACY_CODE_MAP, upper)
		? LEGACY_CODE_MAP[upper]
		: undefined;
	if (mapped !== undefined) {
		return { ok: true, code: mapped, legacyFrom: upper };
	}
	return { ok: false, problem: { code: 'code_not_in_set', value } };
}

/**
 * Plain-English meanings. `staff` follows the DfE descriptions; `parent` is short, kind and
 * free of jargon, for parent views, SMS and the bot.
 */
export const CODE_MEANINGS: Readonly<Record<AttendanceCode, { staff: string; parent: string }>> = {
	'/': { staff: 'Present (AM)', parent: 'In school' },
	'\\': { staff: 'Present (PM)', parent: 'In school' },
	L: { staff: 'Late arrival before the register closed', parent: 'In school (arrived late)' },
	K: {
		staff: 'Attending education provision arranged by the local authority',
		parent: 'Learning at another place arranged by the council'
	},
	V: { staff: 'Attending an educational visit or trip', parent: 'On a school trip' },
	P: {
		staff: 'Participating in an approved sporting activity',
		parent: 'At a sports event with school'
	},
	W: { staff: 'Attending work experience', parent: 'On work experience' },
	B: {
		staff: 'Attending any other approved educational activity',
		parent: 'Learning away from school (approved)'
	},
	C1: {
		staff: 'Leave: regulated performance or regulated employment abroad',
		parent: 'Leave agreed for a performance or work (licensed)'
	},
	M: { staff: 'Leave: medical or dental appointment', parent: 'Medical or dental appointment' },
	J1: {
		staff: 'Leave: interview with a prospective employer or educational establishment',
		parent: 'At an interview'
	},
	S: { staff: 'Leave: study leave (public examinations)', parent: 'Study leave' },
	C2: {
		staff: 'Leave: part-time timetable (compulsory school age)',
		parent: 'Not in school because of a part-time timetable'
	},
	C: {
		staff: 'Leave: exceptional circumstances',
		parent: 'Leave agreed by school'
	},
	T: {
		staff: 'Parent travelling for occupational purposes',
		parent: 'Travelling with family for work (agreed)'
	},
	R: { staff: 'Religious observance', parent: 'Religious observance (authorised)' },
	I: { staff: 'Illness (not medical or dental appointment)', parent: 'Off ill (authorised)' },
	E: {
		staff: 'Suspended or excluded, no alternative provision made',
		parent: 'Not in school because of a suspension'
	},
	G: {
		staff: 'Holiday not granted by the school',
		parent: 'Holiday not agreed by school (unauthorised)'
	},
	N: {
		staff: 'Reason for absence not yet established',
		parent: 'Absent – we have not had a reason yet'
	},
	O: {
		staff: 'Absent in other or unknown circumstances',
		parent: 'Absent (not authorised)'
	},
	U: {
		staff: 'Arrived in school after the register closed',
		parent: 'Arrived after the register closed (counts as absent)'
	},
	D: {
		staff: 'Dual registered: attending another setting',
		parent: 'At their other school'
	},
	X: {
		staff: 'Not required to be in school (non-compulsory school age)',
		parent: 'Not expected in school'
	},
	Q: {
		staff: 'Unable to attend: lack of access arrangements',
		parent: 'Could not attend: travel arrangements not in place'
	},
	Y1: {
		staff: 'Unable to attend: transport normally provided not available',
		parent: 'Could not attend: school transport not available'
	},
	Y2: {
		staff: 'Unable to attend: widespread disruption to travel',
		parent: 'Could not attend: travel disruption'
	},
	Y3: {
		staff: 'Unable to attend: part of the school premises closed',
		parent: 'Could not attend: part of school closed'
	},
	Y4: {
		staff: 'Unable to attend: whole school site unexpectedly closed',
		parent: 'School closed unexpectedly'
	},
	Y5: {
		staff: 'Unable to attend: criminal justice detention',
		parent: 'Could not attend (not counted)'
	},
	Y6: {
		staff: 'Unable to attend: public health guidance or law',
		parent: 'Could not attend: public health rules'
	},
	Y7: {
		staff: 'Unable to attend: any other unavoidable cause',
		parent: 'Could not attend for a reason outside the family’s control'
	},
	Z: {
		staff: 'Prospective pupil not on admission register',
		parent: 'Not yet started at school'
	},
	'#': { staff: 'Planned whole-school closure', parent: 'School closed' }
};
