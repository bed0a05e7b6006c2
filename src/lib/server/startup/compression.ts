/**
 * Compresses the pages (HTML) the server renders, for browsers that accept it. adapter-node
 * compresses nothing itself, and a staff page is mostly repeated table markup, so gzip makes it
 * five to ten times smaller on the wire. Only HTML: the built assets are served from disk by
 * adapter-node, and the JSON answers are small. Each chunk is flushed as it comes, so a page that
 * streams still reaches the browser as it is rendered.
 */
import type { Handle } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** Below this a page gains too little to pay for the compression. */
const MIN_BYTES = 1024;

/** Whether the request's Accept-Encoding allows gzip (named or `*`, with q above 0). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
	if (!acceptEncoding) return false;
	for (const part of acceptEncoding.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (name !== 'gzip' && name !== '*') continue;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		if (!q || Number(q.slice(2)) > 0) return true;
	}
	return false;
}

export function compressHtml(request: Request, response: Response): Response {
	const type = response.headers.get('content-type') ?? '';
	const length = response.headers.get('content-length');
	if (
		!response.body ||
		request.method === 'HEAD' ||
		!type.startsWith('text/html') ||
		response.headers.has('content-encoding') ||
		(length !== null && Number(length) < MIN_BYTES) ||
		!acceptsGzip(request.headers.get('accept-encoding'))
	) {
		return response;
	}
	// Level 6 (zlib's default) is the usual trade: most of level 9's gain for a fraction of its CPU.
	const gzip = zlib.createGzip({ level: 6, flush: zlib.constants.Z_SYNC_FLUSH });
	const body = Readable.toWeb(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(gzip)) as ReadableStream<Uint8Array>;
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	headers.set('content-encoding', 'gzip');
	headers.append('vary', 'Accept-Encoding');
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

export const compressPages: Handle = async ({ event, resolve }) => compressHtml(event.request, await resolve(event));
