/**
 * Scratch databases on a PostgreSQL server, for the integration tests and the benchmarks: plain
 * pg, no vitest, so the bench scripts can use it too.
 */
import pg from 'pg';

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(sql);
	} finally {
		await admin.end();
	}
}

/** A new, empty database called `name` on the server at `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
	await asAdmin(adminUrl, `create database "${name}"`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/**
 * A new database called `name`, a copy of `template` (which must have no open connection);
 * returns its URL. Copying is a file copy on the server: much faster than migrating anew.
 */
export async function copyDatabase(adminUrl: string, template: string, name: string): Promise<string> {
	await asAdmin(adminUrl, `create database "${name}" template "${template}"`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Drops the database `name`, closing any connection still open to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
	await asAdmin(adminUrl, `drop database if exists "${name}" with (force)`);
}
