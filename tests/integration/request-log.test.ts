/**
 * Request logs without personal data, checked on the real log output of the built
 * app: requests that fail, carrying phone numbers, email addresses, names and message text in
 * their paths, queries, headers and bodies, each give one JSON line with the route id, status
 * and duration, and none of that personal data appears anywhere in the output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDatabase, startApp, type AppDatabase, type AppProcess } from '../helpers/built-app';
import { testEngine } from '../helpers/db';

const PERSONAL = ['07700 900547', '07700900547', '+447700900547', '900547', 'claire.lanternby@example.org', 'Lanternby', 'Imran', 'a temperature and a cough'];

describe(`request logs (${testEngine})`, () => {
	let database: AppDatabase;
	let app: AppProcess;

	beforeAll(async () => {
		database = await appDatabase();
		app = await startApp({
			...database.env,
			AUTO_MIGRATE: '1',
			SEED_DEMO: '1',
			SCHEDULER: '0',
			OUTBOX_WORKER: '0',
			// So the SMS webhook checks signatures (and refuses the forged one below).
			TWILIO_ACCOUNT_SID: `AC${'2'.repeat(32)}`,
			TWILIO_AUTH_TOKEN: 'test-token',
			TWILIO_FROM: '+447700900000'
		});
		await app.ready();
		// start.js prints the demo logins (fictional people) once it is up: only what follows counts.
		for (let i = 0; i < 100 && !app.output().includes('Stop with Ctrl+C.'); i++) await new Promise((r) => setTimeout(r, 100));
	}, 600_000);

	afterAll(async () => {
		if (app) {
			app.child.kill('SIGTERM');
			await app.exited;
		}
		await database?.dispose();
	});

	it('logs each failed request by route, status and duration, with no personal data', { timeout: 120_000 }, async () => {
		const before = app.output().length;
		const form = (fields: Record<string, string>) => ({
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
			body: new URLSearchParams(fields).toString(),
			redirect: 'manual' as const
		});
		// A page that does not exist, with an email address and a phone number in the path and query.
		expect((await fetch(`${app.url}/claire.lanternby@example.org/07700900547?phone=07700%20900547`)).status).toBe(404);
		// A report for a pupil who is not the caller's, by a signed-out caller.
		const api = await fetch(`${app.url}/api/reports`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-phone': '+447700900547' },
			body: JSON.stringify({ name: 'Claire Lanternby', child: 'Imran', details: 'a temperature and a cough', phone: '07700 900547' })
		});
		expect(api.status).toBeGreaterThanOrEqual(400);
		// A webhook with a forged signature, carrying an SMS from a parent.
		const sms = await fetch(`${app.url}/webhooks/twilio/sms`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
			body: new URLSearchParams({ From: '+447700900547', Body: 'Imran has a temperature and a cough', MessageSid: `SM${'0'.repeat(32)}` }).toString()
		});
		expect(sms.status).toBeGreaterThanOrEqual(400);
		// A cross-site sign-in form post.
		const crossSite = await fetch(`${app.url}/sign-in`, { ...form({ phone: '07700 900547' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
		expect(crossSite.status).toBe(403);
		// A leave letter for a reference that does not exist.
		expect((await fetch(`${app.url}/leave/LAAA-AAA/letter.pdf?email=claire.lanternby@example.org`, { redirect: 'manual' })).status).toBeGreaterThanOrEqual(300);

		// Log lines are written as the responses go out; give the pipe a moment.
		await new Promise((r) => setTimeout(r, 500));
		const output = app.output().slice(before);
		const lines = output
			.split('\n')
			.filter((l) => l.startsWith('{'))
			.map((l) => JSON.parse(l) as Record<string, unknown>);
		const failed = lines.filter((l) => l.event === 'request.failed');
		expect(failed.map((l) => [l.method, l.route, l.status])).toEqual(
			expect.arrayContaining([
				['GET', null, 404],
				['POST', '/api/reports', api.status],
				['POST', '/webhooks/twilio/sms', 403],
				['POST', '/sign-in', 403]
			])
		);
		for (const line of failed) {
			expect(typeof line.durationMs).toBe('number');
			expect(line.at).toMatch(/^\d{4}-\d\d-\d\dT/);
		}
		for (const value of PERSONAL) expect(output.toLowerCase(), `"${value}" in the log`).not.toContain(value.toLowerCase());
	});
});
