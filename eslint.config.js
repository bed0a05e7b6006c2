// Lint: the TypeScript and Svelte recommended rules, and the boundaries between the layers.
//   routes    -> features' front doors, the domain, i18n, components, $bot's front door
//   features  -> the platform, providers, the domain, other features' front doors
//   providers -> the platform and the domain
//   platform  -> the domain only
// A feature's front door is its index.ts; nothing outside a feature reaches past it.
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const server = 'src/lib/server';
const features = fs
	.readdirSync(path.resolve(server, 'features'), { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.map((d) => d.name);
const frontDoors = features.map((f) => `./${f}/index.ts`);

const zones = [
	// Routes: only front doors.
	{ target: 'src/routes', from: `${server}/features`, except: frontDoors, message: "Routes use a feature's front door (its index.ts)." },
	{ target: 'src/routes', from: [`${server}/platform`, `${server}/providers`, `${server}/startup`], message: 'Routes call features; features own the database, providers and the platform.' },
	{ target: 'src/routes/!(dev)/**', from: `${server}/demo`, message: 'Only the development routes use demo data.' },
	{ target: 'src/routes', from: 'bot', except: ['./index.ts'], message: "Routes use the bot's front door (bot/index.ts)." },
	// Features: other features only through their front doors.
	...features.map((f) => ({
		target: `${server}/features/${f}`,
		from: `${server}/features`,
		except: [`./${f}`, ...frontDoors.filter((d) => d !== `./${f}/index.ts`)],
		message: "A feature uses another feature's front door (its index.ts)."
	})),
	{ target: `${server}/features`, from: [`${server}/startup`, `${server}/demo`, 'src/routes', 'bot'], message: 'Features know nothing of start-up, demo data, routes or the bot.' },
	// Providers and the platform know no feature.
	{ target: `${server}/providers`, from: [`${server}/features`, `${server}/startup`, `${server}/demo`, 'src/routes', 'bot'], message: 'Provider adapters know no feature.' },
	{ target: `${server}/platform`, from: [`${server}/features`, `${server}/providers`, `${server}/startup`, `${server}/demo`, 'src/routes', 'bot'], message: 'The platform knows no feature and no provider.' },
	// The domain is pure.
	{ target: 'src/lib/domain', from: [server, 'src/routes', 'bot'], message: 'Domain rules are pure: no server code.' }
];

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'src/lib/paraglide/', '.tmp/', 'data/', 'static/', 'test-results/', 'playwright-report/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// Names starting with _ are deliberately unused (kept for a signature's shape).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	},
	{
		// Plain links are right here: the app is served at the root, never under a base path.
		rules: { "svelte/no-navigation-without-resolve": "off" }
	},
	{
		files: ['src/**/*.ts', 'src/**/*.svelte', 'bot/**/*.ts'],
		plugins: { 'import-x': importX },
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json', extensions: ['.ts', '.js', '.svelte', '.json'] })]
		},
		rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }] }
	},
	{
		// One audit writer: every audit row goes through platform/audit.ts (writeAudit), so each
		// carries the same fields and none can slip personal data in by another route.
		files: ['src/**/*.ts', 'src/**/*.svelte', 'bot/**/*.ts', 'scripts/**/*.ts'],
		ignores: ['src/lib/server/platform/audit.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['**/db/schema', '$lib/server/platform/db/schema'], importNames: ['auditLog'], message: 'Write audit rows with writeAudit (platform/audit.ts).' }] }
			]
		}
	}
);
