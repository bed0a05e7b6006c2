import { test, expect, type Page } from '@playwright/test';
import { devSignIn, expectNoAxeViolations } from './helpers';

// Two people's pages (the school's and the LA's) in one flow.
test.describe.configure({ timeout: 120_000 });

/** A Harbourside pupil with no referral yet (the demo refers one pupil already). */
async function pupilWithoutReferral(page: Page): Promise<string> {
	await page.goto('/staff');
	const hrefs = await page.locator('a[href^="/staff/pupils/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
	for (const href of hrefs.slice(3, 12)) {
		await page.goto(href);
		if ((await page.getByText(/^Referral R/).count()) === 0) return href;
	}
	throw new Error('no pupil without a referral');
}

test('referral round trip: the school refers, the LA asks, the school answers, the LA accepts', async ({ page, browser }) => {
	await devSignIn(page, 'attendance@harbourside.example.org');
	const pupilPage = await pupilWithoutReferral(page);
	await page.getByRole('link', { name: /^Refer .* to the local authority$/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Why are you referring');
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Send the referral' }).click();
	await expect(page.getByRole('alert')).toContainText('Say why you are referring the pupil now.');
	await expectNoAxeViolations(page);
	await page.getByRole('textbox').fill('Attendance has fallen each half term; the family did not come to the last review meeting.');
	await page.getByRole('button', { name: 'Send the referral' }).click();
	await expect(page).toHaveURL(/\/staff\/referrals\/[0-9a-f-]+\?sent=1$/);
	await expect(page.getByTestId('referral-status')).toHaveText('Waiting for the local authority');
	await expect(page.getByRole('heading', { name: 'Attendance by half term' })).toBeVisible();
	await expectNoAxeViolations(page);
	const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.match(/R[A-Z2-9]{3}-[A-Z2-9]{3}/)![0];
	const schoolReferral = page.url().replace(/\?sent=1$/, '');

	const context = await browser.newContext();
	const la = await context.newPage();
	await devSignIn(la, 'attendance@portsmouth.example.org');
	await expect(la.getByRole('heading', { level: 1 })).toContainText('Attendance across schools');
	await expect(la.getByTestId('la-schools')).toContainText('Harbourside Primary');
	await expectNoAxeViolations(la);
	await la.getByRole('link', { name: 'Referrals' }).click();
	await expectNoAxeViolations(la);
	await la.getByRole('link', { name: reference }).click();
	await expect(la.getByTestId('referral-status')).toHaveText('Waiting for the local authority');
	await expectNoAxeViolations(la);
	await la.getByLabel('Ask the school a question').check();
	await la.getByLabel(/^Your words/).fill('Has the family been offered an early help assessment?');
	await la.getByRole('button', { name: 'Save' }).click();
	await expect(la.getByTestId('referral-status')).toHaveText('The local authority asked a question');

	await page.goto(schoolReferral);
	await expect(page.getByTestId('referral-status')).toHaveText('The local authority asked a question');
	await expect(page.getByTestId('referral-notes')).toContainText('early help assessment');
	await page.getByLabel('Your answer to the local authority').fill('Yes, in October; the family declined it.');
	await page.getByRole('button', { name: 'Send the answer' }).click();
	await expect(page.getByRole('status')).toContainText('Answer sent');
	await expectNoAxeViolations(page);

	await la.reload();
	await expect(la.getByTestId('referral-status')).toHaveText('Waiting for the local authority');
	await la.getByLabel('Accept the referral').check();
	await la.getByRole('button', { name: 'Save' }).click();
	await expect(la.getByTestId('referral-status')).toHaveText('Accepted by the local authority');

	await page.goto(pupilPage);
	await expect(page.getByText(`Referral ${reference}`)).toBeVisible();
	await expect(page.getByText('Accepted by the local authority')).toBeVisible();
	await context.close();
});

test('a penalty notice request that the rules refuse shows the reason; the LA sees the refused third notice', async ({ page, browser }) => {
	await devSignIn(page, 'attendance@harbourside.example.org');
	const pupilPage = await pupilWithoutReferral(page);
	await page.goto(`${pupilPage}/notice`);
	await expectNoAxeViolations(page);
	await page.getByLabel('A penalty notice').check();
	await page.locator('input[name="guardianId"]').first().check();
	await page.getByLabel('Yes, support was offered').check();
	await page.getByRole('button', { name: 'Send the request' }).click();
	// A pupil of the demo school with fewer than 10 unauthorised sessions in the window.
	await expect(page.getByRole('alert')).toContainText('The threshold is not met');
	await expect(page.getByRole('alert')).toContainText('needs 10 within 10 school weeks');
	await expectNoAxeViolations(page);

	const context = await browser.newContext();
	const la = await context.newPage();
	await devSignIn(la, 'attendance@portsmouth.example.org');
	await la.goto('/la/notices');
	await expectNoAxeViolations(la);
	await la.getByRole('link', { name: 'NDEM-PNC' }).click();
	await expect(la.getByTestId('notice-status')).toHaveText('Refused');
	await expect(la.getByTestId('notice-findings')).toContainText('will consider prosecution instead');
	await expectNoAxeViolations(la);
	await la.goto('/la/notifications');
	await expectNoAxeViolations(la);
	await context.close();
});
