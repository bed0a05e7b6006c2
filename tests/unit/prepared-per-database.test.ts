import { describe, expect, it } from 'vitest';
import { perDatabase } from '../../src/lib/server/platform/db/prepared';
import type { Db } from '../../src/lib/server/platform/db/engine';

describe('perDatabase', () => {
	it('builds once per database handle and keeps each handle its own statements', () => {
		const built: object[] = [];
		const statementsFor = perDatabase((db: Db) => {
			built.push(db);
			return { db };
		});
		const a = {} as Db;
		const b = {} as Db;
		const first = statementsFor(a);
		expect(statementsFor(a)).toBe(first);
		expect(statementsFor(b)).not.toBe(first);
		expect(statementsFor(b).db).toBe(b);
		expect(built).toEqual([a, b]);
	});
});
