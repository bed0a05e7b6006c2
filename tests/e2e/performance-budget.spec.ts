import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { devSignIn } from './helpers';

/**
 * Speed on a cheap phone, a Lighthouse-style budget checked on the built app: for
 * every parent page, what the phone downloads on a first visit (the document, and every script,
 * stylesheet, font and image it loads: entry, route nodes, imported and modulepreloaded chunks,
 * the service worker), gzipped, under the budgets below. Asset sizes are gzipped here from
 * build/client; the document is gzipped from the response. The report page's JavaScript has
 * its own tighter budget: under 60 KB gzipped.
 */
const KB = 1024;
const REPORT_JS_BUDGET = 60 * KB;
// JavaScript: the 60 KB for the report page holds for every parent page (the five
// languages' messages are in the shared chunks).
const BUDGET = { js: 60 * KB, css: 10 * KB, total: 80 * KB };

const PARENT_PAGES = ['/children', '/children/[pupilId]', '/report', '/reports', '/leave', '/leave/new', '/account', '/support', '/sign-in', '/'];

interface Weight {
	js: number;
	css: number;
	other: number;
	document: number;
	total: number;
	files: string[];
}

const gz = (bytes: Buffer | string) => zlib.gzipSync(bytes, { level: 9 }).length;

/** Loads `url` in a fresh page (a first visit, nothing cached) and weighs what it downloaded. */
async function weigh(page: Page, url: string): Promise<Weight> {
	const context = page.context();
	const fresh = await context.newPage();
	const assets = new Map<string, string>();
	let documentBytes = 0;
	fresh.on('response', async (response) => {
		const u = new URL(response.url());
		if (u.origin !== new URL(page.url()).origin) return;
		const type = response.request().resourceType();
		if (type === 'document') {
			documentBytes += gz(await response.body().catch(() => Buffer.alloc(0)));
			return;
		}
		if (type === 'fetch' || type === 'xhr' || type === 'eventsource') return; // data, not page weight
		assets.set(u.pathname, type);
	});
	await fresh.goto(url);
	await fresh.waitForLoadState('networkidle');
	const w: Weight = { js: 0, css: 0, other: 0, document: documentBytes, total: 0, files: [] };
	for (const [pathname, type] of assets) {
		const file = path.join('build/client', pathname);
		if (!fs.existsSync(file)) continue; // e.g. a prerendered or dynamic response
		const size = gz(fs.readFileSync(file));
		if (pathname.endsWith('.js')) w.js += size;
		else if (pathname.endsWith('.css')) w.css += size;
		else w.other += size;
		w.files.push(`${pathname} (${type}): ${size} B`);
	}
	w.total = w.js + w.css + w.other + w.document;
	await fresh.close();
	return w;
}

test('every parent page is within the page-weight budget, and the report page under 60 KB of JavaScript', async ({ page }) => {
	test.setTimeout(120_000);
	const signedOut = new Map<string, Weight>();
	for (const url of ['/', '/sign-in', '/support']) signedOut.set(url, await (async () => {
		await page.goto('/');
		return weigh(page, url);
	})());

	await devSignIn(page, '07700 900547');
	const pupilHref = (await page.locator('a[href^="/children/"]').first().getAttribute('href'))!;
	const rows: string[] = [];
	const results = new Map<string, Weight>();
	for (const route of PARENT_PAGES) {
		const url = route === '/children/[pupilId]' ? pupilHref : route;
		const w = signedOut.get(route) ?? (await weigh(page, url));
		results.set(route, w);
		rows.push(`| ${route} | ${(w.js / KB).toFixed(1)} | ${(w.css / KB).toFixed(1)} | ${(w.document / KB).toFixed(1)} | ${(w.total / KB).toFixed(1)} |`);
	}
	console.log(['| Page | JS (KB gz) | CSS (KB gz) | HTML (KB gz) | Total (KB gz) |', '|---|---|---|---|---|', ...rows].join('\n'));

	for (const [route, w] of results) {
		expect(w.js, `${route}: no JavaScript loaded at all?`).toBeGreaterThan(0);
		expect(w.js, `${route} JavaScript\n${w.files.join('\n')}`).toBeLessThan(BUDGET.js);
		expect(w.css, `${route} CSS\n${w.files.join('\n')}`).toBeLessThan(BUDGET.css);
		expect(w.total, `${route} total\n${w.files.join('\n')}`).toBeLessThan(BUDGET.total);
	}
	expect(results.get('/report')!.js, results.get('/report')!.files.join('\n')).toBeLessThan(REPORT_JS_BUDGET);
});
