/**
 * Vitest global setup for the integration suite on real PostgreSQL.
 *
 * Uses the server at TEST_DATABASE_URL (default: the development/CI machines' server at
 * 127.0.0.1:5432, trust auth). When none answers, starts a throwaway server from the installed
 * PostgreSQL binaries in a temporary directory (as the `postgres` user when we are root, since
 * PostgreSQL refuses to run as root) and stops it afterwards. It never skips: no server and no
 * binaries is a failure with a clear message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresTemplate } from './migrated-template';

declare module 'vitest' {
	export interface ProvidedContext {
		postgresAdminUrl: string;
		postgresRunPrefix: string;
		/** A migrated database each test file's database is copied from. */
		postgresTemplate: string;
	}
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function answers(url: string): Promise<boolean> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		await client.query('select 1');
		return true;
	} catch {
		return false;
	} finally {
		await client.end().catch(() => {});
	}
}

function findPostgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))
		: [];
	for (const v of versions) {
		const bin = path.join(root, v, 'bin');
		if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
	}
	const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
	if (which.status === 0 && which.stdout.trim()) return path.dirname(which.stdout.trim());
	throw new Error(
		'No PostgreSQL server answers at TEST_DATABASE_URL and no PostgreSQL binaries are installed ' +
			'to start a throwaway one. Install them (apt-get install -y postgresql) or set TEST_DATABASE_URL.'
	);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject()));
		});
	});
}

async function startThrowawayServer(): Promise<{ url: string; stop: () => void }> {
	const bin = findPostgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-pg-'));
	const dataDir = path.join(dir, 'data');
	const port = await freePort();
	const asRoot = process.getuid?.() === 0;
	if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const run = (cmd: string, args: string[]) =>
		asRoot
			? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
			: execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
	run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
	run('pg_ctl', [
		'-D', dataDir,
		'-l', path.join(dir, 'server.log'),
		'-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
		'-w', 'start'
	]);
	const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
	console.log(`[integration-postgres] started a throwaway PostgreSQL at 127.0.0.1:${port}`);
	return {
		url,
		stop() {
			try {
				run('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}

export default async function setup(project: TestProject) {
	let url = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_URL;
	let stop: (() => void) | undefined;
	if (!(await answers(url))) {
		console.log(`[integration-postgres] nothing answers at ${url.replace(/:[^:@/]*@/, ':***@')}`);
		const server = await startThrowawayServer();
		url = server.url;
		stop = server.stop;
	}
	// Every run gets its own databases (one per test file), all named with this prefix.
	const prefix = `everyday_t${Date.now().toString(36)}_${process.pid}`;
	project.provide('postgresAdminUrl', url);
	project.provide('postgresRunPrefix', prefix);
	// Named with the prefix, so the teardown below drops it with the rest.
	project.provide('postgresTemplate', await postgresTemplate(url, `${prefix}_template`));

	return async () => {
		const admin = new pg.Client({ connectionString: url });
		try {
			await admin.connect();
			const { rows } = await admin.query<{ datname: string }>(
				'select datname from pg_database where datname like $1',
				[`${prefix}%`]
			);
			for (const { datname } of rows) {
				await admin.query(`drop database if exists "${datname}" with (force)`);
			}
		} finally {
			await admin.end().catch(() => {});
			stop?.();
		}
	};
}
