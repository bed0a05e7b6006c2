import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { importRegisterCsv, importRegisterMarks } from '../../src/lib/server/features/register-import';
import { createMisApiToken } from '../../src/lib/server/features/register-import/mis-tokens';
import { staffPupilFigures } from '../../src/lib/server/features/attendance';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';

const { POST } = await import('../../src/routes/api/mis/marks/+server');

/*
 * Who amended a mark, and what a B/K/P/V/Y mark was: the optional register import columns
 * (CSV) and fields (the MIS API), stored with the mark and its amendment row.
 */
describe(`amendments with who and their role, and code details (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let seq = 0;

	beforeAll(async () => {
		handle = await openTestDatabase();
	});
	afterAll(async () => {
		await handle?.close();
	});
	const freshSchool = async () => {
		seq++;
		school = await createTestSchool(handle, { slug: `amend-${seq}`, urn: String(470000 + seq), misIds: ['A1', 'A2'] });
		return school;
	};
	const csv = (input: string) => importRegisterCsv(handle, { schoolId: school.id, input, importedBy: 'staff-user-1', filename: 'marks.csv' });
	const amendments = () =>
		handle.query<{ previous_code: string; new_code: string; amended_by: string; amended_by_name: string | null; amended_by_role: string | null }>(
			`select previous_code, new_code, amended_by, amended_by_name, amended_by_role from attendance_mark_amendments where school_id = $1 order by id`,
			[school.id]
		);
	const details = () =>
		handle.query<{ mis_id: string; date: string; session: string; code: string; code_detail: string | null }>(
			`select p.mis_id, to_char(m.date, 'YYYY-MM-DD') as date, m.session::text as session, m.code, m.code_detail
			   from attendance_marks m join pupils p on p.id = m.pupil_id where m.school_id = $1 order by p.mis_id, m.date, m.session`,
			[school.id]
		);

	it('CSV: an amendment records who made it and their role; a B mark keeps its detail', async () => {
		await freshSchool();
		await csv('UPN,Date,AM,PM\nA1,07/09/2026,N,N\nA2,07/09/2026,/,/\n');
		const result = await csv(
			'UPN,Date,AM,PM,Code Detail PM,Amended By,Amended By Role\n' +
				'A1,07/09/2026,I,N,,J. Smith,Attendance officer\n' +
				'A2,07/09/2026,/,B,Work experience at Highbury College,,\n'
		);
		expect(result).toMatchObject({ status: 'applied', marksAmended: 2, marksUnchanged: 2 });
		expect(await amendments()).toEqual([
			{ previous_code: 'N', new_code: 'I', amended_by: 'staff-user-1', amended_by_name: 'J. Smith', amended_by_role: 'Attendance officer' },
			{ previous_code: '/', new_code: 'B', amended_by: 'staff-user-1', amended_by_name: null, amended_by_role: null }
		]);
		expect((await details()).filter((d) => d.code_detail !== null)).toEqual([
			{ mis_id: 'A2', date: '2026-09-07', session: 'PM', code: 'B', code_detail: 'Work experience at Highbury College' }
		]);

		// A later file without the column leaves the detail while the code stays; a changed code drops it.
		expect(await csv('UPN,Date,AM,PM\nA2,07/09/2026,/,B\n')).toMatchObject({ status: 'applied', marksUnchanged: 2 });
		expect((await details()).find((d) => d.mis_id === 'A2' && d.session === 'PM')!.code_detail).toBe('Work experience at Highbury College');
		await csv('UPN,Date,AM,PM\nA2,07/09/2026,/,/\n');
		expect((await details()).find((d) => d.mis_id === 'A2' && d.session === 'PM')).toMatchObject({ code: '/', code_detail: null });
	});

	it('CSV: a change of detail alone updates the mark without an amendment; a blank cell clears it', async () => {
		await freshSchool();
		await csv('UPN,Date,Session,Code,Code Detail\nA1,08/09/2026,AM,Y1,School transport did not run\n');
		const changed = await csv('UPN,Date,Session,Code,Code Detail\nA1,08/09/2026,AM,Y1,Flooded road\n');
		expect(changed).toMatchObject({ marksAmended: 1, marksInserted: 0 });
		expect(await amendments()).toEqual([]);
		expect((await details())[0]!.code_detail).toBe('Flooded road');
		expect(await csv('UPN,Date,Session,Code,Code Detail\nA1,08/09/2026,AM,Y1,\n')).toMatchObject({ marksAmended: 1 });
		expect((await details())[0]!.code_detail).toBeNull();
	});

	it('CSV: a detail on a code that takes none rejects the file, saying which code', async () => {
		await freshSchool();
		const result = await csv('UPN,Date,Session,Code,Code Detail\nA1,08/09/2026,AM,V,Science museum\nA2,08/09/2026,PM,N,Bus\n');
		expect(result).toMatchObject({ status: 'rejected', errorCount: 1 });
		expect(result.errors).toEqual([{ row: 3, code: 'code_detail_not_allowed', session: 'PM', markCode: 'N', allowed: expect.arrayContaining(['B', 'K', 'P', 'V', 'Y1']) }]);
		expect(await details()).toEqual([]);
	});

	it('JSON: the same fields through importRegisterMarks and the MIS API, with the sentence beside the code', async () => {
		await freshSchool();
		const first = await importRegisterMarks(handle, {
			schoolId: school.id,
			importedBy: `mis:${school.slug}`,
			marks: [
				{ pupilId: 'A1', date: '2026-09-09', session: 'AM', code: 'N' },
				{ pupilId: 'A2', date: '2026-09-09', session: 'AM', code: 'P', codeDetail: 'County cross-country' }
			]
		});
		expect(first).toMatchObject({ status: 'applied', marksInserted: 2 });

		const token = await createMisApiToken(handle, school.id);
		const post = async (marks: unknown[]) => {
			const request = new Request('http://localhost/api/mis/marks', {
				method: 'POST',
				body: JSON.stringify({ marks }),
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
			});
			const response = await POST({ request, locals: { database: handle } } as unknown as Parameters<typeof POST>[0]);
			return { status: response.status, body: (await response.json()) as Record<string, unknown> };
		};
		const ok = await post([{ pupilId: 'A1', date: '2026-09-09', session: 'AM', code: 'M', amendedBy: 'R. Patel', amendedByRole: 'Headteacher' }]);
		expect(ok).toMatchObject({ status: 200, body: { status: 'applied', marksAmended: 1 } });
		expect(await amendments()).toEqual([
			{ previous_code: 'N', new_code: 'M', amended_by: `mis:${school.slug}`, amended_by_name: 'R. Patel', amended_by_role: 'Headteacher' }
		]);
		// A push without codeDetail keeps the detail held; null clears it.
		await post([{ pupilId: 'A2', date: '2026-09-09', session: 'AM', code: 'P' }]);
		expect((await details()).find((d) => d.mis_id === 'A2')!.code_detail).toBe('County cross-country');

		const bad = await post([
			{ pupilId: 'A2', date: '2026-09-09', session: 'PM', code: 'L', codeDetail: 'Library' },
			{ pupilId: 'A2', date: '2026-09-10', session: 'AM', code: 'K', amendedBy: 7 }
		]);
		expect(bad.status).toBe(422);
		expect(bad.body.errors).toEqual([
			{
				row: 1,
				code: 'code_detail_not_allowed',
				session: 'PM',
				markCode: 'L',
				allowed: expect.any(Array),
				message: 'PM code L (Late arrival before the register closed) takes no code detail: only B, K, P, V, Y1, Y2, Y3, Y4, Y5, Y6, Y7 do'
			},
			{ row: 2, code: 'mark_text_type', field: 'amendedBy', message: 'amendedBy must be text, or null' }
		]);
		await post([{ pupilId: 'A2', date: '2026-09-09', session: 'AM', code: 'P', codeDetail: null }]);
		expect((await details()).find((d) => d.mis_id === 'A2')!.code_detail).toBeNull();
	});

	it('the staff pupil page’s figures list the changed and described marks, with who changed them', async () => {
		await freshSchool();
		await csv('UPN,Date,Session,Code\nA1,07/09/2026,AM,N\nA1,08/09/2026,AM,/\n');
		await csv('UPN,Date,Session,Code,Code Detail,Amended By,Amended By Role\nA1,07/09/2026,AM,I,,J. Smith,Attendance officer\nA1,08/09/2026,AM,V,Science museum,,\n');
		await csv('UPN,Date,Session,Code,Amended By\nA1,07/09/2026,AM,M,K. Jones\n');
		const pupilId = school.pupils.get('A1')!;
		const figures = (await staffPupilFigures(handle, school.id, pupilId, 'staff-user-1'))!;
		expect(figures.markNotes.map((n) => ({ ...n, amendments: n.amendments.map(({ at: _at, ...a }) => a) }))).toEqual([
			{
				date: '2026-09-08',
				session: 'AM',
				code: 'V',
				codeDetail: 'Science museum',
				amendments: [{ previousCode: '/', newCode: 'V', byName: null, byRole: null }]
			},
			{
				date: '2026-09-07',
				session: 'AM',
				code: 'M',
				codeDetail: null,
				amendments: [
					{ previousCode: 'N', newCode: 'I', byName: 'J. Smith', byRole: 'Attendance officer' },
					{ previousCode: 'I', newCode: 'M', byName: 'K. Jones', byRole: null }
				]
			}
		]);
	});
});
