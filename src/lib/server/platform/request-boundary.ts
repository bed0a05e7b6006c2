/**
 * The request boundary, before any route sees a request: how large a body each route may send,
 * and NUL characters removed from every text field once, here.
 *
 * Body sizes: adapter-node has one limit for every route (BODY_SIZE_LIMIT), which must be as
 * large as the largest upload (a term of register marks from an MIS). Here each route gets its
 * own: only the MIS import and the evidence upload take a large body; everything else (sign-in,
 * reports, webhooks) a small one, so an anonymous client cannot make the server hold megabytes.
 *
 * NUL: PostgreSQL text cannot hold U+0000, so a NUL anywhere in a field becomes a database error
 * (a 500) wherever it is stored or compared. No form, API or import field has a use for one.
 */
import { PAYLOAD_LIMITS } from './config';

export class PayloadTooLargeError extends Error {
	readonly status = 413;
	constructor(readonly limitBytes: number) {
		super(`The request body is larger than ${formatBytes(limitBytes)}`);
		this.name = 'PayloadTooLargeError';
	}
}

export function formatBytes(n: number): string {
	if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
	return `${Math.round(n / 1024)} KB`;
}

/** The largest body a route accepts, by SvelteKit route id. */
export function bodyLimitFor(routeId: string | null, limits = PAYLOAD_LIMITS()): number {
	switch (routeId) {
		case '/api/mis/marks':
		case '/dev/register':
			return limits.misBytes;
		case '/leave/[reference]':
			return limits.evidenceBytes;
		case '/admin/directory':
			return 2 * 1024 * 1024;
		default:
			return limits.defaultBytes;
	}
}

export function stripNul(value: string): string {
	return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

/** A parsed upload (a JSON file) with NULs removed from every string in it, keys included. */
export function stripNulDeep(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return stripNul(value);
	if (depth > 50 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((v) => stripNulDeep(v, depth + 1));
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripNul(k), stripNulDeep(v, depth + 1)]));
}

/** A byte stream that errors with PayloadTooLargeError past `limit` bytes, and (for text) drops 0x00 bytes. */
function limitedStream(body: ReadableStream<Uint8Array>, limit: number, dropNulBytes: boolean): ReadableStream<Uint8Array> {
	let seen = 0;
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > limit) {
					controller.error(new PayloadTooLargeError(limit));
					return;
				}
				// 0x00 never occurs inside a multi-byte UTF-8 sequence, so dropping it is safe for text.
				controller.enqueue(dropNulBytes && chunk.includes(0) ? chunk.filter((b) => b !== 0) : chunk);
			}
		})
	);
}

/** The body as text (UTF-8, as Response.text() decodes it), refused past `limit` bytes. Read directly: a piped stream per request showed in the profile. */
async function readText(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let seen = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		seen += value.byteLength;
		if (seen > limit) {
			await reader.cancel();
			throw new PayloadTooLargeError(limit);
		}
		chunks.push(value);
	}
	return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}
const utf8 = new TextDecoder();

/** In JSON text, a NUL is either a raw character or the escape \u0000 (not when the backslash is itself escaped). */
export function stripJsonNul(text: string): string {
	return stripNul(text).replace(/(?<!\\)((?:\\\\)*)\\u0000/gi, '$1');
}

function copyHeaders(from: Headers, drop: string[]): Headers {
	const headers = new Headers(from);
	for (const name of ['content-length', 'transfer-encoding', ...drop]) headers.delete(name);
	return headers;
}

function rebuilt(request: Request, body: BodyInit, dropHeaders: string[] = []): Request {
	return new Request(request.url, {
		method: request.method,
		headers: copyHeaders(request.headers, dropHeaders),
		body,
		// Node's fetch needs this for a streamed body.
		duplex: 'half'
	} as RequestInit);
}

/** The URL with NULs removed from the query (`?next=%00`), or null when it has none. */
export function cleanUrl(url: URL): URL | null {
	let dirty = false;
	const params = new URLSearchParams();
	for (const [k, v] of url.searchParams) {
		if (k.includes('\u0000') || v.includes('\u0000')) dirty = true;
		params.append(stripNul(k), stripNul(v));
	}
	if (!dirty) return null;
	const next = new URL(url);
	next.search = params.toString();
	return next;
}

/**
 * The request as routes should see it: the body limited to `limit` bytes and every text field
 * without NULs. Throws PayloadTooLargeError when the body declares (Content-Length) or turns out
 * to be larger than the limit. A large streamed body (the MIS CSV) stays streamed.
 */
export async function boundaryRequest(request: Request, limit: number): Promise<Request> {
	if (!request.body || request.method === 'GET' || request.method === 'HEAD') return request;
	const declared = Number(request.headers.get('content-length') ?? '');
	if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

	if (type === 'application/x-www-form-urlencoded') {
		const text = await readText(request.body, limit);
		const params = new URLSearchParams(text);
		const clean = new URLSearchParams();
		let dirty = false;
		for (const [k, v] of params) {
			if (k.includes('\u0000') || v.includes('\u0000')) dirty = true;
			clean.append(stripNul(k), stripNul(v));
		}
		// The same bytes when there was nothing to remove (a webhook's signature covers its fields).
		return rebuilt(request, dirty ? clean.toString() : text);
	}
	if (type === 'multipart/form-data') {
		let size = 0;
		const counted = request.body.pipeThrough(
			new TransformStream<Uint8Array, Uint8Array>({
				transform(chunk, controller) {
					size += chunk.byteLength;
					if (size > limit) controller.error(new PayloadTooLargeError(limit));
					else controller.enqueue(chunk);
				}
			})
		);
		let form: FormData;
		try {
			form = await rebuilt(request, counted).formData();
		} catch (err) {
			// The form parser reports a failed stream as its own TypeError.
			if (size > limit) throw new PayloadTooLargeError(limit);
			throw err;
		}
		const clean = new FormData();
		for (const [k, v] of form) {
			// Files are bytes (a photo, a PDF): only their names are text.
			if (typeof v === 'string') clean.append(stripNul(k), stripNul(v));
			else clean.append(stripNul(k), v, stripNul(v.name));
		}
		// A new multipart body gets a new boundary, so the old Content-Type must go.
		return rebuilt(request, clean, ['content-type']);
	}
	if (type === 'application/json' || type.endsWith('+json')) {
		return rebuilt(request, stripJsonNul(await readText(request.body, limit)));
	}
	const isText = type.startsWith('text/');
	return rebuilt(request, limitedStream(request.body, limit, isText));
}

/** Finds the PayloadTooLargeError (or adapter-node's own 413) behind an error, if there is one. */
export function payloadTooLarge(err: unknown): boolean {
	for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		if (e instanceof PayloadTooLargeError) return true;
		if ((e as { status?: unknown }).status === 413) return true;
	}
	return false;
}
