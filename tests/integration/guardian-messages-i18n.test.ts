import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { requestSignInCode } from '../../src/lib/server/features/accounts/guardian-sign-in';
import { enqueueGuardianMessage } from '../../src/lib/server/features/accounts/guardian-messages';
import { firstDayContactMessage } from '../../src/lib/server/features/school-day/school-day';
import { setGuardianLanguage } from '../../src/lib/server/features/accounts/language';
import { createGuardian } from '../fixtures/accounts/family';

const T0 = new Date('2026-11-05T08:00:00Z');

describe(`messages to parents in their language (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let polish: string;
	let bengali: string;
	const bodies = (guardianId: string, purpose: string) =>
		handle.query<{ body: string; subject: string | null }>(
			`select body, subject from outbound_messages where guardian_id = $1 and purpose = $2 order by created_at`,
			[guardianId, purpose]
		);

	beforeAll(async () => {
		handle = await openTestDatabase();
		polish = await createGuardian(handle, { phone: '+447700908201', email: 'ola@example.org' });
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [polish]);
		bengali = await createGuardian(handle, { phone: '+447700908202' });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('the sign-in code text and email are in the guardian’s language', async () => {
		await requestSignInCode(handle.db, { identifier: '07700 908201', ip: '203.0.113.9' }, T0);
		const [sms] = await bodies(polish, 'sign_in_code');
		expect(sms!.body).toMatch(/^Twój kod logowania do Every Day to \d{6}\. Jest ważny 10 minut\./);
		await requestSignInCode(handle.db, { identifier: 'ola@example.org', ip: '203.0.113.9' }, T0);
		const email = (await bodies(polish, 'sign_in_code'))[1]!;
		expect(email.subject).toBe('Twój kod logowania do Every Day');
	});

	it('a message composed per language uses the language the guardian saved (the chooser’s service)', async () => {
		await setGuardianLanguage(handle.db, bengali, 'bn');
		const [row] = await handle.query<{ preferred_language: string }>(`select preferred_language from guardians where id = $1`, [bengali]);
		expect(row!.preferred_language).toBe('bn');
		const body = (locale: string) =>
			firstDayContactMessage({ childName: 'Rahim', schoolName: 'Harbour Primary', schoolPhone: '023 9200 0001', sessions: ['AM', 'PM'], origin: 'https://everyday.test', locale: locale as 'bn' });
		await enqueueGuardianMessage(handle.db, { guardianId: bengali, schoolId: null, purpose: 'first_day_contact', body, idempotencyKey: 'fdc-bn-1' });
		const [sent] = await bodies(bengali, 'first_day_contact');
		expect(sent!.body).toBe(
			'Harbour Primary: Rahim আজ স্কুলে নেই এবং আমরা কারণ জানি না। অনুগ্রহ করে কারণ লিখে উত্তর দিন, https://everyday.test/report-এ জানান, অথবা 023 9200 0001-এ ফোন করুন। ধন্যবাদ।'
		);
	});

	it('the English first day contact keeps its wording', () => {
		expect(
			firstDayContactMessage({ childName: 'Sam', schoolName: 'Bot Primary', schoolPhone: null, sessions: ['PM'], origin: 'https://everyday.test' })
		).toBe('Bot Primary: Sam is not in school this afternoon and we have not heard why. Please reply with the reason, or report it at https://everyday.test/report. Thank you.');
	});
});
