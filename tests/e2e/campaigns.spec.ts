import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('a campaign to one year group reaches exactly that audience in the dev outbox', async ({ page }) => {
	test.setTimeout(90_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.getByRole('link', { name: 'Every Day Counts messages' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Every Day Counts messages' })).toBeVisible();
	await expectNoAxeViolations(page);

	const title = `Year 2 test ${Date.now()}`;
	await page.getByLabel('Title', { exact: true }).fill(title);
	await page.getByLabel('Message', { exact: true }).fill('Thank you for bringing {firstName} to school every day. Y2CHECK');
	await page.getByLabel('Who to send it to').selectOption('year');
	await page.getByLabel('Year group (0 = Reception)').fill('2');
	await page.getByLabel('Notification (free)').uncheck();
	await page.getByLabel('Text message (costs money)').check();
	await page.getByRole('button', { name: 'Preview' }).click();
	const preview = page.getByTestId('campaign-preview');
	await expect(preview).toContainText(/\d+ families \(\d+ children\)\./);
	await expect(preview).toContainText(/Text messages: \d+ segments, about £\d+\.\d\d\./);
	await expect(preview).toContainText(/^.*Thank you for bringing \w+ to school every day\. Y2CHECK/);
	await expectNoAxeViolations(page);
	const families = Number((await preview.textContent())!.match(/(\d+) families/)![1]);
	await page.getByRole('button', { name: 'Send now' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByTestId('campaign-results')).toBeVisible();
	await expectNoAxeViolations(page);

	// Every message is to a Year 2 child's parent, and no family got the same child's message twice.
	await page.goto('/dev/outbox');
	const rows = page.locator('tr', { hasText: 'Y2CHECK' });
	await expect(rows.first()).toBeVisible({ timeout: 10_000 });
	const texts = await rows.allTextContents();
	expect(new Set(texts).size).toBe(texts.length);
	expect(texts.length).toBeGreaterThan(0);
	expect(texts.length).toBeLessThanOrEqual(families * 2);

	// Office staff cannot send campaigns.
	await page.context().clearCookies();
	await devSignIn(page, 'office@harbourside.example.org');
	expect((await page.goto('/staff/campaigns'))?.status()).toBe(403);
});
