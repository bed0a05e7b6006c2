/**
 * A local fake S3-compatible object store on 127.0.0.1 (path-style: /<bucket>/<key>), so the
 * real aws4fetch signing and HTTP code runs. It refuses (403) any request without a SigV4
 * Authorization header for the expected access key and service, and any PUT whose signed
 * payload hash does not match the body; it keeps bodies in memory and serves them back.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';

export interface FakeS3 {
	url: string;
	bucket: string;
	objects: Map<string, Buffer>;
	/** When each object was written (tests may backdate it). */
	modified: Map<string, Date>;
	requests: { method: string; path: string; authorization: string | undefined }[];
	/** Set to make every PUT fail with this HTTP status. */
	failPutsWith: number | null;
	close(): Promise<void>;
}

export async function startFakeS3(opts: { bucket: string; accessKeyId: string; region: string }): Promise<FakeS3> {
	const objects = new Map<string, Buffer>();
	const modified = new Map<string, Date>();
	/** ListObjectsV2 pages are kept small so the client's paging is exercised. */
	const PAGE = 2;
	const requests: FakeS3['requests'] = [];
	const state = { failPutsWith: null as number | null };
	const sigV4 = new RegExp(`^AWS4-HMAC-SHA256 Credential=${opts.accessKeyId}/\\d{8}/${opts.region}/s3/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`);
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const auth = req.headers.authorization;
			requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: auth });
			const send = (status: number, payload: Buffer | string = '') => {
				res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'application/xml' : 'application/octet-stream' });
				res.end(payload);
			};
			if (!auth || !sigV4.test(auth) || !req.headers['x-amz-date']) return send(403, '<Error><Code>AccessDenied</Code></Error>');
			const prefix = `/${opts.bucket}/`;
			const url = new URL(req.url ?? '/', 'http://x');
			if (req.method === 'GET' && url.pathname === `/${opts.bucket}` && url.searchParams.get('list-type') === '2') {
				const keys = [...objects.keys()].sort();
				const start = Number(url.searchParams.get('continuation-token')?.replace('page&', '') ?? 0);
				const page = keys.slice(start, start + PAGE);
				const truncated = start + PAGE < keys.length;
				const contents = page.map((k) => `<Contents><Key>${k}</Key><LastModified>${modified.get(k)!.toISOString()}</LastModified><Size>${objects.get(k)!.length}</Size></Contents>`).join('');
				return send(
					200,
					`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${opts.bucket}</Name><KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>page&amp;${start + PAGE}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`
				);
			}
			if (!url.pathname.startsWith(prefix)) return send(404, '<Error><Code>NoSuchBucket</Code></Error>');
			const key = decodeURIComponent(url.pathname.slice(prefix.length));
			if (req.method === 'PUT') {
				const claimed = req.headers['x-amz-content-sha256'];
				if (claimed !== 'UNSIGNED-PAYLOAD' && claimed !== createHash('sha256').update(body).digest('hex')) return send(400, '<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
				if (state.failPutsWith) return send(state.failPutsWith, '<Error><Code>InternalError</Code></Error>');
				objects.set(key, body);
				modified.set(key, new Date());
				return send(200);
			}
			if (req.method === 'GET') {
				const found = objects.get(key);
				return found ? send(200, found) : send(404, '<Error><Code>NoSuchKey</Code></Error>');
			}
			if (req.method === 'DELETE') {
				objects.delete(key);
				modified.delete(key);
				return send(204);
			}
			send(405);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		bucket: opts.bucket,
		objects,
		modified,
		requests,
		get failPutsWith() {
			return state.failPutsWith;
		},
		set failPutsWith(v) {
			state.failPutsWith = v;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
