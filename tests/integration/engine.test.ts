import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTestDatabase, testEngine } from '../helpers/db';
import { openDatabase, runMigrations, DataDirLockedError, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import * as schema from '../../src/lib/server/platform/db/schema';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';

describe(`database engine (${testEngine})`, () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		// From an empty database: every other file starts from a copy of the migrated template.
		handle = await openTestDatabase({ fromEmpty: true });
	});
	afterAll(async () => {
		await handle.close();
	});

	it('runs on the engine the project asked for', () => {
		expect(handle.engine).toBe(testEngine);
	});

	it('creates every table of the schema from the migrations, and no other', async () => {
		const rows = await handle.query<{ table_name: string }>(
			`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
		);
		const declared = Object.values(schema)
			.filter((value) => is(value, PgTable))
			.map((table) => getTableName(table as PgTable))
			.sort();
		// The core tables are there by name, whatever else later issues add.
		expect(declared).toEqual(expect.arrayContaining(['schools', 'pupils', 'guardians', 'attendance_marks', 'absence_reports', 'outbound_messages']));
		expect(rows.map((r) => r.table_name).sort()).toEqual(declared);
	});

	it('applying the migrations again changes nothing', async () => {
		await runMigrations(handle);
		const rows = await handle.query<{ n: number }>(`select count(*)::int as n from drizzle.__drizzle_migrations`);
		expect(rows[0]?.n).toBe(fs.readdirSync('drizzle').filter((f) => f.endsWith('.sql')).length);
	});

	it('enforces one mark per pupil per session', async () => {
		const [school] = await handle.query<{ id: string }>(
			`insert into schools (urn, slug, name) values ('100001', 'engine-test', 'Engine Test School') returning id`
		);
		const [pupil] = await handle.query<{ id: string }>(
			`insert into pupils (school_id, mis_id, first_name, last_name, year_group) values ($1, 'P1', 'Ada', 'Test', 3) returning id`,
			[school!.id]
		);
		const insertMark = `insert into attendance_marks (pupil_id, school_id, date, session, code, source) values ($1, $2, '2026-09-07', 'AM', '/', 'seed')`;
		await handle.query(insertMark, [pupil!.id, school!.id]);
		await expect(handle.query(insertMark, [pupil!.id, school!.id])).rejects.toThrow();
	});
});

describe('embedded data directory lock', () => {
	it('refuses a second process-level open of the same PGlite directory', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-lock-'));
		const dataDir = path.join(dir, 'pglite');
		const first = await openDatabase({ engine: 'pglite', dataDir });
		try {
			await expect(openDatabase({ engine: 'pglite', dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
		} finally {
			await first.close();
		}
		// Released on close: it opens again.
		const again = await openDatabase({ engine: 'pglite', dataDir });
		await again.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('takes over at once a lock left by a process that crashed, but not one whose owner still runs', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-lock-'));
		const dataDir = path.join(dir, 'pglite');
		const leaveLock = (pid: number) => {
			// What a kill -9 leaves behind: a fresh lock directory naming its owner.
			fs.mkdirSync(`${dataDir}.lock`, { recursive: true });
			fs.writeFileSync(`${dataDir}.lock.owner.json`, JSON.stringify({ pid, host: os.hostname() }));
		};
		const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
		leaveLock(dead);
		// Before, this refused with DataDirLockedError until the lock went stale 15 s later.
		const db = await openDatabase({ engine: 'pglite', dataDir });
		await db.close();

		const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
		try {
			leaveLock(alive.pid!);
			await expect(openDatabase({ engine: 'pglite', dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
		} finally {
			alive.kill('SIGKILL');
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
