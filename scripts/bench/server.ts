/**
 * What the benchmarks that run the built app share: a free port, and starting `build/index.js`
 * with its environment, waiting until /health answers. With `profileDir`, the server runs with
 * the probe (probe.mjs: statements, event-loop delay, CPU, memory) and writes a CPU profile
 * there, or with `memoryProbeOnly`, only the probe and a garbage collector it may call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const log = (msg: string) => console.error(`[bench] ${msg}`);

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

export function startBuiltApp(env: NodeJS.ProcessEnv, port: number, profileDir?: string, opts: { memoryProbeOnly?: boolean } = {}): Promise<ChildProcess> {
	const probe = ['--import', pathToFileURL(path.resolve('scripts/bench/probe.mjs')).href];
	// The memory probe alone (an hour's CPU profile would be huge): the probe, and a GC it may call.
	const flags = !profileDir ? [] : opts.memoryProbeOnly ? [...probe, '--expose-gc'] : [...probe, '--cpu-prof', `--cpu-prof-dir=${profileDir}`];
	const child = spawn(process.execPath, [...flags, 'build/index.js'], {
		env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}`, ...(profileDir ? { BENCH_PROBE_OUT: path.join(profileDir, 'probe.json') } : {}) },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const poll = () => {
			const req = http.get(`http://127.0.0.1:${port}/health`, (res) => {
				res.resume();
				if (res.statusCode === 200) resolve(child);
				else setTimeout(poll, 200);
			});
			req.on('error', () => {
				if (Date.now() - started > 120_000) reject(new Error('server did not start'));
				else setTimeout(poll, 200);
			});
		};
		child.on('exit', (code, signal) => {
			if (code !== 0 && signal !== 'SIGTERM') log(`the server exited with ${code ?? signal}`);
			reject(new Error(`server exited with ${code ?? signal}`));
		});
		poll();
	});
}
