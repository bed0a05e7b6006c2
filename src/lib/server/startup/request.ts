/**
 * The request pipeline, in the order hooks.server.ts composes it: a log line for every failed
 * request, the cross-site form check, the database and the session on locals, then the page in
 * the visitor's language with the security headers.
 */
import { text, type Handle, type HandleServerError } from '@sveltejs/kit';
import { AsyncLocalStorage } from 'node:async_hooks';
import { getDatabase } from '../platform/db';
import { isCrossSiteFormSubmission } from '../platform/csrf';
import { log } from '../platform/log';
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

export const rejectCrossSiteForms: Handle = async ({ event, resolve }) => {
	if (isCrossSiteFormSubmission(event.request, event.url)) {
		return text(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
	}
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
	// Pages about children are never cached by shared caches.
	if (event.locals.guardian || event.locals.staff) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};
