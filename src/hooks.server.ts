import { text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { closeDatabase, getDatabase, prepareDatabase } from '$lib/server/platform/db';
import { isCrossSiteFormSubmission } from '$lib/server/platform/csrf';
import { SESSION_COOKIE, deleteSessionCookie, setSessionCookie, validateSessionToken } from '$lib/server/features/accounts';
import { devOutboxTransport, startOutboxWorker, type Transports } from '$lib/server/platform/outbox';
import { twilioConfigFromEnv, twilioSmsTransport } from '$lib/server/providers/twilio';
import { telegramConfigFromEnv, telegramTransport } from '$lib/server/providers/telegram';
import { log } from '$lib/server/platform/log';
import { webPushTransport } from '$lib/server/providers/webpush';
import type { DatabaseHandle } from '$lib/server/platform/db/engine';
import { devToolsEnabled } from '$lib/server/demo/dev-tools';
import { startScheduler } from '$lib/server/startup/scheduler';
import { evidenceStore } from '$lib/server/providers/evidence-storage';
import { evidenceRetentionDays } from '$lib/server/features/leave';
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
				// Provider calls in flight at once (each waits tens of ms on the network).
				concurrency: Number(process.env.OUTBOX_CONCURRENCY ?? 8),
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
	// A wrong EVIDENCE_STORAGE / S3_* configuration stops the start here, not a parent's upload later.
	const store = evidenceStore();
	log('info', 'evidence.store', { kind: store.kind, retentionDays: evidenceRetentionDays() });
	// First day contact and daily check-ins. SCHEDULER=0 turns it off on an instance; it is safe
	// on several at once (every job is keyed).
	let stopScheduler: (() => Promise<void>) | undefined;
	if (process.env.SCHEDULER?.trim() !== '0') stopScheduler = startScheduler(await getDatabase());
	// Graceful shutdown. On SIGTERM/SIGINT adapter-node stops accepting connections, lets
	// in-flight requests finish (up to SHUTDOWN_TIMEOUT seconds), then emits this. We stop the
	// scheduler, let the outbox worker finish the message it is sending and un-claim the rest
	// of its batch (so no message is lost or left waiting out a lease), close the database (the
	// embedded data directory is flushed and its lock released) and exit. A hard deadline
	// guards against anything hanging.
	process.once('sveltekit:shutdown', (reason: unknown) => {
		const started = Date.now();
		log('info', 'shutdown.started', { reason: String(reason ?? '') });
		const deadlineMs = Number(process.env.SHUTDOWN_DEADLINE_SECONDS ?? 20) * 1000;
		setTimeout(() => {
			log('error', 'shutdown.deadline_passed', { deadlineMs });
			process.exit(1);
		}, deadlineMs).unref();
		void (async () => {
			let failed = false;
			await stopScheduler?.().catch((err) => ((failed = true), log('error', 'shutdown.scheduler_failed', { error: err })));
			await stopOutbox?.().catch((err) => ((failed = true), log('error', 'shutdown.outbox_failed', { error: err })));
			await closeDatabase().catch((err) => ((failed = true), log('error', 'shutdown.database_failed', { error: err })));
			log('info', 'shutdown.done', { ms: Date.now() - started });
			process.exit(failed ? 1 : 0);
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
	const started = performance.now();
	const response = await handleRequest({ event, resolve });
	// One structured line per failed request. The route id (e.g. /reports/[reference]), never the
	// path or query (they can hold a reference, a phone number or an email address), and nothing
	// from the body or the person signed in.
	if (response.status >= 400) {
		log(response.status >= 500 ? 'error' : 'warn', 'request.failed', {
			method: event.request.method,
			route: event.route.id ?? null,
			status: response.status,
			durationMs: Math.round(performance.now() - started),
			signedIn: event.locals.guardian ? 'guardian' : event.locals.staff ? 'staff' : 'no'
		});
	}
	return response;
};

/**
 * Unexpected errors: logged with the error's class, database error code and stack frames, but
 * not its message, which can quote the data that caused it (a name, a number, a message body).
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	// No such page: already in the request.failed line, and not a fault.
	if (status === 404) return { message: 'Not found' };
	const err = error instanceof Error ? error : new Error(String(error));
	const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
	log('error', 'request.error', {
		method: event.request.method,
		route: event.route.id ?? null,
		status,
		error: err.name,
		...(typeof code === 'string' ? { code } : {}),
		stack: (err.stack ?? '').split('\n').slice(1, 8).map((l) => l.trim())
	});
	return { message: 'Sorry, something went wrong. Please try again.' };
};

const handleRequest: Handle = async ({ event, resolve }) => {
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
