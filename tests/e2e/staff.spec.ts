import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { generateTOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { DEMO_SHARED_GUARDIAN, DEMO_STAFF } from '../../src/lib/server/demo/staff';

const demo = (email: string) => DEMO_STAFF.find((s) => s.email === email)!;
const codeFor = (email: string) => generateTOTP(decodeBase32IgnorePadding(demo(email).totpKeyBase32), 30, 6);

async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function enterPassword(page: Page, email: string, password = demo(email).password) {
	await page.goto('/staff/sign-in');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Continue' }).click();
}

async function signIn(page: Page, email: string) {
	await enterPassword(page, email);
	await expect(page).toHaveURL(/\/staff\/sign-in\/two-factor$/);
	await page.getByLabel('Enter the code from your authenticator app').fill(codeFor(email));
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('signed out, /staff goes to the sign-in page, which is accessible', async ({ page }) => {
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Every Day for school staff' })).toBeVisible();
	await expect(page.getByLabel('Email address')).toHaveAttribute('autocomplete', 'username');
	await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'current-password');
	await expectNoAxeViolations(page);
	// Nor can a pupil page be reached without signing in.
	await page.goto('/staff/pupils/00000000-0000-0000-0000-000000000000');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test('a wrong password shows an error summary linking to the field', async ({ page }) => {
	await enterPassword(page, 'office@harbourside.example.org', 'not-the-password');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
	const summary = page.getByRole('alert');
	await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await expect(summary.getByRole('link', { name: 'The email address or password is not right' })).toHaveAttribute('href', '#email');
	await expect(page).toHaveTitle(/^Error: /);
	await expect(page.getByLabel('Email address')).toHaveValue('office@harbourside.example.org');
	await expectNoAxeViolations(page);

	// The same answer for an account that does not exist.
	await enterPassword(page, 'nobody@harbourside.example.org', 'not-the-password');
	await expect(page.getByRole('alert').getByRole('link', { name: 'The email address or password is not right' })).toBeVisible();
});

test('a wrong code is refused with an error summary', async ({ page }) => {
	await enterPassword(page, 'attendance@harbourside.example.org');
	await expect(page).toHaveURL(/\/two-factor$/);
	const wrong = codeFor('attendance@harbourside.example.org') === '000000' ? '111111' : '000000';
	await page.getByLabel('Enter the code from your authenticator app').fill(wrong);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert').getByRole('link', { name: /The code is not right/ })).toHaveAttribute('href', '#code');
	// Still not signed in.
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/two-factor$/);
});

test('the Harbourside head signs in with password and TOTP, sees only Harbourside, and a Northgate pupil is not found', async ({
	page,
	browser
}) => {
	// Two sign-ins, up to three overview pages and two axe runs.
	test.slow();
	await enterPassword(page, 'head@harbourside.example.org');
	await expect(page).toHaveURL(/\/staff\/sign-in\/two-factor$/);
	const code = page.getByLabel('Enter the code from your authenticator app');
	await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
	await expect(code).toHaveAttribute('inputmode', 'numeric');
	await expectNoAxeViolations(page);
	await code.fill(codeFor('head@harbourside.example.org'));
	await page.getByRole('button', { name: 'Sign in' }).click();

	await expect(page).toHaveURL(/\/staff$/);
	await expect(page.getByRole('heading', { level: 1, name: 'School overview' })).toBeVisible();
	await expect(page.getByText('Harbourside Primary', { exact: true })).toBeVisible();
	await expect(page.getByText('Martin Bywater')).toBeVisible();
	await expect(page.getByText('(Headteacher)')).toBeVisible();
	const harbourChild = DEMO_SHARED_GUARDIAN.children[0];
	const northgateChild = DEMO_SHARED_GUARDIAN.children[1];
	// 203 pupils, a hundred a page; the shared child is on one of the pages, the Northgate one on none.
	await expect(page.getByText('Showing pupils 1 to 100 of 203')).toBeVisible();
	const harbourLink = page.getByRole('link', { name: `${harbourChild.firstName} ${harbourChild.lastName}` });
	let harbourPage = 1;
	for (; harbourPage <= 3; harbourPage++) {
		await page.goto(`/staff?page=${harbourPage}`);
		await expect(page.getByRole('link', { name: `${northgateChild.firstName} ${northgateChild.lastName}` })).toHaveCount(0);
		if ((await harbourLink.count()) > 0) break;
	}
	expect(harbourPage, 'the Harbourside child is on one of the three pages').toBeLessThanOrEqual(3);
	await expect(harbourLink).toBeVisible();
	expect(await page.locator('a[href^="/staff/pupils/"]').count()).toBe(harbourPage === 3 ? 3 : 100);
	await expectNoAxeViolations(page);

	// A pupil's own page.
	await page.getByRole('link', { name: `${harbourChild.firstName} ${harbourChild.lastName}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: `${harbourChild.firstName} ${harbourChild.lastName}` })).toBeVisible();
	await expect(page.getByText('Possible sessions')).toBeVisible();

	// The Northgate head, in another browser, sees Nell; her link is "not found" for Harbourside's head.
	const other = await browser.newContext();
	const northgatePage = await other.newPage();
	await signIn(northgatePage, 'head@northgate.example.org');
	await expect(northgatePage).toHaveURL(/\/staff$/);
	await expect(northgatePage.getByText('Northgate Infant School', { exact: true })).toBeVisible();
	const nell = northgatePage.getByRole('link', { name: `${northgateChild.firstName} ${northgateChild.lastName}` });
	await expect(nell).toBeVisible();
	expect(await northgatePage.locator('a[href^="/staff/pupils/"]').count()).toBe(13);
	const href = (await nell.getAttribute('href'))!;
	const ownView = await northgatePage.goto(href);
	expect(ownView?.status()).toBe(200);
	await other.close();

	const response = await page.goto(href);
	expect(response?.status()).toBe(404);
	await expect(page.getByText(northgateChild.firstName)).toHaveCount(0);

	// Sign out: /staff is closed again.
	await page.goto('/staff');
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test('the LA admin sees the schools with pupil counts, and no child data', async ({ page }) => {
	await signIn(page, 'admin@portsmouth.example.org');
	await expect(page).toHaveURL(/\/admin$/);
	await expect(page.getByRole('cell', { name: 'Harbourside Primary' })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Northgate Infant School' })).toBeVisible();
	await expect(page.getByRole('row', { name: /Northgate Infant School 999002 13/ })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.goto('/staff');
	await expect(page).toHaveURL(/\/admin$/);
});

test('the attendance lead sets when the school day ends, which must be after the afternoon register', async ({ page }) => {
	await signIn(page, 'attendance@harbourside.example.org');
	await expect(page).toHaveURL(/\/staff$/);
	await page.goto('/staff/settings');
	const ends = page.getByLabel('School day ends');
	await expect(ends).toHaveValue('15:15');
	await ends.fill('13:00');
	await page.getByRole('button', { name: 'Update school settings' }).click();
	await expect(page.getByRole('alert').getByRole('link', { name: 'The school day must end after the afternoon register closes' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('School day ends').fill('15:10');
	await page.getByRole('button', { name: 'Update school settings' }).click();
	await expect(page.getByRole('status')).toHaveText('School settings updated.');
	await page.goto('/staff/settings');
	await expect(page.getByLabel('School day ends')).toHaveValue('15:10');
});
