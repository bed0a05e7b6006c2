import { describe, expect, it } from 'vitest';
import { LEAVE_CODES, LEAVE_TYPES, evaluateLeave, grantedSessions, type LeaveInput } from '../../src/lib/domain/leave';
import { calendar2026 } from './fixtures';

const cal = calendar2026();
const base: LeaveInput = {
	type: 'exceptional',
	from: '2026-11-23',
	to: '2026-11-24',
	reason: 'Her grandmother’s funeral in Wrocław',
	today: '2026-11-02',
	noticeDays: 14,
	protectedPeriods: [],
	attendance: [{ name: 'Ella', percent: 98.2 }]
};
const texts = (f: ReturnType<typeof evaluateLeave>) => f.points.map((p) => p.text);

describe('evaluateLeave', () => {
	it('counts school days and sessions from the calendar', () => {
		const f = evaluateLeave(cal, base);
		expect(f.ok).toBe(true);
		expect(f.schoolDays).toBe(2);
		expect(f.sessions).toHaveLength(4);
		expect(texts(f)[0]).toBe('This is 2 school days (4 sessions) of learning.');
		// A weekend in the middle is not counted; a half-day closure counts one session.
		expect(evaluateLeave(cal, { ...base, from: '2026-11-20', to: '2026-11-23' }).schoolDays).toBe(2);
		expect(evaluateLeave(cal, { ...base, from: '2026-12-18', to: '2026-12-18', today: '2026-11-02' }).sessions).toHaveLength(1);
	});

	it('checks the notice period', () => {
		const met = evaluateLeave(cal, base);
		expect(met.noticeGivenDays).toBe(21);
		expect(met.noticeMet).toBe(true);
		const short = evaluateLeave(cal, { ...base, today: '2026-11-16' });
		expect(short.noticeMet).toBe(false);
		expect(short.points.find((p) => p.text.startsWith('The school asks for at least 14'))).toMatchObject({ level: 'warning' });
	});

	it('refuses retrospective requests, and today', () => {
		for (const today of ['2026-11-23', '2026-11-24', '2026-11-30']) {
			const f = evaluateLeave(cal, { ...base, today });
			expect(f.ok).toBe(false);
			expect(f.errors[0]!.message).toMatch(/^Leave can only be asked for in advance/);
		}
	});

	it('refuses bad dates and dates with no school', () => {
		expect(evaluateLeave(cal, { ...base, from: '2026-02-30' }).errors[0]).toEqual({ field: 'from', message: 'Enter the first day of the leave as a real date', finding: { kind: 'from_invalid' } });
		expect(evaluateLeave(cal, { ...base, to: '2026-11-20' }).errors[0]!.message).toBe('The last day must be on or after the first day');
		expect(evaluateLeave(cal, { ...base, from: '2026-11-28', to: '2026-11-29' }).errors[0]!.message).toMatch(/closed/);
		expect(evaluateLeave(cal, { ...base, reason: '  ' }).errors[0]).toEqual({ field: 'reason', message: 'Tell the headteacher why you are asking', finding: { kind: 'reason_missing' } });
	});

	it('warns about protected periods', () => {
		const f = evaluateLeave(cal, { ...base, protectedPeriods: [{ name: 'assessment week', startsOn: '2026-11-24', endsOn: '2026-11-27' }] });
		expect(f.protectedHit).toEqual(['assessment week']);
		expect(texts(f)).toContain('The dates include assessment week. The school does not usually agree leave then.');
		expect(evaluateLeave(cal, { ...base, protectedPeriods: [{ name: 'SATs', startsOn: '2027-05-10', endsOn: '2027-05-14' }] }).protectedHit).toEqual([]);
	});

	it('religious observance: one day only; more days would be exceptional circumstances', () => {
		expect(texts(evaluateLeave(cal, { ...base, type: 'religious_observance', to: '2026-11-23' })).some((t) => t.startsWith('For religious observance'))).toBe(false);
		expect(texts(evaluateLeave(cal, { ...base, type: 'religious_observance' })).some((t) => t.startsWith('For religious observance'))).toBe(true);
	});

	it('says plainly that a holiday is not exceptional, and that attendance under 96% makes it unlikely', () => {
		const f = evaluateLeave(cal, { ...base, reason: 'Family holiday, flights are cheaper', attendance: [{ name: 'Ella', percent: 93.44 }] });
		expect(texts(f)).toContain('A holiday is not an exceptional circumstance, so the headteacher is unlikely to agree it.');
		expect(texts(f)).toContain('Ella’s attendance this year is 93.4%. Below 96%, leave is unlikely to be agreed, because every day in school matters for Ella.');
		expect(texts(evaluateLeave(cal, { ...base, attendance: [{ name: 'Ella', percent: 96 }] })).some((t) => t.includes('Below 96%'))).toBe(false);
	});

	it('explains unauthorised leave with the 2024 amounts, never the old ones', () => {
		const last = texts(evaluateLeave(cal, base)).at(-1)!;
		expect(last).toContain('code G');
		expect(last).toContain('£80 per parent per child if paid within 21 days, £160 within 28 days');
		expect(last).not.toMatch(/£60|£120/);
	});
});

describe('codes and partial approval', () => {
	it('records each granted type with its 2024 code', () => {
		expect(LEAVE_TYPES.map((t) => LEAVE_CODES[t])).toEqual(['C', 'R', 'C1', 'J1', 'S', 'C2', 'T', 'C']);
	});
	it('grants all the sessions, or only those in the agreed dates', () => {
		const requested = evaluateLeave(cal, { ...base, to: '2026-11-25' }).sessions;
		expect(grantedSessions(requested)).toHaveLength(6);
		expect(grantedSessions(requested, { from: '2026-11-24', to: '2026-11-24' })).toEqual([
			{ date: '2026-11-24', session: 'AM' },
			{ date: '2026-11-24', session: 'PM' }
		]);
	});
});
