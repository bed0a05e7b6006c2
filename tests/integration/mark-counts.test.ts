import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { installMarkCountTriggers } from '../../src/lib/server/platform/db/mark-counts';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { schoolCodeCounts } from '../../src/lib/server/features/attendance/school-summary';

const TODAY = '2026-11-23';

interface Count {
	school_id: string;
	year_start: string;
	pupil_id: string;
	code: string;
	marks: number;
	minutes_late: number;
}

describe(`maintained mark counts (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		({ schoolId } = await seedDemoData(handle, { today: TODAY }));
	});
	afterAll(async () => {
		await handle?.close();
	});

	const key = (c: Pick<Count, 'school_id' | 'year_start' | 'pupil_id' | 'code'>) => `${c.school_id}|${c.year_start}|${c.pupil_id}|${c.code}`;

	/** The maintained counts, and the same counted from the marks now. */
	async function bothWays(): Promise<{ kept: Map<string, Count>; counted: Map<string, Count> }> {
		const kept = await handle.query<Count>(
			`select school_id::text as school_id, year_start::text as year_start, pupil_id::text as pupil_id, code, marks, minutes_late
			   from pupil_year_code_counts`
		);
		const counted = await handle.query<Count>(
			`select school_id::text as school_id,
			        make_date(extract(year from (date - interval '7 months'))::int, 8, 1)::text as year_start,
			        pupil_id::text as pupil_id, code, count(*)::int as marks, coalesce(sum(minutes_late), 0)::int as minutes_late
			   from attendance_marks group by 1, 2, 3, 4`
		);
		return { kept: new Map(kept.map((c) => [key(c), c])), counted: new Map(counted.map((c) => [key(c), c])) };
	}

	async function expectInStep() {
		const { kept, counted } = await bothWays();
		expect(counted.size).toBeGreaterThan(0);
		expect(kept).toEqual(counted);
	}

	async function aPupil(offset = 0): Promise<string> {
		const [p] = await handle.query<{ id: string }>(`select id::text as id from pupils where school_id = $1 order by mis_id offset $2 limit 1`, [
			schoolId,
			offset
		]);
		return p!.id;
	}

	it('match the marks after the seed', async () => {
		await expectInStep();
	});

	it('follow inserts (including into a new school year), updates, upserts and deletes', async () => {
		const pupil = await aPupil();
		await handle.query(
			`insert into attendance_marks (pupil_id, school_id, date, session, code, minutes_late, source)
			 values ($1, $2, '2027-09-06', 'AM', 'L', 12, 'seed'), ($1, $2, '2027-09-06', 'PM', 'I', null, 'seed')`,
			[pupil, schoolId]
		);
		await expectInStep();
		expect((await bothWays()).kept.get(`${schoolId}|2027-08-01|${pupil}|L`)).toMatchObject({ marks: 1, minutes_late: 12 });

		await handle.query(`update attendance_marks set code = 'M', minutes_late = null where pupil_id = $1 and date = '2027-09-06' and session = 'AM'`, [pupil]);
		await expectInStep();
		// The L count went to nothing, so its row is gone rather than left at zero.
		expect((await bothWays()).kept.has(`${schoolId}|2027-08-01|${pupil}|L`)).toBe(false);

		// An import's upsert: one new row and one changed row in a single statement.
		await handle.query(
			`insert into attendance_marks (pupil_id, school_id, date, session, code, minutes_late, source)
			 values ($1, $2, '2027-09-06', 'PM', 'O', null, 'seed'), ($1, $2, '2027-09-07', 'AM', '/', null, 'seed')
			 on conflict (pupil_id, date, session) do update set code = excluded.code, minutes_late = excluded.minutes_late`,
			[pupil, schoolId]
		);
		await expectInStep();

		await handle.query(`delete from attendance_marks where pupil_id = $1 and date >= '2027-08-01'`, [pupil]);
		await expectInStep();
		const { kept } = await bothWays();
		expect([...kept.values()].some((c) => c.year_start === '2027-08-01')).toBe(false);
	});

	it('follow a pupil being deleted (the cascade) and a whole school losing its marks', async () => {
		const pupil = await aPupil(3);
		await handle.query(`delete from pupils where id = $1`, [pupil]);
		await expectInStep();
		expect([...(await bothWays()).kept.values()].some((c) => c.pupil_id === pupil)).toBe(false);

		const [northgate] = await handle.query<{ id: string }>(`select id::text as id from schools where slug = 'northgate'`);
		await handle.query(`delete from attendance_marks where school_id = $1`, [northgate!.id]);
		await expectInStep();
		expect([...(await bothWays()).kept.values()].some((c) => c.school_id === northgate!.id)).toBe(false);
	});

	it('are built from the marks on the first start with the triggers, and installing again changes nothing', async () => {
		await handle.query('delete from pupil_year_code_counts');
		await installMarkCountTriggers(handle);
		await expectInStep();
		await installMarkCountTriggers(handle);
		await expectInStep();
	});

	it('give the summary the same counts as counting the marks, and are not used when the year has marks outside the range', async () => {
		const counted = async (from: string, to: string) =>
			handle.query<{ pupil_id: string; code: string; n: number; minutes: number }>(
				`select pupil_id::text as pupil_id, code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
				   from attendance_marks where school_id = $1 and date >= $2::date and date <= $3::date group by 1, 2`,
				[schoolId, from, to]
			);
		const sorted = <T extends { pupil_id: string; code: string }>(rows: T[]) =>
			rows.map((r) => ({ ...r })).sort((a, b) => `${a.pupil_id}${a.code}`.localeCompare(`${b.pupil_id}${b.code}`));
		for (const [from, to] of [
			['2026-09-01', '2027-07-21'], // the academic year: from the maintained counts
			['2026-09-01', '2026-10-23'], // the autumn half term: the year has marks after it
			['2026-10-01', '2026-11-20'],
			['2026-07-01', '2026-12-31'] // across 1 August
		] as const) {
			expect(sorted(await schoolCodeCounts(handle, schoolId, from, to)), `${from}..${to}`).toEqual(sorted(await counted(from, to)));
		}
		// The maintained counts really are what the academic year reads: change one behind the
		// triggers' back, and the summary shows it (this is the only test that does that).
		const pupil = await aPupil(5);
		await handle.query(`update pupil_year_code_counts set marks = marks + 1000 where pupil_id = $1 and code = '/'`, [pupil]);
		const fromCounts = await schoolCodeCounts(handle, schoolId, '2026-09-01', '2027-07-21');
		const fromMarks = await counted('2026-09-01', '2027-07-21');
		const n = (rows: { pupil_id: string; code: string; n: number }[]) => Number(rows.find((r) => r.pupil_id === pupil && r.code === '/')?.n);
		expect(n(fromCounts)).toBe(n(fromMarks) + 1000);
		await handle.query(`update pupil_year_code_counts set marks = marks - 1000 where pupil_id = $1 and code = '/'`, [pupil]);
		await expectInStep();
	});
});
