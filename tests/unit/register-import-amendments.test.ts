import { describe, expect, it } from 'vitest';
import { detectColumns } from '../../src/lib/server/features/register-import/columns';
import { MarkCollector, type ImportContext } from '../../src/lib/server/features/register-import/validate';
import { importProblemText } from '../../src/lib/i18n-staff-problems';
import { CODES_WITH_DETAIL, takesCodeDetail, ATTENDANCE_CODES } from '../../src/lib/domain/codes';

const context = (): ImportContext => ({
	schoolId: 'school',
	pupilsByMisId: new Map([['A1', '00000000-0000-4000-8000-000000000001']]),
	calendar: { timeZone: 'Europe/London', terms: [{ name: 'Autumn 1', startsOn: '2026-09-03', endsOn: '2026-10-23' }], closures: [] }
});
const mark = { pupilRefs: ['A1'], date: '2026-09-07', session: 'AM' };

describe('which codes carry a detail', () => {
	it('is the approved educational activities B, K, P, V and the unavoidable causes Y1–Y7, no others', () => {
		expect(ATTENDANCE_CODES.filter(takesCodeDetail)).toEqual(['K', 'V', 'P', 'B', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7']);
		expect(CODES_WITH_DETAIL).toHaveLength(11);
		for (const code of ['/', 'N', 'I', 'W', 'L', '#'] as const) expect(takesCodeDetail(code), code).toBe(false);
	});
});

describe('the optional amendment and detail columns', () => {
	it('are found by their usual header names in both shapes', () => {
		const session = detectColumns(['UPN', 'Date', 'Session', 'Code', 'Code Detail', 'Amended By', 'Amended_By_Role']);
		expect(session).toEqual({
			ok: true,
			columns: { shape: 'session', ids: [0], date: 1, session: 2, code: 3, late: undefined, codeDetail: 4, amendedBy: 5, amendedByRole: 6 }
		});
		const daily = detectColumns(['UPN', 'Date', 'AM', 'PM', 'code_detail_pm', 'Changed By']);
		expect(daily.ok && daily.columns).toMatchObject({ shape: 'daily', codeDetailAm: undefined, codeDetailPm: 4, amendedBy: 5, amendedByRole: undefined });
		expect(detectColumns(['UPN', 'Date', 'AM', 'PM'])).toMatchObject({ ok: true, columns: { amendedBy: undefined, codeDetailAm: undefined } });
	});
});

describe('validating a mark’s detail and who amended it', () => {
	it('stages the detail of a B/K/P/V/Y mark and who amended it, trimmed', () => {
		const c = new MarkCollector(context());
		c.addSingle(2, { ...mark, code: 'v', codeDetail: '  Museum visit ', amendedBy: ' J. Smith ', amendedByRole: 'Attendance officer' });
		c.addSingle(3, { ...mark, session: 'PM', code: 'Y2', codeDetail: 'Flooded road' });
		expect(c.hasErrors).toBe(false);
		expect(c.marks.codeDetails).toEqual(['Museum visit', 'Flooded road']);
		expect(c.marks.detailGiven).toEqual([true, true]);
		expect(c.marks.amendedBy).toEqual(['J. Smith', null]);
		expect(c.marks.amendedByRole).toEqual(['Attendance officer', null]);
	});

	it('tells a detail not given (kept as held) from a blank one (cleared)', () => {
		const c = new MarkCollector(context());
		c.addSingle(2, { ...mark, code: 'B' });
		c.addSingle(3, { ...mark, session: 'PM', code: 'N', codeDetail: '   ' });
		expect(c.hasErrors).toBe(false);
		expect(c.marks.detailGiven).toEqual([false, true]);
		expect(c.marks.codeDetails).toEqual([null, null]);
	});

	it('refuses a detail on a code that takes none, naming the code and its meaning', () => {
		const c = new MarkCollector(context());
		c.addSingle(4, { ...mark, code: 'N', codeDetail: 'Bus' });
		expect(c.errors).toEqual([{ row: 4, code: 'code_detail_not_allowed', session: 'AM', markCode: 'N', allowed: CODES_WITH_DETAIL }]);
		expect(importProblemText(c.errors[0]!)).toBe(
			'AM code N (Reason for absence not yet established) takes no code detail: only B, K, P, V, Y1, Y2, Y3, Y4, Y5, Y6, Y7 do'
		);
		expect(c.marks.codes).toEqual([]);
	});

	it('refuses an over-long detail or name, once for a row that carries two marks', () => {
		const c = new MarkCollector(context());
		c.addSingle(2, { ...mark, code: 'P', codeDetail: 'x'.repeat(201) });
		const resolved = c.resolveRow(3, ['A1'], '2026-09-08');
		c.addMark(3, resolved, 'AM', '/', null, { amendedBy: 'y'.repeat(101) });
		c.addMark(3, resolved, 'PM', '/', null, { amendedBy: 'y'.repeat(101) });
		expect(c.errors.map((e) => [e.row, importProblemText(e)])).toEqual([
			[2, 'AM code detail must be at most 200 characters'],
			[3, 'Amended by must be at most 100 characters']
		]);
	});
});
