import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('a parent downloads their data: their own children, nobody else’s', async ({ page }) => {
	await devSignIn(page, '07700 900547');
	await page.goto('/account');
	await expectNoAxeViolations(page);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: /Download everything Every Day holds about you/ }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^every-day-my-data-\d{4}-\d{2}-\d{2}\.json$/);
	const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
	expect(data.you.phone).toBe('+447700900547');
	expect(data.children.map((c: { name: string; school: string }) => `${c.name} (${c.school})`).sort()).toEqual([
		'Ezra Lanternby (Harbourside Primary)',
		'Nell Lanternby (Northgate Infant School)'
	]);
	expect(JSON.stringify(data)).not.toContain('Chowdhury');

	// Signed out: no data.
	await page.context().clearCookies();
	expect((await page.request.get('/account/my-data.json')).status()).toBe(401);
});
