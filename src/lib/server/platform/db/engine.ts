/**
 * Engine selection: PGlite in a local data directory by default (a fresh clone runs with no
 * services), PostgreSQL when a connection URL is given (production, several app instances).
 * Both are driven through the same drizzle pg-core schema and the same migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle database, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
	db: Db;
	engine: Engine;
	/** Runs raw SQL with positional parameters ($1, $2...) and returns the rows. */
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
	/** Applies the migrations in drizzle/ (see runMigrations). */
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export type DatabaseOptions =
	| { engine: 'postgres'; url: string; poolSize?: number }
	| { engine: 'pglite'; dataDir: string }
	/** An in-memory PGlite (tests): nothing on disk, nothing to lock. */
	| { engine: 'pglite-memory' };

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
	if (options.engine === 'postgres') return openPostgres(options.url, options.poolSize);
	if (options.engine === 'pglite-memory') return wrapPglite(new PGlite(), async () => {});
	return openPgliteDir(options.dataDir);
}

/** DATABASE_URL selects PostgreSQL; otherwise PGlite in DATA_DIR (default ./data). */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
	const url = env.DATABASE_URL?.trim();
	if (url) {
		const poolSize = env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined;
		return { engine: 'postgres', url, poolSize };
	}
	return { engine: 'pglite', dataDir: path.join(dataDirFromEnv(env), 'pglite') };
}

export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
	return path.resolve(env.DATA_DIR?.trim() || 'data');
}

async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
	const pool = new pg.Pool({ connectionString: url, max: poolSize });
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

async function openPgliteDir(dataDir: string): Promise<DatabaseHandle> {
	fs.mkdirSync(dataDir, { recursive: true });
	// PGlite is single-process: two processes on one data directory corrupt it. proper-lockfile
	// keeps an mtime-refreshed lock so a crashed process's lock goes stale instead of blocking forever.
	let release: () => Promise<void>;
	try {
		release = await lockfile.lock(dataDir, {
			lockfilePath: `${dataDir}.lock`,
			stale: 15_000,
			update: 5_000,
			retries: 0,
			onCompromised: (err) => {
				console.error('Lost the lock on the embedded database directory:', err.message);
			}
		});
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
		throw err;
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

export function migrationsFolder(): string {
	return path.resolve(process.env.MIGRATIONS_DIR?.trim() || 'drizzle');
}

export async function runMigrations(handle: DatabaseHandle): Promise<void> {
	await handle.migrate();
}
