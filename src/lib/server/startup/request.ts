/**
 * The request pipeline, in the order hooks.server.ts composes it: a log line for every failed
 * request, the cross-site form check, the database and the session on locals, then the page in
 * the visitor's language with the security headers.
 */
import { text, type Handle, type HandleServerError } from '@sveltejs/kit';
import { AsyncLocalStorage } from 'node:async_hooks';
import { getDatabase } from '../platform/db';
import { isCrossSiteFormSubmission } from '../platform/csrf';
import { log, errorSummary, stackFrames } from '../platform/log';
import { productionOrigin } from '../platform/config';
import { PayloadTooLargeError, bodyLimitFor, boundaryRequest, cleanUrl, formatBytes, stripNul } from '../platform/request-boundary';
import { isDatabaseUnavailable } from '../platform/db/engine';
import { SESSION_COOKIE, deleteSessionCookie, setSessionCookie, validateSessionToken } from '../features/accounts';
import { overwriteServerAsyncLocalStorage } from '../../paraglide/runtime';
import { LOCALE_COOKIE, chooseWebLocale, textDirection, type Locale } from '../../domain/locale';

// Paraglide reads the current request's locale from this store on the server (the message
// functions call getLocale()). We fill it ourselves rather than with paraglideMiddleware because
// the parent's saved language is only known after the session is validated.
const localeStore = new AsyncLocalStorage<{ locale?: Locale; origin?: string; messageCalls?: Set<string> }>();
overwriteServerAsyncLocalStorage(localeStore);

const securityHeaders: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'X-Frame-Options': 'DENY',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
	'Cross-Origin-Opener-Policy': 'same-origin'
};

export const logFailedRequests: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const response = await resolve(event);
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
export const logUnexpectedError: HandleServerError = ({ error, event, status }) => {
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

export const rejectCrossSiteForms: Handle = async ({ event, resolve }) => {
	if (isCrossSiteFormSubmission(event.request, event.url)) {
		return text(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
	}
	return resolve(event);
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

/** The boundary: each route's body limit, and no NUL in any text field, query or route parameter. */
export const guardRequestBoundary: Handle = async ({ event, resolve }) => {
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
	return resolve(event);
};

export const attachDatabase: Handle = async ({ event, resolve }) => {
	event.locals.database = await getDatabase();
	return resolve(event);
};

export const loadSession: Handle = async ({ event, resolve }) => {
	event.locals.sessionId = null;
	event.locals.guardian = null;
	event.locals.staff = null;
	event.locals.staffAwaitingSecondFactor = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const secure = event.url.protocol === 'https:';
		const session = await validateSessionToken(event.locals.database.db, token);
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
	return resolve(event);
};

export const renderInLocale: Handle = async ({ event, resolve }) => {
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
