import type { Handle, ServerInit } from '@sveltejs/kit';
import { closeDatabase, prepareDatabase } from '$lib/server/db';

export const init: ServerInit = async () => {
	const report = await prepareDatabase();
	console.log(
		`[every-day] database: ${report.engine === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}` +
			(report.migrated ? ', migrations applied' : '') +
			(report.seeded ? ', demo data seeded' : '')
	);
	// adapter-node emits this after it stops accepting connections: close the database cleanly
	// so the embedded data directory is flushed and its lock released.
	process.once('sveltekit:shutdown', () => {
		void closeDatabase();
	});
};

const securityHeaders: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'X-Frame-Options': 'DENY',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=()'
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(securityHeaders)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	return response;
};
