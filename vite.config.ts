import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// A fixed, test-only app secret so integration tests never write a key file into ./data.
const TEST_APP_SECRET = Buffer.alloc(32, 7).toString('base64');

export default defineConfig({
	plugins: [
		// Compiles messages/*.json into src/lib/paraglide (generated, not committed). The locale
		// comes from <html lang> in the browser (set by hooks.server.ts) and from the request's
		// async context on the server; code outside a request passes { locale } explicitly.
		paraglideVitePlugin({ project: './project.inlang', outdir: './src/lib/paraglide', strategy: ['custom-html', 'baseLocale'] }),
		sveltekit()
	],
	test: {
		// Vitest's default in a run is one worker fewer than the cores: ONE file at a time on a
		// 2-core CI machine, with the other core idle while a file waits on PostgreSQL or a child
		// process. Two at least; every file has its own database, so files never share state.
		maxWorkers: Math.max(2, availableParallelism()),
		// Three projects: pure domain rules; the integration suite on in-memory PGlite; and the
		// same integration suite on a real PostgreSQL server (a throwaway one is started when
		// none answers at TEST_DATABASE_URL).
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration-pglite',
					include: ['tests/integration/**/*.test.ts'],
					// Tests that need a second process on the same database (a shared server).
					exclude: ['tests/integration/**/*.postgres.test.ts'],
					environment: 'node',
					env: { TEST_DB: 'pglite', APP_SECRET: TEST_APP_SECRET },
					// One migrated database per run; each file starts from a copy (tests/setup/migrated-template.ts).
					globalSetup: ['tests/setup/pglite-template.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration-postgres',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					env: { TEST_DB: 'postgres', APP_SECRET: TEST_APP_SECRET },
					globalSetup: ['tests/setup/postgres-server.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
