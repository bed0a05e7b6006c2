import { describe, expect, it } from 'vitest';
import {
	PayloadTooLargeError,
	bodyLimitFor,
	boundaryRequest,
	cleanUrl,
	stripJsonNul
} from '../../src/lib/server/platform/request-boundary';
import { devToolsEnabled, parseBytes, pushPrivateHostsAllowed, readConfig, startupProblems } from '../../src/lib/server/platform/config';
import { isPublicAddress, publicOnlyLookup, pushEndpointProblem } from '../../src/lib/server/platform/public-address';
import { errorSummary, logLine, stackFrames } from '../../src/lib/server/platform/log';

const KEY = Buffer.alloc(32, 3).toString('base64');

function post(body: BodyInit, type: string, extra: Record<string, string> = {}): Request {
	return new Request('http://app.test/x', { method: 'POST', headers: { 'content-type': type, ...extra }, body, duplex: 'half' } as RequestInit);
}

describe('request boundary: NUL characters', () => {
	it('removes them from form fields, keeping the fields', async () => {
		const req = await boundaryRequest(post('email=head%00%40school.test&details=a%00b&x=1', 'application/x-www-form-urlencoded'), 1024);
		const form = await req.formData();
		expect(form.get('email')).toBe('head@school.test');
		expect(form.get('details')).toBe('ab');
		expect(form.get('x')).toBe('1');
	});

	it('keeps a form without NULs byte for byte (webhook signatures cover it)', async () => {
		const body = 'Body=Sam+is+off%21&From=%2B447700900123&To=%2B44';
		expect(await (await boundaryRequest(post(body, 'application/x-www-form-urlencoded'), 1024)).text()).toBe(body);
	});

	it('removes them from multipart text fields and file names, never from file bytes', async () => {
		const form = new FormData();
		form.append('note', 'hello\u0000world');
		const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x00]);
		form.append('file', new File([bytes], 'scan\u0000.pdf', { type: 'application/pdf' }));
		const original = new Request('http://app.test/x', { method: 'POST', body: form });
		const req = await boundaryRequest(original, 1024 * 1024);
		const parsed = await req.formData();
		expect(parsed.get('note')).toBe('helloworld');
		const file = parsed.get('file') as File;
		expect(file.name).toBe('scan.pdf');
		expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
	});

	it('removes raw and escaped NULs from JSON, but not an escaped backslash followed by u0000', async () => {
		const text = JSON.stringify({ details: 'a\u0000b', keep: '\\u0000', nested: ['x\u0000'] });
		const req = await boundaryRequest(post(text, 'application/json'), 1024);
		expect(await req.json()).toEqual({ details: 'ab', keep: '\\u0000', nested: ['x'] });
		expect(JSON.parse(stripJsonNul('"\\\\\\u0000"'))).toBe('\\');
	});

	it('reads a JSON body that arrives in pieces, a character split between two of them', async () => {
		const bytes = new TextEncoder().encode(JSON.stringify({ details: 'Zoë – ścięgno' }));
		const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of ë
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(bytes.slice(0, cut));
				controller.enqueue(bytes.slice(cut, cut + 3));
				controller.enqueue(bytes.slice(cut + 3));
				controller.close();
			}
		});
		const streamed = new Request('http://app.test/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
		const req = await boundaryRequest(streamed, 1024);
		expect(await req.json()).toEqual({ details: 'Zoë – ścięgno' });
	});

	it('removes NUL bytes from a streamed CSV', async () => {
		const req = await boundaryRequest(post('UPN,Date\nA\u00001,2026-09-07\n', 'text/csv'), 1024);
		expect(await req.text()).toBe('UPN,Date\nA1,2026-09-07\n');
	});

	it('removes them from the query', () => {
		const url = new URL('http://app.test/language?next=%2Faccount%00&x=1');
		expect(cleanUrl(url)!.searchParams.get('next')).toBe('/account');
		expect(cleanUrl(new URL('http://app.test/language?next=%2Faccount'))).toBeNull();
	});
});

describe('request boundary: body limits', () => {
	it('allows large bodies only on the MIS import and the evidence upload', () => {
		const limits = { defaultBytes: 512 * 1024, misBytes: 64 * 1024 * 1024, evidenceBytes: 11 * 1024 * 1024 };
		expect(bodyLimitFor('/api/mis/marks', limits)).toBe(64 * 1024 * 1024);
		expect(bodyLimitFor('/leave/[reference]', limits)).toBe(11 * 1024 * 1024);
		for (const route of ['/sign-in', '/staff/sign-in', '/api/reports', '/webhooks/twilio/sms', null]) expect(bodyLimitFor(route, limits)).toBe(512 * 1024);
	});

	it('refuses a declared Content-Length over the limit before reading', async () => {
		const req = post('x'.repeat(10), 'text/plain', { 'content-length': String(5000) });
		await expect(boundaryRequest(req, 1000)).rejects.toBeInstanceOf(PayloadTooLargeError);
	});

	it('refuses a streamed body once it passes the limit, for every content type', async () => {
		const big = 'a=' + 'x'.repeat(5000);
		await expect(boundaryRequest(post(big, 'application/x-www-form-urlencoded'), 1000)).rejects.toBeInstanceOf(PayloadTooLargeError);
		await expect(boundaryRequest(post(JSON.stringify({ a: 'x'.repeat(5000) }), 'application/json'), 1000)).rejects.toBeInstanceOf(PayloadTooLargeError);
		const form = new FormData();
		form.append('file', new File([new Uint8Array(5000)], 'big.pdf'));
		await expect(boundaryRequest(new Request('http://app.test/x', { method: 'POST', body: form }), 1000)).rejects.toBeInstanceOf(PayloadTooLargeError);
		const csv = await boundaryRequest(post('x'.repeat(5000), 'text/csv'), 1000);
		await expect(csv.text()).rejects.toThrow();
	});
});

describe('start-up configuration', () => {
	it('turns dev tools on only with DEV_TOOLS=1, and never with an https ORIGIN', () => {
		expect(devToolsEnabled(readConfig({}))).toBe(false);
		expect(devToolsEnabled(readConfig({ DATABASE_URL: '' }))).toBe(false);
		expect(devToolsEnabled(readConfig({ DEV_TOOLS: '1', ORIGIN: 'http://localhost:3000' }))).toBe(true);
		expect(devToolsEnabled(readConfig({ DEV_TOOLS: '1', ORIGIN: 'https://everyday.example.org' }))).toBe(false);
		const refused = startupProblems({ DEV_TOOLS: '1', ORIGIN: 'https://everyday.example.org' });
		expect(refused.errors.join()).toMatch(/DEV_TOOLS is on with an https ORIGIN/);
		const demo = startupProblems({ DEV_TOOLS: '1', ORIGIN: 'http://localhost:3000' });
		expect(demo.errors).toEqual([]);
		expect(demo.warnings.join()).toMatch(/DEVELOPMENT TOOLS ARE ON/);
	});

	it('allows private push hosts only for tests, never with an https ORIGIN', () => {
		expect(pushPrivateHostsAllowed(readConfig({ PUSH_ALLOW_PRIVATE_HOSTS: '1', ORIGIN: 'http://127.0.0.1:4173' }))).toBe(true);
		expect(pushPrivateHostsAllowed(readConfig({ PUSH_ALLOW_PRIVATE_HOSTS: '1', ORIGIN: 'https://everyday.example.org' }))).toBe(false);
		expect(startupProblems({ PUSH_ALLOW_PRIVATE_HOSTS: '1', ORIGIN: 'https://everyday.example.org', APP_SECRET: KEY }).errors).toHaveLength(1);
	});

	it('checks every required secret', () => {
		expect(startupProblems({ DATABASE_URL: 'postgres://x', ORIGIN: 'https://e.example.org' }).errors.join()).toMatch(/APP_SECRET is required/);
		expect(startupProblems({ DATABASE_URL: 'postgres://x', APP_SECRET: 'c2hvcnQ=' }).errors.join()).toMatch(/APP_SECRET must be 32 bytes/);
		expect(startupProblems({ APP_SECRET: KEY, EVIDENCE_KEY: 'c2hvcnQ=' }).errors.join()).toMatch(/EVIDENCE_KEY must be 32 bytes/);
		expect(startupProblems({ APP_SECRET: KEY, VAPID_PUBLIC_KEY: 'x' }).errors.join()).toMatch(/VAPID_PRIVATE_KEY/);
		expect(startupProblems({ APP_SECRET: KEY, TWILIO_ACCOUNT_SID: 'AC1' }).errors.join()).toMatch(/missing TWILIO_AUTH_TOKEN, TWILIO_FROM/);
		expect(startupProblems({ APP_SECRET: KEY, TELEGRAM_BOT_TOKEN: '1:x' }).errors.join()).toMatch(/TELEGRAM_WEBHOOK_SECRET/);
		expect(startupProblems({ DATABASE_URL: 'postgres://x', APP_SECRET: KEY, ORIGIN: 'https://e.example.org', BODY_SIZE_LIMIT: '64M' })).toEqual({ errors: [], warnings: [] });
		// `node build` without BODY_SIZE_LIMIT: adapter-node would refuse MIS uploads over 512K.
		expect(startupProblems({ DATABASE_URL: 'postgres://x', APP_SECRET: KEY, ORIGIN: 'https://e.example.org' }).warnings.join()).toMatch(/BODY_SIZE_LIMIT .* is below MIS_BODY_LIMIT/);
	});

	it('reads sizes like adapter-node', () => {
		expect(parseBytes('512K', 0, 'X')).toBe(512 * 1024);
		expect(parseBytes('64M', 0, 'X')).toBe(64 * 1024 * 1024);
		expect(parseBytes(undefined, 7, 'X')).toBe(7);
		expect(() => parseBytes('lots', 0, 'X')).toThrow(/X must be a size/);
	});
});

describe('push endpoints: public addresses only', () => {
	it('knows private, loopback, link-local and reserved addresses', () => {
		for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '224.0.0.1']) {
			expect(isPublicAddress(a), a).toBe(false);
		}
		for (const a of ['142.250.180.10', '2a00:1450:4009:81f::200a', '8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
	});

	it('refuses endpoints that name a private host', () => {
		expect(pushEndpointProblem('https://fcm.googleapis.com/fcm/send/abc', readConfig({}))).toBeNull();
		expect(pushEndpointProblem('https://updates.push.services.mozilla.com/wpush/v2/abc', readConfig({}))).toBeNull();
		expect(pushEndpointProblem('http://fcm.googleapis.com/x', readConfig({}))).toBe('not https');
		expect(pushEndpointProblem('https://127.0.0.1:9999/x', readConfig({}))).toBe('not a public address');
		expect(pushEndpointProblem('https://localhost/x', readConfig({}))).toBe('not a public host');
		expect(pushEndpointProblem('https://[::1]/x', readConfig({}))).toBe('not a public address');
		expect(pushEndpointProblem('https://user:pw@fcm.googleapis.com/x', readConfig({}))).toBe('has credentials');
		expect(pushEndpointProblem('https://127.0.0.1:9999/x', readConfig({ PUSH_ALLOW_PRIVATE_HOSTS: '1', ORIGIN: 'http://127.0.0.1:1' }))).toBeNull();
		expect(pushEndpointProblem('https://127.0.0.1:9999/x', readConfig({ PUSH_ALLOW_PRIVATE_HOSTS: '1', ORIGIN: 'https://e.example.org' }))).toBe('not a public address');
	});

	it('refuses a connection when the name resolves to a private address', async () => {
		const result = await new Promise<{ err: NodeJS.ErrnoException | null }>((resolve) => publicOnlyLookup('localhost', {}, (err) => resolve({ err })));
		expect(result.err?.code).toBe('EPRIVATEADDRESS');
	});
});

describe('logs: no query parameters, bodies or free text', () => {
	it('keeps a failed query’s SQL but not its parameters, and only stack frames', () => {
		const err = new Error(
			'Failed query: insert into "absence_reports" ("details") values ($1)\nparams: Anxious after her grandmother died,+447700900123'
		);
		err.name = 'DrizzleQueryError';
		const line = logLine('error', 'request.error', { error: err, stack: stackFrames(err) });
		expect(line).not.toMatch(/Anxious|grandmother|7700/);
		expect(JSON.parse(line).error.message).toBe('Failed query: insert into "…" ("…") values ($1)');
		expect(stackFrames(err).every((l) => l.startsWith('at '))).toBe(true);
		expect(stackFrames(err).join()).not.toMatch(/params|Anxious/);
	});

	it('masks quoted values in database error messages', () => {
		const err = Object.assign(new Error('invalid input syntax for type uuid: "Sam is off sick"'), { code: '22P02' });
		expect(errorSummary(err)).toEqual({ error: 'Error', code: '22P02', message: 'invalid input syntax for type uuid: "…"' });
	});
});
