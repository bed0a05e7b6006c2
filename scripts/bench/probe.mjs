/**
 * Loaded into the benchmarked server with `node --import` (never by the app itself): counts the
 * statements the server sends to PostgreSQL (each call of pg's Client#query, BEGIN and COMMIT
 * included) and samples the event loop's delay, so `npm run bench:reports -- --profile` can say
 * how many statements a report costs and whether the server's thread was blocked. On SIGUSR2 it
 * writes what it has counted so far to BENCH_PROBE_OUT as JSON and starts counting afresh, so
 * the benchmark can take the warm-up and the measured run apart. Started with --expose-gc, it
 * also collects the garbage first and says how much of the heap is still in use.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const out = process.env.BENCH_PROBE_OUT;
let statements = 0;
try {
	// The build imports pg from node_modules, so this is the same Client the app uses.
	const { default: pg } = await import('pg');
	const original = pg.Client.prototype.query;
	pg.Client.prototype.query = function countedQuery(...args) {
		statements++;
		return original.apply(this, args);
	};
} catch {
	// PGlite runs: nothing to count on the wire.
}

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let cpu = process.cpuUsage();

process.on('SIGUSR2', () => {
	const snapshot = {
		statements,
		loopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
		rssMiB: process.memoryUsage().rss / 2 ** 20,
		// With --expose-gc (the soak): what is still reachable after a full collection, which
		// is what a leak grows; RSS alone also holds garbage V8 has not yet collected.
		...(typeof globalThis.gc === 'function'
			? (() => {
					globalThis.gc();
					const m = process.memoryUsage();
					return { heapUsedAfterGcMiB: m.heapUsed / 2 ** 20, externalAfterGcMiB: (m.external + m.arrayBuffers) / 2 ** 20, rssAfterGcMiB: m.rss / 2 ** 20 };
				})()
			: {}),
		// The server's own CPU time (user + system), whatever else the machine is doing.
		...(() => {
			const used = process.cpuUsage(cpu);
			return { cpuMs: (used.user + used.system) / 1000, systemCpuMs: used.system / 1000 };
		})()
	};
	cpu = process.cpuUsage();
	statements = 0;
	delay.reset();
	// Written whole, then renamed: the benchmark polls for the file and must never read half of it.
	if (out) {
		fs.writeFileSync(`${out}.tmp`, JSON.stringify(snapshot));
		fs.renameSync(`${out}.tmp`, out);
	}
});
