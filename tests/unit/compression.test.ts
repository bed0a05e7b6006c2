import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, compressHtml } from '../../src/lib/server/startup/compression';

const page = '<!doctype html><table>' + '<tr><td><a href="/staff/pupils/x">A pupil</a></td><td>91.2%</td></tr>'.repeat(400) + '</table>';

function htmlResponse(body = page, headers: Record<string, string> = {}): Response {
	return new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
}
const get = (acceptEncoding?: string, method = 'GET') =>
	new Request('http://localhost/staff', { method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('acceptsGzip', () => {
	it('reads Accept-Encoding the way browsers send it', () => {
		expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
		expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
		expect(acceptsGzip('*')).toBe(true);
		expect(acceptsGzip('gzip;q=0')).toBe(false);
		expect(acceptsGzip('br, identity')).toBe(false);
		expect(acceptsGzip(null)).toBe(false);
	});
});

describe('compressHtml', () => {
	it('gzips an HTML page for a browser that accepts it, and the page comes back intact', async () => {
		const response = compressHtml(get('gzip, deflate, br'), htmlResponse(page, { 'content-length': String(page.length), 'x-kept': 'yes' }));
		expect(response.headers.get('content-encoding')).toBe('gzip');
		expect(response.headers.get('content-length')).toBeNull();
		expect(response.headers.get('vary')).toMatch(/Accept-Encoding/);
		expect(response.headers.get('x-kept')).toBe('yes');
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(bytes.length).toBeLessThan(page.length / 5);
		expect(gunzipSync(bytes).toString('utf8')).toBe(page);
	});

	it('leaves the page as it is when the browser does not accept gzip, for HEAD, and for small pages', async () => {
		for (const [request, response] of [
			[get(), htmlResponse()],
			[get('br'), htmlResponse()],
			[get('gzip', 'HEAD'), htmlResponse()],
			[get('gzip'), htmlResponse('<p>Hi</p>', { 'content-length': '9' })]
		] as const) {
			expect(compressHtml(request, response)).toBe(response);
		}
	});

	it('leaves JSON, already-encoded bodies and empty answers alone', () => {
		const json = new Response(JSON.stringify({ a: 'x'.repeat(5000) }), { headers: { 'content-type': 'application/json' } });
		expect(compressHtml(get('gzip'), json)).toBe(json);
		const encoded = htmlResponse(page, { 'content-encoding': 'br' });
		expect(compressHtml(get('gzip'), encoded)).toBe(encoded);
		const redirect = new Response(null, { status: 303, headers: { location: '/staff', 'content-type': 'text/html' } });
		expect(compressHtml(get('gzip'), redirect)).toBe(redirect);
	});
});
