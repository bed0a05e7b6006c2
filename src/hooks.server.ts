import { text, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { closeDatabase, getDatabase, prepareDatabase } from '$lib/server/db';
import { isCrossSiteFormSubmission } from '$lib/server/auth/csrf';
import { SESSION_COOKIE, deleteSessionCookie, setSessionCookie, validateSessionToken } from '$lib/server/auth/sessions';
import { devOutboxTransport, startOutboxWorker, type Transports } from '$lib/server/outbox';
import { twilioConfigFromEnv, twilioSmsTransport } from '$lib/server/channels/twilio';
import { telegramConfigFromEnv, telegramTransport } from '$lib/server/channels/telegram';
import { log, errorSummary, stackFrames } from '$lib/server/log';
import { StartupConfigError, productionOrigin, startupProblems } from '$lib/server/platform/config';
import { checkSecretsAgainstData } from '$lib/server/platform/secret-check';
import { PayloadTooLargeError, bodyLimitFor, boundaryRequest, cleanUrl, formatBytes, stripNul } from '$lib/server/platform/request-boundary';
import { isDatabaseUnavailable } from '$lib/server/db/engine';
import { webPushTransport } from '$lib/server/channels/webpush';
import type { DatabaseHandle } from '$lib/server/db/engine';
import { devToolsEnabled } from '$lib/server/dev-tools';
import { startScheduler } from '$lib/server/scheduler';
import { evidenceStore } from '$lib/server/evidence-store';
import { evidenceRetentionDays } from '$lib/server/evidence-retention';
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
	// Configuration first: a deployment missing a secret, or exposing development tools, stops here.
	const config = startupProblems();
	for (const warning of config.warnings) {
		log('warn', 'startup.warning', { message: warning });
		console.warn(`\n  !!! ${warning}\n`);
	}
	if (config.errors.length > 0) {
		const err = new StartupConfigError(config.errors);
		console.error(err.message);
		log('error', 'startup.refused', { problems: config.errors.length });
		process.exit(1);
	}
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
	// The keys must open what the database already holds (a rotated APP_SECRET, a wrong EVIDENCE_KEY).
	const secrets = await checkSecretsAgainstData(await getDatabase(), store).catch((err: unknown) => {
		// Migrations not applied yet (a deploy step on PostgreSQL): nothing stored to check.
		const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
		if (code === '42P01') return { errors: [], reencrypted: 0 };
		throw err;
	});
	if (secrets.reencrypted > 0) log('info', 'secrets.rotated', { staffTwoFactorKeys: secrets.reencrypted });
	if (secrets.errors.length > 0) {
		console.error(new StartupConfigError(secrets.errors).message);
		log('error', 'startup.refused', { problems: secrets.errors.length });
		await closeDatabase().catch(() => {});
		process.exit(1);
	}
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
	const err = error instanceof Error ? error : new Error('non-error thrown');
	const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
	const unavailable = isDatabaseUnavailable(err);
	// The stack frames only: the lines above them are the message, and a failed query's message
	// lists its parameters (what a parent wrote about their child).
	log('error', unavailable ? 'request.database_unavailable' : 'request.error', {
		method: event.request.method,
		route: event.route.id ?? null,
		status,
		error: err.name,
		...(typeof code === 'string' ? { code } : {}),
		stack: stackFrames(err)
	});
	if (unavailable) return { message: 'Every Day is unavailable for a moment. Please try again in a minute.' };
	return { message: 'Sorry, something went wrong. Please try again.' };
};

function payloadTooLargeResponse(event: Parameters<Handle>[0]['event'], limit: number): Response {
	const message = `The request is too large: this address accepts at most ${formatBytes(limit)}.`;
	// The body is not read: close the connection rather than drain megabytes.
	const headers = { connection: 'close' };
	if (event.url.pathname.startsWith('/api/') || event.url.pathname.startsWith('/webhooks/')) {
		return new Response(JSON.stringify({ error: 'payload_too_large', message }), { status: 413, headers: { ...headers, 'content-type': 'application/json' } });
	}
	return text(message, { status: 413, headers });
}

const handleRequest: Handle = async ({ event, resolve }) => {
	if (isCrossSiteFormSubmission(event.request, event.url)) {
		return text(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
	}

	// The boundary: each route's body limit, and no NUL in any text field, query or route parameter.
	const limit = bodyLimitFor(event.route.id);
	try {
		event.request = await boundaryRequest(event.request, limit);
	} catch (err) {
		if (err instanceof PayloadTooLargeError) return payloadTooLargeResponse(event, limit);
		if ((err as { status?: unknown }).status === 413) return payloadTooLargeResponse(event, limit);
		log('warn', 'request.unreadable_body', { route: event.route.id ?? null, ...errorSummary(err instanceof Error ? err : new Error('unreadable')) });
		return text('The request could not be read.', { status: 400 });
	}
	const cleaned = cleanUrl(event.url);
	if (cleaned) event.url.search = cleaned.search;
	for (const [k, v] of Object.entries(event.params)) if (v) (event.params as Record<string, string>)[k] = stripNul(v);

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
	// Behind https, browsers must never try plain http again (a network could strip the TLS).
	if (productionOrigin()) response.headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	// Pages about children are never cached by shared caches.
	if (event.locals.guardian || event.locals.staff) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};
