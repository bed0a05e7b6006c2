/**
 * POST /api/mis/marks — a school's MIS pushes register marks.
 *   Authorization: Bearer <school MIS token>   (identifies the school)
 *   Content-Type: application/json  { "marks": [{ "pupilId", "date", "session", "code", "minutesLate"? }] }
 *              or text/csv          the same CSV an MIS export produces (streamed, not buffered)
 * 200 + ImportResult when applied, 422 + ImportResult when rejected (nothing applied),
 * 400/413/415 for an unusable request, 401 for a missing or wrong token.
 * Thin on purpose: the register-import service does the work.
 */
import { json } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { RequestHandler } from './$types';
import { bearerToken, verifyMisApiToken } from '$lib/server/features/register-import';
import {
	importRegisterCsv,
	importRegisterMarks,
	MarksPayloadError,
	type ImportResult
} from '$lib/server/features/register-import';
import { formatBytes, payloadTooLarge, PAYLOAD_LIMITS } from '$lib/server/features/register-import';
import { importErrorsWithMessages, marksPayloadProblemText } from '$lib/i18n-staff-problems';

/** 100,000 marks of JSON is ~10 MB; this leaves room for verbose keys and whitespace. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

function problem(status: number, error: string, message: string, headers?: Record<string, string>) {
	return json({ error, message }, { status, headers });
}

function outcome(result: ImportResult) {
	return json({ ...result, errors: importErrorsWithMessages(result.errors) }, { status: result.status === 'applied' ? 200 : 422 });
}

export const POST: RequestHandler = async ({ request, locals }) => {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	// The CSV stream exists (and its errors are listened for) before anything else is awaited: a
	// body that fails while the token is checked (too large, the client gone) must not become an
	// unhandled 'error' event, which would end the process.
	let bodyError: unknown;
	const csv =
		type === 'text/csv' && request.body
			? Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>).on('error', (err) => (bodyError ??= err))
			: null;
	try {
		return await handlePost(locals.database, request, type, csv);
	} catch (err) {
		if (payloadTooLarge(err) || payloadTooLarge(bodyError)) {
			return problem(413, 'payload_too_large', `The CSV is larger than ${formatBytes(PAYLOAD_LIMITS().misBytes)}; send the marks in several requests (for example one a week)`);
		}
		throw err;
	} finally {
		csv?.destroy();
	}
};

async function handlePost(handle: App.Locals['database'], request: Request, type: string, csv: Readable | null): Promise<Response> {
	const school = await verifyMisApiToken(handle, bearerToken(request.headers.get('authorization')));
	if (!school) {
		return problem(401, 'unauthorized', 'A valid MIS API token is required: Authorization: Bearer <token>', {
			'WWW-Authenticate': 'Bearer realm="every-day-mis"'
		});
	}
	const importedBy = `mis:${school.slug}`;

	if (type === 'text/csv') {
		const body = csv ?? '';
		const filename = request.headers.get('x-filename')?.trim().slice(0, 200) || undefined;
		return outcome(
			await importRegisterCsv(handle, {
				schoolId: school.schoolId,
				input: body,
				importedBy,
				filename,
				source: 'api',
				actorType: 'mis'
			})
		);
	}

	if (type === 'application/json') {
		const declared = Number(request.headers.get('content-length') ?? '0');
		if (declared > MAX_JSON_BYTES) {
			return problem(413, 'payload_too_large', `The JSON body is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB; send the marks in several requests`);
		}
		const text = await request.text();
		if (text.length > MAX_JSON_BYTES) {
			return problem(413, 'payload_too_large', `The JSON body is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB; send the marks in several requests`);
		}
		let payload: unknown;
		try {
			payload = JSON.parse(text);
		} catch {
			return problem(400, 'invalid_json', 'The body is not valid JSON');
		}
		try {
			return outcome(await importRegisterMarks(handle, { schoolId: school.schoolId, marks: payload, importedBy }));
		} catch (err) {
			if (err instanceof MarksPayloadError) {
				return problem(err.status, err.status === 413 ? 'payload_too_large' : 'invalid_payload', marksPayloadProblemText(err.problem));
			}
			throw err;
		}
	}

	return problem(415, 'unsupported_media_type', 'Send Content-Type: application/json ({ "marks": [...] }) or text/csv');
}
