/** A local fake HTTP service on 127.0.0.1 (fake Twilio, fake Telegram Bot API): records requests, answers with `respond`. */
import http from 'node:http';
import https from 'node:https';
import selfsigned from 'selfsigned';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** The exact bytes (for binary bodies such as encrypted push payloads). */
	raw: Buffer;
}

export interface FakeServer {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** `tls`: serve HTTPS with a throwaway self-signed certificate (clients must not verify it). */
export async function startFakeServer(respond: (req: RecordedRequest) => { status: number; json: unknown }, opts: { tls?: boolean } = {}): Promise<FakeServer> {
	const requests: RecordedRequest[] = [];
	const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw.toString('utf8'), raw };
			requests.push(recorded);
			const { status, json } = respond(recorded);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json));
		});
	};
	let server: http.Server;
	if (opts.tls) {
		const pems = selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], { days: 1, keySize: 2048 });
		server = https.createServer({ key: pems.private, cert: pems.cert }, handler);
	} else {
		server = http.createServer(handler);
	}
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
