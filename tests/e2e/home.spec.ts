import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

test('the home page explains the service, lists the demo school and has no accessibility violations', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveTitle(/Every Day/);
	await expect(page.getByRole('heading', { level: 1, name: 'Every Day' })).toBeVisible();
	const harbourside = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Harbourside Primary', exact: true }) });
	await expect(harbourside.getByRole('cell', { name: '09:15' })).toBeVisible();

	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('the skip link moves keyboard focus to the main content', async ({ page }) => {
	await page.goto('/');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to main content' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main#main')).toBeFocused();
});

test('the health endpoint reports the embedded database', async ({ request }) => {
	const res = await request.get('/health');
	expect(res.status()).toBe(200);
	expect(await res.json()).toEqual({
		status: 'ok',
		database: 'pglite',
		outbox: { due: expect.any(Number), sending: expect.any(Number), scheduled: expect.any(Number), dead: expect.any(Number), oldestDueSeconds: expect.any(Number) },
		checkedInMs: expect.any(Number)
	});
});

test('pages carry a content security policy and security headers', async ({ request }) => {
	const res = await request.get('/');
	const headers = res.headers();
	expect(headers['content-security-policy']).toContain("default-src 'self'");
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
});
