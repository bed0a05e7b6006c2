/** A local fake HTTP service on 127.0.0.1 (fake Twilio, fake Telegram Bot API): records requests, answers with `respond`. */
import http from 'node:http';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface FakeServer {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

export async function startFakeServer(respond: (req: RecordedRequest) => { status: number; json: unknown }): Promise<FakeServer> {
	const requests: RecordedRequest[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
			requests.push(recorded);
			const { status, json } = respond(recorded);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
