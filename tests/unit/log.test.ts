import { describe, expect, it } from 'vitest';
import { logLine } from '../../src/lib/server/platform/log';

const at = new Date('2026-11-24T09:00:00Z');

describe('structured logs', () => {
	it('writes one JSON object with the event and its fields', () => {
		expect(JSON.parse(logLine('info', 'outbox.run', { claimed: 3, sent: 2 }, at))).toEqual({
			at: '2026-11-24T09:00:00.000Z',
			level: 'info',
			event: 'outbox.run',
			claimed: 3,
			sent: 2
		});
	});

	it('never writes personal data: fields named like it are redacted, numbers and addresses masked', () => {
		const line = logLine(
			'error',
			'send.failed',
			{
				recipient: '+447700900123',
				guardian: { firstName: 'Claire', phone: '+447700900547', id: 'g-1' },
				error: new Error('Twilio refused +44 7700 900123 and parent@example.org'),
				body: 'Sam is off sick'
			},
			at
		);
		expect(line).not.toMatch(/Claire|7700|parent@example\.org|Sam is off/);
		const parsed = JSON.parse(line);
		expect(parsed.recipient).toBe('[redacted]');
		expect(parsed.guardian).toEqual({ firstName: '[redacted]', phone: '[redacted]', id: 'g-1' });
		expect(parsed.error).toEqual({ error: 'Error', message: 'Twilio refused [phone] and [email]' });
	});
});
