import { describe, expect, it } from 'vitest';
import {
	LEAVE_CODES,
	LEAVE_TYPES,
	evaluateLeave,
	grantedSessions,
	leaveTypesFor,
	leaveTypesForAnyOf,
	protectedPeriodAppliesTo,
	sessionsKnownOrNot,
	splitReligiousObservance,
	grantedCodes,
	type LeaveInput
} from '../../src/lib/domain/leave';
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
	attendance: [{ name: 'Ella', percent: 98.2, yearGroup: 4 }]
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
		const short = evaluateLeave(cal, { ...base, today: '2026-11-16', reason: 'A family christening in Poland' });
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

describe('leave rules at their edges', () => {
	it('study leave is offered to Year 11 only, and refused for a younger child', () => {
		expect(leaveTypesFor([11])).toContain('study_leave');
		expect(leaveTypesFor([10])).not.toContain('study_leave');
		expect(leaveTypesFor([0, 4])).not.toContain('study_leave');
		expect(leaveTypesFor([11, 9])).not.toContain('study_leave'); // must apply to every child chosen
		expect(leaveTypesForAnyOf([11, 9])).toContain('study_leave');
		expect(leaveTypesFor([6])).toEqual(LEAVE_TYPES.filter((t) => t !== 'study_leave'));
		const f = evaluateLeave(cal, { ...base, type: 'study_leave', attendance: [{ name: 'Ella', percent: 98, yearGroup: 6 }] });
		expect(f.ok).toBe(false);
		expect(f.errors[0]).toMatchObject({ field: 'type', finding: { kind: 'type_not_for_year_group', names: ['Ella'] } });
		expect(evaluateLeave(cal, { ...base, type: 'study_leave', attendance: [{ name: 'Zak', percent: 98, yearGroup: 11 }] }).ok).toBe(true);
	});

	it('a protected period tied to year groups applies only to those children', () => {
		const sats = { name: 'SATs week', startsOn: '2026-11-23', endsOn: '2026-11-27', yearGroups: [2, 6] };
		const hit = (yearGroup: number) =>
			evaluateLeave(cal, { ...base, protectedPeriods: [sats], attendance: [{ name: 'Ella', percent: 98, yearGroup }] }).protectedHit;
		expect(hit(6)).toEqual(['SATs week']);
		expect(hit(2)).toEqual(['SATs week']);
		expect(hit(5)).toEqual([]);
		expect(hit(1)).toEqual([]);
		const everyone = { name: 'First week', startsOn: '2026-11-23', endsOn: '2026-11-27' };
		expect(evaluateLeave(cal, { ...base, protectedPeriods: [everyone] }).protectedHit).toEqual(['First week']);
		expect(protectedPeriodAppliesTo(sats, null)).toBe(true);
	});

	it('a year whose calendar is not loaded is unknown, not closed: the request is taken and counted on weekdays', () => {
		// Asked in December for next October, with only 2026/27 published.
		const f = evaluateLeave(cal, { ...base, today: '2026-12-02', from: '2027-10-04', to: '2027-10-08' });
		expect(f.ok).toBe(true);
		expect(f.errors).toEqual([]);
		expect(f.schoolDays).toBe(5);
		expect(f.points.map((p) => p.finding)).toContainEqual({ kind: 'calendar_not_published', academicYears: ['2027/28'] });
		expect(texts(f).join(' ')).not.toMatch(/closed/);
		// Across the summer: July from the calendar (Summer 2 ends Wed 21 Jul), September provisional.
		const across = evaluateLeave(cal, { ...base, today: '2026-12-02', from: '2027-07-19', to: '2027-09-03' });
		expect(across.ok).toBe(true);
		expect(across.schoolDays).toBe(3 + 3); // Mon–Wed 19–21 Jul; Wed 1 – Fri 3 Sep (weekdays of an unknown year)
		// A known holiday is still a holiday.
		expect(evaluateLeave(cal, { ...base, today: '2026-12-02', from: '2027-08-02', to: '2027-08-06' }).errors[0]!.finding).toEqual({ kind: 'school_closed' });
		expect(sessionsKnownOrNot(cal, '2027-08-30', '2027-09-01')).toEqual({
			sessions: [
				{ date: '2027-09-01', session: 'AM' },
				{ date: '2027-09-01', session: 'PM' }
			],
			unpublished: ['2027/28']
		});
	});

	it('explains penalty notices only for a child of compulsory school age', () => {
		const hasPenalty = (child: LeaveInput['attendance'][number], from = '2026-11-23', to = '2026-11-24') =>
			evaluateLeave(cal, { ...base, from, to, attendance: [child] }).points.some((p) => p.finding.kind === 'unauthorised');
		expect(hasPenalty({ name: 'Ella', percent: 98, yearGroup: 4, dateOfBirth: '2018-01-10' })).toBe(true);
		expect(hasPenalty({ name: 'Tom', percent: 98, yearGroup: -1, dateOfBirth: '2023-01-10' })).toBe(false); // Nursery
		// Reception, five in October 2026: of compulsory school age from 31 December 2026.
		const rec = { name: 'Ana', percent: 98, yearGroup: 0, dateOfBirth: '2021-10-15' };
		expect(hasPenalty(rec)).toBe(false);
		expect(hasPenalty(rec, '2027-01-05', '2027-01-06')).toBe(true);
		// Two children: the wording is there when either is of that age.
		expect(
			evaluateLeave(cal, { ...base, attendance: [rec, { name: 'Ella', percent: 98, yearGroup: 4 }] }).points.some((p) => p.finding.kind === 'unauthorised')
		).toBe(true);
	});
});

describe('religious observance: R only for the day set apart', () => {
	const days = ['2027-03-08', '2027-03-09', '2027-03-10'];
	it('the other days are C when agreed as exceptional, or not agreed', () => {
		expect(splitReligiousObservance(days, ['2027-03-09'], 'exceptional')).toEqual({
			ok: true,
			codes: { '2027-03-08': 'C', '2027-03-09': 'R', '2027-03-10': 'C' },
			allAgreed: true,
			agreedFrom: '2027-03-08',
			agreedTo: '2027-03-10'
		});
		expect(splitReligiousObservance(days, ['2027-03-09'], 'declined')).toEqual({
			ok: true,
			codes: { '2027-03-09': 'R' },
			allAgreed: false,
			agreedFrom: '2027-03-09',
			agreedTo: '2027-03-09'
		});
	});
	it('needs a day set apart among the days asked for', () => {
		expect(splitReligiousObservance(days, [], 'exceptional')).toEqual({ ok: false, problem: 'set_apart_missing' });
		expect(splitReligiousObservance(days, ['2027-03-11'], 'declined')).toEqual({ ok: false, problem: 'set_apart_outside' });
	});
	it('the exported codes follow the split, and a day not agreed is not exported', () => {
		const sessions = days.flatMap((date) => [
			{ date, session: 'AM' as const },
			{ date, session: 'PM' as const }
		]);
		const split = splitReligiousObservance(days, ['2027-03-09'], 'declined');
		if (!split.ok) throw new Error('expected a split');
		expect(grantedCodes(sessions, 'religious_observance', split.codes)).toEqual([
			{ date: '2027-03-09', session: 'AM', code: 'R' },
			{ date: '2027-03-09', session: 'PM', code: 'R' }
		]);
		expect(grantedCodes(sessions.slice(0, 2), 'religious_observance', null).map((s) => s.code)).toEqual(['R', 'R']);
		expect(grantedCodes(sessions.slice(0, 2), 'interview').map((s) => s.code)).toEqual(['J1', 'J1']);
	});
});

describe('the leave rules the policies state', () => {
	const kinds = (input: Partial<LeaveInput>) => evaluateLeave(cal, { ...base, ...input }).points.map((p) => p.finding.kind);
	it('the notice period does not apply to a bereavement or a serious emergency', () => {
		expect(kinds({ today: '2026-11-16' })).toContain('notice_not_needed'); // a funeral, 7 days ahead
		expect(kinds({ today: '2026-11-16' })).not.toContain('notice_short');
		expect(kinds({ today: '2026-11-16', reason: 'Their father is in intensive care abroad' })).toContain('notice_not_needed');
		expect(kinds({ today: '2026-11-16', reason: 'A family christening' })).toContain('notice_short');
		// Only for exceptional circumstances: a funeral is not a reason for study leave's notice.
		expect(kinds({ today: '2026-11-16', type: 'interview', reason: 'Interview, then the funeral' })).toContain('notice_short');
	});
	it('a close-family wedding is at most one day', () => {
		expect(kinds({ reason: 'My sister’s wedding in Kraków' })).toContain('wedding_one_day'); // 2 days asked
		expect(kinds({ reason: 'My sister’s wedding in Kraków', to: '2026-11-23' })).not.toContain('wedding_one_day');
	});
	it('service personnel returning from a tour of duty', () => {
		expect(kinds({ reason: 'Their dad is back from a tour of duty in Estonia and has no leave in the holidays' })).toContain('service_return');
		expect(kinds({ reason: 'Mum returns from deployment with the Royal Navy' })).toContain('service_return');
		expect(kinds({ reason: 'A family christening' })).not.toContain('service_return');
	});
	it('protest activity is never granted', () => {
		expect(kinds({ reason: 'To join the climate strike in London' })).toContain('protest_never');
		expect(kinds({ reason: 'A protest march against the bypass' })).toContain('protest_never');
		expect(kinds({ reason: 'A family christening' })).not.toContain('protest_never');
	});
});
