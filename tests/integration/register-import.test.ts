import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importErrorMessages } from '../../src/lib/i18n-staff-problems';
import fs from 'node:fs';
import path from 'node:path';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { importRegisterCsv, MAX_REPORTED_ERRORS, type ImportResult } from '../../src/lib/server/features/register-import';
import {
	countOf,
	createTestSchool,
	marksOf,
	schoolDaysFrom,
	ukDate,
	type TestSchool
} from '../fixtures/register/school';

const fixture = (name: string) => path.resolve('tests/fixtures/register', name);

describe(`register import from CSV (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let other: TestSchool;
	let seq = 0;

	beforeAll(async () => {
		handle = await openTestDatabase();
		other = await createTestSchool(handle, { slug: 'other', urn: '900000', misIds: ['B200000000001'] });
	});
	afterAll(async () => {
		await handle.close();
	});

	// Every test gets its own school, so counts and marks never leak between tests.
	let school: TestSchool;
	beforeEach(async () => {
		seq++;
		school = await createTestSchool(handle, {
			slug: `school-${seq}`,
			urn: String(100000 + seq),
			misIds: ['A100000000001', 'A100000000002', 'A100000000003']
		});
	});

	const importCsv = (input: Parameters<typeof importRegisterCsv>[1]['input'], extra: { amendmentReason?: string; importedBy?: string } = {}) =>
		importRegisterCsv(handle, {
			schoolId: school.id,
			input,
			importedBy: extra.importedBy ?? 'staff-user-1',
			filename: 'test.csv',
			amendmentReason: extra.amendmentReason
		});

	function expectRejected(result: ImportResult) {
		expect(result.status).toBe('rejected');
		expect(result.marksInserted + result.marksAmended + result.marksUnchanged).toBe(0);
		expect(result.errorCount).toBeGreaterThan(0);
	}

	it('imports the one-row-per-day shape with UK dates, a BOM, extra columns and blank cells', async () => {
		const result = await importCsv(fs.createReadStream(fixture('daily-uk.csv')));
		expect(result).toMatchObject({
			status: 'applied',
			rowsRead: 6,
			marksInserted: 9,
			marksAmended: 0,
			marksUnchanged: 0,
			errorCount: 0,
			errors: []
		});
		const marks = await marksOf(handle, school.id);
		expect(marks.map((m) => [m.mis_id, m.date, m.session, m.code, m.minutes_late])).toEqual([
			['A100000000001', '2026-09-07', 'AM', '/', null],
			['A100000000001', '2026-09-07', 'PM', '\\', null],
			['A100000000001', '2026-09-08', 'AM', 'L', 12],
			['A100000000001', '2026-09-08', 'PM', '\\', null],
			['A100000000002', '2026-09-07', 'AM', 'I', null],
			['A100000000002', '2026-09-07', 'PM', 'I', null],
			['A100000000002', '2026-09-08', 'AM', 'M', null],
			['A100000000002', '2026-09-08', 'PM', '\\', null],
			// Khan: PM on the 7th and the whole of the 8th were blank (not yet marked).
			['A100000000003', '2026-09-07', 'AM', '/', null]
		]);
		expect(marks.every((m) => m.source === 'csv_import')).toBe(true);
	});

	it('imports the one-row-per-session shape with ISO dates and case-insensitive sessions', async () => {
		const result = await importCsv(fs.readFileSync(fixture('session-iso.csv'), 'utf8'));
		expect(result).toMatchObject({ status: 'applied', rowsRead: 5, marksInserted: 4 });
		const marks = await marksOf(handle, school.id);
		expect(marks.map((m) => [m.mis_id, m.session, m.code, m.minutes_late])).toEqual([
			['A100000000001', 'AM', '/', null],
			['A100000000001', 'PM', 'N', null],
			['A100000000002', 'AM', 'U', 25],
			['A100000000002', 'PM', '\\', null]
		]);
		expect(new Set(marks.map((m) => m.date))).toEqual(new Set(['2026-09-09']));
	});

	it('accepts an async iterable of chunks split mid-line', async () => {
		async function* chunks() {
			yield Buffer.from('Pupil ID,Date,AM,P');
			yield 'M\nA100000000001,2026-09-';
			yield '14,/,\\\n';
		}
		const result = await importCsv(chunks());
		expect(result).toMatchObject({ status: 'applied', rowsRead: 1, marksInserted: 2 });
	});

	it('stores legacy codes as their 2024 mapping (J→J1, H→C, Y→Y7) and upper-cases codes', async () => {
		const result = await importCsv(fs.createReadStream(fixture('legacy-codes.csv')));
		expect(result.status).toBe('applied');
		const codes = (await marksOf(handle, school.id)).map((m) => `${m.mis_id}:${m.session}:${m.code}`);
		expect(codes).toEqual([
			'A100000000001:AM:J1',
			'A100000000001:PM:C',
			'A100000000002:AM:Y7',
			'A100000000002:PM:C',
			'A100000000003:AM:I',
			'A100000000003:PM:Y3'
		]);
	});

	it('rejects an unknown code with its row number and value, and applies nothing', async () => {
		const csv = ['UPN,Date,AM,PM', 'A100000000001,07/09/2026,/,\\', 'A100000000002,07/09/2026,/,ZZ', ''].join('\n');
		const result = await importCsv(csv);
		expectRejected(result);
		expect(result.errors).toEqual([{ row: 3, code: 'attendance_code_invalid', session: 'PM', problem: { code: 'code_not_in_set', value: 'ZZ' } }]);
		expect(importErrorMessages(result.errors)).toEqual([{ row: 3, message: 'PM code: "ZZ" is not an attendance code in the 2024 set' }]);
		expect(await countOf(handle, 'attendance_marks', school.id)).toBe(0);

		const [stored] = await handle.query<{ status: string; error_count: number; errors: unknown; rows_read: number }>(
			`select status, error_count, errors, rows_read from register_imports where id = $1`,
			[result.importId]
		);
		expect(stored).toEqual({ status: 'rejected', error_count: 1, errors: result.errors, rows_read: 2 });
	});

	it('rejects an unknown pupil and a pupil of another school', async () => {
		const csv = [
			'UPN,Date,AM,PM',
			'A999999999999,07/09/2026,/,\\',
			'B200000000001,07/09/2026,/,\\', // exists, but at the other school
			'A100000000001,07/09/2026,/,\\'
		].join('\n');
		const result = await importCsv(csv);
		expectRejected(result);
		expect(importErrorMessages(result.errors)).toEqual([
			{ row: 2, message: 'No pupil at this school has MIS ID "A999999999999"' },
			{ row: 3, message: 'No pupil at this school has MIS ID "B200000000001"' }
		]);
		expect(await countOf(handle, 'attendance_marks', school.id)).toBe(0);
		expect(await countOf(handle, 'attendance_marks', other.id)).toBe(0);
	});

	it('rejects marks on weekends, holidays, INSET days and closed half days', async () => {
		const csv = [
			'UPN,Date,Session,Code',
			'A100000000001,12/09/2026,AM,/', // Saturday
			'A100000000001,2026-10-28,AM,/', // half-term holiday
			'A100000000001,03/09/2026,PM,/', // INSET day
			'A100000000001,20/11/2026,PM,N', // afternoon closure
			'A100000000001,2026-08-20,AM,/', // summer holiday, before any term
			'A100000000001,20/11/2026,AM,/' // the morning of the half-day closure is a session
		].join('\n');
		const result = await importCsv(csv);
		expectRejected(result);
		expect(importErrorMessages(result.errors)).toEqual([
			{ row: 2, message: '2026-09-12 (Saturday) is a weekend, not a school day' },
			{ row: 3, message: "2026-10-28 (Wednesday) is outside the school's terms (a holiday), not a school day" },
			{
				row: 4,
				message:
					'2026-09-03 (Thursday) PM is not a school session: the school is closed (INSET day "Staff training"); only "#" may be recorded'
			},
			{
				row: 5,
				message:
					'2026-11-20 (Friday) PM is not a school session: the school is closed (school closure "Polling station"); only "#" may be recorded'
			},
			{ row: 6, message: "2026-08-20 (Thursday) is outside the school's terms (a holiday), not a school day" }
		]);
	});

	it('accepts "#" (planned closure) on closure days but not at weekends', async () => {
		const ok = await importCsv('UPN,Date,AM,PM\nA100000000001,03/09/2026,#,#\nA100000000001,20/11/2026,/,#\n');
		expect(ok).toMatchObject({ status: 'applied', marksInserted: 4 });
		const weekend = await importCsv('UPN,Date,AM,PM\nA100000000001,13/09/2026,#,#\n');
		expectRejected(weekend);
		expect(weekend.errorCount).toBe(2);
		expect(importErrorMessages(weekend.errors)[0]!.message).toContain('is a weekend');
	});

	it('reports invalid dates, sessions and minutes late', async () => {
		const csv = [
			'UPN,Date,Session,Code,Minutes Late',
			'A100000000001,31/02/2026,AM,/,',
			'A100000000001,09/07/26,AM,/,',
			'A100000000001,07/09/2026,Evening,/,',
			'A100000000001,07/09/2026,AM,L,late',
			'A100000000001,,AM,/,'
		].join('\n');
		const result = await importCsv(csv);
		expectRejected(result);
		expect(importErrorMessages(result.errors)).toEqual([
			{ row: 2, message: '"31/02/2026" is not a valid date (expected DD/MM/YYYY or YYYY-MM-DD)' },
			{ row: 3, message: '"09/07/26" is not a valid date (expected DD/MM/YYYY or YYYY-MM-DD)' },
			{ row: 4, message: '"Evening" is not a session (expected AM or PM)' },
			{ row: 5, message: 'AM minutes late "late" must be a whole number from 0 to 600' },
			{ row: 6, message: 'The date is blank' }
		]);
	});

	it('applies nothing when one row of many is bad', async () => {
		await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,/,\\\n');
		const before = await marksOf(handle, school.id);
		expect(before).toHaveLength(2);

		const lines = ['UPN,Date,AM,PM'];
		for (const date of schoolDaysFrom('2026-09-08', 10)) {
			for (const id of ['A100000000001', 'A100000000002', 'A100000000003']) lines.push(`${id},${ukDate(date)},/,\\`);
		}
		lines.push('A100000000001,07/09/2026,N,N'); // would amend the existing mark...
		lines.push('A100000000002,22/09/2026,/,Q7'); // ...but this row is bad
		const result = await importCsv(lines.join('\n'));
		expectRejected(result);
		expect(importErrorMessages(result.errors)).toEqual([{ row: 33, message: 'PM code: "Q7" is not an attendance code in the 2024 set' }]);
		expect(await marksOf(handle, school.id)).toEqual(before);
		expect(await countOf(handle, 'attendance_mark_amendments', school.id)).toBe(0);
	});

	it('re-importing the same file changes nothing', async () => {
		const first = await importCsv(fs.createReadStream(fixture('daily-uk.csv')));
		expect(first.marksInserted).toBe(9);
		const before = await marksOf(handle, school.id);
		// Ensure a rewrite would show up as a later updated_at.
		await new Promise((r) => setTimeout(r, 20));

		const again = await importCsv(fs.createReadStream(fixture('daily-uk.csv')));
		expect(again).toMatchObject({ status: 'applied', marksInserted: 0, marksAmended: 0, marksUnchanged: 9 });
		expect(again.importId).not.toBe(first.importId);
		const after = await marksOf(handle, school.id);
		expect(after).toEqual(before);
		expect(after.map((m) => m.updated_at.getTime())).toEqual(before.map((m) => m.updated_at.getTime()));
		expect(await countOf(handle, 'attendance_mark_amendments', school.id)).toBe(0);
		expect(await countOf(handle, 'register_imports', school.id)).toBe(2);
	});

	it('a changed code records one amendment with the previous and new code', async () => {
		await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,N,N\nA100000000002,07/09/2026,/,\\\n');
		const result = await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,I,N\nA100000000002,07/09/2026,/,\\\n', {
			amendmentReason: 'Parent phoned: illness',
			importedBy: 'staff-user-7'
		});
		expect(result).toMatchObject({ status: 'applied', marksInserted: 0, marksAmended: 1, marksUnchanged: 3 });
		const amendments = await handle.query(
			`select p.mis_id, a.date::text as date, a.session::text as session, a.previous_code, a.new_code, a.reason, a.amended_by
			 from attendance_mark_amendments a join pupils p on p.id = a.pupil_id where a.school_id = $1`,
			[school.id]
		);
		expect(amendments).toEqual([
			{
				mis_id: 'A100000000001',
				date: '2026-09-07',
				session: 'AM',
				previous_code: 'N',
				new_code: 'I',
				reason: 'Parent phoned: illness',
				amended_by: 'staff-user-7'
			}
		]);
		const am = (await marksOf(handle, school.id)).find((m) => m.mis_id === 'A100000000001' && m.session === 'AM');
		expect(am?.code).toBe('I');

		// Without a reason the default is recorded.
		await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,M,N\n');
		const [last] = await handle.query<{ reason: string; previous_code: string }>(
			`select reason, previous_code from attendance_mark_amendments where school_id = $1 order by id desc limit 1`,
			[school.id]
		);
		expect(last).toEqual({ reason: 'Register import', previous_code: 'I' });
	});

	it('a change of minutes late alone updates the mark without a code amendment', async () => {
		await importCsv('UPN,Date,Session,Code,Minutes Late\nA100000000001,07/09/2026,AM,L,5\n');
		const result = await importCsv('UPN,Date,Session,Code,Minutes Late\nA100000000001,07/09/2026,AM,L,15\n');
		expect(result).toMatchObject({ marksInserted: 0, marksAmended: 1, marksUnchanged: 0 });
		expect((await marksOf(handle, school.id))[0]?.minutes_late).toBe(15);
		expect(await countOf(handle, 'attendance_mark_amendments', school.id)).toBe(0);
	});

	it('rejects the same pupil, date and session twice in one file', async () => {
		const daily = await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,/,\\\nA100000000001,2026-09-07,/,\n');
		expectRejected(daily);
		expect(importErrorMessages(daily.errors)).toEqual([
			{ row: 3, message: 'Duplicate mark: pupil "A100000000001" on 2026-09-07 AM already appears on row 2' }
		]);
		const perSession = await importCsv('UPN,Date,Session,Code\nA100000000001,07/09/2026,PM,\\\nA100000000001,07/09/2026,pm,N\n');
		expectRejected(perSession);
		expect(importErrorMessages(perSession.errors)[0]).toEqual({
			row: 3,
			message: 'Duplicate mark: pupil "A100000000001" on 2026-09-07 PM already appears on row 2'
		});
		expect(await countOf(handle, 'attendance_marks', school.id)).toBe(0);
	});

	it('skips blank code cells and blank lines without errors', async () => {
		const csv = 'UPN,Date,AM,PM\n\nA100000000001,07/09/2026,,\nA100000000002,07/09/2026, ,N\n,,,\nA999999999999,07/09/2026,,\n';
		const result = await importCsv(csv);
		// The unknown pupil's row has no codes, so there is nothing to check or import.
		expect(result).toMatchObject({ status: 'applied', rowsRead: 5, marksInserted: 1, errorCount: 0 });
		expect((await marksOf(handle, school.id)).map((m) => `${m.mis_id} ${m.session} ${m.code}`)).toEqual([
			'A100000000002 PM N'
		]);
	});

	it('reports malformed rows, a malformed file and unusable headers', async () => {
		const ragged = await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,/\nA100000000002,07/09/2026,/,\\,x\nA100000000003,07/09/2026,/,\\,\n');
		expectRejected(ragged);
		expect(importErrorMessages(ragged.errors)).toEqual([
			{ row: 2, message: 'Malformed row: it has 3 fields but the header has 4' },
			{ row: 3, message: 'Malformed row: it has 5 fields but the header has 4' }
		]);

		const unclosed = await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,/,\\\nA100000000002,"07/09/2026,/,\\\n');
		expectRejected(unclosed);
		expect(importErrorMessages(unclosed.errors)[0]!.message).toMatch(/^Malformed CSV: /);

		const header = await importCsv('Name,When,Mark\nSam,07/09/2026,/\n');
		expectRejected(header);
		expect(importErrorMessages(header.errors)[0]).toEqual({
			row: 1,
			message: 'The header has no pupil column (expected UPN, Pupil ID, Admission No or MIS ID); found "Name", "When", "Mark"'
		});
		const noSessions = await importCsv('MIS ID,Date,Code\nA100000000001,07/09/2026,/\n');
		expect(importErrorMessages(noSessions.errors)[0]!.message).toMatch(/needs AM and PM columns .* or Session and Code columns/);

		const empty = await importCsv('');
		expectRejected(empty);
		expect(importErrorMessages(empty.errors)).toEqual([{ row: 1, message: 'The file is empty: expected a header row and marks' }]);
		expect(await countOf(handle, 'attendance_marks', school.id)).toBe(0);
	});

	it('numbers rows by line even with quoted line breaks', async () => {
		const csv = 'UPN,Note,Date,AM,PM\nA100000000001,"two\nlines",07/09/2026,/,\\\nA100000000002,,07/09/2026,/,XX\n';
		const result = await importCsv(csv);
		expect(importErrorMessages(result.errors)).toEqual([{ row: 4, message: 'PM code: "XX" is not an attendance code in the 2024 set' }]);
	});

	it('matches whichever identifier column holds the MIS ID when an export has several', async () => {
		const csv = 'UPN,Admission No,Date,AM,PM\nUNKNOWNUPN,A100000000001,07/09/2026,/,\\\n';
		const result = await importCsv(csv);
		expect(result).toMatchObject({ status: 'applied', marksInserted: 2 });
	});

	it('caps the stored error list but counts every error', async () => {
		const lines = ['UPN,Date,AM,PM'];
		for (let i = 0; i < 600; i++) lines.push(`NOBODY${i},07/09/2026,/,\\`);
		const result = await importCsv(lines.join('\n'));
		expect(result.errorCount).toBe(600);
		expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
		expect(result.errors[MAX_REPORTED_ERRORS - 1]!.row).toBe(MAX_REPORTED_ERRORS + 1);
		const [stored] = await handle.query<{ n: number; error_count: number }>(
			`select jsonb_array_length(errors) as n, error_count from register_imports where id = $1`,
			[result.importId]
		);
		expect(stored).toEqual({ n: MAX_REPORTED_ERRORS, error_count: 600 });
	});

	it('writes an audit row per import with counts and no personal data', async () => {
		const applied = await importCsv(fs.createReadStream(fixture('daily-uk.csv')));
		const rejected = await importCsv('UPN,Date,AM,PM\nA100000000001,07/09/2026,/,ZZ\n');
		const audit = await handle.query<{ actor_type: string; actor_id: string; subject_id: string; details: Record<string, unknown> }>(
			`select actor_type, actor_id, subject_id, details from audit_log
			 where school_id = $1 and action = 'register.import' order by id`,
			[school.id]
		);
		expect(audit).toEqual([
			{
				actor_type: 'staff',
				actor_id: 'staff-user-1',
				subject_id: applied.importId,
				details: {
					status: 'applied',
					source: 'csv_import',
					rowsRead: 6,
					marksInserted: 9,
					marksAmended: 0,
					marksUnchanged: 0,
					errorCount: 0
				}
			},
			{
				actor_type: 'staff',
				actor_id: 'staff-user-1',
				subject_id: rejected.importId,
				details: {
					status: 'rejected',
					source: 'csv_import',
					rowsRead: 1,
					marksInserted: 0,
					marksAmended: 0,
					marksUnchanged: 0,
					errorCount: 1
				}
			}
		]);
		expect(JSON.stringify(audit)).not.toMatch(/A1000|Smith|ZZ/);
	});

	it('imports a generated file of 200 pupils × 20 days, then applies a handful of changes', async () => {
		const ids = Array.from({ length: 200 }, (_, i) => `G${String(i).padStart(12, '0')}`);
		const big = await createTestSchool(handle, { slug: `big-${seq}`, urn: String(800000 + seq), misIds: ids });
		const days = schoolDaysFrom('2026-09-07', 20);
		const codeFor = (p: number, d: number) => (p % 10 === 0 && d % 5 === 0 ? 'I' : '/');
		async function* file(changed: boolean) {
			yield 'UPN,Surname,Date,AM,PM\n';
			for (let p = 0; p < ids.length; p++) {
				let chunk = '';
				for (let d = 0; d < days.length; d++) {
					const am = changed && p < 10 && d === 0 ? 'M' : codeFor(p, d);
					chunk += `${ids[p]},Pupil${p},${ukDate(days[d]!)},${am},${codeFor(p, d) === '/' ? '\\' : codeFor(p, d)}\n`;
				}
				yield chunk;
			}
		}
		const run = (changed: boolean) =>
			importRegisterCsv(handle, { schoolId: big.id, input: file(changed), importedBy: 'staff-user-1' });

		const first = await run(false);
		expect(first).toMatchObject({ status: 'applied', rowsRead: 4000, marksInserted: 8000, marksAmended: 0, marksUnchanged: 0 });
		const byCode = await handle.query<{ code: string; n: number }>(
			`select code, count(*)::int as n from attendance_marks where school_id = $1 group by code order by code`,
			[big.id]
		);
		// 20 of 200 pupils × 4 of 20 days are illness days: 80 days, 160 sessions.
		expect(byCode).toEqual([
			{ code: '/', n: 4000 - 80 },
			{ code: 'I', n: 160 },
			{ code: '\\', n: 4000 - 80 }
		]);

		const second = await run(true);
		// Pupils 0..9 on day 0 AM: pupil 0 had I, the others had '/'; all become M.
		expect(second).toMatchObject({ status: 'applied', marksInserted: 0, marksAmended: 10, marksUnchanged: 7990 });
		const amendments = await handle.query<{ previous_code: string; new_code: string; n: number }>(
			`select previous_code, new_code, count(*)::int as n from attendance_mark_amendments
			 where school_id = $1 group by 1, 2 order by 1`,
			[big.id]
		);
		expect(amendments).toEqual([
			{ previous_code: '/', new_code: 'M', n: 9 },
			{ previous_code: 'I', new_code: 'M', n: 1 }
		]);
	});
});
