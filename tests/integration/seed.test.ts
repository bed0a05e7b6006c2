import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { DEMO_SCHOOL, seedDemoData } from '../../src/lib/server/demo/seed';
import { loadSchoolCalendar } from '../../src/lib/server/platform/school-calendar';
import {
	academicYearBounds,
	addDays,
	isOverdueN,
	previousSchoolDay,
	schoolDaysBetween,
	schoolSessionsBetween,
	type SchoolCalendar
} from '../../src/lib/domain/calendar';
import { BANDS, bandFor, tallyMarks, type Band, type Mark } from '../../src/lib/domain/attendance';
import { isAttendanceCode, type AttendanceCode } from '../../src/lib/domain/codes';

const TODAY = '2026-11-23';

interface MarkRow {
	pupil_id: string;
	mis_id: string;
	date: string;
	session: 'AM' | 'PM';
	code: string;
	minutes_late: number | null;
}

async function readMarks(handle: DatabaseHandle, schoolId: string): Promise<MarkRow[]> {
	return handle.query<MarkRow>(
		`select m.pupil_id::text as pupil_id, p.mis_id, m.date::text as date, m.session::text as session, m.code, m.minutes_late
		   from attendance_marks m join pupils p on p.id = m.pupil_id
		  where m.school_id = $1
		  order by p.mis_id, m.date, m.session`,
		[schoolId]
	);
}

function marksHash(rows: readonly MarkRow[]): string {
	const h = createHash('sha256');
	for (const r of rows) h.update(`${r.mis_id}|${r.date}|${r.session}|${r.code}|${r.minutes_late ?? ''}\n`);
	return h.digest('hex');
}

function bandsByPupil(rows: readonly MarkRow[]): Map<string, Band | null> {
	const marks = new Map<string, Mark[]>();
	for (const r of rows) {
		const list = marks.get(r.pupil_id) ?? [];
		list.push({ date: r.date, session: r.session, code: r.code as AttendanceCode, minutesLate: r.minutes_late });
		marks.set(r.pupil_id, list);
	}
	const out = new Map<string, Band | null>();
	for (const [pupilId, list] of marks) {
		const t = tallyMarks(list);
		out.set(pupilId, bandFor(t.attended, t.possible));
	}
	return out;
}

describe(`demo seed (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let calendar: SchoolCalendar;
	let marks: MarkRow[];

	beforeAll(async () => {
		handle = await openTestDatabase();
		const result = await seedDemoData(handle, { today: TODAY });
		expect(result.created).toBe(true);
		schoolId = result.schoolId;
		calendar = await loadSchoolCalendar(handle.db, schoolId);
		marks = await readMarks(handle, schoolId);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('creates Harbourside Primary with its register times and time zone', async () => {
		const [school] = await handle.query<Record<string, string>>(
			`select urn, slug, name, time_zone, am_register_opens::text as amo, am_register_closes::text as amc,
			        pm_register_opens::text as pmo, pm_register_closes::text as pmc
			   from schools where id = $1`,
			[schoolId]
		);
		expect(school).toEqual({
			urn: DEMO_SCHOOL.urn,
			slug: DEMO_SCHOOL.slug,
			name: DEMO_SCHOOL.name,
			time_zone: 'Europe/London',
			amo: '08:40:00',
			amc: '09:15:00',
			pmo: '13:00:00',
			pmc: '13:30:00'
		});
	});

	it('has a 2026/27 calendar of six half terms and exactly 190 pupil days', () => {
		expect(calendar.terms).toHaveLength(6);
		const year = academicYearBounds(calendar, '2026-10-01');
		expect(year).toMatchObject({ startsOn: '2026-09-01', endsOn: '2027-07-21', academicYear: '2026/27' });
		expect(schoolDaysBetween(calendar, year.startsOn, year.endsOn)).toHaveLength(190);
		expect(schoolSessionsBetween(calendar, year.startsOn, year.endsOn)).toHaveLength(380);
		expect(calendar.closures.filter((c) => c.kind === 'inset')).toHaveLength(5);
		// Good Friday and Easter Monday 2027 fall in the holiday; May Day is a closure in term.
		expect(schoolDaysBetween(calendar, '2027-03-26', '2027-03-29')).toEqual([]);
		expect(calendar.closures.find((c) => c.date === '2027-05-03')?.kind).toBe('bank_holiday');
		expect(schoolDaysBetween(calendar, '2026-09-01', '2026-09-03')).toEqual(['2026-09-03']);
	});

	it('has the protected periods (first half term of autumn for everyone; SATs, assessment and transition days for their year groups)', async () => {
		const rows = await handle.query<{ starts_on: string; ends_on: string; year_groups: number[] | null }>(
			`select starts_on::text as starts_on, ends_on::text as ends_on, year_groups from protected_periods where school_id = $1 order by starts_on`,
			[schoolId]
		);
		expect(rows).toEqual([
			{ starts_on: '2026-09-03', ends_on: '2026-10-23', year_groups: null },
			{ starts_on: '2027-05-10', ends_on: '2027-05-13', year_groups: [6] },
			{ starts_on: '2027-05-17', ends_on: '2027-05-21', year_groups: [2] },
			{ starts_on: '2027-07-07', ends_on: '2027-07-08', year_groups: [6] }
		]);
	});

	it('has about 200 pupils from Reception to Year 6, each with a guardian who can be contacted', async () => {
		const pupils = await handle.query<{ id: string; year_group: number; class_name: string; contactable: number }>(
			`select p.id::text as id, p.year_group, p.class_name,
			        (select count(*)::int from pupil_guardians pg join guardians g on g.id = pg.guardian_id
			          where pg.pupil_id = p.id and (g.phone is not null or g.email is not null)) as contactable
			   from pupils p where p.school_id = $1`,
			[schoolId]
		);
		expect(pupils.length).toBeGreaterThanOrEqual(190);
		expect(pupils.length).toBeLessThanOrEqual(220);
		expect(new Set(pupils.map((p) => p.year_group))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
		expect(pupils.every((p) => p.class_name)).toBe(true);
		expect(pupils.filter((p) => p.contactable < 1)).toEqual([]);
		expect(pupils.every((p) => p.contactable <= 2)).toBe(true);
	});

	it('has fictional guardians: drama-range phones, example domains, mixed languages and channels, shared and non-resident', async () => {
		const guardians = await handle.query<{ id: string; phone: string | null; email: string | null; preferred_language: string; preferred_channel: string }>(
			`select g.id::text as id, g.phone, g.email, g.preferred_language, g.preferred_channel::text as preferred_channel
			   from guardians g where exists (select 1 from pupil_guardians pg join pupils p on p.id = pg.pupil_id
			                                   where pg.guardian_id = g.id and p.school_id = $1)`,
			[schoolId]
		);
		for (const g of guardians) {
			expect(g.phone ?? g.email).toBeTruthy();
			if (g.phone) {
				expect(g.phone).toMatch(/^\+447700900\d{3}$/);
			}
			if (g.email) expect(g.email).toMatch(/@example\.(com|org)$/);
			if (g.preferred_channel === 'email') expect(g.email).toBeTruthy();
		}
		expect(new Set(guardians.map((g) => g.preferred_language))).toEqual(new Set(['en', 'pl', 'ro', 'ar', 'bn']));
		expect(new Set(guardians.map((g) => g.preferred_channel)).size).toBeGreaterThanOrEqual(3);

		const [links] = await handle.query<{ not_living_with: number; shared: number }>(
			`select (select count(*)::int from pupil_guardians pg join pupils p on p.id = pg.pupil_id
			          where p.school_id = $1 and not pg.lives_with) as not_living_with,
			        (select count(*)::int from (select pg.guardian_id from pupil_guardians pg join pupils p on p.id = pg.pupil_id
			          where p.school_id = $1 group by pg.guardian_id having count(*) > 1) s) as shared`,
			[schoolId]
		);
		expect(links!.not_living_with).toBeGreaterThan(0);
		expect(links!.shared).toBeGreaterThan(0);
	});

	it('is idempotent: a second call creates nothing', async () => {
		const count = async () =>
			handle.query<Record<string, number>>(
				`select (select count(*)::int from schools) as schools, (select count(*)::int from pupils) as pupils,
				        (select count(*)::int from guardians) as guardians, (select count(*)::int from attendance_marks) as marks,
				        (select count(*)::int from school_terms) as terms`
			);
		const before = await count();
		const again = await seedDemoData(handle, { today: '2027-06-01' });
		expect(again).toMatchObject({ schoolId, created: false });
		expect(await count()).toEqual(before);
	});

	it('marks every pupil for every school session before today, and nothing from today on', async () => {
		const lastDay = previousSchoolDay(calendar, TODAY)!;
		expect(lastDay).toBe('2026-11-20');
		const sessions = schoolSessionsBetween(calendar, '2026-09-01', lastDay);
		expect(sessions).toHaveLength(102);
		const pupils = await handle.query<{ id: string }>(`select id::text as id from pupils where school_id = $1`, [schoolId]);
		expect(marks).toHaveLength(pupils.length * sessions.length);
		const got = new Set(marks.map((m) => `${m.pupil_id}|${m.date}|${m.session}`));
		for (const p of pupils) {
			for (const s of sessions) expect(got.has(`${p.id}|${s.date}|${s.session}`)).toBe(true);
		}
		expect(marks.filter((m) => m.date >= TODAY)).toEqual([]);
	});

	it('uses only valid codes, realistically', () => {
		expect(marks.filter((m) => !isAttendanceCode(m.code))).toEqual([]);
		const codes = new Map<string, number>();
		for (const m of marks) codes.set(m.code, (codes.get(m.code) ?? 0) + 1);
		for (const c of ['/', '\\', 'L', 'I', 'M', 'G', 'O', 'N', 'U']) expect(codes.get(c) ?? 0, c).toBeGreaterThan(0);
		// Mostly present.
		expect(((codes.get('/') ?? 0) + (codes.get('\\') ?? 0)) / marks.length).toBeGreaterThan(0.8);
		// Late marks carry minutes; nothing else does.
		for (const m of marks) {
			if (m.code === 'L') expect(m.minutes_late).toBeGreaterThan(0);
			else expect(m.minutes_late).toBeNull();
		}
		// `/` is the morning mark and `\` the afternoon one.
		expect(marks.some((m) => (m.code === '/' && m.session === 'PM') || (m.code === '\\' && m.session === 'AM'))).toBe(false);
	});

	it('has a few unexplained N absences on the last school day, and no N overdue', () => {
		const n = marks.filter((m) => m.code === 'N');
		const today = new Set(n.filter((m) => m.date === '2026-11-20').map((m) => m.pupil_id));
		expect(today.size).toBeGreaterThanOrEqual(2);
		expect(today.size).toBeLessThanOrEqual(10);
		for (const m of n) expect(isOverdueN(calendar, m.date, TODAY)).toBe(false);
	});

	it('covers every attendance band, with one or two severely absent pupils', () => {
		const bands = bandsByPupil(marks);
		const counts = new Map<Band | null, number>();
		for (const b of bands.values()) counts.set(b, (counts.get(b) ?? 0) + 1);
		for (const band of BANDS) expect(counts.get(band) ?? 0, band).toBeGreaterThan(0);
		expect(counts.get('severely_absent')).toBeGreaterThanOrEqual(1);
		expect(counts.get('severely_absent')).toBeLessThanOrEqual(2);
		// Most pupils attend well.
		expect((counts.get('excellent') ?? 0) / bands.size).toBeGreaterThan(0.5);
	});

	it('is deterministic: a second fresh database seeded for the same day has identical marks', async () => {
		const other = await openTestDatabase();
		try {
			const { schoolId: otherId } = await seedDemoData(other, { today: TODAY });
			const otherMarks = await readMarks(other, otherId);
			expect(otherMarks.length).toBe(marks.length);
			expect(marksHash(otherMarks)).toBe(marksHash(marks));
			const names = (h: DatabaseHandle, id: string) =>
				h.query(`select mis_id, first_name, last_name, year_group, class_name from pupils where school_id = $1 order by mis_id`, [id]);
			expect(await names(other, otherId)).toEqual(await names(handle, schoolId));
		} finally {
			await other.close();
		}
	});
});

describe(`demo seed after the year has ended (${testEngine})`, () => {
	it('marks the whole year, with the band mix intact', async () => {
		const handle = await openTestDatabase();
		try {
			const result = await seedDemoData(handle, { today: '2027-09-06' });
			const calendar = await loadSchoolCalendar(handle.db, result.schoolId);
			const sessions = schoolSessionsBetween(calendar, '2026-09-01', '2027-07-21');
			expect(sessions).toHaveLength(380);
			expect(result.marks).toBe(result.pupils * 380);
			expect(result.lastMarkedDay).toBe('2027-07-20');
			const marks = await readMarks(handle, result.schoolId);
			expect(marks).toHaveLength(result.pupils * 380);
			const bands = new Set(bandsByPupil(marks).values());
			for (const band of BANDS) expect(bands.has(band), band).toBe(true);
		} finally {
			await handle.close();
		}
	});

	it('marks nothing when the year has not started', async () => {
		const handle = await openTestDatabase();
		try {
			const result = await seedDemoData(handle, { today: addDays('2026-09-03', 0) });
			expect(result.created).toBe(true);
			expect(result.marks).toBe(0);
			const [row] = await handle.query<{ n: number }>('select count(*)::int as n from attendance_marks');
			expect(row!.n).toBe(0);
		} finally {
			await handle.close();
		}
	});
});
