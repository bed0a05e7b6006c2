/**
 * Email through the real nodemailer SMTP client to a real SMTP server (smtp-server) on
 * 127.0.0.1: what the relay receives, and what the outbox does with its refusals.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { deadLetters, deliverDueMessages, enqueueMessage } from '../../src/lib/server/platform/outbox';
import { smtpEmailTransport, type EmailConfig } from '../../src/lib/server/providers/email';
import { readConfig } from '../../src/lib/server/platform/config';
import { requestSignInCode, verifySignInCode } from '../../src/lib/server/features/accounts/guardian-sign-in';
import { createGuardian } from '../fixtures/accounts/family';
import { createTestSchool } from '../fixtures/register/school';

interface Received {
	from: string | undefined;
	to: string[];
	raw: string;
	user: string | undefined;
}

// The queue's rows are due from the database's own clock, so the test delivers on real time.
const soon = () => new Date(Date.now() + 1000);

/** A header's value from the raw message (folded lines unfolded). */
function header(raw: string, name: string): string | undefined {
	const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
	return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

describe(`email over SMTP (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let server: SMTPServer;
	let port: number;
	const received: Received[] = [];

	beforeAll(async () => {
		handle = await openTestDatabase();
		server = new SMTPServer({
			// Plain SMTP on loopback with a login, as a relay inside the deployment's network would be.
			disabledCommands: ['STARTTLS'],
			allowInsecureAuth: true,
			authOptional: true,
			logger: false,
			onAuth(auth, _session, callback) {
				if (auth.username === 'everyday' && auth.password === 'relay-secret') callback(null, { user: auth.username });
				else callback(new Error('Invalid username or password'));
			},
			onRcptTo(address, _session, callback) {
				// The relay's own answers, as real ones give them.
				if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
				if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('4.2.0 Try again later'), { responseCode: 451 }));
				callback();
			},
			onData(stream, session, callback) {
				const chunks: Buffer[] = [];
				stream.on('data', (c: Buffer) => chunks.push(c));
				stream.on('end', () => {
					received.push({
						from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
						to: session.envelope.rcptTo.map((r) => r.address),
						raw: Buffer.concat(chunks).toString('utf8'),
						user: session.user as string | undefined
					});
					callback();
				});
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.server.address() as AddressInfo).port;
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => server?.close(() => resolve()));
		await handle?.close();
	});
	beforeEach(async () => {
		received.length = 0;
		await handle.query('delete from outbound_messages');
		await handle.query('delete from rate_limit_buckets');
	});

	/** The configuration as the app reads it from the environment. */
	const emailConfig = (env: Record<string, string>): EmailConfig => readConfig({ DATA_DIR: '/tmp/every-day-email-test', ...env }).email!;

	it('reads SMTP_URL or SMTP_HOST with its credentials, and refuses half a configuration', () => {
		expect(emailConfig({ SMTP_URL: 'smtp://u:p@relay.example.org:587', EMAIL_FROM: 'Every Day <no-reply@example.org>' })).toEqual({
			smtp: 'smtp://u:p@relay.example.org:587',
			from: 'Every Day <no-reply@example.org>',
			replyTo: null
		});
		expect(emailConfig({ SMTP_HOST: 'relay.example.org', SMTP_PORT: '465', SMTP_USER: 'u', SMTP_PASSWORD: 'p', EMAIL_FROM: 'a@example.org', EMAIL_REPLY_TO: 'office@example.org' })).toEqual({
			smtp: { host: 'relay.example.org', port: 465, secure: true, auth: { user: 'u', pass: 'p' } },
			from: 'a@example.org',
			replyTo: 'office@example.org'
		});
		expect(readConfig({ DATA_DIR: '/tmp/x' }).email).toBeNull();
		expect(() => readConfig({ SMTP_HOST: 'relay.example.org' })).toThrow(/EMAIL_FROM is required/);
		expect(() => readConfig({ SMTP_HOST: 'relay.example.org', SMTP_USER: 'u', EMAIL_FROM: 'a@example.org' })).toThrow(/SMTP_USER and SMTP_PASSWORD/);
		expect(() => readConfig({ SMTP_URL: 'relay.example.org', EMAIL_FROM: 'a@example.org' })).toThrow(/SMTP_URL must be a URL/);
	});

	it('delivers a sign-in code over SMTP, and the code from the email signs the parent in', async () => {
		const guardianId = await createGuardian(handle, { firstName: 'Em', email: 'em.parent@example.org' });
		const transport = smtpEmailTransport(handle, emailConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: 'everyday', SMTP_PASSWORD: 'relay-secret', EMAIL_FROM: 'Every Day <no-reply@everyday.example.org>', EMAIL_REPLY_TO: 'help@everyday.example.org' }));
		const T0 = new Date();
		const asked = await requestSignInCode(handle.db, { identifier: 'Em.Parent@example.org', ip: '198.51.100.7' }, T0);
		expect(asked.ok).toBe(true);

		const report = await deliverDueMessages(handle, { email: transport }, { now: soon() });
		expect(report).toMatchObject({ claimed: 1, sent: 1 });
		expect(received).toHaveLength(1);
		const mail = received[0]!;
		expect(mail.user).toBe('everyday');
		expect(mail.from).toBe('no-reply@everyday.example.org');
		expect(mail.to).toEqual(['em.parent@example.org']);
		expect(header(mail.raw, 'Subject')).toBe('Your Every Day sign-in code');
		expect(header(mail.raw, 'Reply-To')).toBe('help@everyday.example.org');
		const code = /\b(\d{6})\b/.exec(mail.raw.split(/\r?\n\r?\n/).slice(1).join('\n'))?.[1];
		expect(code).toMatch(/^\d{6}$/);

		const [row] = await handle.query<{ status: string; provider_message_id: string }>(`select status, provider_message_id from outbound_messages`);
		expect(row!.status).toBe('sent');
		expect(header(mail.raw, 'Message-ID')).toBe(row!.provider_message_id);

		const verified = await verifySignInCode(handle.db, { identifier: 'em.parent@example.org', code: code!, ip: '198.51.100.7' }, new Date(T0.getTime() + 60_000));
		expect(verified).toEqual({ ok: true, guardianId });
	});

	it("replies to a school's message go to the school's own address", async () => {
		const school = await createTestSchool(handle, { slug: 'reply-to', urn: '900101', misIds: [] });
		await handle.query(`update schools set email = 'office@reply-to.example.org' where id = $1`, [school.id]);
		await enqueueMessage(handle.db, { channel: 'email', recipient: 'parent@example.org', schoolId: school.id, purpose: 'letter', subject: 'A letter from school', body: 'Hello', idempotencyKey: 'reply-to-1' });
		const transport = smtpEmailTransport(handle, emailConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_FROM: 'no-reply@everyday.example.org', EMAIL_REPLY_TO: 'help@everyday.example.org' }));
		await deliverDueMessages(handle, { email: transport }, { now: soon() });
		expect(header(received[0]!.raw, 'Reply-To')).toBe('office@reply-to.example.org');
		expect(header(received[0]!.raw, 'Subject')).toBe('A letter from school');
	});

	it("a permanent refusal (550) makes the message undelivered at once, on the school's list for staff", async () => {
		const school = await createTestSchool(handle, { slug: 'bounce', urn: '900102', misIds: [] });
		await enqueueMessage(handle.db, { channel: 'email', recipient: 'nobody@example.org', schoolId: school.id, purpose: 'letter', subject: 'Letter', body: 'Hello', idempotencyKey: 'bounce-1' });
		const transport = smtpEmailTransport(handle, emailConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_FROM: 'no-reply@everyday.example.org' }));
		const report = await deliverDueMessages(handle, { email: transport }, { now: soon() });
		expect(report).toMatchObject({ sent: 0, dead: 1, retrying: 0 });
		const dead = await deadLetters(handle.db, school.id);
		expect(dead).toHaveLength(1);
		expect(dead[0]!.providerStatus).toBe('smtp_550');
		expect(dead[0]!.lastError).toMatch(/No such mailbox/);
		expect(received).toHaveLength(0);
	});

	it('a temporary refusal (451) is retried later, and the retry is delivered', async () => {
		await enqueueMessage(handle.db, { channel: 'email', recipient: 'busy@example.org', purpose: 'letter', subject: 'Letter', body: 'Hello', idempotencyKey: 'busy-1' });
		const transport = smtpEmailTransport(handle, emailConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_FROM: 'no-reply@everyday.example.org' }));
		const first = await deliverDueMessages(handle, { email: transport }, { now: soon() });
		expect(first).toMatchObject({ sent: 0, dead: 0, retrying: 1 });
		const [row] = await handle.query<{ status: string; next_attempt_at: Date; provider_status: string | null }>(`select status, next_attempt_at, provider_status from outbound_messages`);
		expect(row!.status).toBe('failed');
		expect(row!.provider_status).toBeNull();
		expect(new Date(row!.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 10_000);

		// The relay accepts the address again; the retry (when due) goes through.
		await handle.query(`update outbound_messages set recipient = 'parent@example.org'`);
		const notYet = await deliverDueMessages(handle, { email: transport }, { now: soon() });
		expect(notYet.claimed).toBe(0);
		const later = await deliverDueMessages(handle, { email: transport }, { now: new Date(Date.now() + 60 * 60 * 1000) });
		expect(later).toMatchObject({ sent: 1 });
		expect(received.map((r) => r.to)).toEqual([['parent@example.org']]);
	});

	it('a relay that cannot be reached is a temporary failure, not a lost message', async () => {
		await enqueueMessage(handle.db, { channel: 'email', recipient: 'parent@example.org', purpose: 'letter', subject: 'Letter', body: 'Hello', idempotencyKey: 'down-1' });
		// A port with nothing listening (the server's own port, closed below, is not reused in the window).
		const closed = new SMTPServer({ logger: false });
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.server.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const transport = smtpEmailTransport(handle, emailConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(closedPort), EMAIL_FROM: 'no-reply@everyday.example.org' }));
		const report = await deliverDueMessages(handle, { email: transport }, { now: soon() });
		expect(report).toMatchObject({ sent: 0, dead: 0, retrying: 1 });
		const [row] = await handle.query<{ status: string; last_error: string }>(`select status, last_error from outbound_messages`);
		expect(row!.status).toBe('failed');
		expect(row!.last_error).toMatch(/ECONNREFUSED|connect/i);
	});
});
