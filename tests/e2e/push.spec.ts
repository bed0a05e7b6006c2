/**
 * Issue 9: "Playwright subscribes a real Chromium to push against a local fake push service and
 * sees the notification payload decrypt."
 *
 * What is real: the app (built, started by Playwright, on its demo data), the parent's
 * /account "Turn on notifications" button and its code, the staff composer, the outbox worker,
 * the web-push library's VAPID signing and aes128gcm encryption, the HTTPS request to the push
 * service, the decryption (WebCrypto inside Chromium), the service worker's push handler and
 * the notification it shows.
 *
 * What is replaced, and why: only the browser's push-service edge. Headless Chromium's
 * PushManager.subscribe() talks to Google's FCM, which this machine cannot reach, and a real
 * push service never lets a test read what it delivers. So an init script replaces
 * PushManager.prototype.subscribe/getSubscription in the page with what a browser does at that
 * point: it makes a REAL P-256 key pair and a 16-byte auth secret with WebCrypto (RFC 8291 §2)
 * and returns a subscription whose endpoint is a fake push service this test runs on
 * https://127.0.0.1 (its throwaway certificate is trusted by the app server through
 * NODE_EXTRA_CA_CERTS; see push-tls.ts and playwright.config.ts). The fake receives the app's
 * request; the test checks its VAPID JWT against the app's public key, decrypts the body inside
 * Chromium with the private key that never left it, and hands the plaintext to the real service
 * worker with the DevTools protocol's ServiceWorker.deliverPushMessage, which is how a push
 * service's message reaches a service worker (the browser decrypts, then fires `push`).
 *
 * CSP: the page makes no request to the fake (the decryption gets the body as an argument), so
 * connect-src 'self' is untouched; the service worker only calls showNotification.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { test, expect, type Page } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';
import { pushTlsFiles } from './push-tls';

interface PushRequest {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

async function startFakePushService(): Promise<{ origin: string; requests: PushRequest[]; close(): Promise<void> }> {
	const tls = pushTlsFiles(process.env.E2E_DATA_DIR ?? '.tmp/e2e-data');
	const requests: PushRequest[] = [];
	const server = https.createServer({ key: fs.readFileSync(tls.keyFile), cert: fs.readFileSync(tls.certFile) }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
			// What FCM and Mozilla's autopush answer: 201 Created with the message's location.
			res.writeHead(201, { location: `https://127.0.0.1/messages/${requests.length}` });
			res.end();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as { port: number };
	return { origin: `https://127.0.0.1:${port}`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Runs in the page before its scripts: the push-service edge (see the header comment). */
function fakePushEdge(endpoint: string) {
	type Edge = { applicationServerKey?: string; privateKey?: CryptoKey; publicKey?: Uint8Array; auth?: Uint8Array; subscribed: boolean };
	const edge: Edge = { subscribed: false };
	(window as unknown as { __pushEdge: Edge }).__pushEdge = edge;
	const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	const subscription = () => ({
		endpoint,
		expirationTime: null,
		options: { userVisibleOnly: true },
		getKey: (name: string) => (name === 'p256dh' ? edge.publicKey!.buffer : edge.auth!.buffer),
		toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: b64url(edge.publicKey!), auth: b64url(edge.auth!) } }),
		unsubscribe: async () => {
			edge.subscribed = false;
			return true;
		}
	});
	PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
		const key = options?.applicationServerKey;
		edge.applicationServerKey = key ? b64url(new Uint8Array(key instanceof ArrayBuffer ? key : (key as ArrayBufferView).buffer)) : undefined;
		// A real P-256 key pair and auth secret, as the browser makes them (RFC 8291 §2).
		const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
		edge.privateKey = pair.privateKey;
		edge.publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
		edge.auth = crypto.getRandomValues(new Uint8Array(16));
		edge.subscribed = true;
		return subscription() as unknown as PushSubscription;
	};
	PushManager.prototype.getSubscription = async function () {
		return (edge.subscribed ? subscription() : null) as unknown as PushSubscription | null;
	};
}

/** RFC 8291 + RFC 8188 (aes128gcm) decryption, in Chromium, with the subscription's private key. */
async function decryptInBrowser(page: Page, body: Buffer): Promise<string> {
	return page.evaluate(async (b64: string) => {
		const edge = (window as unknown as { __pushEdge: { privateKey: CryptoKey; publicKey: Uint8Array; auth: Uint8Array } }).__pushEdge;
		const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		// Header: salt (16) | record size (4) | key id length (1) | key id = sender's public key.
		const salt = data.slice(0, 16);
		const idLen = data[20]!;
		const senderKey = data.slice(21, 21 + idLen);
		const ciphertext = data.slice(21 + idLen);
		const text = (s: string) => new TextEncoder().encode(s);
		const concat = (...parts: Uint8Array[]) => {
			const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
			let i = 0;
			for (const p of parts) {
				out.set(p, i);
				i += p.length;
			}
			return out;
		};
		const hkdf = async (ikm: Uint8Array, saltBytes: Uint8Array, info: Uint8Array, bytes: number) =>
			new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: saltBytes, info }, await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']), bytes * 8));
		const sender = await crypto.subtle.importKey('raw', senderKey, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
		const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: sender }, edge.privateKey, 256));
		// RFC 8291 §3.4: IKM from the ECDH secret and the auth secret, bound to both public keys.
		const ikm = await hkdf(shared, edge.auth, concat(text('WebPush: info\0'), edge.publicKey, senderKey), 32);
		// RFC 8188 §2.2-2.3: content encryption key and nonce.
		const cek = await hkdf(ikm, salt, text('Content-Encoding: aes128gcm\0'), 16);
		const nonce = await hkdf(ikm, salt, text('Content-Encoding: nonce\0'), 12);
		const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
		const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, tagLength: 128 }, key, ciphertext));
		// One record: content, then the last-record delimiter 0x02, then zero padding.
		let end = plain.length - 1;
		while (end >= 0 && plain[end] === 0) end--;
		if (plain[end] !== 2) throw new Error('not a final aes128gcm record');
		return new TextDecoder().decode(plain.slice(0, end));
	}, body.toString('base64'));
}

/** Checks the VAPID Authorization header (RFC 8292): an ES256 JWT signed with the app's key, for this push origin. */
function verifyVapid(authorization: string, appPublicKey: string, pushOrigin: string) {
	const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization);
	expect(m, authorization).not.toBeNull();
	const [, jwt, k] = m!;
	expect(k).toBe(appPublicKey);
	const [h, p, sig] = jwt!.split('.');
	expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ typ: 'JWT', alg: 'ES256' });
	const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { aud: string; exp: number; sub: string };
	expect(claims.aud).toBe(pushOrigin);
	expect(claims.sub).toMatch(/^(mailto:|https:)/);
	const nowS = Date.now() / 1000;
	expect(claims.exp).toBeGreaterThan(nowS);
	expect(claims.exp).toBeLessThanOrEqual(nowS + 24 * 3600 + 60);
	const raw = Buffer.from(appPublicKey, 'base64url');
	const publicKey = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
	const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url'));
	expect(ok, 'VAPID JWT signature').toBe(true);
}

test('a parent turns notifications on; a campaign reaches the push service encrypted, decrypts in Chromium and is shown by the service worker', async ({ browser, baseURL }) => {
	test.setTimeout(120_000);
	const pushService = await startFakePushService();
	const origin = new URL(baseURL!).origin;
	const parentContext = await browser.newContext();
	try {
		await parentContext.grantPermissions(['notifications'], { origin });
		const endpoint = `${pushService.origin}/push/claire-phone-${Date.now()}`;
		await parentContext.addInitScript(fakePushEdge, endpoint);
		const parent = await parentContext.newPage();

		// The parent's side: the real /account page and its button.
		await devSignIn(parent, '07700 900547');
		await parent.goto('/account');
		await expect(parent.getByRole('heading', { name: 'Notifications on this phone' })).toBeVisible();
		await parent.evaluate(() => navigator.serviceWorker.ready);
		await parent.getByRole('button', { name: 'Turn on notifications' }).click();
		await expect(parent.getByRole('status').filter({ hasText: 'Notifications' })).toHaveText('Notifications are on for this phone.');
		await expect(parent.getByRole('button', { name: 'Turn off notifications' })).toBeVisible();
		await expectNoAxeViolations(parent);
		const { publicKey: appPublicKey } = (await (await parent.request.get('/api/push')).json()) as { publicKey: string };
		// The app subscribed with its own VAPID key.
		expect(await parent.evaluate(() => (window as unknown as { __pushEdge: { applicationServerKey?: string } }).__pushEdge.applicationServerKey)).toBe(appPublicKey);

		// Staff send a notification to the whole school.
		const staffContext = await browser.newContext();
		const staff = await staffContext.newPage();
		const title = `Push test ${Date.now()}`;
		try {
			await devSignIn(staff, 'attendance@harbourside.example.org');
			await staff.goto('/staff/campaigns');
			// Hydration sets the fields from the form's state: text typed before it is replaced
			// by the default message (seen on a loaded machine).
			await staff.waitForLoadState('networkidle');
			await staff.getByLabel('Title', { exact: true }).fill(title);
			const message = staff.getByLabel('Message', { exact: true });
			await message.fill('Thank you for helping {firstName} be here every day. PUSHCHECK');
			await expect(message).toHaveValue('Thank you for helping {firstName} be here every day. PUSHCHECK');
			await staff.getByLabel('Who to send it to').selectOption('school');
			await expect(staff.getByLabel('Notification (free)')).toBeChecked();
			await staff.getByRole('button', { name: 'Preview' }).click();
			await expect(staff.getByTestId('campaign-preview')).toBeVisible();
			await staff.getByRole('button', { name: 'Send now' }).click();
			await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible();
		} finally {
			await staffContext.close();
		}

		// The outbox worker's request at the fake push service.
		await expect.poll(() => pushService.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
		const req = pushService.requests.find((r) => endpoint.endsWith(r.path));
		expect(req, 'a request for our subscription').toBeDefined();
		expect(pushService.requests.filter((r) => endpoint.endsWith(r.path))).toHaveLength(1);
		expect(req!.headers['content-encoding']).toBe('aes128gcm');
		expect(Number(req!.headers['ttl'])).toBeGreaterThan(0);
		verifyVapid(String(req!.headers['authorization']), appPublicKey, pushService.origin);
		// The body is ciphertext: the message text is not in it.
		expect(req!.body.includes(Buffer.from('PUSHCHECK'))).toBe(false);

		// Decrypted inside Chromium with the subscription's private key.
		const plaintext = await decryptInBrowser(parent, req!.body);
		const payload = JSON.parse(plaintext) as { title: string; body: string; url: string };
		expect(payload.title).toBe(title);
		expect(payload.body).toMatch(/^Thank you for helping \S+ be here every day\. PUSHCHECK$/);
		expect(payload.url).toMatch(new RegExp(`^${origin}/children/[0-9a-f-]{36}$`));

		// Handed to the real service worker, which shows the notification.
		const cdp = await parentContext.newCDPSession(parent);
		const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
		cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
		await cdp.send('ServiceWorker.enable');
		// A push handed to a worker that is still installing is dropped: wait until the page's worker
		// is active, and use the newest live registration the browser reported.
		await expect.poll(() => parent.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
		await expect.poll(() => registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted)).toBeTruthy();
		const registrationId = registrations.filter((r) => r.scopeURL === `${origin}/` && !r.isDeleted).at(-1)!.registrationId;
		const shown = () => parent.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, url: (n.data as { url?: string })?.url })));
		// DevTools' delivery to a worker the browser has just woken is sometimes dropped on a loaded
		// machine: deliver again while nothing is shown (the same message replaces itself, so a
		// late first delivery cannot make two).
		for (let attempt = 0; attempt < 3 && (await shown()).length === 0; attempt++) {
			await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: plaintext });
			await expect.poll(async () => (await shown()).length, { timeout: 5_000 }).toBeGreaterThan(0).catch(() => undefined);
		}
		await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title, body: payload.body, url: payload.url }]);
	} finally {
		await parentContext.close();
		await pushService.close();
	}
});
