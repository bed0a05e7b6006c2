import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { devSignIn } from './helpers';

/**
 * Speed on a cheap phone (issue 10): the JavaScript a parent's phone downloads for the report
 * page stays under 60 KB gzipped. Measured on the built app: every script the page actually
 * loads (entry, route nodes, chunks, the service worker), gzipped here from build/client.
 */
const BUDGET_BYTES = 60 * 1024;

test('the report page loads under 60 KB of gzipped JavaScript', async ({ page }) => {
	const scripts = new Set<string>();
	page.on('response', (response) => {
		const url = new URL(response.url());
		if (url.pathname.endsWith('.js')) scripts.add(url.pathname);
	});
	await devSignIn(page, '07700 900547');
	scripts.clear();
	await page.goto('/report');
	await expect(page.getByRole('heading', { level: 1, name: 'Report an absence' })).toBeVisible();
	await page.waitForLoadState('networkidle');
	expect(scripts.size).toBeGreaterThan(0);

	let total = 0;
	const sizes: string[] = [];
	for (const pathname of scripts) {
		const file = path.join('build/client', pathname);
		expect(fs.existsSync(file), `${pathname} is in the build`).toBe(true);
		const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
		total += gz;
		sizes.push(`${pathname}: ${gz} B`);
	}
	console.log(`report page JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.size} files`);
	expect(total, sizes.join('\n')).toBeLessThan(BUDGET_BYTES);
});
