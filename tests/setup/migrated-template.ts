/**
 * The integration suites' migrated database, made once per run instead of once per test file.
 *
 * Each test file used to start from an empty database and run every migration: on PGlite that
 * is initdb in WebAssembly plus the migrations (tens of seconds per file on a loaded 2-core
 * machine), on PostgreSQL the migrations again for every file. Now a global setup migrates
 * one template, and each file starts from a copy of it: a PGlite data-directory dump (kept in
 * .tmp/, keyed by the migrations' contents, so a later run reuses it until a migration changes),
 * or `create database ... template` on PostgreSQL. Each file still gets its own database, and
 * openTestDatabase still runs the migrations (a no-op on a current copy), so a stale template
 * can never hide a migration.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';

const MIGRATIONS = path.resolve('drizzle');

/** A hash of every migration file and of the PGlite version (a dump is only readable by its own). */
function migrationsHash(): string {
	const hash = createHash('sha256');
	const walk = (dir: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const file = path.join(dir, name);
			if (fs.statSync(file).isDirectory()) walk(file);
			else hash.update(name).update(fs.readFileSync(file));
		}
	};
	walk(MIGRATIONS);
	const pglite = JSON.parse(fs.readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
	hash.update(pglite.version);
	return hash.digest('hex').slice(0, 16);
}

/** The path of a migrated PGlite dump, made now when no current one exists. */
export async function pgliteTemplate(): Promise<string> {
	const dir = path.resolve('.tmp');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `pglite-template-${migrationsHash()}.tar`);
	if (fs.existsSync(file)) return file;
	// Two runs at once (both integration projects, or two terminals) make it once.
	const lockTarget = path.join(dir, 'pglite-template.lock');
	fs.writeFileSync(lockTarget, '', { flag: 'a' });
	const release = await lockfile.lock(lockTarget, { retries: { retries: 300, minTimeout: 1_000, maxTimeout: 1_000 }, stale: 300_000 });
	try {
		if (fs.existsSync(file)) return file;
		const client = new PGlite();
		await client.waitReady;
		await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS });
		const dump = await client.dumpDataDir('none');
		await client.close();
		const partial = `${file}.${process.pid}.partial`;
		fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
		fs.renameSync(partial, file);
		// Older templates (from earlier migrations) are of no further use.
		for (const old of fs.readdirSync(dir)) if (/^pglite-template-[0-9a-f]+\.tar$/.test(old) && path.join(dir, old) !== file) fs.rmSync(path.join(dir, old), { force: true });
		return file;
	} finally {
		await release();
	}
}

/** Creates the database `name` on the server at `adminUrl` and migrates it; returns its name. */
export async function postgresTemplate(adminUrl: string, name: string): Promise<string> {
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const client = new pg.Client({ connectionString: url.toString() });
	await client.connect();
	try {
		await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS });
	} finally {
		// A template must have no connection open when a copy is made of it.
		await client.end();
	}
	return name;
}
