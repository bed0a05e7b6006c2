import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { guardianForSmsSender, guardianForTelegramUser } from '../../src/lib/server/features/accounts/channel-identity';
import { linkTelegramByContact } from '../../src/lib/server/features/accounts/telegram-linking';
import { createGuardian } from '../fixtures/accounts/family';

describe(`identifying a parent on SMS and Telegram (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let guardianId: string;
	let otherGuardianId: string;
	beforeAll(async () => {
		handle = await openTestDatabase();
		guardianId = await createGuardian(handle, { phone: '+447700900654' });
		otherGuardianId = await createGuardian(handle, { phone: '+447700900655' });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('an SMS from a number the school holds identifies that guardian, however Twilio formats it', async () => {
		expect((await guardianForSmsSender(handle.db, '+447700900654'))?.id).toBe(guardianId);
		expect((await guardianForSmsSender(handle.db, '07700 900654'))?.id).toBe(guardianId);
		expect((await guardianForSmsSender(handle.db, '+447700900655'))?.id).toBe(otherGuardianId);
	});

	it('an unknown or malformed number identifies nobody', async () => {
		expect(await guardianForSmsSender(handle.db, '+447700900999')).toBeNull();
		expect(await guardianForSmsSender(handle.db, 'not a number')).toBeNull();
		expect(await guardianForSmsSender(handle.db, '')).toBeNull();
	});

	it('a Telegram user is known only once linked, and then as exactly that guardian', async () => {
		expect(await guardianForTelegramUser(handle.db, 5001)).toBeNull();
		const linked = await linkTelegramByContact(handle.db, {
			senderUserId: 5001,
			contactUserId: 5001,
			phoneNumber: '447700900655',
			chatId: 5001
		});
		expect(linked).toEqual({ ok: true, guardianId: otherGuardianId });
		expect((await guardianForTelegramUser(handle.db, 5001))?.id).toBe(otherGuardianId);
		expect(await guardianForTelegramUser(handle.db, 5002)).toBeNull();
	});
});
