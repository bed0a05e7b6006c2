import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleInboundMessage, type InboundMessage } from '../../bot/conversations';
import { childAttendanceDetail } from '../../src/lib/server/features/attendance/child-detail';
import { createTestSchool, markTermTo13November } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/* Mon 16 Nov 2026, after a term of marks to Friday 13 November. */
const NOW = new Date('2026-11-16T12:00:00Z');
const POLISH_MUM = '+447700908201';
const ENGLISH_DAD = '+447700908202';

describe(`the bot's attendance summary in the guardian's language (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let mum: string;
	let dad: string;
	let zosia: string;
	let seq = 0;
	const sms = (address: string, text: string): InboundMessage => ({ channel: 'sms', providerMessageId: `SMatt${++seq}`, address, text, now: NOW });
	const queued = (recipient: string) =>
		handle.query<{ body: string }>(`select body from outbound_messages where purpose = 'bot_reply' and recipient = $1 order by created_at, idempotency_key`, [
			recipient
		]);

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'attlang', urn: '470201', misIds: ['ZOSIA'] });
		zosia = school.pupils.get('ZOSIA')!;
		await handle.query(`update pupils set first_name = 'Zosia' where id = $1`, [zosia]);
		mum = await createGuardian(handle, { phone: POLISH_MUM });
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [mum]);
		dad = await createGuardian(handle, { phone: ENGLISH_DAD });
		await linkGuardian(handle, mum, zosia);
		await linkGuardian(handle, dad, zosia);
		await markTermTo13November(handle, zosia, school.id);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('a Polish guardian texting "attendance" gets the same figures in Polish, and that is what is sent', async () => {
		const d = (await childAttendanceDetail(handle, mum, zosia, NOW))!;
		const r = await handleInboundMessage(handle, sms(POLISH_MUM, 'attendance'));
		const text = r.replies[0]!.text;
		const percent = d.percentText.replace('.', '\\.');
		expect(text).toMatch(
			new RegExp(`^Zosia: ${percent} w tym roku \\(${d.academicYear.replace('/', '\\/')}\\), dotychczas opuszczone: 3½ dnia\\. .*Dane z dziennika do: piątek, 13 listopada 2026\\.$`)
		);
		expect(text).not.toMatch(/days|missed|Register data/);
		const rows = await queued(POLISH_MUM);
		expect(rows.at(-1)!.body).toBe(text);
	});

	it('an English guardian of the same child still gets the English summary, unchanged', async () => {
		const d = (await childAttendanceDetail(handle, dad, zosia, NOW))!;
		const r = await handleInboundMessage(handle, sms(ENGLISH_DAD, 'attendance'));
		expect(r.replies[0]!.text).toBe(d.summaryText);
		expect(r.replies[0]!.text).toMatch(/^Zosia: .* this year \(.*\), 3½ days missed so far\. .*Register data to Friday 13 November 2026\.$/);
	});
});
