import { text, type Handle, type ServerInit } from '@sveltejs/kit';
import { closeDatabase, getDatabase, prepareDatabase } from '$lib/server/db';
import { isCrossSiteFormSubmission } from '$lib/server/auth/csrf';
import { SESSION_COOKIE, deleteSessionCookie, setSessionCookie, validateSessionToken } from '$lib/server/auth/sessions';
import { devOutboxTransport, startOutboxWorker, type Transports } from '$lib/server/outbox';
import { twilioConfigFromEnv, twilioSmsTransport } from '$lib/server/channels/twilio';
import { telegramConfigFromEnv, telegramTransport } from '$lib/server/channels/telegram';
import { log } from '$lib/server/log';
import { webPushTransport } from '$lib/server/channels/webpush';
import type { DatabaseHandle } from '$lib/server/db/engine';
import { devToolsEnabled } from '$lib/server/dev-tools';
import { startScheduler } from '$lib/server/scheduler';
import { AsyncLocalStorage } from 'node:async_hooks';
import { overwriteServerAsyncLocalStorage } from '$lib/paraglide/runtime';
import { LOCALE_COOKIE, chooseWebLocale, textDirection, type Locale } from '$lib/domain/locale';

// Paraglide reads the current request's locale from this store on the server (the message
// functions call getLocale()). We fill it ourselves rather than with paraglideMiddleware because
// the parent's saved language is only known after the session is validated below.
const localeStore = new AsyncLocalStorage<{ locale?: Locale; origin?: string; messageCalls?: Set<string> }>();
overwriteServerAsyncLocalStorage(localeStore);

function outboxTransportsFromEnv(handle: DatabaseHandle): Transports {
	const transports: Transports = devToolsEnabled()
		? { sms: devOutboxTransport, email: devOutboxTransport, telegram: devOutboxTransport, push: devOutboxTransport }
		: {};
	const twilio = twilioConfigFromEnv();
	if (twilio) transports.sms = twilioSmsTransport(twilio);
	const telegram = telegramConfigFromEnv();
	if (telegram) transports.telegram = telegramTransport(telegram);
	// Web push needs no provider account: VAPID keys from the environment, or (embedded default)
	// generated in DATA_DIR. Without keys in production, push messages wait in the queue.
	if (process.env.VAPID_PUBLIC_KEY?.trim() || !process.env.DATABASE_URL?.trim()) transports.push = webPushTransport(handle);
	return transports;
}

export const init: ServerInit = async () => {
	const report = await prepareDatabase();
	console.log(
		`[every-day] database: ${report.engine === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}` +
			(report.migrated ? ', migrations applied' : '') +
			(report.seeded ? ', demo data seeded' : '')
	);
	// The outbox delivery loop. Real providers where they are configured (Twilio for SMS, Telegram);
	// with dev tools on, every other channel goes to the development transport (readable on
	// /dev/outbox). Messages on a channel with no transport wait in the durable queue.
	// OUTBOX_WORKER=0 turns the loop off on an instance.
	const transports = outboxTransportsFromEnv(await getDatabase());
	let stopOutbox: (() => Promise<void>) | undefined;
	if (Object.keys(transports).length > 0 && process.env.OUTBOX_WORKER?.trim() !== '0') {
		stopOutbox = startOutboxWorker(await getDatabase(), {
			intervalMs: 1_000,
			transports,
			// Per second, per instance: within Telegram's ~30/s and a Twilio messaging service's throughput.
			delivery: {
				limit: 100,
				perChannelPerRun: {
					sms: Number(process.env.OUTBOX_SMS_PER_SECOND ?? 10),
					telegram: Number(process.env.OUTBOX_TELEGRAM_PER_SECOND ?? 25),
					push: Number(process.env.OUTBOX_PUSH_PER_SECOND ?? 100),
					email: Number(process.env.OUTBOX_EMAIL_PER_SECOND ?? 10)
				}
			}
		});
		log('info', 'outbox.started', { channels: Object.entries(transports).map(([c, t]) => `${c}:${t === devOutboxTransport ? 'dev' : 'provider'}`) });
	}
	// First day contact and daily check-ins. SCHEDULER=0 turns it off on an instance; it is safe
	// on several at once (every job is keyed).
	let stopScheduler: (() => Promise<void>) | undefined;
	if (process.env.SCHEDULER?.trim() !== '0') stopScheduler = startScheduler(await getDatabase());
	// adapter-node emits this after it stops accepting connections: stop the outbox loop, then
	// close the database cleanly so the embedded data directory is flushed and its lock released.
	process.once('sveltekit:shutdown', () => {
		void (async () => {
			await stopScheduler?.().catch(() => {});
			await stopOutbox?.().catch(() => {});
			await closeDatabase();
		})();
	});
};

const securityHeaders: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'X-Frame-Options': 'DENY',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
	'Cross-Origin-Opener-Policy': 'same-origin'
};

export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteFormSubmission(event.request, event.url)) {
		return text(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
	}

	event.locals.sessionId = null;
	event.locals.guardian = null;
	event.locals.staff = null;
	event.locals.staffAwaitingSecondFactor = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { db } = await getDatabase();
		const secure = event.url.protocol === 'https:';
		const session = await validateSessionToken(db, token);
		if (!session) {
			deleteSessionCookie(event.cookies, secure);
		} else {
			event.locals.sessionId = session.sessionId;
			if (session.kind === 'guardian') event.locals.guardian = session.guardian;
			else if (session.secondFactorVerified) event.locals.staff = session.staff;
			else event.locals.staffAwaitingSecondFactor = session.staff;
			// Sliding expiry: the cookie lives as long as the session does.
			setSessionCookie(event.cookies, token, session.expiresAt, secure);
		}
	}

	const locale = chooseWebLocale({
		pathname: event.url.pathname,
		guardianPreference: event.locals.guardian?.preferredLanguage ?? null,
		cookie: event.cookies.get(LOCALE_COOKIE),
		acceptLanguage: event.request.headers.get('accept-language')
	});
	event.locals.locale = locale;
	// <html lang dir> from the server, so the page is right without JavaScript; the browser's
	// message functions read the locale back from <html lang> (src/hooks.client.ts).
	const response = await localeStore.run({ locale, origin: event.url.origin, messageCalls: new Set() }, () =>
		resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', textDirection(locale))
		})
	);
	// The same URL is in a different language for different visitors.
	if (!event.url.pathname.startsWith('/webhooks/')) response.headers.append('Vary', 'Cookie, Accept-Language');
	for (const [name, value] of Object.entries(securityHeaders)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	// Pages about children are never cached by shared caches.
	if (event.locals.guardian || event.locals.staff) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};
