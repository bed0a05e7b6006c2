import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importErrorMessages, marksPayloadProblemText } from '../../src/lib/i18n-staff-problems';
import { createHash } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	importRegisterMarks,
	MarksPayloadError,
	MAX_API_MARKS,
	type ImportResult
} from '../../src/lib/server/features/register-import';
import {
	bearerToken,
	createMisApiToken,
	revokeMisApiToken,
	verifyMisApiToken
} from '../../src/lib/server/features/register-import/mis-tokens';
import { countOf, createTestSchool, marksOf, type TestSchool } from '../fixtures/register/school';

// The route gets the app-wide database as locals.database (set by the request pipeline); here it is this file's test database.
const { POST } = await import('../../src/routes/api/mis/marks/+server');

describe(`MIS marks API (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let other: TestSchool;

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'api-school', urn: '200001', misIds: ['A100000000001', 'A100000000002', '4711'] });
		other = await createTestSchool(handle, { slug: 'api-other', urn: '200002', misIds: ['B200000000001'] });
	});
	afterAll(async () => {
		await handle.close();
	});

	describe('importRegisterMarks', () => {
		const run = (marks: unknown) => importRegisterMarks(handle, { schoolId: school.id, marks, importedBy: 'mis:api-school' });

		it('applies valid marks, maps legacy codes and records the source as api', async () => {
			const result = await run({
				marks: [
					{ pupilId: 'A100000000001', date: '2026-09-07', session: 'AM', code: '/' },
					{ pupilId: 'A100000000001', date: '2026-09-07', session: 'PM', code: 'L', minutesLate: 5 },
					{ pupilId: 4711, date: '2026-09-07', session: 'am', code: 'H', extra: 'ignored' },
					{ pupilId: 'A100000000002', date: '2026-09-07', session: 'AM', code: '' }
				]
			});
			expect(result).toMatchObject({ status: 'applied', rowsRead: 4, marksInserted: 3, errorCount: 0 });
			const marks = await marksOf(handle, school.id);
			expect(marks.map((m) => [m.mis_id, m.session, m.code, m.minutes_late, m.source])).toEqual([
				['4711', 'AM', 'C', null, 'api'],
				['A100000000001', 'AM', '/', null, 'api'],
				['A100000000001', 'PM', 'L', 5, 'api']
			]);
			const [audit] = await handle.query<{ actor_type: string; actor_id: string }>(
				`select actor_type, actor_id from audit_log where subject_id = $1`,
				[result.importId]
			);
			expect(audit).toEqual({ actor_type: 'mis', actor_id: 'mis:api-school' });

			// Sending the same marks again is a no-op.
			const again = await run([
				{ pupilId: 'A100000000001', date: '2026-09-07', session: 'AM', code: '/' },
				{ pupilId: 'A100000000001', date: '2026-09-07', session: 'PM', code: 'L', minutesLate: 5 }
			]);
			expect(again).toMatchObject({ status: 'applied', marksInserted: 0, marksAmended: 0, marksUnchanged: 2 });
		});

		it('rejects bad marks with their 1-based index and clear messages, applying none', async () => {
			const before = await countOf(handle, 'attendance_marks', school.id);
			const result = await run({
				marks: [
					{ pupilId: 'A100000000002', date: '2026-09-08', session: 'AM', code: '/' },
					{ date: '2026-09-08', session: 'AM', code: '/' },
					{ pupilId: 'A100000000002', date: '08/09/2026', session: 'PM', code: 'ZZ' },
					{ pupilId: 'A100000000002', date: '2026-09-08', session: 'AM', code: 'N', minutesLate: -3 },
					'not an object',
					{ pupilId: 'B200000000001', date: '2026-09-08', session: 'AM', code: '/' },
					{ pupilId: 'A100000000002', date: '2026-09-12', session: 'AM', code: '/' },
					{ pupilId: 'A100000000002', date: '2026-09-08', session: 'AM', code: 'I' }
				]
			});
			expect(result.status).toBe('rejected');
			expect(importErrorMessages(result.errors)).toEqual([
				{ row: 2, message: "pupilId is required: the pupil's MIS ID as a string" },
				{ row: 3, message: 'PM code: "ZZ" is not an attendance code in the 2024 set' },
				{ row: 4, message: 'minutesLate must be a whole number from 0 to 600' },
				{ row: 5, message: 'Each mark must be an object { "pupilId", "date", "session", "code" }' },
				{ row: 6, message: 'No pupil at this school has MIS ID "B200000000001"' },
				{ row: 7, message: '2026-09-12 (Saturday) is a weekend, not a school day' },
				{ row: 8, message: 'Duplicate mark: pupil "A100000000002" on 2026-09-08 AM already appears on row 1' }
			]);
			expect(await countOf(handle, 'attendance_marks', school.id)).toBe(before);
			expect(await countOf(handle, 'attendance_marks', other.id)).toBe(0);
			const [stored] = await handle.query<{ status: string; source: string }>(
				`select status, source::text as source from register_imports where id = $1`,
				[result.importId]
			);
			expect(stored).toEqual({ status: 'rejected', source: 'api' });
		});

		it('refuses payloads that are not a marks array, or too large, before touching the database', async () => {
			const importsBefore = await countOf(handle, 'register_imports', school.id);
			for (const payload of [null, 'marks', { marks: 'x' }, { mark: [] }, 42]) {
				const err = await run(payload).catch((e: unknown) => e);
				expect(err).toBeInstanceOf(MarksPayloadError);
				expect((err as MarksPayloadError).status).toBe(400);
				expect((err as MarksPayloadError).problem).toEqual({ code: 'not_marks_payload' });
				expect(marksPayloadProblemText((err as MarksPayloadError).problem)).toContain('{ "marks": [');
			}
			const tooMany = Array.from({ length: MAX_API_MARKS + 1 }, () => ({}));
			const err = await run({ marks: tooMany }).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(MarksPayloadError);
			expect((err as MarksPayloadError).status).toBe(413);
			expect((err as MarksPayloadError).problem).toEqual({ code: 'too_many_marks', count: 100001, max: MAX_API_MARKS });
			expect(marksPayloadProblemText((err as MarksPayloadError).problem)).toMatch(/Too many marks in one request: 100001 \(at most 100,000\)/);
			expect(await countOf(handle, 'register_imports', school.id)).toBe(importsBefore);
		});
	});

	describe('MIS API tokens', () => {
		it('stores only the SHA-256 of the token and verifies it to its own school', async () => {
			const token = await createMisApiToken(handle, school.id, 'staff-user-1');
			expect(token).toMatch(/^edm_[A-Za-z0-9_-]{43}$/);
			const [row] = await handle.query<Record<string, unknown>>(`select * from schools where id = $1`, [school.id]);
			expect(row!.mis_api_token_hash).toBe(createHash('sha256').update(token).digest('hex'));
			expect(JSON.stringify(row)).not.toContain(token.slice(4));

			expect(await verifyMisApiToken(handle, token)).toEqual({ schoolId: school.id, slug: 'api-school' });
			const otherToken = await createMisApiToken(handle, other.id);
			expect(await verifyMisApiToken(handle, otherToken)).toEqual({ schoolId: other.id, slug: 'api-other' });
		});

		it('rejects wrong, malformed, rotated and revoked tokens', async () => {
			const old = await createMisApiToken(handle, school.id);
			const wrong = old.slice(0, -1) + (old.endsWith('A') ? 'B' : 'A');
			expect(await verifyMisApiToken(handle, wrong)).toBeNull();
			expect(await verifyMisApiToken(handle, '')).toBeNull();
			expect(await verifyMisApiToken(handle, null)).toBeNull();
			expect(await verifyMisApiToken(handle, 'edm_short')).toBeNull();
			// The stored hash is not a token.
			const [row] = await handle.query<{ h: string }>(`select mis_api_token_hash as h from schools where id = $1`, [school.id]);
			expect(await verifyMisApiToken(handle, row!.h)).toBeNull();

			const current = await createMisApiToken(handle, school.id);
			expect(await verifyMisApiToken(handle, old)).toBeNull();
			expect(await verifyMisApiToken(handle, current)).not.toBeNull();
			await revokeMisApiToken(handle, school.id);
			expect(await verifyMisApiToken(handle, current)).toBeNull();
			const actions = await handle.query<{ action: string }>(
				`select action from audit_log where school_id = $1 and action like 'mis_token.%' order by id`,
				[school.id]
			);
			expect(actions.map((a) => a.action).slice(-3)).toEqual(['mis_token.create', 'mis_token.create', 'mis_token.revoke']);
		});

		it('reads the bearer token from the Authorization header', () => {
			expect(bearerToken('Bearer edm_abc')).toBe('edm_abc');
			expect(bearerToken('bearer   edm_abc ')).toBe('edm_abc');
			expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
			expect(bearerToken(null)).toBeNull();
		});
	});

	describe('POST /api/mis/marks', () => {
		let token: string;
		beforeAll(async () => {
			token = await createMisApiToken(handle, school.id);
		});

		async function post(body: BodyInit, headers: Record<string, string>) {
			const request = new Request('http://localhost/api/mis/marks', { method: 'POST', body, headers });
			const response = await POST({ request, locals: { database: handle } } as unknown as Parameters<typeof POST>[0]);
			return { status: response.status, body: (await response.json()) as Record<string, unknown> };
		}
		const auth = () => ({ authorization: `Bearer ${token}` });

		it('401 without a token or with a wrong one', async () => {
			const body = JSON.stringify({ marks: [] });
			const none = await post(body, { 'content-type': 'application/json' });
			expect(none.status).toBe(401);
			expect(none.body.error).toBe('unauthorized');
			const wrong = await post(body, { 'content-type': 'application/json', authorization: `Bearer ${token.slice(0, -2)}xx` });
			expect(wrong.status).toBe(401);
		});

		it('200 with the import result for valid JSON, 422 with the report when rejected', async () => {
			const ok = await post(
				JSON.stringify({ marks: [{ pupilId: 'A100000000002', date: '2026-09-14', session: 'AM', code: 'N' }] }),
				{ ...auth(), 'content-type': 'application/json; charset=utf-8' }
			);
			expect(ok.status).toBe(200);
			expect(ok.body).toMatchObject({ status: 'applied', marksInserted: 1 });

			const bad = await post(
				JSON.stringify({ marks: [{ pupilId: 'A100000000002', date: '2026-09-14', session: 'AM', code: 'Q9' }] }),
				{ ...auth(), 'content-type': 'application/json' }
			);
			expect(bad.status).toBe(422);
			const report = bad.body as unknown as ImportResult;
			expect(report.status).toBe('rejected');
			// The API gives each error's code and values, and the English sentence beside them.
			expect(report.errors).toEqual([
				{ row: 1, code: 'attendance_code_invalid', session: 'AM', problem: { code: 'code_not_in_set', value: 'Q9' }, message: 'AM code: "Q9" is not an attendance code in the 2024 set' }
			]);
		});

		it('accepts a CSV body and attributes it to the MIS', async () => {
			const res = await post('UPN,Date,AM,PM\nA100000000002,15/09/2026,/,\\\n', { ...auth(), 'content-type': 'text/csv' });
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ status: 'applied', rowsRead: 1, marksInserted: 2 });
			const [imp] = await handle.query<{ source: string; imported_by: string }>(
				`select source::text as source, imported_by from register_imports where id = $1`,
				[res.body.importId]
			);
			expect(imp).toEqual({ source: 'api', imported_by: 'mis:api-school' });
		});

		it('400 for invalid JSON or a payload without marks, 413 for too many marks, 415 for other types', async () => {
			const invalid = await post('{"marks": [', { ...auth(), 'content-type': 'application/json' });
			expect(invalid).toEqual({ status: 400, body: { error: 'invalid_json', message: 'The body is not valid JSON' } });
			const noMarks = await post('{"rows": []}', { ...auth(), 'content-type': 'application/json' });
			expect(noMarks.status).toBe(400);
			expect(noMarks.body.error).toBe('invalid_payload');
			const many = Array.from({ length: MAX_API_MARKS + 1 }, () => ({ pupilId: 'x', date: '2026-09-14', session: 'AM', code: '/' }));
			const tooMany = await post(JSON.stringify({ marks: many }), { ...auth(), 'content-type': 'application/json' });
			expect(tooMany.status).toBe(413);
			const text = await post('hello', { ...auth(), 'content-type': 'text/plain' });
			expect(text.status).toBe(415);
		});
	});
});
