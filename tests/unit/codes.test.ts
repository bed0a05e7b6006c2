import { describe, expect, it } from 'vitest';
import {
	ATTENDANCE_CODES,
	CATEGORY_LABELS,
	CODE_CATEGORIES,
	CODE_MEANINGS,
	LEGACY_CODE_MAP,
	codeCategory,
	codesInCategory,
	countsAsAttended,
	isAbsence,
	isAttendanceCode,
	isAuthorisedAbsence,
	isLateCode,
	isPossibleSession,
	isUnauthorisedAbsence,
	parseAttendanceCode,
	type AttendanceCode,
	type CodeCategory
} from '../../src/lib/domain/codes';

// The docs/domain-rules.md §3 table, written out independently of the implementation.
const PRESENT = ['/', '\\', 'L'];
const AEA = ['K', 'V', 'P', 'W', 'B'];
const AUTHORISED = ['C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E'];
const UNAUTHORISED = ['G', 'N', 'O', 'U'];
const NOT_POSSIBLE = ['D', 'X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#'];

const TABLE: [CodeCategory, string[]][] = [
	['present', PRESENT],
	['approved_educational_activity', AEA],
	['authorised_absence', AUTHORISED],
	['unauthorised_absence', UNAUTHORISED],
	['not_possible', NOT_POSSIBLE]
];

describe('ATTENDANCE_CODES', () => {
	it('is exactly the 34 codes of the 2024 set, with no duplicates', () => {
		const expected = [...PRESENT, ...AEA, ...AUTHORISED, ...UNAUTHORISED, ...NOT_POSSIBLE];
		expect(ATTENDANCE_CODES).toHaveLength(34);
		expect(new Set(ATTENDANCE_CODES).size).toBe(34);
		expect([...ATTENDANCE_CODES].sort()).toEqual([...expected].sort());
	});

	it('does not contain abolished pre-2024 codes', () => {
		for (const old of ['H', 'J', 'Y', 'F', 'Y8']) {
			expect((ATTENDANCE_CODES as readonly string[]).includes(old)).toBe(false);
		}
	});

	it('isAttendanceCode is an exact, case-sensitive guard', () => {
		expect(isAttendanceCode('I')).toBe(true);
		expect(isAttendanceCode('\\')).toBe(true);
		expect(isAttendanceCode('#')).toBe(true);
		expect(isAttendanceCode('i')).toBe(false);
		expect(isAttendanceCode(' I')).toBe(false);
		expect(isAttendanceCode('H')).toBe(false);
		expect(isAttendanceCode(7)).toBe(false);
		expect(isAttendanceCode(null)).toBe(false);
		expect(isAttendanceCode('toString')).toBe(false);
	});
});

describe('codeCategory and the counting predicates', () => {
	for (const [category, codes] of TABLE) {
		for (const code of codes) {
			it(`${JSON.stringify(code)} is ${category}`, () => {
				const c = code as AttendanceCode;
				expect(codeCategory(c)).toBe(category);
				expect(countsAsAttended(c)).toBe(category === 'present' || category === 'approved_educational_activity');
				expect(isPossibleSession(c)).toBe(category !== 'not_possible');
				expect(isUnauthorisedAbsence(c)).toBe(category === 'unauthorised_absence');
				expect(isAuthorisedAbsence(c)).toBe(category === 'authorised_absence');
				expect(isAbsence(c)).toBe(category === 'authorised_absence' || category === 'unauthorised_absence');
			});
		}
	}

	it('throws on a value that is not a code (runtime safety)', () => {
		expect(() => codeCategory('H' as AttendanceCode)).toThrow(/Unknown attendance code "H"/);
	});

	it('codesInCategory lists each category in register order', () => {
		for (const [category, codes] of TABLE) {
			expect(codesInCategory(category)).toEqual(codes);
		}
	});

	it('every category has staff and parent labels', () => {
		expect(CODE_CATEGORIES).toEqual(TABLE.map(([c]) => c));
		for (const c of CODE_CATEGORIES) {
			expect(CATEGORY_LABELS[c].staff.length).toBeGreaterThan(3);
			expect(CATEGORY_LABELS[c].parent.length).toBeGreaterThan(3);
		}
		expect(CATEGORY_LABELS.unauthorised_absence.staff).toBe('Unauthorised absence');
	});
});

describe('isLateCode', () => {
	it('is true only for L (late before close) and U (after close)', () => {
		const late = ATTENDANCE_CODES.filter((c) => isLateCode(c));
		expect(late).toEqual(['L', 'U']);
	});

	it('L counts as attended, U as an unauthorised absence', () => {
		expect(countsAsAttended('L')).toBe(true);
		expect(isUnauthorisedAbsence('U')).toBe(true);
		expect(countsAsAttended('U')).toBe(false);
	});
});

describe('parseAttendanceCode', () => {
	it('accepts every 2024 code as written, with no legacyFrom', () => {
		for (const code of ATTENDANCE_CODES) {
			const r = parseAttendanceCode(code);
			expect(r).toEqual({ ok: true, code });
		}
	});

	it.each([
		[' I ', 'I'],
		['i', 'I'],
		['l', 'L'],
		['c1', 'C1'],
		['C1 ', 'C1'],
		['j1', 'J1'],
		['y3', 'Y3'],
		['\t/\n', '/'],
		['  \\', '\\'],
		['#', '#'],
		['c', 'C'],
		['n', 'N']
	])('trims and ignores letter case: %j → %s', (raw, code) => {
		expect(parseAttendanceCode(raw)).toEqual({ ok: true, code });
	});

	it.each([
		['J', 'J1'],
		['j', 'J1'],
		[' J ', 'J1'],
		['H', 'C'],
		['h', 'C'],
		['Y', 'Y7'],
		['y', 'Y7']
	])('maps legacy %j to %s and reports it', (raw, code) => {
		expect(parseAttendanceCode(raw)).toEqual({ ok: true, code, legacyFrom: raw.trim().toUpperCase() });
	});

	it('keeps an old C as C (not a legacy mapping)', () => {
		const r = parseAttendanceCode('C');
		expect(r).toEqual({ ok: true, code: 'C' });
		expect('legacyFrom' in r).toBe(false);
	});

	it('exposes exactly three legacy mappings', () => {
		expect(LEGACY_CODE_MAP).toEqual({ J: 'J1', H: 'C', Y: 'Y7' });
	});

	it.each(['F', 'Y8', 'ZZ', 'Y0', 'J2', 'C3', 'B1', '-', '//', 'A', 'LL', '1', 'PRESENT', 'constructor', '__proto__', 'toString', 'I L'])(
		'rejects %j with an error naming the value',
		(raw) => {
			const r = parseAttendanceCode(raw);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.problem).toEqual({ code: 'code_not_in_set', value: raw.trim() });
		}
	);

	it('rejects an empty or blank value plainly', () => {
		for (const raw of ['', '   ', '\t']) {
			const r = parseAttendanceCode(raw);
			expect(r).toEqual({ ok: false, problem: { code: 'code_blank' } });
		}
	});

	it('rejects a non-string at runtime without throwing', () => {
		const r = parseAttendanceCode(undefined as unknown as string);
		expect(r).toEqual({ ok: false, problem: { code: 'code_missing' } });
	});
});

describe('CODE_MEANINGS', () => {
	it('has a staff and a parent meaning for every code and nothing else', () => {
		expect(Object.keys(CODE_MEANINGS).sort()).toEqual([...ATTENDANCE_CODES].sort());
		for (const code of ATTENDANCE_CODES) {
			expect(CODE_MEANINGS[code].staff.trim().length).toBeGreaterThan(3);
			expect(CODE_MEANINGS[code].parent.trim().length).toBeGreaterThan(3);
		}
	});

	it('uses kind, simple parent wording', () => {
		expect(CODE_MEANINGS.I.parent).toBe('Off ill (authorised)');
		expect(CODE_MEANINGS.M.parent).toBe('Medical or dental appointment');
		expect(CODE_MEANINGS['/'].parent).toBe('In school');
		expect(CODE_MEANINGS.V.parent).toBe('On a school trip');
		for (const code of ATTENDANCE_CODES) {
			const p = CODE_MEANINGS[code].parent.toLowerCase();
			for (const harsh of ['truan', 'offence', 'illegal', 'fail', 'guilty', 'code ']) {
				expect(p).not.toContain(harsh);
			}
		}
	});

	it('staff meanings follow the DfE descriptions', () => {
		expect(CODE_MEANINGS.N.staff).toBe('Reason for absence not yet established');
		expect(CODE_MEANINGS.U.staff).toBe('Arrived in school after the register closed');
		expect(CODE_MEANINGS.G.staff).toBe('Holiday not granted by the school');
		expect(CODE_MEANINGS['#'].staff).toBe('Planned whole-school closure');
	});
});
