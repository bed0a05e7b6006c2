import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';

test('a days-missed run: staff prepare it, read who gets what, and confirm it once', async ({ page }) => {
	test.setTimeout(120_000);
	// Northgate has no run yet (the demo's sent run is Harbourside's).
	await devSignIn(page, 'head@northgate.example.org');
	await page.goto('/staff/campaigns/days-missed');
	await expect(page.getByRole('heading', { level: 1, name: 'Days-missed messages' })).toBeVisible();
	await expectNoAxeViolations(page);

	// A hold-out share above the limit: an error summary, and nothing drawn.
	await page.getByLabel('Share of families held out this run (%)').fill('80');
	await page.getByRole('button', { name: 'Prepare the run' }).click();
	await expect(page.getByRole('alert').first()).toContainText('Enter a hold-out share between 0% and 50%');
	await expectNoAxeViolations(page);

	await page.getByLabel('Share of families held out this run (%)').fill('20');
	await page.getByRole('button', { name: 'Prepare the run' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Days-missed messages: / })).toBeVisible();
	const summary = page.getByTestId('run-summary');
	await expect(summary).toContainText('Draw seed');
	await expect(page.getByTestId('run-tone-ok')).toBeVisible();
	await expect(page.getByTestId('run-languages')).toContainText('Days of school missed by');
	await expectNoAxeViolations(page);

	const button = page.getByTestId('confirm-run');
	const messages = Number((await button.textContent())!.match(/(\d+)/)![1]);
	await button.click();
	await expect(page.getByTestId('run-sent')).toContainText(`${messages} ${messages === 1 ? 'message is' : 'messages are'} on the way`);
	await expect(page.getByTestId('confirm-run')).toHaveCount(0);
	await expectNoAxeViolations(page);

	// The run page is the half term's run now: a second one cannot be prepared.
	await page.goto('/staff/campaigns/days-missed');
	await expect(page.getByTestId('current-run')).toContainText('is sent');
	await expect(page.getByRole('button', { name: 'Prepare the run' })).toHaveCount(0);
});

test('the results page shows the demo run, messaged against held out, and exports a CSV', async ({ page }) => {
	test.setTimeout(90_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/campaigns/days-missed/results');
	await expect(page.getByRole('heading', { level: 1, name: 'Days-missed messages: do they work here?' })).toBeVisible();
	const run = page.getByTestId('results-run').first();
	await expect(run).toContainText('Autumn 1 run, sent 2026-11-03');
	await expect(run.getByTestId('results-sentence')).toContainText(/Children in messaged families missed \d+\.\d (fewer|more) days each than those held out \(95% interval: between -?\d+\.\d and -?\d+\.\d\)/);
	await expect(run.getByTestId('results-table')).toContainText('Too few families');
	await page.getByText('How to read these figures').click();
	await expect(page.getByTestId('results-reading')).toContainText('What they cannot say');
	await expectNoAxeViolations(page);

	const csv = await page.request.get('/staff/campaigns/days-missed/results.csv');
	expect(csv.status()).toBe(200);
	const lines = (await csv.text()).trim().split('\r\n');
	expect(lines[0]).toBe('school,run_half_term,sent_on,follow_up_from,follow_up_to,seed,household,band,arm,children,baseline_days_per_child,follow_up_days_per_child,follow_up_possible_sessions');
	expect(lines.length).toBeGreaterThan(20);

	// The local authority sees every school's results.
	await page.context().clearCookies();
	await devSignIn(page, 'admin@portsmouth.example.org');
	await page.goto('/admin/days-missed');
	await expect(page.getByRole('heading', { level: 2, name: 'Harbourside Primary' })).toBeVisible();
	await expectNoAxeViolations(page);
});
