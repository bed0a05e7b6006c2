/**
 * POST /api/mis/roster — a school's MIS sends its pupils and their contacts.
 *   Authorization: Bearer <school MIS token>
 *   Content-Type: application/json  { "pupils": [...], "guardians": [...] }  (fields as in the README)
 *              or multipart/form-data with the two CSV exports as "pupils" and "guardians"
 *   ?preview=1 answers what would change and writes nothing.
 * 200 with the summary when applied (or previewed), 422 with the row errors when rejected.
 */
import { json } from '@sveltejs/kit';
import { schoolToday } from '$lib/server/features/schools';
import type { RequestHandler } from './$types';
import { bearerToken, verifyMisApiToken } from '$lib/server/features/register-import';
import { applyRoster, parseRosterCsv, parseRosterJson, previewRoster, summarise, MAX_ROSTER_BYTES, type ParsedRoster } from '$lib/server/features/register-import';
import { rosterErrorsWithMessages } from '$lib/i18n-staff-problems';

const problem = (status: number, error: string, message: string, headers?: Record<string, string>) => json({ error, message }, { status, headers });

export const POST: RequestHandler = async ({ request, url, locals }) => {
	const handle = locals.database;
	const school = await verifyMisApiToken(handle, bearerToken(request.headers.get('authorization')));
	if (!school) return problem(401, 'unauthorized', 'A valid MIS API token is required: Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer realm="every-day-mis"' });
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > 2 * MAX_ROSTER_BYTES) return problem(413, 'too_large', 'The roster is larger than 40 MB');
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	let roster: ParsedRoster;
	if (type === 'application/json') {
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			return problem(400, 'bad_json', 'The body is not valid JSON');
		}
		roster = parseRosterJson(body);
	} else if (type === 'multipart/form-data') {
		const form = await request.formData();
		const pupils = form.get('pupils');
		const guardians = form.get('guardians');
		if (!(pupils instanceof File) || !(guardians instanceof File)) return problem(400, 'missing_file', 'Send both CSV files, as "pupils" and "guardians"');
		roster = parseRosterCsv({ pupils: await pupils.text(), guardians: await guardians.text() });
	} else {
		return problem(415, 'unsupported_media_type', 'Send application/json or multipart/form-data');
	}
	const today = await schoolToday(handle.db, school.schoolId);
	if (url.searchParams.get('preview') === '1') {
		const plan = await previewRoster(handle, school.schoolId, roster, today);
		return json({ status: plan.errors.length ? 'rejected' : 'preview', summary: summarise(plan), errors: rosterErrorsWithMessages(plan.errors.slice(0, 500)), plan: { ...plan, errors: rosterErrorsWithMessages(plan.errors) } }, { status: plan.errors.length ? 422 : 200 });
	}
	const result = await applyRoster(handle, { schoolId: school.schoolId, roster, today, importedBy: `mis:${school.slug}`, actorType: 'mis', source: 'api' });
	return json({ importId: result.importId, status: result.status, summary: result.summary, errors: rosterErrorsWithMessages(result.errors.slice(0, 500)) }, { status: result.status === 'applied' ? 200 : 422 });
};
