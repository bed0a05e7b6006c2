/**
 * The real built app in a child process (`node scripts/start.js`, what `npm start` runs), for
 * tests of process-level behaviour: graceful shutdown, request logs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { inject } from 'vitest';
import type { DatabaseOptions } from '../../src/lib/server/platform/db/engine';
import { testEngine } from './db';

/**
 * Brings build/ up to date (`start.js --build-only` builds when it is missing or older than
 * the sources). Under a lock, as both integration projects may run this at the same time.
 */
export async function ensureBuilt(): Promise<void> {
	fs.mkdirSync('.tmp', { recursive: true });
	const lockTarget = path.resolve('.tmp/build.lock');
	fs.writeFileSync(lockTarget, '', { flag: 'a' });
	const release = await lockfile.lock(lockTarget, { retries: { retries: 600, minTimeout: 1_000, maxTimeout: 1_000 }, stale: 600_000 });
	try {
		const result = spawnSync(process.execPath, ['scripts/start.js', '--build-only'], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
		if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
	} finally {
		await release();
	}
}

export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((r) => server.close(() => r()));
	return port;
}

export interface AppProcess {
	child: ChildProcess;
	url: string;
	/** Everything written to stdout and stderr so far. */
	output(): string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Resolves when /health answers 200 (rejects if the process exits first). */
	ready(): Promise<void>;
}

export async function startApp(env: Record<string, string>): Promise<AppProcess> {
	await ensureBuilt();
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
	let exitedNow = false;
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => {
			exitedNow = true;
			resolve({ code, signal });
		})
	);
	return {
		child,
		url,
		output: () => output,
		exited,
		async ready() {
			for (let i = 0; i < 1200; i++) {
				if (exitedNow) throw new Error(`the app exited before it was ready:\n${output}`);
				try {
					if ((await fetch(`${url}/health`)).ok) return;
				} catch {
					// not listening yet
				}
				await new Promise((r) => setTimeout(r, 100));
			}
			throw new Error(`the app did not become ready:\n${output}`);
		}
	};
}

export interface AppDatabase {
	/** Environment that points the app at this database. */
	env: Record<string, string>;
	/** How this test process opens the same database (when the app is not running, for PGlite). */
	options: DatabaseOptions;
	dispose(): Promise<void>;
}

/** An empty database for a child app on the engine of the vitest project: a PGlite data directory, or a new PostgreSQL database. */
export async function appDatabase(): Promise<AppDatabase> {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'every-day-app-'));
	if (testEngine === 'postgres') {
		const adminUrl = inject('postgresAdminUrl');
		const name = `${inject('postgresRunPrefix')}_app_${randomBytes(3).toString('hex')}`;
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		await admin.query(`create database "${name}"`);
		await admin.end();
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		return {
			env: { DATABASE_URL: url.toString(), DATA_DIR: tmp },
			options: { engine: 'postgres', url: url.toString(), poolSize: 2 },
			async dispose() {
				const c = new pg.Client({ connectionString: adminUrl });
				await c.connect();
				await c.query(`drop database if exists "${name}" with (force)`);
				await c.end();
				fs.rmSync(tmp, { recursive: true, force: true });
			}
		};
	}
	return {
		env: { DATABASE_URL: '', DATA_DIR: tmp },
		options: { engine: 'pglite', dataDir: path.join(tmp, 'pglite') },
		async dispose() {
			fs.rmSync(tmp, { recursive: true, force: true });
		}
	};
}
