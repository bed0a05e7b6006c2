import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { createMisApiToken } from '../../src/lib/server/features/register-import/mis-tokens';

// The route gets the app-wide database as locals.database (set by the request pipeline); here it is this file's test database.
const { POST } = await import('../../src/routes/api/mis/roster/+server');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/onboarding/${name}`, import.meta.url), 'utf8');

describe(`MIS roster API (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let token: string;
	const call = async (body: BodyInit, headers: Record<string, string>, query = '') => {
		const url = new URL(`http://localhost/api/mis/roster${query}`);
		const request = new Request(url, { method: 'POST', body, headers });
		const response = await POST({ request, url, locals: { database: handle } } as unknown as Parameters<typeof POST>[0]);
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};
	const count = async (table: string) => (await handle.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const [school] = await handle.query<{ id: string }>(`insert into schools (urn, slug, name) values ('300001', 'roster-api', 'Roster API School') returning id`);
		token = await createMisApiToken(handle, school!.id);
	});
	afterAll(async () => {
		await handle.close();
	});

	it('refuses a request without a valid token', async () => {
		const r = await call('{}', { 'content-type': 'application/json', authorization: 'Bearer edm_nope' });
		expect(r.status).toBe(401);
	});

	it('previews the two CSV files without writing, then applies them; the same files again change nothing', async () => {
		const form = () => {
			const f = new FormData();
			f.set('pupils', new File([fixture('pupils.csv')], 'pupils.csv', { type: 'text/csv' }));
			f.set('guardians', new File([fixture('guardians.csv')], 'guardians.csv', { type: 'text/csv' }));
			return f;
		};
		const auth = { authorization: `Bearer ${token}` };
		const preview = await call(form(), auth, '?preview=1');
		expect(preview.status).toBe(200);
		expect(preview.body.summary).toMatchObject({ pupilsAdded: 4, guardiansAdded: 4 });
		expect(await count('pupils')).toBe(0);
		const applied = await call(form(), auth);
		expect(applied.status).toBe(200);
		expect(applied.body).toMatchObject({ status: 'applied', summary: { pupilsAdded: 4, guardiansAdded: 4, linksAdded: 5 } });
		expect(await count('pupils')).toBe(4);
		const again = await call(form(), auth);
		expect(again.body.summary).toMatchObject({ pupilsAdded: 0, guardiansAdded: 0, pupilsUnchanged: 4 });
	});

	it('answers 422 with the row errors for bad JSON rows and applies nothing', async () => {
		const r = await call(
			JSON.stringify({ pupils: [{ upn: 'Q1', firstName: 'A', lastName: 'B', yearGroup: 'Year 20' }], guardians: [] }),
			{ 'content-type': 'application/json', authorization: `Bearer ${token}` }
		);
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual([
			{ file: 'pupils', row: 1, code: 'row_invalid', problems: [{ code: 'year_group_invalid', value: 'Year 20' }], message: expect.stringContaining('"Year 20" is not a year group') }
		]);
		expect(await count('pupils')).toBe(4);
		expect(await count(`pupils where left_on is not null`)).toBe(0);
	});
});
