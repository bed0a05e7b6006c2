/**
 * Development tools hand out a staff session without a password and show every sign-in code, so
 * they are on only where `npm start`'s demo asks for them (DEV_TOOLS=1, embedded, plain http on
 * this machine), never in a deployment with an https ORIGIN, and the server says so loudly.
 * On the real built app (scripts/start.js), on the engine of the vitest project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appDatabase, ensureBuilt, startApp, type AppDatabase } from '../helpers/built-app';
import { testEngine } from '../helpers/db';

const DEV_PAGES = ['/dev/sign-in', '/dev/outbox', '/dev/phone', '/dev/register'];

describe(`development tools (${testEngine}, built app)`, () => {
	let db: AppDatabase;
	beforeAll(async () => {
		await ensureBuilt();
		db = await appDatabase();
	}, 600_000);
	afterAll(async () => {
		await db?.dispose();
	});

	it('a second `npm start` does not build again: the build is up to date and says nothing', () => {
		// The build writes generated files (the compiled messages) inside src/: they must not
		// count as changed sources, or every start would rebuild.
		const again = spawnSync(process.execPath, ['scripts/start.js', '--build-only'], { encoding: 'utf8' });
		expect(again.status).toBe(0);
		expect(again.stdout + again.stderr).toBe('');
	});

	it('are off in a deployment with an https ORIGIN, even on the embedded database', { timeout: 300_000 }, async () => {
		const app = await startApp({ ...db.env, ORIGIN: 'https://everyday.example.org', SEED_DEMO: '0', SCHEDULER: '0', DEV_TOOLS: '', AUTO_MIGRATE: '1' });
		try {
			await app.ready();
			for (const page of DEV_PAGES) expect((await fetch(`${app.url}${page}`)).status, page).toBe(404);
			const signIn = await fetch(`${app.url}/dev/sign-in`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://everyday.example.org' },
				body: 'email=head%40harbourside.example.org',
				redirect: 'manual'
			});
			expect(signIn.status).toBe(404);
			expect(signIn.headers.get('set-cookie')).toBeNull();
			expect(app.output()).not.toContain('DEVELOPMENT TOOLS ARE ON');
			// An https deployment tells browsers to stay on https.
			expect((await fetch(`${app.url}/sign-in`)).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
		} finally {
			app.child.kill('SIGTERM');
			await app.exited;
		}
	});

	it('refuses to start when DEV_TOOLS=1 is set with an https ORIGIN', { timeout: 120_000 }, async () => {
		const app = await startApp({ ...db.env, ORIGIN: 'https://everyday.example.org', DEV_TOOLS: '1', SEED_DEMO: '0', SCHEDULER: '0', AUTO_MIGRATE: '1' });
		const exit = await Promise.race([app.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
		if (!exit) app.child.kill('SIGKILL');
		expect(exit?.code).toBe(1);
		expect(app.output()).toMatch(/DEV_TOOLS is on with an https ORIGIN/);
	});

	it("are on for `npm start`'s local demo, with a warning at start", { timeout: 300_000 }, async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'every-day-demo-'));
		// No DEV_TOOLS given: start.js turns them on for the embedded database on plain http.
		const app = await startApp({ DATABASE_URL: '', DATA_DIR: dataDir, SEED_DEMO: '0', SCHEDULER: '0', DEV_TOOLS: '' });
		try {
			await app.ready();
			expect((await fetch(`${app.url}/dev/outbox`)).status).toBe(200);
			expect(app.output()).toContain('DEVELOPMENT TOOLS ARE ON');
			// Quiet by default: no info lines (the outbox starting, the evidence store...), so the
			// banner with the address and the demo logins is the last thing on screen.
			for (let i = 0; i < 100 && !app.output().includes('Stop with Ctrl+C.'); i++) await new Promise((r) => setTimeout(r, 100));
			const out = app.output();
			expect(out).not.toMatch(/"level":"(info|debug)"/);
			expect(out).toContain('"level":"warn"');
			expect(out.trimEnd().endsWith('Stop with Ctrl+C.')).toBe(true);
			expect(out).toContain('Logs: warnings and errors only (LOG_LEVEL=info for every line)');
		} finally {
			app.child.kill('SIGTERM');
			await app.exited;
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
