/** A parent chooses WhatsApp as the way the school contacts them. */
import { expect, test } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('a parent picks WhatsApp as their channel', async ({ page }) => {
	await devSignIn(page, '07700 900547');
	await page.goto('/account');
	await expect(page.getByRole('heading', { name: 'How the school contacts you' })).toBeVisible();
	const whatsapp = page.getByRole('radio', { name: 'WhatsApp' });
	await expect(whatsapp).not.toBeChecked();
	await expect(page.getByRole('radio', { name: 'Text message' })).toBeVisible();
	await expectNoAxeViolations(page);
	await whatsapp.check();
	await page.getByRole('button', { name: 'Save how we contact you' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The school will contact you this way from now on.' })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('radio', { name: 'WhatsApp' })).toBeChecked();
	await expectNoAxeViolations(page);
});
