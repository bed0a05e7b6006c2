import { describe, expect, it } from 'vitest';
import {
	ABSENCE_REASONS,
	MAX_SCHOOL_DAYS_AHEAD,
	REFERENCE_ALPHABET,
	generateReference,
	isAbsenceReason,
	mayAskForMedicalEvidence,
	needsCheckIn,
	normaliseReference,
	planReportSessions,
	partDayProblem,
	partDayFromRow,
	partDayLabel,
	reporterLabel,
	reporterNeedsAttention,
	sessionsMissedByPartDay,
	suggestedCode,
	type PlanReportInput
} from '../../src/lib/domain/absence';
import { ATTENDANCE_CODES } from '../../src/lib/domain/codes';
import { TIMES, calendar2026 } from './fixtures';

const cal = calendar2026();

/** A plan input at a given instant; today is derived from it in Europe/London. */
function at(now: string, rest: Partial<PlanReportInput> & { from: string }): PlanReportInput {
	return { now: new Date(now), registerTimes: TIMES, ...rest };
}

function expectOk(plan: ReturnType<typeof planReportSessions>) {
	if (!plan.ok) throw new Error(`expected a plan, got ${JSON.stringify(plan.errors)}`);
	return plan;
}

function expectErrors(plan: ReturnType<typeof planReportSessions>) {
	if (plan.ok) throw new Error('expected errors');
	return plan.errors;
}

describe('suggestedCode', () => {
	it('maps every reason to a valid 2024 code', () => {
		const expected = {
			illness: 'I',
			mental_health: 'I',
			medical_appointment: 'M',
			religious_observance: 'R',
			family_emergency: 'C',
			bereavement: 'C',
			other: 'N'
		} as const;
		for (const reason of ABSENCE_REASONS) {
			expect(suggestedCode(reason)).toBe(expected[reason]);
			expect(ATTENDANCE_CODES).toContain(suggestedCode(reason));
		}
	});

	it('recognises reasons', () => {
		expect(isAbsenceReason('illness')).toBe(true);
		expect(isAbsenceReason('holiday')).toBe(false);
		expect(isAbsenceReason(3)).toBe(false);
	});
});

describe('planReportSessions: what a report covers', () => {
	it('today, whole day, before the register closes: both sessions on time (BST)', () => {
		// 08:00 BST on Thu 1 Oct 2026 = 07:00Z.
		const plan = expectOk(planReportSessions(cal, at('2026-10-01T07:00:00Z', { from: '2026-10-01' })));
		expect(plan.sessions).toEqual([
			{ date: '2026-10-01', session: 'AM', timing: 'on_time' },
			{ date: '2026-10-01', session: 'PM', timing: 'on_time' }
		]);
		expect(plan).toMatchObject({ startsOn: '2026-10-01', endsOn: '2026-10-01', coversThrough: '2026-10-01', late: false });
	});

	it('BST: 08:30Z is 09:30 local, after the AM register closed at 09:15 → AM late, PM on time', () => {
		const plan = expectOk(planReportSessions(cal, at('2026-10-01T08:30:00Z', { from: '2026-10-01' })));
		expect(plan.sessions.map((s) => s.timing)).toEqual(['late', 'on_time']);
		expect(plan.late).toBe(true);
	});

	it('GMT: 09:10Z is 09:10 local, still on time; 09:15Z is late', () => {
		const onTime = expectOk(planReportSessions(cal, at('2026-11-05T09:10:00Z', { from: '2026-11-05' })));
		expect(onTime.late).toBe(false);
		const late = expectOk(planReportSessions(cal, at('2026-11-05T09:15:00Z', { from: '2026-11-05' })));
		expect(late.sessions.map((s) => s.timing)).toEqual(['late', 'on_time']);
	});

	it('the same UTC instant is on time in GMT and late in BST', () => {
		// 08:20Z: 09:20 BST on 1 Oct (late), 08:20 GMT on 5 Nov (on time).
		expect(expectOk(planReportSessions(cal, at('2026-10-01T08:20:00Z', { from: '2026-10-01' }))).late).toBe(true);
		expect(expectOk(planReportSessions(cal, at('2026-11-05T08:20:00Z', { from: '2026-11-05' }))).late).toBe(false);
	});

	it('after 13:30 both of today’s sessions are late', () => {
		const plan = expectOk(planReportSessions(cal, at('2026-11-05T14:00:00Z', { from: '2026-11-05' })));
		expect(plan.sessions.map((s) => s.timing)).toEqual(['late', 'late']);
	});

	it('a report the evening before is on time', () => {
		const plan = expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05' })));
		expect(plan.late).toBe(false);
	});

	it('a range skips weekends, holidays, INSET and half-day closures', () => {
		// Thu 8 Oct – Tue 13 Oct: Fri 9 Oct INSET, weekend 10–11.
		const plan = expectOk(planReportSessions(cal, at('2026-10-07T18:00:00Z', { from: '2026-10-08', to: '2026-10-13' })));
		expect([...new Set(plan.sessions.map((s) => s.date))]).toEqual(['2026-10-08', '2026-10-12', '2026-10-13']);
		expect(plan.sessions).toHaveLength(6);
		// Thu 17 – Fri 18 Dec: 18 Dec PM is closed.
		const dec = expectOk(planReportSessions(cal, at('2026-12-16T18:00:00Z', { from: '2026-12-17', to: '2026-12-18' })));
		expect(dec.sessions.map((s) => `${s.date} ${s.session}`)).toEqual([
			'2026-12-17 AM',
			'2026-12-17 PM',
			'2026-12-18 AM'
		]);
	});

	it('a range across half term skips the holiday', () => {
		const plan = expectOk(planReportSessions(cal, at('2026-10-22T07:00:00Z', { from: '2026-10-22', to: '2026-11-03' })));
		expect([...new Set(plan.sessions.map((s) => s.date))]).toEqual(['2026-10-22', '2026-10-23', '2026-11-02', '2026-11-03']);
	});

	it('morning only or afternoon only', () => {
		const am = expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', to: '2026-11-06', sessions: 'AM' })));
		expect(am.sessions.map((s) => `${s.date} ${s.session}`)).toEqual(['2026-11-05 AM', '2026-11-06 AM']);
		const pm = expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', sessions: 'PM' })));
		expect(pm.sessions.map((s) => `${s.date} ${s.session}`)).toEqual(['2026-11-05 PM']);
	});

	it('no `to` means a single day', () => {
		const plan = expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05' })));
		expect(plan.endsOn).toBe('2026-11-05');
	});

	it('until further notice covers only today, and is stored open-ended', () => {
		const plan = expectOk(
			planReportSessions(cal, at('2026-11-05T07:00:00Z', { from: '2026-11-05', untilFurtherNotice: true, to: '2026-11-20' }))
		);
		expect(plan.endsOn).toBeNull();
		expect(plan.coversThrough).toBe('2026-11-05');
		expect(plan.sessions).toHaveLength(2);
	});

	it('until further notice from a weekend covers the next school day', () => {
		// Sat 10 Oct → Mon 12 Oct (Fri 9 Oct INSET is before it anyway).
		const plan = expectOk(planReportSessions(cal, at('2026-10-10T10:00:00Z', { from: '2026-10-10', untilFurtherNotice: true })));
		expect(plan.coversThrough).toBe('2026-10-12');
		expect(plan.startsOn).toBe('2026-10-10');
		expect(plan.sessions.every((s) => s.date === '2026-10-12')).toBe(true);
	});

	it('uses an explicit today and time zone when given', () => {
		const plan = expectOk(
			planReportSessions(cal, {
				from: '2026-11-05',
				now: new Date('2026-11-05T07:00:00Z'),
				today: '2026-11-05',
				timeZone: 'Europe/London',
				registerTimes: TIMES
			})
		);
		expect(plan.late).toBe(false);
	});
});

describe('planReportSessions: bad input as errors', () => {
	const now = '2026-11-05T07:00:00Z'; // Thu 5 Nov, 07:00 GMT

	it('rejects a date before today', () => {
		const errors = expectErrors(planReportSessions(cal, at(now, { from: '2026-11-04' })));
		expect(errors).toEqual([{ field: 'from', code: 'date_in_past' }]);
	});

	it('just after midnight local time, yesterday is the past (BST: 23:30Z is already tomorrow)', () => {
		// 23:30Z on 30 Sep = 00:30 BST on 1 Oct.
		expectErrors(planReportSessions(cal, at('2026-09-30T23:30:00Z', { from: '2026-09-30' })));
		expectOk(planReportSessions(cal, at('2026-09-30T23:30:00Z', { from: '2026-10-01' })));
	});

	it('rejects dates outside every term', () => {
		const fromHoliday = expectErrors(planReportSessions(cal, at('2026-10-20T07:00:00Z', { from: '2026-10-27' })));
		expect(fromHoliday).toEqual([{ field: 'from', code: 'not_term_time', date: '2026-10-27' }]);
		const toHoliday = expectErrors(planReportSessions(cal, at('2026-10-20T07:00:00Z', { from: '2026-10-22', to: '2026-10-28' })));
		expect(toHoliday).toEqual([{ field: 'to', code: 'not_term_time', date: '2026-10-28' }]);
		expectErrors(planReportSessions(cal, at('2027-08-01T07:00:00Z', { from: '2027-08-02' })));
	});

	it('rejects `to` before `from`', () => {
		const errors = expectErrors(planReportSessions(cal, at(now, { from: '2026-11-10', to: '2026-11-09' })));
		expect(errors).toEqual([{ field: 'to', code: 'last_before_first' }]);
	});

	it('rejects a weekend-only range, an INSET-only day and a closed half day', () => {
		const weekend = expectErrors(planReportSessions(cal, at(now, { from: '2026-11-07', to: '2026-11-08' })));
		expect(weekend).toEqual([{ field: 'to', code: 'school_closed' }]);
		expectErrors(planReportSessions(cal, at('2026-10-05T07:00:00Z', { from: '2026-10-09' })));
		const pm = expectErrors(planReportSessions(cal, at('2026-12-14T07:00:00Z', { from: '2026-12-18', sessions: 'PM' })));
		expect(pm[0]!.code).toBe('no_afternoon');
	});

	it('rejects more than 60 school days ahead, accepts exactly 60', () => {
		expect(MAX_SCHOOL_DAYS_AHEAD).toBe(60);
		// From Thu 5 Nov 2026, about 52 school days reach 1 Feb 2027; 25 Mar 2027 is well beyond 60.
		const ok = expectOk(planReportSessions(cal, at(now, { from: '2026-11-05', to: '2027-02-01' })));
		expect(ok.sessions.length).toBeGreaterThan(0);
		const far = expectErrors(planReportSessions(cal, at(now, { from: '2026-11-05', to: '2027-03-25' })));
		expect(far).toEqual([{ field: 'to', code: 'too_far_ahead', days: 60 }]);
		const small = expectErrors(
			planReportSessions(cal, at(now, { from: '2026-11-05', to: '2026-11-12', maxSchoolDaysAhead: 3 }))
		);
		expect(small[0]).toEqual({ field: 'to', code: 'too_far_ahead', days: 3 });
		expectOk(planReportSessions(cal, at(now, { from: '2026-11-05', to: '2026-11-10', maxSchoolDaysAhead: 3 })));
		expectErrors(planReportSessions(cal, at(now, { from: '2026-11-05', to: '2026-11-11', maxSchoolDaysAhead: 3 })));
	});

	it('rejects malformed dates and sessions', () => {
		expect(expectErrors(planReportSessions(cal, at(now, { from: '2026-02-30' })))[0]!.field).toBe('from');
		expect(expectErrors(planReportSessions(cal, at(now, { from: '2026-11-05', to: 'soon' })))[0]!.field).toBe('to');
		const bad = expectErrors(
			planReportSessions(cal, at(now, { from: '2026-11-05', sessions: 'EVENING' as unknown as 'AM' }))
		);
		expect(bad[0]!.field).toBe('sessions');
	});
});

describe('references', () => {
	it('look like AB3-7KQ and use only the unambiguous alphabet', () => {
		expect(REFERENCE_ALPHABET).not.toMatch(/[0O1I]/);
		expect(REFERENCE_ALPHABET).toHaveLength(32);
		for (let i = 0; i < 500; i++) {
			const ref = generateReference(Math.random);
			expect(ref).toMatch(/^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$/);
		}
	});

	it('is deterministic for a given rng and covers both ends of the alphabet', () => {
		expect(generateReference(() => 0)).toBe('AAA-AAA');
		expect(generateReference(() => 0.999999)).toBe('999-999');
		const seq = [0, 1 / 32, 2 / 32, 31 / 32, 30 / 32, 29 / 32];
		let i = 0;
		expect(generateReference(() => seq[i++]!)).toBe('ABC-987');
	});

	it('refuses an rng outside [0, 1)', () => {
		expect(() => generateReference(() => 1)).toThrow(RangeError);
		expect(() => generateReference(() => -0.1)).toThrow(RangeError);
		expect(() => generateReference(() => Number.NaN)).toThrow(RangeError);
	});

	it('normalises what a person types', () => {
		expect(normaliseReference('ab3 7kq')).toBe('AB3-7KQ');
		expect(normaliseReference('AB37KQ')).toBe('AB3-7KQ');
		expect(normaliseReference(' ab3-7kq ')).toBe('AB3-7KQ');
		expect(normaliseReference('AB0-7KQ')).toBeNull();
		expect(normaliseReference('ABI-7KQ')).toBeNull();
		expect(normaliseReference('AB3-7K')).toBeNull();
	});
});

describe('longDate', () => {
	it('writes dates the British way', async () => {
		const { longDate } = await import('../../src/lib/domain/absence');
		expect(longDate('2026-10-05')).toBe('Monday 5 October 2026');
		expect(longDate('2027-01-31')).toBe('Sunday 31 January 2027');
	});
});

describe('needsCheckIn (daily check-in for open-ended reports)', () => {
	const open = { endsOn: null, coversThrough: '2026-11-05', status: 'open' as const };

	it('is due on the next school day the report does not yet cover', () => {
		expect(needsCheckIn(cal, open, '2026-11-06')).toBe(true);
		expect(needsCheckIn(cal, { ...open, status: 'acknowledged' }, '2026-11-06')).toBe(true);
	});
	it('is not due while the report covers today', () => {
		expect(needsCheckIn(cal, open, '2026-11-05')).toBe(false);
		expect(needsCheckIn(cal, open, '2026-11-04')).toBe(false);
	});
	it('is not due on weekends, holidays and INSET days', () => {
		expect(needsCheckIn(cal, open, '2026-11-07')).toBe(false); // Saturday
		expect(needsCheckIn(cal, { ...open, coversThrough: '2026-10-22' }, '2026-10-28')).toBe(false); // half term
		expect(needsCheckIn(cal, { ...open, coversThrough: '2027-01-01' }, '2027-01-04')).toBe(false); // INSET
	});
	it('is due on a half-day (the school is open for one session)', () => {
		expect(needsCheckIn(cal, { ...open, coversThrough: '2026-12-17' }, '2026-12-18')).toBe(true);
	});
	it('is never due once the report has an end date or was withdrawn', () => {
		expect(needsCheckIn(cal, { ...open, endsOn: '2026-11-05' }, '2026-11-06')).toBe(false);
		expect(needsCheckIn(cal, { ...open, status: 'withdrawn' }, '2026-11-06')).toBe(false);
	});
});

describe('mayAskForMedicalEvidence', () => {
	it('applies to illness over the school’s threshold only', () => {
		expect(mayAskForMedicalEvidence('illness', 6, 5)).toBe(true);
		expect(mayAskForMedicalEvidence('mental_health', 6, 5)).toBe(true);
		expect(mayAskForMedicalEvidence('illness', 5, 5)).toBe(false);
		expect(mayAskForMedicalEvidence('medical_appointment', 9, 5)).toBe(false);
		expect(mayAskForMedicalEvidence('other', 9, 5)).toBe(false);
	});
	it('a threshold of 0 turns the prompt off', () => {
		expect(mayAskForMedicalEvidence('illness', 30, 0)).toBe(false);
	});
});

describe('part days: only the sessions actually missed are absences', () => {
	// Registers: AM 08:40–09:15, PM 13:00–13:30 (fixtures TIMES).
	it('an appointment with its time: present at registration and back in time is not absent', () => {
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '10:30', returnsAt: '13:00' })).toEqual([]);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '10:30', returnsAt: '13:30' })).toEqual([]); // back as it closes
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '10:30', returnsAt: '13:31' })).toEqual(['PM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '08:00', returnsAt: '11:00' })).toEqual(['AM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '08:40', returnsAt: '09:15' })).toEqual([]);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '08:40', returnsAt: '09:16' })).toEqual(['AM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '08:41', returnsAt: '15:00' })).toEqual(['PM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'appointment', leavesAt: '07:00', returnsAt: '15:00' })).toEqual(['AM', 'PM']);
	});
	it('a late arrival misses the morning only when they come after its register closes', () => {
		expect(sessionsMissedByPartDay(TIMES, { kind: 'late_arrival', arrivesBy: '09:15' })).toEqual([]);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'late_arrival', arrivesBy: '10:00' })).toEqual(['AM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'late_arrival', arrivesBy: '13:45' })).toEqual(['AM', 'PM']);
	});
	it('leaving early misses the afternoon only when they leave before its register opens', () => {
		expect(sessionsMissedByPartDay(TIMES, { kind: 'leaving_early', leavesAt: '12:00' })).toEqual(['PM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'leaving_early', leavesAt: '13:00' })).toEqual(['PM']);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'leaving_early', leavesAt: '13:01' })).toEqual([]);
		expect(sessionsMissedByPartDay(TIMES, { kind: 'leaving_early', leavesAt: '14:30' })).toEqual([]);
	});
	it('plans a part day on one school day; no missed session is still a report', () => {
		const late = expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', partDay: { kind: 'late_arrival', arrivesBy: '10:00' } })));
		expect(late.sessions.map((s) => s.session)).toEqual(['AM']);
		const appt = expectOk(
			planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', partDay: { kind: 'appointment', leavesAt: '10:30', returnsAt: '13:00' } }))
		);
		expect(appt).toMatchObject({ sessions: [], startsOn: '2026-11-05', endsOn: '2026-11-05', coversThrough: '2026-11-05', late: false });
		// The half-day closure on 18 Dec has no PM: leaving at 12:00 misses nothing then.
		expect(
			expectOk(planReportSessions(cal, at('2026-12-17T19:00:00Z', { from: '2026-12-18', partDay: { kind: 'leaving_early', leavesAt: '12:00' } }))).sessions
		).toEqual([]);
		// A morning or an afternoon is the sessions choice.
		expect(expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', sessions: 'PM' }))).sessions.map((s) => s.session)).toEqual(['PM']);
	});
	it('refuses part days over several days, bad times, and closed days', () => {
		expect(expectErrors(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', to: '2026-11-06', partDay: { kind: 'leaving_early', leavesAt: '12:00' } })))[0]!.code).toBe('part_one_day');
		expect(expectErrors(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', untilFurtherNotice: true, partDay: { kind: 'late_arrival', arrivesBy: '10:00' } })))[0]!.code).toBe('part_one_day');
		expect(expectErrors(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', partDay: { kind: 'appointment', leavesAt: '13:00', returnsAt: '10:30' } })))[0]!.code).toBe('back_after_leave');
		expect(expectErrors(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05', partDay: { kind: 'late_arrival', arrivesBy: '25:00' } })))[0]!.field).toBe('sessions');
		expect(expectErrors(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-07', partDay: { kind: 'leaving_early', leavesAt: '12:00' } })))[0]!.code).toBe('school_closed');
		expect(partDayProblem({ kind: 'late_arrival', arrivesBy: '10:00' })).toBeNull();
	});
});

describe('a report in a year whose calendar is not loaded is taken, not refused', () => {
	it('counts weekdays provisionally and says which year is unpublished', () => {
		// In July, for the first days of next September (2027/28 not published in the fixture).
		const plan = expectOk(planReportSessions(cal, at('2027-07-20T18:00:00Z', { from: '2027-09-06', to: '2027-09-07' })));
		expect(plan.sessions).toHaveLength(4);
		expect(plan.unpublished).toEqual(['2027/28']);
		const open = expectOk(planReportSessions(cal, at('2027-07-20T18:00:00Z', { from: '2027-09-04', untilFurtherNotice: true })));
		expect(open.coversThrough).toBe('2027-09-06'); // Saturday → the Monday
		// The summer holiday of a published year is still closed.
		expect(expectErrors(planReportSessions(cal, at('2027-07-20T18:00:00Z', { from: '2027-08-02' })))[0]!.code).toBe('not_term_time');
		expect(expectOk(planReportSessions(cal, at('2026-11-04T19:00:00Z', { from: '2026-11-05' }))).unpublished).toEqual([]);
	});
});

describe('who reported, as staff would hear it on the phone', () => {
	it('says the relationship, and when the reporter does not live with the child or has no parental responsibility', () => {
		const mum = { name: 'Ana Pop', relationship: 'Mother', livesWith: true, parentalResponsibility: true };
		expect(reporterLabel(mum)).toBe('Ana Pop (Mother)');
		expect(reporterNeedsAttention(mum)).toBe(false);
		const dad = { name: 'Tom Smith', relationship: 'Father', livesWith: false, parentalResponsibility: true };
		expect(reporterLabel(dad)).toBe('Tom Smith (Father, does not live with the child)');
		expect(reporterNeedsAttention(dad)).toBe(true);
		const gran = { name: 'Joan Smith', relationship: 'Grandmother', livesWith: true, parentalResponsibility: false };
		expect(reporterLabel(gran)).toBe('Joan Smith (Grandmother, no parental responsibility)');
		expect(reporterNeedsAttention(gran)).toBe(true);
		expect(reporterLabel({ name: 'X Y', relationship: null, livesWith: null, parentalResponsibility: null })).toBe('X Y (no longer linked to the child)');
	});
	it('reads part days back from their stored columns and labels them for staff', () => {
		expect(partDayFromRow({ partDay: 'appointment', arrivesBy: null, leavesAt: '10:30:00', returnsAt: '13:00:00' })).toEqual({ kind: 'appointment', leavesAt: '10:30', returnsAt: '13:00' });
		expect(partDayFromRow({ partDay: null, arrivesBy: null, leavesAt: null, returnsAt: null })).toBeNull();
		expect(partDayLabel({ kind: 'appointment', leavesAt: '10:30', returnsAt: '13:00' })).toBe('Appointment: leaves at 10:30, back by 13:00');
		expect(partDayLabel({ kind: 'late_arrival', arrivesBy: '10:00' })).toBe('Coming in late: in by 10:00');
		expect(partDayLabel({ kind: 'leaving_early', leavesAt: '14:15' })).toBe('Leaving early at 14:15');
	});
});
