import { describe, expect, it } from 'vitest';
import { contactRouteFor, type GuardianReachability } from '../../src/lib/domain/contact-route';

const everything: GuardianReachability = {
	preferredChannel: 'sms',
	phone: '+447700900101',
	email: 'parent@example.org',
	telegramChatId: 4242
};

describe('contactRouteFor', () => {
	it('uses the preferred channel when it can', () => {
		expect(contactRouteFor(everything)).toEqual({ channel: 'sms', recipient: '+447700900101' });
		expect(contactRouteFor({ ...everything, preferredChannel: 'telegram' })).toEqual({ channel: 'telegram', recipient: '4242' });
		expect(contactRouteFor({ ...everything, preferredChannel: 'email' })).toEqual({ channel: 'email', recipient: 'parent@example.org' });
	});

	it('falls back to SMS, then Telegram, then email', () => {
		expect(contactRouteFor({ ...everything, preferredChannel: 'telegram', telegramChatId: null })).toEqual({
			channel: 'sms',
			recipient: '+447700900101'
		});
		expect(contactRouteFor({ ...everything, preferredChannel: 'email', email: null })).toEqual({ channel: 'sms', recipient: '+447700900101' });
		expect(contactRouteFor({ ...everything, phone: null })).toEqual({ channel: 'telegram', recipient: '4242' });
		expect(contactRouteFor({ ...everything, phone: null, telegramChatId: null })).toEqual({ channel: 'email', recipient: 'parent@example.org' });
	});

	it("uses WhatsApp only as the parent's own choice, and not after STOP there", () => {
		expect(contactRouteFor({ ...everything, preferredChannel: 'whatsapp' })).toEqual({ channel: 'whatsapp', recipient: '+447700900101' });
		expect(contactRouteFor({ ...everything, preferredChannel: 'whatsapp', whatsappOptedOut: true })).toEqual({ channel: 'sms', recipient: '+447700900101' });
		expect(contactRouteFor({ ...everything, preferredChannel: 'whatsapp', phone: null })).toEqual({ channel: 'telegram', recipient: '4242' });
	});

	it('never routes a one-to-one message by push', () => {
		expect(contactRouteFor({ ...everything, preferredChannel: 'push' })).toEqual({ channel: 'sms', recipient: '+447700900101' });
	});

	it('honours an SMS opt-out', () => {
		expect(contactRouteFor({ ...everything, smsOptedOut: true })).toEqual({ channel: 'telegram', recipient: '4242' });
		expect(contactRouteFor({ ...everything, smsOptedOut: true, telegramChatId: null, email: null })).toBeNull();
	});

	it('returns null when there is no way to reach them', () => {
		expect(contactRouteFor({ preferredChannel: 'sms', phone: null, email: null, telegramChatId: null })).toBeNull();
	});
});
