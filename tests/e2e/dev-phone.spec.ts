import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, isDemoSchoolDay, londonToday } from './helpers';

async function send(page: Page, text: string) {
	await page.getByLabel('Your message').fill(text);
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page.getByRole('status')).toHaveText(`You sent: ${text}`);
}

const thread = (page: Page) => page.getByRole('list', { name: 'Messages from Every Day' });

test('a parent reports an absence by "SMS" and asks for attendance, through the same service as the webhook', async ({ page }) => {
	await page.goto('/dev/phone');
	await page.getByLabel('Demo parent’s mobile number').fill('07700 900547');
	await page.getByRole('button', { name: 'Open the conversation' }).click();
	await expectNoAxeViolations(page);

	await send(page, 'Ezra has a temperature');
	if (isDemoSchoolDay(londonToday())) {
		await expect(thread(page).getByText(/^Thank you\. We have told Harbourside Primary: Ezra \(ref [A-Z2-9]{3}-[A-Z2-9]{3}\), off today \(illness\)\./)).toBeVisible();
	} else {
		await expect(thread(page).getByText(/^Sorry, we could not pass that on: /)).toBeVisible();
	}
	await send(page, 'attendance');
	await expect(thread(page).getByText(/Ezra: \d+\.\d% this year \(2026\/27\)/)).toBeVisible();
	await expect(thread(page).getByText(/Nell: \d+\.\d% this year \(2026\/27\)/)).toBeVisible();
	await send(page, 'help, the bus is always late');
	await expect(thread(page).getByText(/School transport and travel: https:\/\/www\.portsmouth\.gov\.uk/)).toBeVisible();
	await expectNoAxeViolations(page);
});

test('on "Telegram" the bot asks which child, with choices, and takes the answer by number', async ({ page }) => {
	await page.goto('/dev/phone?who=07700900547&channel=telegram');
	await send(page, 'not coming in tomorrow');
	await expect(thread(page).getByText('Who is off school?').last()).toBeVisible();
	await expect(thread(page).getByRole('listitem').filter({ hasText: '3. Both' }).last()).toBeVisible();
	await send(page, '3');
	await expect(thread(page).getByText('What is the reason?').last()).toBeVisible();
	await send(page, '2');
	await expect(thread(page).getByText(/(^Thank you\. We have told .*Ezra \(ref .*Nell \(ref |^Sorry, we could not pass that on)/).last()).toBeVisible();
});
