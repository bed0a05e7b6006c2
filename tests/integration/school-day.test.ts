import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { reportsForSchoolDay, submitAbsenceReport, withdrawAbsenceReport } from '../../src/lib/server/features/absence';
import { overdueNMarks, reportsCsv, schoolDayBoard, unexplainedAbsences, REPORTS_CSV_HEADER } from '../../src/lib/server/features/school-day/school-day';
import { DEFAULT_BOARD_VIEW } from '../../src/lib/domain/board-view';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/*
 * Test school calendar (tests/fixtures/register/school.ts): Autumn 1 to Fri 23 Oct 2026, half
 * term 26–30 Oct, Autumn 2 from Mon 2 Nov. Reports are made at 08:00 GMT on Thu 5 Nov.
 */
const MORNING = new Date('2026-11-05T08:00:00Z');
const DAY = '2026-11-05';

describe(`school day for staff (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let other: TestSchool;
	let parent: string;
	let otherParent: string;
	let sam: string;
	let ava: string;
	let zed: string;
	let oth: string;

	async function mark(pupilId: string, schoolId: string, date: string, session: 'AM' | 'PM', code = 'N') {
		await handle.query(
			`insert into attendance_marks (pupil_id, date, session, school_id, code, source) values ($1, $2, $3, $4, $5, 'seed')`,
			[pupilId, date, session, schoolId, code]
		);
	}

	async function report(guardianId: string, pupilId: string, over: Record<string, unknown> = {}) {
		const result = await submitAbsenceReport(handle, {
			guardianId,
			pupilIds: [pupilId],
			reason: 'illness',
			from: DAY,
			channel: 'web',
			idempotencyKey: randomUUID(),
			now: MORNING,
			...over
		});
		if ('errors' in result) throw new Error(JSON.stringify(result.errors));
		return result.reports[0]!;
	}

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'day', urn: '410001', misIds: ['SAM', 'AVA', 'ZED'] });
		other = await createTestSchool(handle, { slug: 'day-other', urn: '410002', misIds: ['OTH'] });
		sam = school.pupils.get('SAM')!;
		ava = school.pupils.get('AVA')!;
		zed = school.pupils.get('ZED')!;
		oth = other.pupils.get('OTH')!;
		await handle.query(`update pupils set first_name = 'Sam', last_name = 'Smith', class_name = '5B' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ava', last_name = 'Jones', class_name = '5A' where id = $1`, [ava]);
		await handle.query(`update pupils set first_name = 'Zed', last_name = 'Brown', class_name = '5A' where id = $1`, [zed]);
		parent = await createGuardian(handle, { firstName: 'Pat', lastName: 'Smith', phone: '+447700903001' });
		otherParent = await createGuardian(handle, { firstName: 'Olu', lastName: 'Other', phone: '+447700903002' });
		await linkGuardian(handle, parent, sam);
		await linkGuardian(handle, parent, ava);
		const zedParent = await createGuardian(handle, { firstName: 'Zoe', lastName: 'Brown', email: 'zoe@example.test' });
		await handle.query(`update guardians set preferred_channel = 'email' where id = $1`, [zedParent]);
		await linkGuardian(handle, zedParent, zed);
		await linkGuardian(handle, otherParent, oth);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('unexplained absences are the N marks minus the sessions a report covers', async () => {
		// Sam: N both sessions, reported for the AM only → PM still unexplained.
		await mark(sam, school.id, DAY, 'AM');
		await mark(sam, school.id, DAY, 'PM');
		await report(parent, sam, { sessions: 'AM' });
		// Ava: N AM, reported (whole day) → explained.
		await mark(ava, school.id, DAY, 'AM');
		await report(parent, ava);
		// Zed: N both sessions, a report that was withdrawn does not explain it.
		await mark(zed, school.id, DAY, 'AM');
		await mark(zed, school.id, DAY, 'PM');
		const zedParentId = (await handle.query<{ guardian_id: string }>(`select guardian_id from pupil_guardians where pupil_id = $1`, [zed]))[0]!
			.guardian_id;
		const withdrawn = await report(zedParentId, zed);
		expect(await withdrawAbsenceReport(handle, { guardianId: zedParentId, reportId: withdrawn.reportId, now: MORNING })).toEqual({ ok: true });
		// Another school's N on the same day never appears.
		await mark(oth, other.id, DAY, 'AM');
		// A present mark is not an absence.
		await mark(ava, school.id, DAY, 'PM', '/');

		const list = await unexplainedAbsences(handle, school.id, DAY);
		expect(list.map((p) => [p.firstName, p.className, p.sessions])).toEqual([
			['Zed', '5A', ['AM', 'PM']],
			['Sam', '5B', ['PM']]
		]);
		expect(list[0]!.guardians).toEqual([
			{ name: 'Zoe Brown', relationship: 'Mother', channel: 'email', phone: null, email: 'zoe@example.test' }
		]);
		expect(list[1]!.guardians.map((g) => [g.name, g.channel, g.phone])).toEqual([['Pat Smith', 'sms', '+447700903001']]);

		// Another day, another school, or a bad id: nothing.
		expect(await unexplainedAbsences(handle, school.id, '2026-11-06')).toEqual([]);
		expect((await unexplainedAbsences(handle, other.id, DAY)).map((p) => p.pupilId)).toEqual([oth]);
		expect(await unexplainedAbsences(handle, 'not-a-uuid', DAY)).toEqual([]);
	});

	it('the board filters and sorts the day for one school, counting the whole day', async () => {
		// The day of the test above: Ava (5A, illness, whole day) and Sam (5B, illness, AM) reported,
		// Zed's report withdrawn; Zed (AM, PM) and Sam (PM) unexplained.
		const all = await schoolDayBoard(handle, school.id, DAY, DEFAULT_BOARD_VIEW);
		expect(all.reports.map((r) => [r.firstName, r.reasonLabel])).toEqual([
			['Ava', 'Illness'],
			['Sam', 'Illness']
		]);
		expect(all.unexplained.map((p) => p.firstName)).toEqual(['Zed', 'Sam']);
		expect(all.totals).toEqual({ reports: 2, openReports: 2, unexplained: 2, notContacted: 2 });

		const afternoon = await schoolDayBoard(handle, school.id, DAY, { ...DEFAULT_BOARD_VIEW, session: 'PM', dir: 'desc' });
		expect(afternoon.reports.map((r) => r.firstName)).toEqual(['Ava']);
		expect(afternoon.unexplained.map((p) => p.firstName)).toEqual(['Zed', 'Sam']);
		// The totals are the day's, whatever the filters, so the page can say "1 of 2".
		expect(afternoon.totals.reports).toBe(2);

		const reportedOnly = await schoolDayBoard(handle, school.id, DAY, { ...DEFAULT_BOARD_VIEW, show: 'reported', status: 'acknowledged' });
		expect(reportedOnly.reports).toEqual([]);
		expect(reportedOnly.unexplained).toEqual([]);
		// Another school's board has its own pupil only.
		expect((await schoolDayBoard(handle, other.id, DAY, DEFAULT_BOARD_VIEW)).unexplained.map((p) => p.pupilId)).toEqual([oth]);
	});

	it('an N is overdue after 5 school days, counting across half term', async () => {
		// Mon 19 Oct: school days after it are 20, 21, 22, 23 Oct, then Mon 2 Nov (5th), Tue 3 Nov (6th).
		await mark(zed, school.id, '2026-10-19', 'AM');
		// An older N that was changed to another code is not an N any more.
		await mark(ava, school.id, '2026-10-12', 'AM', 'O');

		expect(await overdueNMarks(handle, school.id, '2026-11-02')).toEqual([]);
		const overdue = await overdueNMarks(handle, school.id, '2026-11-03');
		expect(overdue.map((m) => [m.firstName, m.date, m.sessions, m.schoolDays, m.deadline])).toEqual([
			['Zed', '2026-10-19', ['AM'], 6, '2026-11-02']
		]);
		// On 13 Nov the Thursday 5 Nov marks are overdue too (6 school days after), by class then surname.
		const later = await overdueNMarks(handle, school.id, '2026-11-13');
		expect(later.map((m) => [m.firstName, m.date, m.sessions])).toEqual([
			['Zed', '2026-10-19', ['AM']],
			['Zed', '2026-11-05', ['AM', 'PM']],
			['Ava', '2026-11-05', ['AM']],
			['Sam', '2026-11-05', ['AM', 'PM']]
		]);
		expect((await overdueNMarks(handle, school.id, '2026-11-12')).map((m) => m.date)).toEqual(['2026-10-19']);
		// Never another school's.
		expect((await overdueNMarks(handle, other.id, '2026-11-13')).map((m) => m.pupilId)).toEqual([oth]);
	});

	it('exports the day as CSV, escaping commas, quotes and newlines, for one school only', async () => {
		await report(parent, sam, {
			from: '2026-11-06',
			reason: 'other',
			details: 'Grandad\'s funeral, "all day"\nback Monday'
		});
		await report(otherParent, oth, { from: '2026-11-06', details: '=HYPERLINK("x")' });

		const csv = await reportsCsv(handle, school.id, '2026-11-06');
		const rows = parse(csv, { columns: true }) as Record<string, string>[];
		expect(Object.keys(rows[0]!)).toEqual([...REPORTS_CSV_HEADER]);
		expect(rows.map((r) => [r.UPN, r.Surname, r.Forename, r.Class, r.Date, r.Session, r['Suggested code'], r.Late, r.Status])).toEqual([
			['SAM', 'Smith', 'Sam', '5B', '2026-11-06', 'AM', 'N', 'No', 'open'],
			['SAM', 'Smith', 'Sam', '5B', '2026-11-06', 'PM', 'N', 'No', 'open']
		]);
		expect(rows[0]!.Reason).toBe('Something else: Grandad\'s funeral, "all day"\nback Monday');
		expect(csv).toContain('"Something else: Grandad\'s funeral, ""all day""');
		expect(csv).not.toContain('HYPERLINK');
		expect(rows[0]!.Reference).toMatch(/\S/);

		// The other school's export has its own report only, with the formula neutralised.
		const otherRows = parse(await reportsCsv(handle, other.id, '2026-11-06'), { columns: true }) as Record<string, string>[];
		expect(otherRows.map((r) => r.UPN)).toEqual(['OTH', 'OTH']);
		expect(otherRows[0]!.Reason).toBe('Illness: =HYPERLINK("x")');

		// A day with no reports: the header only.
		expect(parse(await reportsCsv(handle, school.id, '2026-11-09'))).toEqual([[...REPORTS_CSV_HEADER]]);
	});

	it('part days: only the sessions missed are absences; the board and the CSV show the times and who reported', async () => {
		const DAY2 = '2026-11-10';
		const EVENING = new Date('2026-11-09T19:00:00Z');
		// Ava: dentist 10:30–14:00 → present at the morning register, misses the afternoon one (closes 13:30).
		const appt = await report(parent, ava, { from: DAY2, reason: 'medical_appointment', partDay: { kind: 'appointment', leavesAt: '10:30', returnsAt: '14:00' }, now: EVENING });
		expect(appt.sessions.map((x) => x.session)).toEqual(['PM']);
		// Sam: leaving at 14:15 → present at both registers: a report with no absent session.
		const early = await report(parent, sam, { from: DAY2, reason: 'medical_appointment', partDay: { kind: 'leaving_early', leavesAt: '14:15' }, now: EVENING });
		expect(early.sessions).toEqual([]);
		// Zed's father, who does not live with him, reports he will be in by 10.
		const dad = await createGuardian(handle, { firstName: 'Zak', lastName: 'Brown', phone: '+447700903009' });
		await linkGuardian(handle, dad, zed, 'Father');
		await handle.query(`update pupil_guardians set lives_with = false where guardian_id = $1`, [dad]);
		const late = await report(dad, zed, { from: DAY2, reason: 'medical_appointment', partDay: { kind: 'late_arrival', arrivesBy: '10:00' }, now: EVENING });
		expect(late.sessions.map((x) => x.session)).toEqual(['AM']);
		const stored = await handle.query<{ part_day: string; leaves_at: string | null; returns_at: string | null; arrives_by: string | null }>(
			`select part_day, leaves_at::text, returns_at::text, arrives_by::text from absence_reports where id = $1`,
			[appt.reportId]
		);
		expect(stored[0]).toEqual({ part_day: 'appointment', leaves_at: '10:30:00', returns_at: '14:00:00', arrives_by: null });

		const board = await reportsForSchoolDay(handle, school.id, DAY2);
		const byName = Object.fromEntries(board.map((b) => [b.firstName, b]));
		expect(Object.keys(byName).sort()).toEqual(['Ava', 'Sam', 'Zed']);
		expect(byName.Ava).toMatchObject({ partDay: { kind: 'appointment', leavesAt: '10:30', returnsAt: '14:00' }, sessions: [{ session: 'PM', suggestedCode: 'M' }] });
		expect(byName.Sam).toMatchObject({ partDay: { kind: 'leaving_early', leavesAt: '14:15' }, sessions: [] });
		expect(byName.Zed!.reporter).toEqual({ name: 'Zak Brown', relationship: 'Father', livesWith: false, parentalResponsibility: true });
		expect(byName.Sam!.reporter).toMatchObject({ name: 'Pat Smith', relationship: 'Mother', livesWith: true });

		const rows = parse(await reportsCsv(handle, school.id, DAY2), { columns: true }) as Record<string, string>[];
		expect(rows.map((r) => [r.Forename, r.Session, r['Suggested code'], r['Part of day'], r['Reported by']])).toEqual([
			['Zed', 'AM', 'M', 'Coming in late: in by 10:00', 'Zak Brown (Father, does not live with the child)'],
			['Ava', 'PM', 'M', 'Appointment: leaves at 10:30, back by 14:00', 'Pat Smith (Mother)']
		]);
		// Not absent at registration: Sam's afternoon N would still be unexplained, but he has no N — and no CSV row.
		expect(rows.some((r) => r.Forename === 'Sam')).toBe(false);
	});
});
