import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('the attendance lead runs a monitoring point, skips a family with a reason and sends the letters once', async ({ page }) => {
	test.setTimeout(120_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.getByRole('link', { name: 'Monitoring points and letters' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Monitoring points' })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByRole('link', { name: /^End of Autumn 1/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^End of Autumn 1/ })).toBeVisible();
	// The demo data already took steps for a few families at this point; the rest are due now.
	await expect(page.getByText(/Already recorded at this point: \d+ steps?/)).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: /Green letter \(celebrates\)/ })).toBeVisible();
	await expectNoAxeViolations(page);

	const selects = page.locator('select[name^="skip-"]');
	const due = await selects.count();
	expect(due).toBeGreaterThan(1);
	await selects.first().selectOption('bereavement');
	await page.getByRole('button', { name: 'Confirm: send the letters and record the steps' }).click();
	await expect(page.getByRole('status')).toContainText(new RegExp(`${due - 1} steps? recorded, 1 skipped, \\d+ letters? sent`));
	await expect(page.getByText('No pupil is due a step at this point.')).toBeVisible();
	await expectNoAxeViolations(page);

	// A second visit finds nothing more to send.
	await page.goto('/staff/graduated');
	await page.getByRole('link', { name: /^End of Autumn 1/ }).click();
	await expect(page.getByText('No pupil is due a step at this point.')).toBeVisible();

	// The dev outbox shows the letters' messages with their links.
	await page.goto('/dev/outbox');
	await expect(page.getByText(/a letter about \w+'s attendance|good news about \w+'s attendance/).first()).toBeVisible();
});

test('the policy page shows the presets and refuses a letter that fails the tone checklist', async ({ page }) => {
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/graduated/policy');
	await expect(page.getByRole('heading', { level: 1, name: "The school's attendance policy" })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.locator('summary', { hasText: 'Lower amber letter and invitation' }).click();
	await page.getByLabel('Title').nth(2).fill('Attendance warning');
	await page.getByLabel('Paragraphs (a blank line between them)').nth(2).fill('Attendance is 92%. A penalty notice may follow.');
	await page.locator('details[open]').getByRole('button', { name: 'Save this letter' }).click();
	await expect(page.getByRole('alert')).toContainText('Say days (and weeks), not percentages');
	await expect(page.getByRole('alert')).toContainText('Offer help and support before any mention of consequences.');
	await expectNoAxeViolations(page);
});
