import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	hashSignInCode,
	requestSignInCode,
	verifySignInCode,
	SIGN_IN_CODE_TTL_MS
} from '../../src/lib/server/features/accounts/guardian-sign-in';
import { normaliseIdentifier } from '../../src/lib/server/features/accounts/identifiers';
import { createGuardian } from '../fixtures/accounts/family';

const T0 = new Date('2026-11-02T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
let ipCounter = 0;
/** A fresh IP per test so the per-IP limit only bites where a test means it to. */
const freshIp = () => `198.51.100.${++ipCounter}`;

describe(`parent sign-in with a one-time code (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let guardianId: string;
	let emailGuardianId: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		guardianId = await createGuardian(handle, { firstName: 'Jo', phone: '+447700900123' });
		emailGuardianId = await createGuardian(handle, { firstName: 'Em', phone: '+447700900124', email: 'Em.Parent@Example.org' });
	});
	afterAll(async () => {
		await handle?.close();
	});
	beforeEach(async () => {
		await handle.query('delete from rate_limit_buckets');
		await handle.query('delete from sign_in_codes');
		await handle.query('delete from outbound_messages');
		await handle.query('delete from audit_log');
	});

	/** The code from the queued message (what the parent receives). */
	async function sentCode(recipient: string): Promise<string> {
		const rows = await handle.query<{ body: string }>(
			`select body from outbound_messages where recipient = $1 order by created_at desc limit 1`,
			[recipient]
		);
		const m = /\b(\d{6})\b/.exec(rows[0]?.body ?? '');
		if (!m) throw new Error(`no code sent to ${recipient}`);
		return m[1]!;
	}

	it('normalises UK numbers and emails', () => {
		expect(normaliseIdentifier('07700 900123')).toEqual({ kind: 'phone', value: '+447700900123' });
		expect(normaliseIdentifier('+44 7700 900123')).toEqual({ kind: 'phone', value: '+447700900123' });
		expect(normaliseIdentifier('(07700) 900-123')).toEqual({ kind: 'phone', value: '+447700900123' });
		expect(normaliseIdentifier(' Em.Parent@Example.ORG ')).toEqual({ kind: 'email', value: 'em.parent@example.org' });
		expect(normaliseIdentifier('hello')).toBeNull();
		expect(normaliseIdentifier('123')).toBeNull();
		expect(normaliseIdentifier('a@b')).toBeNull();
	});

	it('sends a code by SMS that works once, storing only its hash', async () => {
		const ip = freshIp();
		const res = await requestSignInCode(handle.db, { identifier: '07700 900123', ip }, T0);
		expect(res).toEqual({ ok: true, limited: false, identifier: '+447700900123' });
		const [msg] = await handle.query<Record<string, unknown>>(`select * from outbound_messages`);
		expect(msg).toMatchObject({ channel: 'sms', recipient: '+447700900123', purpose: 'sign_in_code', guardian_id: guardianId });
		const code = await sentCode('+447700900123');
		const [stored] = await handle.query<{ code_hash: string; expires_at: Date; channel: string }>(
			`select code_hash, expires_at, channel from sign_in_codes`
		);
		expect(stored!.code_hash).toBe(hashSignInCode(code));
		expect(stored!.code_hash).not.toContain(code);
		expect(new Date(stored!.expires_at).getTime()).toBe(T0.getTime() + SIGN_IN_CODE_TTL_MS);
		expect(msg!.idempotency_key).toMatch(/^sign-in-code:/);

		expect(await verifySignInCode(handle.db, { identifier: '+447700900123', code, ip }, at(60_000))).toEqual({
			ok: true,
			guardianId
		});
		// Single use.
		expect(await verifySignInCode(handle.db, { identifier: '+447700900123', code, ip }, at(61_000))).toEqual({ ok: false });

		const audit = await handle.query<{ action: string; actor_id: string | null; details: Record<string, unknown> }>(
			`select action, actor_id, details from audit_log order by id`
		);
		expect(audit.map((a) => a.action)).toEqual([
			'guardian.sign_in_code_requested',
			'guardian.sign_in',
			'guardian.sign_in_failed'
		]);
		expect(audit[1]!.actor_id).toBe(guardianId);
		// The audit log never holds the number or the code.
		expect(JSON.stringify(audit)).not.toContain('7700900123');
		expect(JSON.stringify(audit)).not.toContain(code);
	});

	it('sends by email for an email address, matched case-insensitively', async () => {
		const ip = freshIp();
		await requestSignInCode(handle.db, { identifier: 'em.parent@example.org', ip }, T0);
		const [msg] = await handle.query<{ channel: string; recipient: string; subject: string }>(
			`select channel, recipient, subject from outbound_messages`
		);
		expect(msg).toMatchObject({ channel: 'email', recipient: 'em.parent@example.org' });
		const code = await sentCode('em.parent@example.org');
		expect(await verifySignInCode(handle.db, { identifier: 'EM.PARENT@example.org', code, ip }, at(1000))).toEqual({
			ok: true,
			guardianId: emailGuardianId
		});
	});

	it('refuses a wrong code, and an expired one', async () => {
		const ip = freshIp();
		await requestSignInCode(handle.db, { identifier: '07700900123', ip }, T0);
		const code = await sentCode('+447700900123');
		const wrong = code === '000000' ? '111111' : '000000';
		expect(await verifySignInCode(handle.db, { identifier: '07700900123', code: wrong, ip }, at(1000))).toEqual({ ok: false });
		expect(
			await verifySignInCode(handle.db, { identifier: '07700900123', code, ip }, at(SIGN_IN_CODE_TTL_MS))
		).toEqual({ ok: false });
		const reasons = await handle.query<{ reason: string }>(
			`select details->>'reason' as reason from audit_log where action = 'guardian.sign_in_failed' order by id`
		);
		expect(reasons.map((r) => r.reason)).toEqual(['wrong_code', 'no_active_code']);
	});

	it('allows 5 guesses per code: the 6th attempt fails even with the right code', async () => {
		const ip = freshIp();
		await requestSignInCode(handle.db, { identifier: '07700900123', ip }, T0);
		const code = await sentCode('+447700900123');
		const wrong = code === '000000' ? '111111' : '000000';
		for (let i = 0; i < 5; i++) {
			expect((await verifySignInCode(handle.db, { identifier: '07700900123', code: wrong, ip }, at(1000 + i))).ok).toBe(false);
		}
		expect(await verifySignInCode(handle.db, { identifier: '07700900123', code, ip }, at(2000))).toEqual({ ok: false });
		const [row] = await handle.query<{ attempts: number; consumed_at: Date | null }>(`select attempts, consumed_at from sign_in_codes`);
		expect(row).toEqual({ attempts: 5, consumed_at: null });
	});

	it('concurrent right answers sign in once', async () => {
		const ip = freshIp();
		await requestSignInCode(handle.db, { identifier: '07700900123', ip }, T0);
		const code = await sentCode('+447700900123');
		const results = await Promise.all(
			Array.from({ length: 4 }, () => verifySignInCode(handle.db, { identifier: '07700900123', code, ip }, at(1000)))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('gives an unknown number exactly the same answer and sends nothing', async () => {
		const ip = freshIp();
		const known = await requestSignInCode(handle.db, { identifier: '07700 900123', ip }, T0);
		const unknown = await requestSignInCode(handle.db, { identifier: '07700 900777', ip }, T0);
		expect(Object.keys(unknown).sort()).toEqual(Object.keys(known).sort());
		expect(unknown).toEqual({ ok: true, limited: false, identifier: '+447700900777' });
		expect(await handle.query(`select id from outbound_messages where recipient = '+447700900777'`)).toEqual([]);
		expect(await handle.query(`select id from sign_in_codes`)).toHaveLength(1);
		expect(await verifySignInCode(handle.db, { identifier: '07700 900777', code: '123456', ip }, at(1000))).toEqual({ ok: false });
	});

	it('rejects something that is neither a phone number nor an email address', async () => {
		expect(await requestSignInCode(handle.db, { identifier: 'my name', ip: freshIp() }, T0)).toEqual({
			ok: false,
			limited: false,
			invalid: true
		});
	});

	it('limits requests per number: 3 per 15 minutes, whatever the IP', async () => {
		for (let i = 0; i < 3; i++) {
			expect((await requestSignInCode(handle.db, { identifier: '07700900123', ip: freshIp() }, at(i * 1000))).limited).toBe(false);
		}
		const limited = await requestSignInCode(handle.db, { identifier: '+447700900123', ip: freshIp() }, at(60_000));
		expect(limited).toEqual({ ok: false, limited: true, retryAfterSeconds: 14 * 60 });
		// Unknown numbers are limited in the same way (no difference to observe).
		for (let i = 0; i < 3; i++) await requestSignInCode(handle.db, { identifier: '07700900888', ip: freshIp() }, T0);
		expect((await requestSignInCode(handle.db, { identifier: '07700900888', ip: freshIp() }, T0)).limited).toBe(true);
		expect(await handle.query(`select id from outbound_messages`)).toHaveLength(3);
		// After the window, codes flow again.
		expect((await requestSignInCode(handle.db, { identifier: '07700900123', ip: freshIp() }, at(15 * 60_000))).limited).toBe(false);
	});

	it('limits requests per IP: 20 per hour across numbers', async () => {
		const ip = freshIp();
		for (let i = 0; i < 20; i++) {
			const n = `07700 901${String(i).padStart(3, '0')}`;
			expect((await requestSignInCode(handle.db, { identifier: n, ip }, at(i * 1000))).limited).toBe(false);
		}
		const limited = await requestSignInCode(handle.db, { identifier: '07700900123', ip }, at(30_000));
		expect(limited.limited).toBe(true);
		expect(await handle.query(`select id from outbound_messages`)).toEqual([]);
		expect((await requestSignInCode(handle.db, { identifier: '07700900123', ip: freshIp() }, at(30_000))).limited).toBe(false);
		const [row] = await handle.query<{ n: number }>(
			`select count(*)::int as n from audit_log where action = 'guardian.sign_in_code_rate_limited'`
		);
		expect(row!.n).toBe(1);
	});

	it('a newer code replaces an older one', async () => {
		const ip = freshIp();
		await requestSignInCode(handle.db, { identifier: '07700900123', ip }, T0);
		const first = await sentCode('+447700900123');
		await requestSignInCode(handle.db, { identifier: '07700900123', ip }, at(1000));
		const second = await sentCode('+447700900123');
		if (first !== second) {
			expect((await verifySignInCode(handle.db, { identifier: '07700900123', code: first, ip }, at(2000))).ok).toBe(false);
		}
		expect((await verifySignInCode(handle.db, { identifier: '07700900123', code: second, ip }, at(3000))).ok).toBe(true);
		// And signing in retires every outstanding code.
		expect(await handle.query(`select id from sign_in_codes where consumed_at is null`)).toEqual([]);
	});
});
