/** Staff listen to the phone line's voicemails on the board, mark them handled or turn one into a report. */
import { expect, test } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, londonToday, nextDemoSchoolDay } from './helpers';

test('staff listen to a voicemail through the app and mark it handled', async ({ page }) => {
	await devSignIn(page, 'office@harbourside.example.org');
	await page.goto('/staff/today');
	const section = page.getByTestId('voicemails');
	await expect(page.getByRole('heading', { name: 'Voicemail to listen to' })).toBeVisible();
	const items = section.getByRole('listitem');
	await expect(items).toHaveCount(2);
	await expect(items.first()).toContainText('Unknown caller (+447700900871)');
	await expect(items.first()).toContainText('Number not on record');
	await expect(items.nth(1)).toContainText('Claire Lanternby');
	await expect(items.nth(1)).toContainText('Asked for the office');
	await expectNoAxeViolations(page);

	// The player's source is the app's own route: the staff session plays it, nobody else can.
	const player = items.first().locator('audio');
	await expect(player).toHaveAttribute('controls', '');
	const src = await player.getAttribute('src');
	expect(src).toMatch(/^\/staff\/voicemail\/CA[0-9a-f]{32}$/);
	const audio = await page.request.get(src!);
	expect(audio.status()).toBe(200);
	expect(audio.headers()['content-type']).toBe('audio/wav');
	expect(audio.headers()['cache-control']).toContain('no-store');
	expect((await audio.body()).subarray(0, 4).toString()).toBe('RIFF');
	const signedOut = await page.context().browser()!.newContext();
	const anonymous = await signedOut.request.get(new URL(src!, page.url()).toString(), { maxRedirects: 0 });
	expect(anonymous.status()).not.toBe(200);
	await signedOut.close();

	await items.first().getByRole('button', { name: 'Mark as handled voicemail from Unknown caller (+447700900871)' }).click();
	await expect(page.getByRole('status')).toContainText('Voicemail marked as handled.');
	await expect(page.getByTestId('voicemails').getByRole('listitem')).toHaveCount(1);
	await expect(page.getByTestId('voicemails')).not.toContainText('Unknown caller');
	await expectNoAxeViolations(page);

	// The other one is from a parent we know: the office turns it into a report for her child.
	await page.getByRole('link', { name: 'Make a report from this voicemail from Claire Lanternby' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Make a report from a voicemail' })).toBeVisible();
	await page.getByRole('button', { name: 'Store the report and mark the voicemail handled' }).click();
	await expect(page.getByRole('link', { name: 'Choose the reason the parent gave.' })).toBeVisible();
	await expectNoAxeViolations(page);
	// Well ahead, so no other test's report of the same child and day is there to add it to.
	const later = new Date(`${londonToday()}T12:00:00Z`);
	later.setUTCDate(later.getUTCDate() + 40);
	const day = nextDemoSchoolDay(later.toISOString().slice(0, 10));
	await expect(page.getByRole('radio', { name: /^Ezra .*, reported by Claire Lanternby/ })).toBeChecked();
	await page.getByLabel('Which day?').fill(day);
	await page.getByRole('radio', { name: 'Illness' }).check();
	await page.getByLabel('What the parent said (optional)').fill('Ezra has a temperature');
	await page.getByRole('button', { name: 'Store the report and mark the voicemail handled' }).click();
	await expect(page.getByRole('status')).toContainText(/Report [A-Z0-9-]+ stored from the voicemail/);
	await expect(page.getByRole('heading', { name: 'Voicemail to listen to' })).toHaveCount(0);
	await page.goto(`/staff/today?date=${day}`);
	await expect(page.getByRole('row', { name: /Ezra Lanternby/ })).toContainText('From a voicemail on the phone line, entered by the office: Ezra has a temperature');
});
