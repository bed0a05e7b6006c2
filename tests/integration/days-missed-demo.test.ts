import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { daysMissedResults } from '../../src/lib/server/features/campaigns';

describe(`the demo's days-missed run (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	beforeAll(async () => {
		handle = await openTestDatabase();
		({ schoolId } = await seedDemoData(handle, { today: '2026-12-10' }));
	}, 120_000);
	afterAll(async () => {
		await handle?.close();
	});

	it('has a sent Autumn 1 run whose results show the simulated effect, with enough families to say so', async () => {
		const results = await daysMissedResults(handle, schoolId, new Date('2026-12-10T12:00:00Z'));
		expect(results).toHaveLength(1);
		const r = results[0]!;
		expect(r).toMatchObject({ periodName: 'Autumn 1', sentOn: '2026-11-03', seed: 'demo-autumn-1' });
		expect(r.overall!.withheld).toBeNull();
		expect(r.overall!.estimate!.difference).toBeGreaterThan(0);
		expect(r.overall!.heldOut.meanDays!).toBeGreaterThan(r.overall!.messaged.meanDays!);
		const sent = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where purpose = 'days_missed' and status = 'sent'`);
		expect(sent[0]!.n).toBe(r.overall!.messaged.households);
	});
});
