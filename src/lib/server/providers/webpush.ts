/**
 * Web push: VAPID keys, parents' subscriptions, and the outbox transport. Keys come
 * from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT in production; the embedded default
 * generates a pair into DATA_DIR on first use. A subscription the push service reports gone
 * (404 or 410) is removed and its message is not retried.
 */
import fs from 'node:fs';
import { PrivateAddressError, publicOnlyLookup, pushEndpointProblem } from '../platform/public-address';
import https from 'node:https';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import webpush from 'web-push';
import { z } from 'zod';
import type { DatabaseHandle, Db } from '../platform/db/engine';
import { config, type VapidConfig } from '../platform/config';
import { pushSubscriptions } from '../platform/db/schema';
import { perDatabase } from '../platform/db/prepared';
import { PermanentDeliveryError, type Transport } from '../platform/outbox';
import { takeLimit } from '../platform/limits';

export interface VapidKeys {
	publicKey: string;
	privateKey: string;
	subject: string;
}

// The pair read from the embedded key file, for the configuration it was read for.
let cached: { for: VapidConfig; keys: VapidKeys } | undefined;

export function vapidKeys(vapid: VapidConfig = config().vapid): VapidKeys {
	const { publicKey, privateKey, subject } = vapid;
	if (publicKey && privateKey) return { publicKey, privateKey, subject };
	if (cached?.for === vapid) return cached.keys;
	const file = vapid.keyFile;
	if (!file) throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are required with DATABASE_URL (npx web-push generate-vapid-keys).');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		try {
			fs.writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys()), { mode: 0o600, flag: 'wx' });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
	}
	const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
	const keys = { publicKey: stored.publicKey, privateKey: stored.privateKey, subject };
	cached = { for: vapid, keys };
	return keys;
}

export const subscriptionSchema = z.object({
	// A push service on the public internet: never an address on the server's own network.
	endpoint: z
		.string()
		.url()
		.max(1000)
		.refine((u) => pushEndpointProblem(u) === null, 'must be a public push service'),
	keys: z.object({ p256dh: z.string().min(20).max(200), auth: z.string().min(8).max(100) })
});

export async function savePushSubscription(db: Db, guardianId: string, input: unknown): Promise<{ ok: true; id: string } | { ok: false }> {
	const parsed = subscriptionSchema.safeParse(input);
	if (!parsed.success) return { ok: false };
	const { endpoint, keys } = parsed.data;
	const [row] = await db
		.insert(pushSubscriptions)
		.values({ guardianId, endpoint, p256dh: keys.p256dh, auth: keys.auth })
		.onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: { guardianId, p256dh: keys.p256dh, auth: keys.auth } })
		.returning({ id: pushSubscriptions.id });
	return { ok: true, id: row!.id };
}

/** A parent turning notifications on for a browser: rate-limited (a loop cannot fill the table), then saved. */
export async function subscribeToPush(
	db: Db,
	guardianId: string,
	input: unknown,
	now: Date = new Date()
): Promise<{ ok: true; id: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'limited'; retryAfterSeconds: number }> {
	if (!subscriptionSchema.safeParse(input).success) return { ok: false, reason: 'invalid' };
	const limit = await takeLimit(db, 'pushSubscriptionsPerGuardian', guardianId, now);
	if (!limit.allowed) return { ok: false, reason: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
	const saved = await savePushSubscription(db, guardianId, input);
	return saved.ok ? saved : { ok: false, reason: 'invalid' };
}

export async function removePushSubscription(db: Db, guardianId: string, endpoint: string): Promise<void> {
	await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.guardianId, guardianId), eq(pushSubscriptions.endpoint, endpoint)));
}

/** What the service worker shows: a title, a body and where a tap goes. */
export interface PushPayload {
	title: string;
	body: string;
	url: string;
}

/** Keep-alive agents: one TLS handshake per push service, not per message. */
/** Every address a push service's name resolves to is checked as the connection is made. */
const agents = { https: new https.Agent({ keepAlive: true, maxSockets: 32, lookup: publicOnlyLookup as never }) };

export class SubscriptionGoneError extends PermanentDeliveryError {
	constructor(message: string) {
		super(message, 'gone');
	}
}

/** How long a VAPID JWT we sign is valid (RFC 8292 allows at most 24 h). */
const VAPID_VALID_S = 12 * 60 * 60;
/** A cached header is replaced this long before it expires, so none arrives stale. */
const VAPID_RENEW_BEFORE_S = 60 * 60;

/**
 * The VAPID Authorization header per push service origin (its JWT's `aud`). Signing is an ECDSA
 * operation per message otherwise; one header per origin serves every subscription there
 * (FCM, Mozilla, Apple) until shortly before it expires.
 */
export function vapidHeaderCache(now: () => number = Date.now) {
	const cache = new Map<string, { authorization: string; renewAt: number }>();
	return (endpoint: string, keys: VapidKeys): string => {
		const audience = new URL(endpoint).origin;
		const key = `${audience} ${keys.publicKey}`;
		const hit = cache.get(key);
		const nowS = Math.floor(now() / 1000);
		if (hit && nowS < hit.renewAt) return hit.authorization;
		const exp = nowS + VAPID_VALID_S;
		const { Authorization } = webpush.getVapidHeaders(audience, keys.subject, keys.publicKey, keys.privateKey, 'aes128gcm', exp);
		cache.set(key, { authorization: Authorization, renewAt: exp - VAPID_RENEW_BEFORE_S });
		return Authorization;
	};
}

/** The outbox's push channel: recipient is a push_subscriptions id; body is the JSON payload. */
/** `agent`: another HTTPS agent (tests: one that accepts the local fake's self-signed certificate). */
/** Every push of a campaign looks up its subscription: prepared once per database handle. */
const subscriptionById = perDatabase((db: Db) =>
	db
		.select()
		.from(pushSubscriptions)
		.where(eq(pushSubscriptions.id, sql.placeholder('id')))
		.prepare('push_subscription_by_id')
);

export function webPushTransport(handle: DatabaseHandle, keys?: VapidKeys, opts: { agent?: https.Agent } = {}): Transport {
	const vapidHeader = vapidHeaderCache();
	return {
		async send(message) {
			const [sub] = await subscriptionById(handle.db).execute({ id: message.recipient });
			if (!sub) throw new SubscriptionGoneError('The subscription was removed');
			const problem = pushEndpointProblem(sub.endpoint);
			if (problem) {
				await handle.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id));
				throw new SubscriptionGoneError(`The push endpoint is refused (${problem})`);
			}
			try {
				const res = await webpush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, message.body, {
					// Our cached VAPID header instead of web-push signing a new JWT for every message. null (which
					// web-push accepts; its types do not) also stops any global setVapidDetails from replacing it.
					vapidDetails: null as unknown as undefined,
					headers: { Authorization: vapidHeader(sub.endpoint, keys ?? vapidKeys()) },
					TTL: 24 * 60 * 60,
					timeout: 10_000,
					agent: opts.agent ?? agents.https
				});
				return { providerMessageId: res.headers['location'] ?? `push-${res.statusCode}` };
			} catch (err) {
				const status = (err as { statusCode?: number }).statusCode;
				if (err instanceof PrivateAddressError || (err as { code?: unknown }).code === 'EPRIVATEADDRESS') {
					await handle.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id));
					throw new SubscriptionGoneError('The push endpoint resolves to a private address');
				}
				if (status === 404 || status === 410) {
					await handle.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id));
					throw new SubscriptionGoneError(`The push service says the subscription is gone (${status})`);
				}
				throw err;
			}
		}
	};
}
