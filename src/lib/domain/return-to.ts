/**
 * Where to go back to after signing in: a parent who follows the school's link to a report, or
 * opens "Report an absence" signed out, lands on that page once signed in, not on a list they
 * must search. Only a path on this site is kept, so a crafted link cannot send anyone elsewhere.
 */

const MAX_LENGTH = 300;

/** The path to return to, or null for anything that is not a plain path on this site. */
export function safeReturnTo(value: string | null | undefined): string | null {
	if (!value || value.length > MAX_LENGTH) return null;
	// "/x" only: not "//host", "/\host" (browsers read both as another site), nor a scheme.
	if (!/^\/(?![/\\])/.test(value)) return null;
	if ([...value].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) return null;
	// Back to signing in would loop.
	if (value === '/sign-in' || value.startsWith('/sign-in/') || value.startsWith('/sign-in?')) return null;
	return value;
}

/** Where signing in leads when nothing else was asked for. */
export const AFTER_SIGN_IN = '/children';

/** The sign-in page that brings the parent back to `url` afterwards (plain, for where it leads anyway). */
export function signInThenBackTo(url: { pathname: string; search: string }): string {
	const back = safeReturnTo(url.pathname + url.search);
	return back && back !== '/' && back !== AFTER_SIGN_IN ? `/sign-in?returnTo=${encodeURIComponent(back)}` : '/sign-in';
}
