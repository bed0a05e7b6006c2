import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { resolveSummaryRange, schoolAttendanceSummary } from '../../src/lib/server/features/attendance/school-summary';
import {
	attendancePercent,
	bandFor,
	isPersistentAbsence,
	isSevereAbsence,
	tallyMarks,
	type Mark
} from '../../src/lib/domain/attendance';
import type { AttendanceCode } from '../../src/lib/domain/codes';

const TODAY = '2026-11-23';

interface MarkRow {
	pupil_id: string;
	date: string;
	session: 'AM' | 'PM';
	code: string;
	minutes_late: number | null;
}

describe(`school attendance summary (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let marks: MarkRow[];
	let pupilCount: number;

	beforeAll(async () => {
		handle = await openTestDatabase();
		({ schoolId } = await seedDemoData(handle, { today: TODAY }));
		marks = await handle.query<MarkRow>(
			`select pupil_id::text as pupil_id, date::text as date, session::text as session, code, minutes_late
			   from attendance_marks where school_id = $1`,
			[schoolId]
		);
		const [row] = await handle.query<{ n: number }>('select count(*)::int as n from pupils where school_id = $1', [schoolId]);
		pupilCount = row!.n;
	});
	afterAll(async () => {
		await handle?.close();
	});

	/** The expected figures, from the domain's own tally over the marks read back. */
	function expected(from: string, to: string) {
		const byPupil = new Map<string, Mark[]>();
		for (const m of marks) {
			if (m.date < from || m.date > to) continue;
			const list = byPupil.get(m.pupil_id) ?? [];
			list.push({ date: m.date, session: m.session, code: m.code as AttendanceCode, minutesLate: m.minutes_late });
			byPupil.set(m.pupil_id, list);
		}
		const out = new Map<string, ReturnType<typeof tallyMarks>>();
		for (const [id, list] of byPupil) out.set(id, tallyMarks(list));
		return out;
	}

	it('matches tallyMarks for every pupil over the academic year', async () => {
		const summary = await schoolAttendanceSummary(handle, schoolId, { from: '2026-09-01', to: '2027-07-21' });
		expect(summary).toHaveLength(pupilCount);
		const want = expected('2026-09-01', '2027-07-21');
		for (const s of summary) {
			const t = want.get(s.pupilId)!;
			expect(t, s.misId).toBeDefined();
			expect({
				possible: s.possible,
				attended: s.attended,
				authorisedAbsence: s.authorisedAbsence,
				unauthorisedAbsence: s.unauthorisedAbsence,
				lateBeforeClose: s.lateBeforeClose,
				lateAfterClose: s.lateAfterClose,
				minutesLate: s.minutesLate,
				byCode: s.byCode
			}).toEqual({
				possible: t.possible,
				attended: t.attended,
				authorisedAbsence: t.authorisedAbsence,
				unauthorisedAbsence: t.unauthorisedAbsence,
				lateBeforeClose: t.lateBeforeClose,
				lateAfterClose: t.lateAfterClose,
				minutesLate: t.minutesLate,
				byCode: t.byCode
			});
			expect(s.percent).toBe(attendancePercent(t.attended, t.possible));
			expect(s.band).toBe(bandFor(t.attended, t.possible));
			expect(s.persistent).toBe(isPersistentAbsence(t));
			expect(s.severe).toBe(isSevereAbsence(t));
		}
		// The demo's whole band mix shows up.
		expect(new Set(summary.map((s) => s.band))).toEqual(
			new Set(['excellent', 'at_risk', 'persistently_absent', 'persistently_absent_formal', 'severely_absent'])
		);
		expect(summary.filter((s) => s.severe).length).toBeGreaterThanOrEqual(1);
	});

	it('carries names, year group and class, ordered by year group and class', async () => {
		const summary = await schoolAttendanceSummary(handle, schoolId, { from: '2026-09-01', to: '2027-07-21' });
		const first = summary[0]!;
		expect(first.yearGroup).toBe(0);
		expect(first.className).toBe('Starfish');
		expect(first.firstName).toBeTruthy();
		expect(first.lastName).toBeTruthy();
		expect(first.misId).toMatch(/^[A-Z]\d{12}$/);
		const years = summary.map((s) => s.yearGroup);
		expect(years).toEqual([...years].sort((a, b) => a - b));
	});

	it('honours a date range (first half term only)', async () => {
		const summary = await schoolAttendanceSummary(handle, schoolId, { from: '2026-09-01', to: '2026-10-23' });
		const want = expected('2026-09-01', '2026-10-23');
		for (const s of summary) {
			const t = want.get(s.pupilId)!;
			expect([s.possible, s.attended, s.minutesLate]).toEqual([t.possible, t.attended, t.minutesLate]);
			expect(s.possible).toBe(74); // 37 school days
		}
	});

	it('defaults to the academic year of the school calendar', async () => {
		expect(await resolveSummaryRange(handle, schoolId, { to: TODAY })).toEqual({ from: '2026-09-01', to: TODAY });
		expect(await resolveSummaryRange(handle, schoolId, { from: '2026-10-01' })).toEqual({ from: '2026-10-01', to: '2027-07-21' });
		const range = await resolveSummaryRange(handle, schoolId);
		expect(range.from <= range.to).toBe(true);
		// Whatever today is, the default is one whole academic year of this school.
		const summary = await schoolAttendanceSummary(handle, schoolId);
		expect(summary).toHaveLength(pupilCount);
	});

	it('includes pupils with no marks, leaves out pupils who had left, and never counts another school', async () => {
		const [newPupil] = await handle.query<{ id: string }>(
			`insert into pupils (school_id, mis_id, first_name, last_name, year_group, class_name, joined_on)
			 values ($1, 'NEW0001', 'Juniper', 'Newquay', 3, 'Puffins', '2026-11-23') returning id::text as id`,
			[schoolId]
		);
		await handle.query(
			`insert into pupils (school_id, mis_id, first_name, last_name, year_group, class_name, joined_on, left_on)
			 values ($1, 'LEFT0001', 'Marlow', 'Gonebye', 6, 'Ospreys', '2020-09-03', '2026-07-22')`,
			[schoolId]
		);
		const [other] = await handle.query<{ id: string }>(
			`insert into schools (urn, slug, name) values ('999777', 'elsewhere', 'Elsewhere Primary') returning id::text as id`
		);
		const [otherPupil] = await handle.query<{ id: string }>(
			`insert into pupils (school_id, mis_id, first_name, last_name, year_group) values ($1, 'X1', 'Other', 'Pupil', 2) returning id::text as id`,
			[other!.id]
		);
		await handle.query(
			`insert into attendance_marks (pupil_id, school_id, date, session, code, source) values ($1, $2, '2026-10-01', 'AM', 'O', 'seed')`,
			[otherPupil!.id, other!.id]
		);
		try {
			const summary = await schoolAttendanceSummary(handle, schoolId, { from: '2026-09-01', to: '2027-07-21' });
			expect(summary).toHaveLength(pupilCount + 1);
			const fresh = summary.find((s) => s.pupilId === newPupil!.id)!;
			expect(fresh).toMatchObject({ possible: 0, attended: 0, percent: null, band: null, persistent: false, severe: false, byCode: {} });
			expect(summary.some((s) => s.misId === 'LEFT0001' || s.misId === 'X1')).toBe(false);
			const otherSummary = await schoolAttendanceSummary(handle, other!.id, { from: '2026-09-01', to: '2027-07-21' });
			expect(otherSummary).toHaveLength(1);
			expect(otherSummary[0]).toMatchObject({ possible: 1, unauthorisedAbsence: 1, band: 'severely_absent' });
		} finally {
			await handle.query(`delete from pupils where mis_id in ('NEW0001', 'LEFT0001')`);
			await handle.query(`delete from schools where id = $1`, [other!.id]);
		}
	});
});
