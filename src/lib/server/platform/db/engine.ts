/**
 * Engine selection: PGlite in a local data directory by default (a fresh clone runs with no
 * services), PostgreSQL when a connection URL is given (production, several app instances).
 * Both are driven through the same drizzle pg-core schema and the same migrations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { installMarkCountTriggers } from './mark-counts';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import * as schema from './schema';
import { log } from '../log';
import { config, DEFAULT_POSTGRES_TIMEOUTS, QUERY_TIMEOUT_MARGIN_MS, type DatabaseConfig, type PostgresTimeouts } from '../config';

export type { PostgresTimeouts };

export type Schema = typeof schema;
/** The drizzle database, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
	db: Db;
	engine: Engine;
	/** Runs raw SQL with positional parameters ($1, $2...) and returns the rows. */
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
	/**
	 * The same, as a named statement that PostgreSQL parses and plans once per connection rather
	 * than on every call (the morning peak's hot path). `name` must always go with the same text.
	 * PGlite runs it as a plain query: it is in-process, with no round trip to save.
	 */
	prepared<T = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<T[]>;
	/** Applies the migrations in drizzle/ (see runMigrations). */
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export type DatabaseOptions =
	| { engine: 'postgres'; url: string; poolSize?: number; timeouts?: Partial<PostgresTimeouts> }
	| { engine: 'pglite'; dataDir: string }
	/**
	 * An in-memory PGlite (tests): nothing on disk, nothing to lock. `loadDataDir`: start from a
	 * dump of another (the test suite's migrated template), skipping initdb and the migrations.
	 */
	| { engine: 'pglite-memory'; loadDataDir?: Blob };

export class DataDirLockedError extends Error {
	constructor(dataDir: string) {
		super(
			`The embedded database in ${dataDir} is already open in another process. ` +
				`Stop the other Every Day process, or point DATA_DIR somewhere else.`
		);
		this.name = 'DataDirLockedError';
	}
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
	if (options.engine === 'postgres') return openPostgres(options.url, options.poolSize, options.timeouts);
	if (options.engine === 'pglite-memory') return wrapPglite(new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : undefined), async () => {});
	return openPgliteDir(options.dataDir);
}

/** DATABASE_URL selects PostgreSQL; otherwise PGlite in DATA_DIR (default ./data). */
export function databaseOptions(database: DatabaseConfig = config().database): DatabaseOptions {
	if (database.url) return { engine: 'postgres', url: database.url, poolSize: database.poolSize, timeouts: database.timeouts };
	return { engine: 'pglite', dataDir: path.join(database.dataDir, 'pglite') };
}

/** Errors that mean the database is away (not that the query was wrong): connection lost, refused, timed out. */
export function isDatabaseUnavailable(err: unknown): boolean {
	for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const x = e as { code?: unknown; message?: unknown };
		const code = typeof x.code === 'string' ? x.code : '';
		// 57P01-57P05: admin shutdown, crash shutdown, cannot connect now, database dropped, idle
		// session timeout; 08xxx: connection exceptions; 57014: statement timeout (query_canceled).
		if (/^(57P0[1-5]|08...|57014|53300)$/.test(code)) return true;
		if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
		const message = typeof x.message === 'string' ? x.message : '';
		if (/Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i.test(message)) return true;
	}
	return false;
}

async function openPostgres(url: string, poolSize = 10, timeoutOverrides: Partial<PostgresTimeouts> = {}): Promise<DatabaseHandle> {
	const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...timeoutOverrides };
	if (timeoutOverrides.statementMs && !timeoutOverrides.queryMs) timeouts.queryMs = timeoutOverrides.statementMs + QUERY_TIMEOUT_MARGIN_MS;
	const pool = new pg.Pool({
		connectionString: url,
		max: poolSize,
		connectionTimeoutMillis: timeouts.connectMs,
		statement_timeout: timeouts.statementMs,
		query_timeout: timeouts.queryMs,
		// A transaction left open by a request that died must not hold its locks for ever.
		idle_in_transaction_session_timeout: timeouts.statementMs * 2,
		keepAlive: true
	});
	// When PostgreSQL closes a connection (restart, failover, an idle timeout, pg_terminate_backend)
	// the pool emits 'error' for an idle client, and the client itself emits 'error' when it is
	// checked out but between queries (inside a transaction). Unhandled, either kills the process;
	// handled, the pool drops the broken client and opens a new one on the next checkout, and the
	// query that was running fails on its own with a clean error.
	pool.on('error', (err) => logConnectionLoss('idle', err));
	pool.on('connect', (client) => {
		client.on('error', (err) => logConnectionLoss('in_use', err));
	});
	// Fail fast with a clear message rather than on the first request.
	const client = await pool.connect();
	client.release();
	const db: Db = drizzlePg(pool, { schema });
	return {
		db,
		engine: 'postgres',
		async query<T>(text: string, params: unknown[] = []) {
			const result = await pool.query(text, params);
			return result.rows as T[];
		},
		async prepared<T>(name: string, text: string, params: unknown[]) {
			const result = await pool.query({ name, text, values: params });
			return result.rows as T[];
		},
		async migrate() {
			// Several instances may start at once: a session-level advisory lock makes the
			// others wait, then find nothing left to apply.
			const client = await pool.connect();
			try {
				await client.query(`select pg_advisory_lock(hashtext('every-day:migrations'))`);
				await migratePg(drizzlePg(client), { migrationsFolder: migrationsFolder() });
			} finally {
				await client.query(`select pg_advisory_unlock(hashtext('every-day:migrations'))`).catch(() => {});
				client.release();
			}
		},
		close: () => pool.end()
	};
}

/** Beside the lock directory, not in it: proper-lockfile removes the directory with rmdir, which needs it empty. */
function lockOwnerFile(lockPath: string): string {
	return `${lockPath}.owner.json`;
}

/** Lock files this process holds. */
const heldLocks = new Set<string>();

/** True when the lock's recorded owner is a process on this host that no longer runs. */
function lockOwnerIsGone(lockPath: string): boolean {
	let owner: { pid?: unknown; host?: unknown };
	try {
		owner = JSON.parse(fs.readFileSync(lockOwnerFile(lockPath), 'utf8'));
	} catch {
		return false;
	}
	if (typeof owner.pid !== 'number' || owner.host !== os.hostname()) return false;
	// In a container a restarted app often gets the same pid as the one that crashed: that pid is
	// us, and the lock is stale unless this process really holds it.
	if (owner.pid === process.pid) return !heldLocks.has(lockPath);
	try {
		process.kill(owner.pid, 0);
		return false;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

async function openPgliteDir(dataDir: string): Promise<DatabaseHandle> {
	fs.mkdirSync(dataDir, { recursive: true });
	// PGlite is single-process: two processes on one data directory corrupt it. proper-lockfile
	// keeps an mtime-refreshed lock so a crashed process's lock goes stale instead of blocking forever.
	const lockPath = `${dataDir}.lock`;
	const take = () =>
		lockfile.lock(dataDir, {
			lockfilePath: lockPath,
			stale: 15_000,
			update: 5_000,
			retries: 0,
			onCompromised: (err) => {
				log('error', 'database.lock_lost', { error: err.name });
			}
		});
	let release: () => Promise<void>;
	try {
		release = await take();
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
		// After a crash (kill -9, power loss) the lock stays until it goes stale (15 s). If the
		// process that took it is gone, it is stale now: take it without waiting.
		if (!lockOwnerIsGone(lockPath)) throw new DataDirLockedError(dataDir);
		log('warn', 'database.stale_lock_removed', {});
		fs.rmSync(lockPath, { recursive: true, force: true });
		try {
			release = await take();
		} catch (again) {
			if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
			throw again;
		}
	}
	heldLocks.add(lockPath);
	const releaseLock = release;
	release = async () => {
		heldLocks.delete(lockPath);
		await releaseLock();
	};
	// Who holds the lock, so the next start can tell a crashed owner from a running one.
	try {
		fs.writeFileSync(lockOwnerFile(lockPath), JSON.stringify({ pid: process.pid, host: os.hostname() }));
	} catch {
		// Without it, a stale lock just takes 15 s to expire, as before.
	}
	try {
		const client = new PGlite(dataDir);
		await client.waitReady;
		return wrapPglite(client, release);
	} catch (err) {
		await release();
		throw err;
	}
}

function wrapPglite(client: PGlite, release: () => Promise<void>): DatabaseHandle {
	const db: Db = drizzlePglite(client, { schema });
	return {
		db,
		engine: 'pglite',
		async query<T>(text: string, params: unknown[] = []) {
			// PGlite's extended protocol takes one statement; parameterless multi-statement SQL needs exec().
			if (params.length === 0 && text.includes(';')) {
				const results = await client.exec(text);
				return (results.at(-1)?.rows ?? []) as T[];
			}
			const result = await client.query(text, params);
			return result.rows as T[];
		},
		async prepared<T>(_name: string, text: string, params: unknown[]) {
			const result = await client.query(text, params);
			return result.rows as T[];
		},
		async migrate() {
			await migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() });
		},
		async close() {
			try {
				await client.close();
			} finally {
				await release();
			}
		}
	};
}

let lastLossLoggedAt = 0;
function logConnectionLoss(state: 'idle' | 'in_use', err: Error): void {
	// At most one line a second: a failover drops every connection at once.
	const now = Date.now();
	if (now - lastLossLoggedAt < 1_000) return;
	lastLossLoggedAt = now;
	const code = (err as { code?: unknown }).code;
	log('warn', 'database.connection_lost', { state, error: err.name, ...(typeof code === 'string' ? { code } : {}) });
}

export function migrationsFolder(database: DatabaseConfig = config().database): string {
	return database.migrationsDir;
}

export async function runMigrations(handle: DatabaseHandle): Promise<void> {
	await handle.migrate();
	// Triggers are schema drizzle-kit cannot generate; installing them is idempotent.
	await installMarkCountTriggers(handle);
}
