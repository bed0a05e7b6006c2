/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL), for fault injection: `freeze`
 * stops every byte in both directions and leaves new connections unanswered, as a database host
 * that has hung (or a network partition) does; `thaw` lets everything through again.
 */
import net from 'node:net';

export interface TcpProxy {
	port: number;
	freeze(): void;
	thaw(): void;
	close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
	let frozen = false;
	const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
	const waiting: (() => void)[] = [];

	const server = net.createServer((client) => {
		const open = () => {
			const upstream = net.connect(targetPort, targetHost);
			const pair = { client, upstream };
			pairs.add(pair);
			client.pipe(upstream);
			upstream.pipe(client);
			const end = () => {
				pairs.delete(pair);
				client.destroy();
				upstream.destroy();
			};
			client.on('error', end).on('close', end);
			upstream.on('error', end).on('close', end);
			if (frozen) {
				client.pause();
				upstream.pause();
			}
		};
		if (frozen) waiting.push(open);
		else open();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as net.AddressInfo;
	return {
		port,
		freeze() {
			frozen = true;
			for (const { client, upstream } of pairs) {
				// Unpipe so nothing already read is written on, then stop reading.
				client.unpipe(upstream);
				upstream.unpipe(client);
				client.pause();
				upstream.pause();
			}
		},
		thaw() {
			frozen = false;
			for (const { client, upstream } of pairs) {
				client.pipe(upstream);
				upstream.pipe(client);
				client.resume();
				upstream.resume();
			}
			for (const open of waiting.splice(0)) open();
		},
		close: () =>
			new Promise<void>((r) => {
				for (const { client, upstream } of pairs) {
					client.destroy();
					upstream.destroy();
				}
				server.close(() => r());
			})
	};
}
