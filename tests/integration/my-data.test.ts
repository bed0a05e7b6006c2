import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { submitAbsenceReport } from '../../src/lib/server/features/absence';
import { enqueueMessage } from '../../src/lib/server/platform/outbox';
import { guardianDataExport } from '../../src/lib/server/features/accounts/my-data';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

describe(`download my data (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let mum: string;
	let dad: string;
	let stranger: string;
	let sam: string;
	let zed: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'mydata', urn: '430001', misIds: ['SAM', 'ZED'] });
		sam = school.pupils.get('SAM')!;
		zed = school.pupils.get('ZED')!;
		await handle.query(`update pupils set first_name = 'Sam', last_name = 'Smith' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Zed', last_name = 'Other' where id = $1`, [zed]);
		mum = await createGuardian(handle, { firstName: 'Mum', phone: '+447700905001' });
		dad = await createGuardian(handle, { firstName: 'Dad', phone: '+447700905002', email: 'dad@example.test' });
		stranger = await createGuardian(handle, { firstName: 'Stranger', phone: '+447700905003' });
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, dad, sam, 'Father');
		await linkGuardian(handle, stranger, zed);
		for (const [guardianId, pupilId] of [
			[mum, sam],
			[stranger, zed]
		] as const) {
			const r = await submitAbsenceReport(handle, {
				guardianId,
				pupilIds: [pupilId],
				reason: 'illness',
				details: `${guardianId === mum ? 'Sam' : 'Zed'} has a cold`,
				from: '2026-11-05',
				channel: 'web',
				idempotencyKey: randomUUID(),
				now: new Date('2026-11-05T08:00:00Z')
			});
			expect('reports' in r).toBe(true);
		}
		await handle.query(
			`insert into attendance_marks (pupil_id, date, session, school_id, code, source) values ($1, '2026-11-04', 'AM', $2, '/', 'seed'), ($3, '2026-11-04', 'AM', $2, 'N', 'seed')`,
			[sam, school.id, zed]
		);
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700905001', guardianId: mum, purpose: 'test', body: 'For Mum', idempotencyKey: 'my-data-1' });
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700905002', guardianId: dad, purpose: 'test', body: 'For Dad', idempotencyKey: 'my-data-2' });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('holds the parent’s own details, their child’s reports and marks, and only messages sent to them', async () => {
		const data = await guardianDataExport(handle, mum, new Date('2026-11-24T10:00:00Z'));
		expect(data).not.toBeNull();
		expect(data!.exportedAt).toBe('2026-11-24T10:00:00.000Z');
		expect(data!.you).toMatchObject({ firstName: 'Mum', phone: '+447700905001' });
		expect(data!.children.map((c) => c.name)).toEqual(['Sam Smith']);
		expect(data!.children[0]!.absenceReports.map((r) => r.details)).toEqual(['Sam has a cold']);
		expect(data!.children[0]!.attendanceMarks).toEqual([{ date: '2026-11-04', session: 'AM', code: '/', minutesLate: null }]);
		expect(data!.messagesSentToYou.map((m) => m.body)).toEqual(['For Mum']);
		// Nothing about the other family, nor the other parent's contact details.
		const text = JSON.stringify(data);
		expect(text).not.toContain('Zed');
		expect(text).not.toContain('dad@example.test');
		expect(text).not.toContain('+447700905002');
	});

	it('is null for an unknown guardian', async () => {
		expect(await guardianDataExport(handle, randomUUID())).toBeNull();
	});
});
