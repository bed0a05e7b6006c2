import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, isoDaysAfter, londonToday, pupilForPlan, nextDemoSchoolDay } from './helpers';

test('the attendance lead starts a plan of support, the parent ticks their action and comments, the head records the review', async ({ page }) => {
	test.setTimeout(180_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	// The demo's plan is due for review: it is on the monitoring page's list.
	await page.goto('/staff/graduated');
	await expect(page.getByRole('heading', { level: 2, name: 'Plan reviews due' })).toBeVisible();
	await expectNoAxeViolations(page);

	const { pupilId, phone } = await pupilForPlan(page);
	await page.getByRole('link', { name: 'Start a plan of support' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Start a plan of support for / })).toBeVisible();
	await expectNoAxeViolations(page);

	// Nothing filled in: the error summary names what is missing.
	await page.getByRole('button', { name: 'Save the plan and tell the family' }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('Choose at least one barrier');
	await expect(page.getByRole('alert')).toContainText('Add at least one action');
	await expectNoAxeViolations(page);

	await page.getByLabel('Mental health and anxiety').check();
	await page.getByLabel("The child's view").fill('I like seeing my friends but the mornings are hard.');
	await page.locator('#action-text-0').fill('Meet at the side gate at 8:40 for two weeks');
	await page.locator('#action-who-1').selectOption('family');
	await page.locator('#action-text-1').fill('Set an alarm for 7:15 on school days');
	await page.locator('#action-who-2').selectOption('service');
	await page.locator('#action-text-2').fill('Referral to the Mental Health Support Team');
	await page.locator('#action-service-2').selectOption('Mental Health Support Teams');
	// A review on a day the school is shut (here a Saturday) is refused with the reason.
	let saturday = isoDaysAfter(londonToday(), 7);
	while (new Date(`${saturday}T12:00:00Z`).getUTCDay() !== 6) saturday = isoDaysAfter(saturday, 1);
	await page.getByLabel('Review date').fill(saturday);
	await page.getByRole('button', { name: 'Save the plan and tell the family' }).click();
	await expect(page.getByRole('alert')).toContainText('The review date is not a school day');
	await page.getByLabel('Review date').fill(nextDemoSchoolDay(isoDaysAfter(londonToday(), 20)));
	await page.getByRole('button', { name: 'Save the plan and tell the family' }).click();
	await expect(page.getByRole('status')).toContainText('Plan saved');
	await expect(page.getByRole('heading', { level: 1, name: /^Plan of support for / })).toBeVisible();
	const planId = /\/staff\/graduated\/plans\/([0-9a-f-]{36})/.exec(page.url())![1]!;
	await expectNoAxeViolations(page);

	// The family's short message links to the plan, once.
	await page.goto('/dev/outbox?purpose=graduated_plan');
	await expect(page.locator(`tr[data-recipient="${phone}"]`, { hasText: `/children/${pupilId}/plan` })).toHaveCount(1);

	// The parent sees the plan from the child's page, ticks their action and leaves a comment.
	await page.context().clearCookies();
	await devSignIn(page, phone);
	await page.goto(`/children/${pupilId}`);
	await page.getByRole('link', { name: /plan of support$/ }).click();
	await expect(page).toHaveURL(new RegExp(`/children/${pupilId}/plan$`));
	await expect(page.getByText('Set an alarm for 7:15 on school days', { exact: true })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Mental Health Support Teams website' })).toHaveAttribute('href', /^https:/);
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: /^Mark as done\W+Set an alarm for 7:15 on school days$/ }).click();
	await expect(page.getByText(/^✓ Done on /)).toBeVisible();
	await expect(page.getByRole('button', { name: /^Not done yet\W+Set an alarm for 7:15 on school days$/ })).toBeVisible();
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('Add a comment for the school').fill('The alarm is working. Thank you for meeting her at the gate.');
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page.getByRole('status')).toContainText('Thank you. The school can see your comment.');
	await expectNoAxeViolations(page);

	// The headteacher holds the review: not improved, so the next step is the referral to the local authority.
	await page.context().clearCookies();
	await devSignIn(page, 'head@harbourside.example.org');
	await page.goto(`/staff/graduated/plans/${planId}`);
	await expect(page.getByText('The alarm is working. Thank you for meeting her at the gate.')).toBeVisible();
	await expect(page.getByText(/^Done \d{4}-\d{2}-\d{2}$/)).toBeVisible();
	// When the plan's days so far carry marks, the figures suggest an outcome and its choice starts
	// ticked; the head decides, so a review sent with neither ticked is refused with a clear error.
	const suggestion = page.getByText(/the figures suggest: (improved|not improved)\.$/);
	if ((await suggestion.count()) > 0) {
		const suggested = /suggest: (improved|not improved)/.exec((await suggestion.textContent()) ?? '')![1];
		await expect(page.getByLabel(suggested === 'improved' ? /^Yes, improved/ : /^No, not improved/)).toBeChecked();
	}
	await page.locator('input[name="outcome"]').evaluateAll((radios) => radios.forEach((r) => ((r as HTMLInputElement).checked = false)));
	await page.getByRole('button', { name: 'Record the review' }).click();
	await expect(page.getByRole('alert')).toContainText('Choose whether attendance has improved');
	await expectNoAxeViolations(page);
	await page.getByLabel(/^No, not improved/).check();
	await page.getByLabel('Notes of the review').fill('Mum and the class teacher came. Mornings are better; still missing Mondays.');
	await page.getByRole('button', { name: 'Record the review' }).click();
	await expect(page.getByRole('status')).toContainText('Review recorded');
	await expect(page.getByRole('status')).toContainText('Refer to the local authority');
	await expect(page.getByRole('link', { name: 'Start the referral to the local authority' })).toHaveAttribute('href', `/staff/pupils/${pupilId}/refer`);
	await expectNoAxeViolations(page);

	// The record tells the story.
	await page.goto(`/staff/pupils/${pupilId}`);
	await expect(page.getByText('Parent marked their action done')).toBeVisible();
	await expect(page.getByText("Parent's comment on the plan")).toBeVisible();
	await expect(page.getByText('Review: not improved')).toBeVisible();
});
