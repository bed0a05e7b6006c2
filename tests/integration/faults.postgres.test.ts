/**
 * The fault suite, on the real built app in a child process on PostgreSQL (what production
 * runs): PostgreSQL drops the app's connections in the middle of a load; the database stalls
 * (a table lock, then a frozen host); an MIS upload is larger than the limit; bodies carry NUL
 * characters; a required secret is missing. In every case the process stays up (or, for the
 * secret, refuses to start with a clear message), errors are quick and clean, and the app
 * recovers by itself.
 *
 * The app reaches PostgreSQL through a TCP proxy in this test (tests/helpers/tcp-proxy.ts) so the
 * database can be frozen; pg_terminate_backend goes straight to the server.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { createMisApiToken } from '../../src/lib/server/features/register-import/mis-tokens';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { appDatabase, startApp, type AppDatabase, type AppProcess } from '../helpers/built-app';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const APP_NAME = 'every-day-fault-suite';
const STATEMENT_TIMEOUT_MS = 1_500;

describe('fault suite (postgres, built app)', () => {
	let db: AppDatabase;
	let handle: DatabaseHandle;
	let proxy: TcpProxy;
	let app: AppProcess;
	let school: TestSchool;
	let token: string;
	let databaseName: string;

	const marksBody = (date = '2026-09-07') =>
		JSON.stringify({ marks: [...school.pupils.keys()].map((pupilId) => ({ pupilId, date, session: 'AM', code: '/' })) });
	const postMarks = (body: string, signal?: AbortSignal) =>
		fetch(`${app.url}/api/mis/marks`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
			body,
			signal: signal ?? AbortSignal.timeout(20_000)
		});
	const health = () => fetch(`${app.url}/health`, { signal: AbortSignal.timeout(20_000) });
	async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
		const deadline = Date.now() + ms;
		for (;;) {
			if (await check().catch(() => false)) return;
			if (Date.now() > deadline) throw new Error(`not within ${ms} ms:\n${app.output().slice(-3000)}`);
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	async function terminateAppConnections(): Promise<number> {
		const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
		await admin.connect();
		try {
			const rows = await admin.query(
				`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2`,
				[databaseName, APP_NAME]
			);
			return rows.rowCount ?? 0;
		} finally {
			await admin.end();
		}
	}

	beforeAll(async () => {
		db = await appDatabase();
		const direct = db.env.DATABASE_URL!;
		databaseName = new URL(direct).pathname.slice(1);
		handle = await openDatabase({ engine: 'postgres', url: direct, poolSize: 2 });
		await runMigrations(handle);
		school = await createTestSchool(handle, { slug: 'faults', urn: '499001', misIds: ['F1', 'F2', 'F3'] });
		token = await createMisApiToken(handle, school.id);

		const target = new URL(direct);
		proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
		const viaProxy = new URL(direct);
		viaProxy.hostname = '127.0.0.1';
		viaProxy.port = String(proxy.port);
		viaProxy.searchParams.set('application_name', APP_NAME);
		app = await startApp({
			...db.env,
			DATABASE_URL: viaProxy.toString(),
			DATABASE_POOL_SIZE: '4',
			DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
			DATABASE_CONNECT_TIMEOUT_MS: '2000',
			MIS_BODY_LIMIT: '2M',
			AUTO_MIGRATE: '0',
			SEED_DEMO: '0',
			SCHEDULER: '0',
			DEV_TOOLS: '0'
		});
		await app.ready();
	}, 600_000);
	afterAll(async () => {
		app?.child.kill('SIGTERM');
		await app?.exited;
		await proxy?.close();
		await handle?.close();
		await db?.dispose();
	});

	it('stays up when PostgreSQL terminates its connections mid-load, and recovers by itself', async () => {
		const failures: { status: number; body: string }[] = [];
		let ok = 0;
		let stop = false;
		const worker = async (n: number) => {
			for (let i = 0; !stop; i++) {
				try {
					const res = (n + i) % 2 === 0 ? await postMarks(marksBody()) : await health();
					const body = await res.text();
					if (res.ok) ok++;
					else failures.push({ status: res.status, body });
				} catch (err) {
					failures.push({ status: 0, body: String(err) });
				}
			}
		};
		const load = Promise.all([0, 1, 2, 3, 4, 5].map(worker));
		let terminated = 0;
		for (let round = 0; round < 6; round++) {
			await new Promise((r) => setTimeout(r, 400));
			terminated += await terminateAppConnections();
		}
		stop = true;
		await load;

		expect(terminated).toBeGreaterThan(3);
		expect(app.child.exitCode).toBeNull();
		expect(ok).toBeGreaterThan(0);
		// Some requests fail while their connection is cut: never a dropped socket (status 0),
		// never SQL or a stack trace in the answer.
		expect(failures.filter((f) => f.status === 0)).toEqual([]);
		for (const f of failures) {
			expect([500, 503]).toContain(f.status);
			expect(f.body).not.toMatch(/Failed query|params:|select |insert |\bat \w+ \(/i);
		}
		await until(async () => (await health()).status === 200, 15_000);
		for (let i = 0; i < 3; i++) expect((await postMarks(marksBody())).status).toBe(200);
		expect(app.output()).toContain('database.connection_lost');
		expect(app.child.exitCode).toBeNull();
	});

	it('a locked table gives a clear error within the statement timeout, then works again', async () => {
		const locker = new pg.Client({ connectionString: db.env.DATABASE_URL });
		await locker.connect();
		try {
			await locker.query('begin');
			await locker.query('lock table schools in access exclusive mode');
			const started = Date.now();
			const res = await postMarks(marksBody(), AbortSignal.timeout(15_000));
			const elapsed = Date.now() - started;
			expect(res.status).toBeGreaterThanOrEqual(500);
			expect(elapsed).toBeLessThan(STATEMENT_TIMEOUT_MS + 3_000);
			expect(await res.text()).toMatch(/unavailable for a moment/);
			await locker.query('rollback');
		} finally {
			await locker.end();
		}
		expect((await postMarks(marksBody())).status).toBe(200);
		expect(app.output()).toContain('request.database_unavailable');
	});

	it('a frozen database: /health says 503 and requests fail within seconds; everything recovers on thaw', async () => {
		proxy.freeze();
		try {
			let started = Date.now();
			const h = await health();
			expect(h.status).toBe(503);
			expect(Date.now() - started).toBeLessThan(5_000);

			started = Date.now();
			const res = await postMarks(marksBody(), AbortSignal.timeout(20_000));
			expect(res.status).toBeGreaterThanOrEqual(500);
			// The client-side query timeout (statement timeout + 5 s) or the connect timeout (2 s).
			expect(Date.now() - started).toBeLessThan(STATEMENT_TIMEOUT_MS + 5_000 + 3_000);
			expect(await res.text()).toMatch(/unavailable for a moment/);
		} finally {
			proxy.thaw();
		}
		await until(async () => (await health()).status === 200, 20_000);
		await until(async () => (await postMarks(marksBody())).status === 200, 20_000);
		expect(app.child.exitCode).toBeNull();
	});

	it('an MIS upload over the limit gets 413 and the process lives; small bodies only on other routes', async () => {
		const row = [...school.pupils.keys()].map((id) => `${id},07/09/2026,AM,/`).join('\n');
		const header = 'UPN,Date,Session,Mark\n';
		const repeat = Math.ceil((3 * 1024 * 1024) / row.length);
		const big = header + Array.from({ length: repeat }, () => row).join('\n') + '\n';

		// Declared too large: refused before the body is read.
		const declared = await fetch(`${app.url}/api/mis/marks`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
			body: big
		});
		expect(declared.status).toBe(413);
		expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });

		// Streamed with no length (chunked): the import is already reading when the limit is passed.
		const bytes = new TextEncoder().encode(big);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
				controller.close();
			}
		});
		const chunked = await fetch(`${app.url}/api/mis/marks`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
			body: stream,
			duplex: 'half'
		} as RequestInit).catch((err: unknown) => err as Error);
		// The answer is 413 (or, if the server closed the connection while we were still sending, no answer), and the process lives.
		if (chunked instanceof Response) {
			expect(chunked.status).toBe(413);
			expect(await chunked.text()).toMatch(/larger than 2 MB/);
		}
		await new Promise((r) => setTimeout(r, 500));
		expect(app.child.exitCode).toBeNull();
		expect((await health()).status).toBe(200);

		// A small CSV still imports.
		const small = await fetch(`${app.url}/api/mis/marks`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
			body: header + row + '\n'
		});
		expect(small.status).toBe(200);

		// Anywhere else a megabyte is too much: an anonymous sign-in form, the reports API.
		const megabyte = 'phone=' + 'x'.repeat(1024 * 1024);
		for (const path of ['/sign-in', '/staff/sign-in']) {
			const res = await fetch(`${app.url}${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
				body: megabyte
			});
			expect(res.status, path).toBe(413);
		}
		const api = await fetch(`${app.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify({ details: 'x'.repeat(1024 * 1024) }) });
		expect(api.status).toBe(413);
		expect(app.child.exitCode).toBeNull();
	});

	it('NUL characters anywhere in a request never give a 500', async () => {
		const logFrom = app.output().length;
		const json = await postMarks(JSON.stringify({ marks: [{ pupilId: 'F1\u0000', date: '2026-09-08', session: 'AM', code: '/\u0000' }] }));
		expect(json.status).toBeLessThan(500);
		const csv = await fetch(`${app.url}/api/mis/marks`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
			body: 'UPN,Date,Session,Mark\nF1\u0000,08/09/2026,AM,/\n'
		});
		expect(csv.status).toBeLessThan(500);
		expect(await csv.json()).toMatchObject({ status: 'applied' });

		const staff = await fetch(`${app.url}/staff/sign-in`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
			body: 'email=head%00%40faults.test&password=x%00y',
			redirect: 'manual'
		});
		expect(staff.status).toBeLessThan(500);

		const language = await fetch(`${app.url}/language`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url, accept: 'text/html' },
			body: 'locale=pl&returnTo=%2Fattendance%00',
			redirect: 'manual'
		});
		expect(language.status).toBe(303);
		expect(language.headers.get('location')).toBe('/attendance');

		const query = await fetch(`${app.url}/language?returnTo=%2Fsign-in%00`);
		expect(query.status).toBe(200);
		expect(app.output().slice(logFrom)).not.toMatch(/"status":500/);
	});

	it('refuses to start on PostgreSQL without APP_SECRET, saying what to set', { timeout: 600_000 }, async () => {
		const refused = await startApp({ ...db.env, APP_SECRET: '', AUTO_MIGRATE: '0', SEED_DEMO: '0', SCHEDULER: '0', OUTBOX_WORKER: '0' });
		const exit = await Promise.race([refused.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
		if (!exit) refused.child.kill('SIGKILL');
		expect(exit).not.toBeNull();
		expect(exit!.code).not.toBe(0);
		expect(refused.output()).toMatch(/APP_SECRET is required with DATABASE_URL/);
	});
});
