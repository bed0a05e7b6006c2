import { test, expect } from '@playwright/test';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('the staff overview lists its 203 pupils a hundred a page, with working page links', async ({ page }) => {
	// Four page loads and an axe run: more than the default timeout on a busy machine.
	test.slow();
	await devSignIn(page, 'head@harbourside.example.org');
	await page.goto('/staff');
	const links = page.locator('main a[href^="/staff/pupils/"]');
	await expect(page.getByText('Showing pupils 1 to 100 of 203, by year group and class.')).toBeVisible();
	// The totals still count the whole school, not the page.
	await expect(page.locator('.summary-cards li').first()).toHaveText('203 pupils');
	const nav = page.getByRole('navigation', { name: 'Pupils, page 1 of 3' });
	await expect(nav.getByRole('link', { name: 'Page 1' })).toHaveAttribute('aria-current', 'page');
	await expect(nav.getByRole('link', { name: /^Previous/ })).toHaveCount(0);

	const seen = new Set<string>();
	const collect = async () => {
		for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) seen.add(href);
	};
	expect(await links.count()).toBe(100);
	await collect();

	await nav.getByRole('link', { name: /^Next/ }).click();
	await expect(page).toHaveURL(/\/staff\?page=2$/);
	await expect(page.getByText('Showing pupils 101 to 200 of 203')).toBeVisible();
	expect(await links.count()).toBe(100);
	await collect();
	await expectNoAxeViolations(page);

	await page.getByRole('navigation', { name: 'Pupils, page 2 of 3' }).getByRole('link', { name: 'Page 3' }).click();
	await expect(page.getByText('Showing pupils 201 to 203 of 203')).toBeVisible();
	expect(await links.count()).toBe(3);
	await collect();
	await expect(page.getByRole('navigation', { name: 'Pupils, page 3 of 3' }).getByRole('link', { name: /^Next/ })).toHaveCount(0);
	// Every pupil once across the pages.
	expect(seen.size).toBe(203);

	await page.getByRole('link', { name: /^Previous/ }).click();
	await expect(page).toHaveURL(/\/staff\?page=2$/);

	// An old link past the end shows the last page.
	await page.goto('/staff?page=99');
	await expect(page.getByText('Showing pupils 201 to 203 of 203')).toBeVisible();
});

test('pages are sent gzipped to a browser that accepts it, and whole to one that does not', async ({ page }) => {
	await devSignIn(page, 'head@harbourside.example.org');
	const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const base = new URL(page.url()).origin;

	const gz = await fetch(`${base}/staff`, { headers: { cookie: cookies, 'accept-encoding': 'gzip' }, redirect: 'manual' });
	expect(gz.status).toBe(200);
	expect(gz.headers.get('content-encoding')).toBe('gzip');
	expect(gz.headers.get('vary')).toMatch(/Accept-Encoding/i);
	// fetch decodes gzip itself; the decoded page is the overview.
	expect(await gz.text()).toContain('<h1>School overview</h1>');

	const plain = await fetch(`${base}/staff`, { headers: { cookie: cookies, 'accept-encoding': 'identity' }, redirect: 'manual' });
	expect(plain.status).toBe(200);
	expect(plain.headers.get('content-encoding')).toBeNull();
	const html = await plain.text();
	expect(html).toContain('<h1>School overview</h1>');
	// And the bytes on the wire really are gzip, a fraction of the page.
	const wire = await new Promise<Buffer>((resolve, reject) => {
		http
			.get(`${base}/staff`, { headers: { cookie: cookies, 'accept-encoding': 'gzip' } }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve(Buffer.concat(chunks)));
				res.on('error', reject);
			})
			.on('error', reject);
	});
	expect(wire.length).toBeLessThan(Buffer.byteLength(html) / 3);
	expect(gunzipSync(wire).toString('utf8')).toContain('<h1>School overview</h1>');
});
