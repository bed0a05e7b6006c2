/**
 * What the bench scripts share: their command line (`--name=value` options, the engines to run
 * on) and writing their figures into their own section of docs/benchmarks.md.
 */
import fs from 'node:fs';
import path from 'node:path';

export type EngineName = 'postgres' | 'pglite';

/** The server the PostgreSQL runs make their scratch database on. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `--name=value`'s value, 'true' for a bare `--name`, undefined when it is not given. */
export function arg(name: string): string | undefined {
	const hit = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	if (!hit) return undefined;
	return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
}

/** `--engine=both|postgres|pglite` (default both). */
export function enginesArg(): EngineName[] {
	const engine = arg('engine') ?? 'both';
	return engine === 'both' ? ['postgres', 'pglite'] : [engine as EngineName];
}

/**
 * Puts `section` between the `begin` and `end` markers in docs/benchmarks.md (added at the end
 * the first time), leaving the other scripts' sections as they are; returns the file's path.
 */
export function writeDocsSection(begin: string, end: string, section: string): string {
	const file = path.resolve('docs/benchmarks.md');
	let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
	const a = text.indexOf(begin);
	const b = text.indexOf(end);
	text = a >= 0 && b > a ? text.slice(0, a) + `${begin}\n${section}\n` + text.slice(b) : `${text}\n${begin}\n${section}\n${end}\n`;
	fs.writeFileSync(file, text);
	return file;
}
