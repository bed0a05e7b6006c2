import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { pupilRecord, reviewsDue } from '../../src/lib/server/features/graduated-response';

describe(`the demo's plan of support (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	beforeAll(async () => {
		handle = await openTestDatabase();
		({ schoolId } = await seedDemoData(handle, { today: '2026-12-10' }));
	}, 180_000);
	afterAll(async () => {
		await handle?.close();
	});

	it('is due for review, with the family action ticked and their comment, and the pupil at the plan step', async () => {
		const due = await reviewsDue(handle.db, schoolId, new Date('2026-12-10T12:00:00Z'));
		expect(due).toHaveLength(1);
		expect(due[0]).toMatchObject({ reviewOn: '2026-12-11', familyDone: 1, familyActions: 1, parentComments: 1 });
		const record = (await pupilRecord(handle, due[0]!.pupilId))!;
		expect(record.stage.attendance).toBe('support_plan');
		expect(record.events.filter((e) => e.kind === 'plan').map((e) => e.title)).toEqual(['Plan of support agreed', 'Parent marked their action done', "Parent's comment on the plan"]);
		// Seeding again changes nothing.
		await seedDemoData(handle, { today: '2026-12-10' });
		expect(await reviewsDue(handle.db, schoolId, new Date('2026-12-10T12:00:00Z'))).toHaveLength(1);
	}, 120_000);
});
