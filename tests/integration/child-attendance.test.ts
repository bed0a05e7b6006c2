import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { childAttendanceDetail } from '../../src/lib/server/features/attendance/child-detail';
import { schoolSettings, setTimeLostPercents, settingsFromForm, updateSchoolSettings } from '../../src/lib/server/features/schools';
import { schoolProblemText } from '../../src/lib/i18n-staff-problems';
import { createTestSchool, markTermTo13November } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';
import { compareDates as compare } from '../../src/lib/domain/calendar';

/*
 * Test school calendar (tests/fixtures/register/school.ts): Autumn 1 3 Sep – 23 Oct 2026, half
 * term, Autumn 2 from Mon 2 Nov. Sam: all present in Autumn 1 but 2 days ill and 3 unauthorised
 * sessions (N, G, U) in the week of 14 Sep; then present 2–13 Nov.
 */
describe(`a child's attendance page figures (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let parent: string;
	let stranger: string;
	let sam: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'ca', urn: '460001', misIds: ['SAM'] });
		sam = school.pupils.get('SAM')!;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		parent = await createGuardian(handle, { phone: '+447700907001' });
		stranger = await createGuardian(handle, { phone: '+447700907002' });
		await linkGuardian(handle, parent, sam);
		await markTermTo13November(handle, sam, school.id);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('computes every figure from the marks and the calendar', async () => {
		const d = (await childAttendanceDetail(handle, parent, sam, new Date('2026-11-16T12:00:00Z')))!;
		expect(d.lastMarkDate).toBe('2026-11-13');
		expect(d.freshness).toBe('Register data to Friday 13 November 2026');
		expect(d.tally.possible).toBe(d.calendar.length * 2);
		expect(d.tally.possible - d.tally.attended).toBe(7);
		expect(d.daysMissedText).toBe('3½ days');
		expect(d.authorisedDaysText).toBe('2 days');
		expect(d.unauthorisedDaysText).toBe('1½ days');
		expect(d.lates).toEqual({ beforeClose: 1, afterClose: 1, minutes: 40 });
		// Lateness as time lost: 20 minutes a late day, over this school's own year, in its own
		// days (a school that set nothing: 08:40 to 15:15, 395 minutes).
		expect(d.lateness).toEqual({ minutesPerDay: 20, daysAYear: Math.round(((20 * d.schoolDaysInYear) / 395) * 2) / 2 });
		expect(d.halfTerm).toMatchObject({ name: 'Autumn 2', percentText: '100.0%' });
		expect(d.halfTerm!.change).toBeGreaterThan(0);
		expect(d.halfTerm!.changeText).toMatch(/^Up \d\.\d points since the start of Autumn 2\. Well done!$/);
		expect(d.penaltyWindow).toMatchObject({ count: 3, threshold: 10, reachesThreshold: false });
		expect(d.trend[0]!.weekStart).toBe('2026-08-31');
		expect(d.calendar.find((c) => c.date === '2026-09-16')).toEqual({
			date: '2026-09-16',
			am: { code: 'N', meaning: expect.any(String) },
			pm: { code: '/', meaning: 'In school' }
		});
		expect(d.summaryText).toMatch(/^Sam: \d+\.\d% this year \(2026\/27\), 3½ days missed so far\. Up .* Register data to Friday 13 November 2026\.$/);
		expect(d.timeLost.map((r) => r.percent)).toEqual([95, 90, 85, 75]);
		expect(d.ownRow!.percent).toBeCloseTo(d.percent!, 1);
	});

	it('leaves out the penalty-notice window for a child below compulsory school age, and shows it from the day it begins', async () => {
		// Reception, five on 15 October 2026: of compulsory school age from 31 December 2026.
		await handle.query(`update pupils set year_group = 0, date_of_birth = '2021-10-15' where id = $1`, [sam]);
		try {
			const before = (await childAttendanceDetail(handle, parent, sam, new Date('2026-11-16T12:00:00Z')))!;
			expect(before.penaltyWindow).toBeNull();
			expect(before.tally.unauthorisedAbsence).toBe(3); // the marks themselves are still shown
			await handle.query(`update pupils set date_of_birth = '2021-08-31' where id = $1`, [sam]); // five on 31 Aug 2026: a prescribed day
			const after = (await childAttendanceDetail(handle, parent, sam, new Date('2026-11-16T12:00:00Z')))!;
			expect(after.penaltyWindow).toMatchObject({ count: 3 });
		} finally {
			await handle.query(`update pupils set year_group = 5, date_of_birth = null where id = $1`, [sam]);
		}
	});

	it('the time-lost table quotes the percentages the school chose, for its own year', async () => {
		const schoolId = (await handle.query<{ school_id: string }>(`select school_id from pupils where id = $1`, [sam]))[0]!.school_id;
		const staffId = (
			await handle.query<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'lead@ca.test', 'Lead', 'attendance_lead', 'x') returning id`,
				[schoolId]
			)
		)[0]!.id;
		expect(await setTimeLostPercents(handle, { schoolId, staffUserId: staffId, text: '95, 97, 90' })).toEqual({ ok: true, percents: [97, 95, 90] });
		expect(await setTimeLostPercents(handle, { schoolId, staffUserId: staffId, text: '97, 101' })).toMatchObject({ ok: false });
		const d = (await childAttendanceDetail(handle, parent, sam, new Date('2026-11-16T12:00:00Z')))!;
		expect(d.timeLost.map((r) => r.percent)).toEqual([97, 95, 90]);
		expect(d.timeLost[0]!.daysMissed).toBe(Math.round(0.03 * d.schoolDaysInYear * 2) / 2);
		await setTimeLostPercents(handle, { schoolId, staffUserId: staffId, text: '' });
		expect((await childAttendanceDetail(handle, parent, sam, new Date('2026-11-16T12:00:00Z')))!.timeLost.map((r) => r.percent)).toEqual([95, 90, 85, 75]);
	});

	it('counts lateness in days of the school’s own length, as its settings give it', async () => {
		const schoolId = (await handle.query<{ school_id: string }>(`select school_id from pupils where id = $1`, [sam]))[0]!.school_id;
		const lead = { id: (await handle.query<{ id: string }>(`select id from staff_users where school_id = $1 limit 1`, [schoolId]))[0]!.id, role: 'attendance_lead' as const, schoolId };
		const settings = {
			amRegisterOpens: '08:40',
			amRegisterCloses: '09:10',
			pmRegisterOpens: '13:00',
			pmRegisterCloses: '13:20',
			lessonsPerDay: 5,
			leaveNoticeDays: 14
		};
		const at = new Date('2026-11-16T12:00:00Z');
		try {
			// A long day (08:40 to 15:10, 390 minutes), then a short one (08:40 to 13:40, 300 minutes).
			expect(await updateSchoolSettings(handle, lead, schoolId, { ...settings, schoolDayEnds: '15:10' })).toEqual({ ok: true });
			expect((await schoolSettings(handle, schoolId))!.schoolDayEnds).toBe('15:10');
			const long = (await childAttendanceDetail(handle, parent, sam, at))!;
			// 20 minutes × the school's year, over 390-minute days.
			expect(long.lateness).toEqual({ minutesPerDay: 20, daysAYear: Math.round(((20 * long.schoolDaysInYear) / 390) * 2) / 2 });
			expect(await updateSchoolSettings(handle, lead, schoolId, { ...settings, schoolDayEnds: '13:40' })).toEqual({ ok: true });
			const short = (await childAttendanceDetail(handle, parent, sam, at))!;
			expect(short.lateness!.daysAYear).toBe(Math.round(((20 * short.schoolDaysInYear) / 300) * 2) / 2);
			expect(short.lateness!.daysAYear).toBeGreaterThan(long.lateness!.daysAYear);
			// Settings without the field (an older form) leave the day as it was.
			expect(await updateSchoolSettings(handle, lead, schoolId, settings)).toEqual({ ok: true });
			expect((await schoolSettings(handle, schoolId))!.schoolDayEnds).toBe('13:40');
		} finally {
			await handle.query(`update schools set school_day_ends = '15:15', am_register_opens = '08:40' where id = $1`, [schoolId]);
		}
	});

	it('refuses a school day that is not a time or ends before the afternoon register closes', async () => {
		const schoolId = (await handle.query<{ school_id: string }>(`select school_id from pupils where id = $1`, [sam]))[0]!.school_id;
		const lead = { id: (await handle.query<{ id: string }>(`select id from staff_users where school_id = $1 limit 1`, [schoolId]))[0]!.id, role: 'attendance_lead' as const, schoolId };
		const settings = { amRegisterOpens: '08:40', amRegisterCloses: '09:10', pmRegisterOpens: '13:00', pmRegisterCloses: '13:20', lessonsPerDay: 5, leaveNoticeDays: 14 };
		const late = await updateSchoolSettings(handle, lead, schoolId, { ...settings, schoolDayEnds: '13:20' });
		expect(late).toEqual({ ok: false, errors: [{ field: 'schoolDayEnds', code: 'day_ends_before_pm_closes' }] });
		expect(late.ok ? [] : late.errors.map(schoolProblemText)).toEqual(['The school day must end after the afternoon register closes']);
		const garbled = await updateSchoolSettings(handle, lead, schoolId, { ...settings, schoolDayEnds: '3.15pm' });
		expect(garbled).toEqual({ ok: false, errors: [{ field: 'schoolDayEnds', code: 'time_day_ends' }] });
		expect((await schoolSettings(handle, schoolId))!.schoolDayEnds).toBe('15:15');
		// The form posts it as a field like the other times.
		const form = new FormData();
		for (const [k, v] of Object.entries(settings)) form.set(k, String(v));
		form.set('schoolDayEnds', ' 15:05 ');
		expect(settingsFromForm(form).schoolDayEnds).toBe('15:05');
		form.delete('schoolDayEnds');
		expect('schoolDayEnds' in settingsFromForm(form)).toBe(false);
	});

	it('is null for anyone who is not the child’s parent', async () => {
		expect(await childAttendanceDetail(handle, stranger, sam)).toBeNull();
		expect(await childAttendanceDetail(handle, parent, 'not-a-uuid')).toBeNull();
	});

	it('the penalty window in September still sees July’s unauthorised sessions (it spans school years)', async () => {
		const school = await createTestSchool(handle, { slug: 'ca-years', urn: '460002', misIds: ['JO'] });
		const jo = school.pupils.get('JO')!;
		const parentOfJo = await createGuardian(handle, { phone: '+447700907003' });
		await linkGuardian(handle, parentOfJo, jo);
		// Last summer term and next autumn's first half term, so the window crosses the summer holiday.
		await handle.query(
			`insert into school_terms (school_id, academic_year, name, starts_on, ends_on) values
				($1, '2026/27', 'Summer 2', '2027-06-07', '2027-07-21'),
				($1, '2027/28', 'Autumn 1', '2027-09-02', '2027-10-22')`,
			[school.id]
		);
		// Five days of unauthorised holiday (G) in July: 10 sessions.
		await handle.query(
			`insert into attendance_marks (pupil_id, school_id, date, session, code, source)
			 select $1, $2, d::date, s::register_session, 'G', 'seed'
			   from generate_series('2027-07-12'::date, '2027-07-16'::date, '1 day') d, unnest(array['AM', 'PM']) s`,
			[jo, school.id]
		);
		const d = (await childAttendanceDetail(handle, parentOfJo, jo, new Date('2027-09-15T12:00:00Z')))!;
		expect(d.academicYear).toBe('2027/28');
		expect(d.tally.possible).toBe(0); // this year's figures are this year's only
		expect(d.penaltyWindow).toMatchObject({ count: 10, reachesThreshold: true });
		expect(compare(d.penaltyWindow!.from, '2027-07-12')).toBeLessThanOrEqual(0);
	});
});
