#!/usr/bin/env node
// `npm start`: build when the build is missing or older than the sources, then serve it.
// On the embedded default the server migrates and seeds demo data itself (hooks.server.ts init).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const buildDir = path.join(root, 'build');
const stampFile = path.join(buildDir, '.built-at');
const sources = ['src', 'static', 'bot', 'drizzle', 'messages', 'project.inlang/settings.json', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];
// Written by the build itself (the compiled messages): counting them would make every start
// rebuild, because each build leaves them newer than its own start.
const generated = new Set([path.join(root, 'src/lib/paraglide')]);

/** The newest file below `entry` (files only: a folder's own time moves when generated files are replaced). */
function newestMtime(entry) {
	if (!fs.existsSync(entry) || generated.has(entry)) return 0;
	const stat = fs.statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
	return newest;
}

const builtAt = fs.existsSync(stampFile) ? Number(fs.readFileSync(stampFile, 'utf8')) : 0;
const sourcesChangedAt = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (!fs.existsSync(path.join(buildDir, 'index.js')) || sourcesChangedAt > builtAt) {
	console.log('Building Every Day (first start, or the sources changed)...');
	const started = Date.now();
	// The build's own chatter (plugin timings, "run npm run preview", chunk sizes) would bury the
	// address and demo logins below: it is shown only when the build fails.
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	if (result.status !== 0) {
		process.stdout.write(result.stdout ?? '');
		process.stderr.write(result.stderr ?? '');
		console.error('The build failed: the messages above say why.');
		process.exit(result.status ?? 1);
	}
	console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
	fs.writeFileSync(stampFile, String(started));
}
// `node scripts/start.js --build-only`: just bring the build up to date (tests that start the app).
if (process.argv.includes('--build-only')) process.exit(0);

process.env.PORT ||= '3000';
// Quiet by default: the JSON log lines (requests, the outbox, the scheduler) would bury the
// address and demo logins printed below; warnings and errors still show. LOG_LEVEL=info for all.
process.env.LOG_LEVEL ||= 'warn';
process.env.HOST ||= '127.0.0.1';
// adapter-node's single body limit is the ceiling for the largest route (the MIS import, a
// term of marks as CSV); the app itself holds every other route to REQUEST_BODY_LIMIT (512K)
// and the evidence upload to 11 MB (src/lib/server/platform/request-boundary.ts).
process.env.MIS_BODY_LIMIT ||= '64M';
process.env.BODY_SIZE_LIMIT ||= process.env.MIS_BODY_LIMIT;
const port = Number(process.env.PORT);
const shownHost = ['0.0.0.0', '127.0.0.1', '::'].includes(process.env.HOST) ? 'localhost' : process.env.HOST;
// Without ORIGIN, adapter-node assumes https, and the cross-site form check would then refuse
// every sign-in form served over plain http on this machine.
process.env.ORIGIN ||= `http://${shownHost}:${port}`;
const url = process.env.ORIGIN;
// The demo: on the embedded database, served over plain http on this machine, the development
// tools (dev sign-in, dev outbox, dev phone) are on. Never on PostgreSQL or an https ORIGIN;
// the server prints a warning at start whenever they are on.
const demo = !process.env.DATABASE_URL?.trim() && !url.toLowerCase().startsWith('https:');
if (demo) process.env.DEV_TOOLS ||= '1';
const devTools = ['1', 'true', 'yes', 'on'].includes((process.env.DEV_TOOLS ?? '').trim().toLowerCase());

await import(pathToFileURL(path.join(buildDir, 'index.js')).href);

// Print the address once the server really answers.
for (let attempt = 0; attempt < 600; attempt++) {
	try {
		const res = await fetch(`http://127.0.0.1:${port}/health`);
		if (res.ok) {
			const { database } = await res.json();
			console.log(
				[
					'',
					`  Every Day is running at ${url}`,
					`  Database: ${database === 'pglite' ? `embedded PGlite in ${process.env.DATA_DIR || 'data'}/` : 'PostgreSQL (DATABASE_URL)'}`,
					'  Demo schools: Harbourside Primary and Northgate Infant School (all people are fictional)',
					'',
					'  Demo logins',
					`    Parent:  ${url}/sign-in with 07700 900547 (Claire Lanternby, a child at each school);`,
					devTools ? `             the code arrives in the dev outbox: ${url}/dev/outbox` : '             (development tools are off: the code goes out by SMS)',
					`    Staff:   ${url}/staff/sign-in, password every-day-demo, as`,
					'             head@harbourside.example.org, office@harbourside.example.org,',
					'             attendance@harbourside.example.org, head@northgate.example.org,',
					'             admin@portsmouth.example.org (local authority admin),',
					'             attendance@portsmouth.example.org (local authority attendance officer)',
					'             two-factor codes: run `npm run demo:totp` in another terminal',
					`  Logs: ${process.env.LOG_LEVEL === 'warn' ? 'warnings and errors only (LOG_LEVEL=info for every line)' : `LOG_LEVEL=${process.env.LOG_LEVEL}`}`,
					'  Stop with Ctrl+C.',
					''
				].join('\n')
			);
			break;
		}
	} catch {
		// not listening yet
	}
	await new Promise((r) => setTimeout(r, 100));
}
