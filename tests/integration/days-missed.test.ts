import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	addDaysMissedExclusion,
	confirmDaysMissedRun,
	daysMissedResults,
	daysMissedResultsCsv,
	daysMissedRunView,
	offerChoices,
	prepareDaysMissedRun,
	prepareDueDaysMissedRuns
} from '../../src/lib/server/features/campaigns';
import { ensureDefaultDirectory } from '../../src/lib/server/features/support';
import { createTestSchool, schoolDaysFrom } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const NOW = new Date('2026-11-03T10:00:00Z');

describe(`Days-missed messages with a hold-out (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let head: string;
	let offerId: string;
	const misIds = Array.from({ length: 30 }, (_, i) => `DM${String(i).padStart(2, '0')}`);
	let pupil: Map<string, string>;
	let siblingsParent: string;
	let excludedParent: string;

	const mark = async (pupilId: string, days: string[], absentEvery: number) => {
		const rows: string[] = [];
		const values: unknown[] = [];
		days.forEach((date, d) => {
			for (const session of ['AM', 'PM']) {
				const code = absentEvery > 0 && d % absentEvery === 0 ? 'I' : session === 'AM' ? '/' : '\\';
				values.push(pupilId, schoolId, date, session, code);
				const n = values.length;
				rows.push(`($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}, 'seed')`);
			}
		});
		await handle.query(`insert into attendance_marks (pupil_id, school_id, date, session, code, source) values ${rows.join(',')}`, values);
	};

	beforeAll(async () => {
		handle = await openTestDatabase();
		await ensureDefaultDirectory(handle);
		offerId = (await offerChoices(handle))[0]!.id;
		const school = await createTestSchool(handle, { slug: 'dmiss', urn: '497001', misIds });
		schoolId = school.id;
		pupil = school.pupils;
		head = (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'h@dmiss.test', 'H', 'headteacher', 'x') returning id`, [schoolId]))[0]!.id;
		const days = schoolDaysFrom('2026-09-07', 20);
		for (const [i, mis] of misIds.entries()) {
			const id = pupil.get(mis)!;
			await handle.query(`update pupils set first_name = $2 where id = $1`, [id, `Kid${i}`]);
			// Two in three below 95% (a day off in every five or every ten), the rest every day.
			await mark(id, days, i % 3 === 2 ? 0 : i % 3 === 0 ? 5 : 10);
		}
		// DM00 and DM01 are siblings (one mother); DM01's father is a second parent of the household.
		siblingsParent = await createGuardian(handle, { phone: '+447700920000' });
		await linkGuardian(handle, siblingsParent, pupil.get('DM00')!);
		await linkGuardian(handle, siblingsParent, pupil.get('DM01')!);
		const dad = await createGuardian(handle, { phone: '+447700920099' });
		await handle.query(`insert into pupil_guardians (pupil_id, guardian_id, relationship, contact_priority) values ($1, $2, 'Father', 2)`, [pupil.get('DM01'), dad]);
		for (const [i, mis] of misIds.entries()) {
			if (i < 2) continue;
			const g = await createGuardian(handle, { phone: `+4477009201${String(i).padStart(2, '0')}` });
			await linkGuardian(handle, g, pupil.get(mis)!);
			if (mis === 'DM03') excludedParent = g;
		}
		expect(await addDaysMissedExclusion(handle, { schoolId, staffUserId: head, input: { pupilId: pupil.get('DM03')!, reason: 'bereavement' } })).toBe(true);
	});
	afterAll(async () => {
		await handle?.close();
	});

	let runId: string;

	it('draws the eligible households, siblings together, with the excluded family left out', async () => {
		const made = await prepareDaysMissedRun(handle, { schoolId, staffUserId: head, input: { thresholdPercent: 95, holdOutPercent: 25, offerServiceId: offerId }, now: NOW, seed: 'fixed-seed' });
		if (!made.ok) throw new Error(JSON.stringify(made.problem));
		runId = made.id;
		const view = (await daysMissedRunView(handle, schoolId, runId))!;
		// 20 pupils are below 95%: DM00 and DM01 are one household, DM03 is excluded: 18 households.
		expect(view.households).toBe(18);
		expect(view.excluded).toBe(1);
		expect(view.messaged + view.heldOut).toBe(18);
		for (const b of view.bands) expect(b.heldOut).toBe(Math.round((b.messaged + b.heldOut) * 0.25));
		expect(view.toneFailures).toEqual([]);
		expect(view.longestWords).toBeLessThanOrEqual(150);
		const seeds = await handle.query<{ seed: string }>(`select seed from days_missed_runs where id = $1`, [runId]);
		expect(seeds[0]!.seed).toBe('fixed-seed');
	});

	it('a second run for the same half term is refused', async () => {
		const again = await prepareDaysMissedRun(handle, { schoolId, staffUserId: head, input: { thresholdPercent: 90, holdOutPercent: 20, offerServiceId: offerId }, now: NOW });
		expect(again).toEqual({ ok: false, problem: { code: 'run_exists', runId } });
	});

	it('confirming queues exactly one message per messaged household, once, even when confirmed twice at once', async () => {
		const [a, b] = await Promise.all([confirmDaysMissedRun(handle, { schoolId, staffUserId: head, runId, now: NOW }), confirmDaysMissedRun(handle, { schoolId, staffUserId: head, runId, now: NOW })]);
		const arms = await handle.query<{ arm: string; recipient_guardian_id: string; message_id: string | null; pupil_ids: string[] }>(`select arm, recipient_guardian_id, message_id, pupil_ids from days_missed_assignments where run_id = $1`, [runId]);
		const messagedGuardians = arms.filter((r) => r.arm === 'message').map((r) => r.recipient_guardian_id);
		expect(a + b).toBe(messagedGuardians.length);
		expect(await confirmDaysMissedRun(handle, { schoolId, staffUserId: head, runId, now: new Date(NOW.getTime() + 60_000) })).toBe(0);

		const sent = await handle.query<{ guardian_id: string; body: string; channel: string; campaign_id: string }>(`select guardian_id, body, channel, campaign_id from outbound_messages where purpose = 'days_missed'`);
		expect(sent.map((s) => s.guardian_id).sort()).toEqual([...messagedGuardians].sort());
		expect(new Set(sent.map((s) => s.guardian_id)).size).toBe(sent.length);
		// The held-out families and the excluded family get nothing.
		const heldOut = arms.filter((r) => r.arm === 'hold_out').map((r) => r.recipient_guardian_id);
		for (const g of [...heldOut, excludedParent]) expect(sent.map((s) => s.guardian_id)).not.toContain(g);
		expect(sent.every((s) => s.channel === 'sms' && s.campaign_id)).toBe(true);
		const siblings = arms.find((r) => r.pupil_ids.includes(pupil.get('DM00')!))!;
		expect(siblings.pupil_ids).toHaveLength(2);
		expect(siblings.recipient_guardian_id).toBe(siblingsParent);
		if (siblings.arm === 'message') {
			const body = sent.find((s) => s.guardian_id === siblingsParent)!.body;
			expect(body).toContain('Kid0');
			expect(body).toContain('Kid1');
			expect(body).toMatch(/Days of school missed by Kid0: 4 last half term, 4 so far this school year\./);
			expect(body).not.toMatch(/%/);
		}
	});

	it('shows the results, saying so when there are too few families, and exports them', async () => {
		// Six weeks of marks after the run: messaged families miss less.
		const after = schoolDaysFrom('2026-11-03', 20).filter((d) => d !== '2026-11-20');
		const arms = await handle.query<{ arm: string; pupil_ids: string[] }>(`select arm, pupil_ids from days_missed_assignments where run_id = $1`, [runId]);
		for (const a of arms) for (const p of a.pupil_ids) await mark(p, after, a.arm === 'message' ? 10 : 4);
		const results = await daysMissedResults(handle, schoolId, new Date('2027-01-20T10:00:00Z'));
		expect(results).toHaveLength(1);
		const r = results[0]!;
		expect(r.window).toMatchObject({ from: '2026-11-03', to: '2026-12-14', complete: true });
		expect(r.overall!.messaged.households + r.overall!.heldOut.households).toBe(18);
		// Fewer than ten households held out: no estimate, and the page says why.
		expect(r.overall!.withheld).toBe('too_few');
		expect(r.overall!.estimate).toBeNull();
		expect(r.overall!.heldOut.meanDays!).toBeGreaterThan(r.overall!.messaged.meanDays!);
		const csv = daysMissedResultsCsv([{ schoolName: 'dmiss school', runs: results }]);
		const lines = csv.trim().split('\r\n');
		expect(lines[0]).toContain('arm');
		expect(lines).toHaveLength(19);
		expect(csv).not.toContain('Kid');
	});

	it('draws the next half term’s run by itself once Autumn 2 has ended, and sends nothing until staff confirm', async () => {
		const before = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where purpose = 'days_missed'`);
		expect(await prepareDueDaysMissedRuns(handle, new Date('2026-12-01T10:00:00Z'))).toBe(0);
		const later = new Date('2026-12-21T10:00:00Z');
		expect(await prepareDueDaysMissedRuns(handle, later)).toBe(1);
		expect(await prepareDueDaysMissedRuns(handle, later)).toBe(0);
		const runs = await handle.query<{ period_name: string; confirmed: boolean; threshold_percent: number; hold_out_percent: number }>(`select period_name, confirmed_at is not null as confirmed, threshold_percent, hold_out_percent from days_missed_runs where school_id = $1 order by period_from`, [schoolId]);
		expect(runs).toEqual([
			{ period_name: 'Autumn 1', confirmed: true, threshold_percent: 95, hold_out_percent: 25 },
			{ period_name: 'Autumn 2', confirmed: false, threshold_percent: 95, hold_out_percent: 25 }
		]);
		const after = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where purpose = 'days_missed'`);
		expect(after[0]!.n).toBe(before[0]!.n);
	});
});
