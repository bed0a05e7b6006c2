import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('staff see messages that could not be delivered (none in a fresh demo), on an accessible page', async ({ page }) => {
	await devSignIn(page, 'office@harbourside.example.org');
	await page.getByRole('link', { name: 'Messages not delivered' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Messages not delivered' })).toBeVisible();
	await expect(page.getByText(/^None: every message has been delivered|Try again/).first()).toBeVisible();
	await expectNoAxeViolations(page);
	// Parents cannot reach it.
	await page.context().clearCookies();
	await devSignIn(page, '07700 900547');
	await page.goto('/staff/messages');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
});
