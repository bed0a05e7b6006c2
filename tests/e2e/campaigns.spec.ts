import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, londonToday } from './helpers';

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
	// The results name the channel the messages went on, and account for every family previewed:
	// those sent to, and each difference with its reason.
	await expect(page.getByTestId('campaign-results')).toContainText('Text message (SMS)');
	const reach = (await page.getByTestId('campaign-reach').textContent())!;
	expect(reach).toContain(`${families} ${families === 1 ? 'family' : 'families'} in the audience`);
	const sentTo = /every one was sent it/.test(reach) ? families : Number(/; (\d+) (?:was|were) sent it/.exec(reach)![1]);
	const differences = await page.getByTestId('campaign-reach-differences').locator('li').allTextContents().catch(() => [] as string[]);
	expect(sentTo + differences.reduce((n, d) => n + Number(/^(\d+) famil/.exec(d)![1]), 0)).toBe(families);
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

test('send later: a scheduled campaign is listed with its UK time and can be cancelled; nothing is sent', async ({ page }) => {
	test.setTimeout(90_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/campaigns');
	const title = `Scheduled test ${Date.now()}`;
	await page.getByLabel('Title', { exact: true }).fill(title);
	await page.getByLabel('Message', { exact: true }).fill('See you on Monday, {firstName}. SCHEDCHECK');
	await page.getByLabel('Who to send it to').selectOption('year');
	await page.getByLabel('Year group (0 = Reception)').fill('3');
	await page.getByRole('button', { name: 'Preview' }).click();
	await expect(page.getByTestId('campaign-preview')).toBeVisible();

	// In the past: a clear error, and the form keeps what was typed.
	const yesterday = new Date(`${londonToday()}T12:00:00Z`);
	yesterday.setUTCDate(yesterday.getUTCDate() - 1);
	await page.getByLabel('Date', { exact: true }).fill(yesterday.toISOString().slice(0, 10));
	await page.getByLabel('Time', { exact: true }).fill('09:30');
	await page.getByRole('button', { name: 'Schedule for later' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('The date and time to send it must be in the future');
	await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
	await expectNoAxeViolations(page);

	// Tomorrow at 09:30, UK time.
	const tomorrow = new Date(`${londonToday()}T12:00:00Z`);
	tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
	const tomorrowIso = tomorrow.toISOString().slice(0, 10);
	await page.getByLabel('Date', { exact: true }).fill(tomorrowIso);
	await page.getByLabel('Time', { exact: true }).fill('09:30');
	await page.getByRole('button', { name: 'Schedule for later' }).click();
	await expect(page).toHaveURL(/\/staff\/campaigns\?scheduled=/);
	const longDate = tomorrow.toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
	await expect(page.getByTestId('scheduled-confirmation')).toContainText(`“${title}” will be sent on ${longDate} at 09:30`);
	const row = page.getByTestId('scheduled-campaigns').getByRole('row', { name: new RegExp(title) });
	await expect(row).toContainText(`${longDate} at 09:30`);
	await expectNoAxeViolations(page);

	await row.getByRole('link', { name: title }).click();
	await expect(page.getByTestId('campaign-state')).toContainText('Scheduled to send on');
	await page.goBack();

	await page.getByTestId('scheduled-campaigns').getByRole('button', { name: `Cancel “${title}”` }).click();
	await expect(page.getByRole('status').filter({ hasText: 'is cancelled' })).toContainText(`“${title}” is cancelled. It will not be sent.`);
	await expect(page.getByText(title, { exact: true })).toHaveCount(1); // only in the "Sent or cancelled" list now
	await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText('(cancelled');
	await expectNoAxeViolations(page);

	// Nothing was queued for it.
	await page.goto('/dev/outbox');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.locator('tr', { hasText: 'SCHEDCHECK' })).toHaveCount(0);
});

test('a template in families\' languages: previewed per language and channel, and each family gets their own', async ({ page }) => {
	test.setTimeout(120_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/campaigns');
	await page.getByTestId('campaign-templates').getByRole('link', { name: 'Half-term summary' }).click();
	await expect(page.getByLabel('Message', { exact: true })).toHaveValue(/has missed \{daysMissed\} of school/);
	await expect(page.getByLabel('Message in Polish')).toHaveValue(/^Liczba dni szkoły opuszczonych/);
	await expect(page.getByLabel('Message in Arabic')).toHaveAttribute('dir', 'rtl');
	// Staff leave the Romanian empty: those families get the English.
	await page.getByLabel('Title in Romanian').fill('');
	await page.getByLabel('Message in Romanian').fill('');
	const title = `Languages test ${Date.now()}`;
	await page.getByLabel('Title', { exact: true }).fill(title);
	await page.getByLabel('Notification (free)').uncheck();
	await page.getByLabel('Text message (costs money)').check();
	await page.getByLabel('Who to send it to').selectOption('year');

	// A year group with a Polish-speaking family (the demo data is generated, so look for one).
	const table = page.getByTestId('campaign-preview-languages');
	const polish = table.locator('tr[data-locale="pl"]');
	let found = false;
	for (const year of ['1', '2', '3', '4', '5', '6', '0']) {
		await page.getByLabel('Year group (0 = Reception)').fill(year);
		await page.getByRole('button', { name: 'Preview' }).click();
		await expect(table).toBeVisible();
		if ((await polish.count()) && Number(await polish.locator('td').nth(0).textContent()) > 0) {
			found = true;
			break;
		}
	}
	expect(found, 'a year group with a Polish-speaking family').toBe(true);
	await expect(polish).toContainText(/Liczba dni szkoły opuszczonych w tym roku przez \S+: [\d½]+\./);
	await expect(polish).toContainText(/\d+ segments?/);
	await expect(table.locator('tr[data-locale="en"]')).toContainText(/This year so far \S+ has missed .* of school/);
	const romanian = table.locator('tr[data-locale="ro"]');
	if (await romanian.count()) await expect(romanian).toContainText('No Romanian version: they get the English');
	await expectNoAxeViolations(page);

	// Sent by text: the Polish-speaking families get the Polish text, the others the English.
	await page.getByRole('button', { name: 'Send now' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await page.goto('/dev/outbox');
	await expect(page.locator('tr', { hasText: 'Liczba dni szkoły opuszczonych' }).first()).toBeVisible({ timeout: 15_000 });
	await expect(page.locator('tr', { hasText: /This year so far \S+ has missed .* of school/ }).first()).toBeVisible();
});

test('congratulations for the whole school are flagged before sending: not every child is at 96%', async ({ page }) => {
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/campaigns');
	await page.getByTestId('campaign-templates').getByRole('link', { name: 'Well done' }).click();
	// The template is loaded before it is previewed (on a slow machine the click's navigation may
	// still be under way, and Preview would preview the form's first template).
	await expect(page).toHaveURL(/[?&]template=positive/);
	await expect(page.getByLabel('Message', { exact: true })).toHaveValue(/well done!/);
	await page.getByRole('button', { name: 'Preview' }).click();
	const warning = page.getByTestId('campaign-tone-warning');
	// The demo school has children in every band, so some would be congratulated below 96%.
	await expect(warning).toContainText(/\d+ famil(y|ies) would be congratulated although their child's attendance is below 96%/);
	await expectNoAxeViolations(page);

	// Only the children at 96% or more: nothing to flag.
	await page.getByLabel('Who to send it to').selectOption('band');
	await page.getByLabel('Band', { exact: true }).selectOption('excellent');
	await page.getByRole('button', { name: 'Preview' }).click();
	await expect(page.getByTestId('campaign-preview')).toBeVisible();
	await expect(page.getByTestId('campaign-tone-warning')).toHaveCount(0);
});
