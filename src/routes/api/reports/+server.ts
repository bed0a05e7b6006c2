/**
 * POST /api/reports: the same report as the web form, as JSON. Used by the report page and the
 * service worker to send a report that was queued while the phone was offline. The client's
 * idempotency key makes a retry (from the page, the service worker, or both) return the
 * original report instead of storing a second one.
 */
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { confirmationPath, reportFormJson, submitReportForm } from '$lib/server/features/absence';
import { reportProblemMessages, reportProblemText } from '$lib/i18n-problems';

export const POST: RequestHandler = async ({ request, locals, url }) => {
	const guardian = locals.guardian;
	if (!guardian) error(401, 'Please sign in again to send this report');
	// Cookies are SameSite=Lax, but a JSON API also checks the origin, like the form check in handle.
	const origin = request.headers.get('origin');
	if (origin && origin !== url.origin) error(403, 'Cross-site requests are forbidden');
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return json({ errors: [{ field: 'form', message: reportProblemText({ code: 'report_unreadable' }) }] }, { status: 400 });
	}
	const parsed = reportFormJson.safeParse(body);
	if (!parsed.success) {
		return json({ errors: [{ field: 'form', message: reportProblemText({ code: 'report_unreadable' }) }] }, { status: 400 });
	}
	const result = await submitReportForm(locals.database, guardian.id, parsed.data);
	if (!result.ok && result.retryAfterSeconds) {
		return json({ errors: reportProblemMessages(result.errors) }, { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } });
	}
	if (!result.ok) return json({ errors: reportProblemMessages(result.errors) }, { status: 422 });
	return json({
		references: result.reports.map((r) => r.reference),
		created: result.reports.some((r) => r.created),
		alreadyReported: result.reports.some((r) => r.alreadyReported),
		confirmation: confirmationPath(result.reports)
	});
};
