import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { childAttendanceOverview, childrenOfGuardian, guardianCanSeePupil } from '../../src/lib/server/features/attendance/children';
import { BAND_INFO } from '../../src/lib/domain/attendance';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

describe(`a parent sees only their own children (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let allPupilIds: string[];
	let links: { guardian_id: string; pupil_id: string }[];
	let twoSchoolGuardian: string;
	let otherSchoolPupil: string;
	let demoChild: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		await seedDemoData(handle, { today: '2026-11-20' });
		// A second school where one demo parent also has a child.
		const second = await createTestSchool(handle, { slug: 'second', urn: '300001', misIds: ['S1', 'S2'] });
		otherSchoolPupil = second.pupils.get('S1')!;
		const [demo] = await handle.query<{ guardian_id: string; pupil_id: string }>(
			`select pg.guardian_id, pg.pupil_id from pupil_guardians pg
			   join pupils p on p.id = pg.pupil_id join schools s on s.id = p.school_id
			  where s.slug = 'harbourside'
			    and not exists (select 1 from pupil_guardians o join pupils op on op.id = o.pupil_id
			                     where o.guardian_id = pg.guardian_id and op.school_id <> s.id)
			  order by pg.guardian_id limit 1`
		);
		twoSchoolGuardian = demo!.guardian_id;
		demoChild = demo!.pupil_id;
		await linkGuardian(handle, twoSchoolGuardian, otherSchoolPupil);
		// S2 belongs to a different family altogether.
		const stranger = await createGuardian(handle, { phone: '+447700901999' });
		await linkGuardian(handle, stranger, second.pupils.get('S2')!);
		await handle.query(
			`insert into attendance_marks (pupil_id, date, session, school_id, code, source) values
			 ($1, '2026-11-02', 'AM', $2, '/', 'seed'), ($1, '2026-11-02', 'PM', $2, 'I', 'seed'),
			 ($1, '2026-11-03', 'AM', $2, 'O', 'seed'), ($1, '2026-11-03', 'PM', $2, '/', 'seed')`,
			[otherSchoolPupil, second.id]
		);
		allPupilIds = (await handle.query<{ id: string }>('select id from pupils')).map((r) => r.id);
		links = await handle.query('select guardian_id, pupil_id from pupil_guardians');
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('for a sample of guardians, every pupil id that is not theirs is refused', async () => {
		const guardians = [...new Set(links.map((l) => l.guardian_id))].slice(0, 6);
		guardians.push(twoSchoolGuardian);
		for (const g of guardians) {
			const mine = new Set(links.filter((l) => l.guardian_id === g).map((l) => l.pupil_id));
			expect(mine.size).toBeGreaterThan(0);
			for (const pupilId of allPupilIds) {
				const visible = await guardianCanSeePupil(handle.db, g, pupilId);
				expect(visible, `${g} → ${pupilId}`).toBe(mine.has(pupilId));
				const overview = await childAttendanceOverview(handle, g, pupilId, new Date('2026-11-20T12:00:00Z'));
				if (mine.has(pupilId)) expect(overview?.child.pupilId).toBe(pupilId);
				else expect(overview).toBeNull();
			}
			const listed = (await childrenOfGuardian(handle.db, g)).map((c) => c.pupilId).sort();
			expect(listed).toEqual([...mine].sort());
		}
	});

	it('malformed and unknown ids are simply not found', async () => {
		for (const id of ['not-a-uuid', '', "' or 1=1 --", '00000000-0000-0000-0000-000000000000']) {
			expect(await guardianCanSeePupil(handle.db, twoSchoolGuardian, id)).toBe(false);
			expect(await childAttendanceOverview(handle, twoSchoolGuardian, id)).toBeNull();
		}
		expect(await guardianCanSeePupil(handle.db, 'nope', demoChild)).toBe(false);
	});

	it('a guardian linked at two schools sees children at both', async () => {
		const children = await childrenOfGuardian(handle.db, twoSchoolGuardian);
		const schools = new Set(children.map((c) => c.schoolName));
		expect(schools).toEqual(new Set(['Harbourside Primary', 'second school']));
		expect(children.map((c) => c.pupilId)).toContain(otherSchoolPupil);
		expect(children.map((c) => c.pupilId)).toContain(demoChild);
	});

	it('the demo family with children at two schools sees both', async () => {
		const { DEMO_SHARED_GUARDIAN } = await import('../../src/lib/server/demo/staff');
		const [g] = await handle.query<{ id: string }>('select id from guardians where phone = $1', [DEMO_SHARED_GUARDIAN.phone]);
		expect(g, 'the demo seed includes the parent with children at two schools').toBeDefined();
		if (!g) return;
		const children = await childrenOfGuardian(handle.db, g.id);
		expect(children.map((c) => `${c.firstName} ${c.lastName}`).sort()).toEqual(
			DEMO_SHARED_GUARDIAN.children.map((c) => `${c.firstName} ${c.lastName}`).sort()
		);
		expect(new Set(children.map((c) => c.schoolId)).size).toBe(2);
	});

	it('gives this academic year’s figures with supportive band wording', async () => {
		const overview = await childAttendanceOverview(handle, twoSchoolGuardian, otherSchoolPupil, new Date('2026-11-20T12:00:00Z'));
		expect(overview).toMatchObject({
			academicYear: '2026/27',
			from: '2026-09-03',
			to: '2026-11-20',
			possibleSessions: 4,
			attendedSessions: 2,
			percent: 50,
			percentText: '50.0%',
			daysMissed: 1,
			authorisedDays: 0.5,
			unauthorisedDays: 0.5,
			band: 'severely_absent',
			parentLabel: BAND_INFO.severely_absent.parentLabel
		});
		// Staff band names never reach parents.
		expect(JSON.stringify(overview)).not.toContain(BAND_INFO.severely_absent.staffLabel);

		const demo = await childAttendanceOverview(handle, twoSchoolGuardian, demoChild, new Date('2026-11-20T12:00:00Z'));
		expect(demo!.possibleSessions).toBeGreaterThan(50);
		expect(demo!.percent).not.toBeNull();
		expect(demo!.parentMessage).toBe(BAND_INFO[demo!.band!].parentMessage);
	});
});
