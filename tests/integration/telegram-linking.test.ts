import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	createTelegramLinkToken,
	linkTelegramByContact,
	redeemTelegramLinkToken,
	telegramStartLink,
	TELEGRAM_LINK_TTL_MS
} from '../../src/lib/server/features/accounts/telegram-linking';
import { createGuardian } from '../fixtures/accounts/family';

const T0 = new Date('2026-11-02T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe(`linking Telegram to a parent (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let guardianId: string;
	beforeAll(async () => {
		handle = await openTestDatabase();
		guardianId = await createGuardian(handle, { phone: '+447700900321' });
	});
	afterAll(async () => {
		await handle?.close();
	});
	beforeEach(async () => {
		await handle.query('delete from telegram_accounts');
		await handle.query('delete from telegram_link_tokens');
		await handle.query('delete from audit_log');
	});

	const accounts = () =>
		handle.query<{ guardian_id: string; chat_id: string | number; linked_via: string }>(
			'select guardian_id, chat_id::int as chat_id, linked_via from telegram_accounts'
		);

	it('builds the t.me start link', () => {
		expect(telegramStartLink('EveryDayDemoBot', 'abc234')).toBe('https://t.me/EveryDayDemoBot?start=abc234');
		expect(telegramStartLink('@EveryDayDemoBot', 'abc234')).toBe('https://t.me/EveryDayDemoBot?start=abc234');
	});

	it('a start token links once, stores only its hash, and cannot be used again', async () => {
		const { token, expiresAt } = await createTelegramLinkToken(handle.db, guardianId, T0);
		expect(expiresAt.getTime()).toBe(T0.getTime() + TELEGRAM_LINK_TTL_MS);
		expect(token.length).toBeLessThanOrEqual(64);
		const stored = await handle.query<{ token_hash: string }>('select token_hash from telegram_link_tokens');
		expect(stored[0]!.token_hash).not.toBe(token);

		expect(await redeemTelegramLinkToken(handle.db, token, { telegramUserId: 111, chatId: 111 }, at(1000))).toEqual({
			ok: true,
			guardianId
		});
		expect(await accounts()).toEqual([{ guardian_id: guardianId, chat_id: 111, linked_via: 'start_token' }]);
		// Someone else with the same link (e.g. forwarded) gets nothing.
		expect((await redeemTelegramLinkToken(handle.db, token, { telegramUserId: 222, chatId: 222 }, at(2000))).ok).toBe(false);
		expect(await accounts()).toHaveLength(1);
		const audit = await handle.query<{ action: string }>('select action from audit_log order by id');
		expect(audit.map((a) => a.action)).toEqual(['guardian.telegram_linked', 'guardian.telegram_link_refused']);
	});

	it('an expired or tampered token fails', async () => {
		const { token } = await createTelegramLinkToken(handle.db, guardianId, T0);
		expect((await redeemTelegramLinkToken(handle.db, token, { telegramUserId: 1, chatId: 1 }, at(TELEGRAM_LINK_TTL_MS))).ok).toBe(false);
		const fresh = await createTelegramLinkToken(handle.db, guardianId, T0);
		const tampered = (fresh.token[0] === 'a' ? 'b' : 'a') + fresh.token.slice(1);
		expect((await redeemTelegramLinkToken(handle.db, tampered, { telegramUserId: 1, chatId: 1 }, at(1000))).ok).toBe(false);
		expect((await redeemTelegramLinkToken(handle.db, 'x'.repeat(200), { telegramUserId: 1, chatId: 1 }, at(1000))).ok).toBe(false);
		expect(await accounts()).toEqual([]);
	});

	it('a shared contact links when it is the sender’s own and the number is on record', async () => {
		const res = await linkTelegramByContact(
			handle.db,
			{ senderUserId: 555, contactUserId: 555, phoneNumber: '447700900321', chatId: 555 },
			T0
		);
		expect(res).toEqual({ ok: true, guardianId });
		expect(await accounts()).toEqual([{ guardian_id: guardianId, chat_id: 555, linked_via: 'shared_contact' }]);
		const [audit] = await handle.query<{ action: string; details: { via: string } }>('select action, details from audit_log');
		expect(audit).toEqual({ action: 'guardian.telegram_linked', details: { via: 'shared_contact' } });
	});

	it('a forwarded contact (someone else’s card) is refused', async () => {
		for (const contactUserId of [999, null, undefined]) {
			const res = await linkTelegramByContact(
				handle.db,
				{ senderUserId: 555, contactUserId, phoneNumber: '+447700900321', chatId: 555 },
				T0
			);
			expect(res).toEqual({ ok: false, reason: 'not_own_contact' });
		}
		expect(await accounts()).toEqual([]);
		const audit = await handle.query<{ action: string }>('select action from audit_log');
		expect(audit.every((a) => a.action === 'guardian.telegram_link_refused')).toBe(true);
	});

	it('an unknown number links nothing', async () => {
		const res = await linkTelegramByContact(
			handle.db,
			{ senderUserId: 556, contactUserId: 556, phoneNumber: '+447700900999', chatId: 556 },
			T0
		);
		expect(res).toEqual({ ok: false, reason: 'no_match' });
		expect(await accounts()).toEqual([]);
	});
});
