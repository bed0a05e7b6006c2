/**
 * A school joins: the LA adds it and invites its head, the head accepts (password and
 * authenticator from the QR code's key), previews and applies a roster, and loads the calendar.
 * Every page checked with axe, error states included.
 */
import { expect, test, type Page } from '@playwright/test';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { fileURLToPath } from 'node:url';
import { devSignIn, expectNoAxeViolations } from './helpers';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/onboarding/${name}`, import.meta.url));
const PASSWORD = 'a long pass phrase for school';
const currentCode = (keyBase32: string) => generateHOTP(decodeBase32IgnorePadding(keyBase32.replace(/\s/g, '')), BigInt(Math.floor(Date.now() / 30_000)), 6);

async function invitationLink(page: Page, email: string): Promise<string> {
	await page.goto('/dev/outbox');
	const row = page.locator(`tr[data-recipient="${email}"]`).first();
	await expect(row).toContainText('staff_invitation');
	const text = (await row.textContent()) ?? '';
	const m = /\/invitation\/[A-Za-z0-9_-]{43}/.exec(text);
	expect(m).not.toBeNull();
	return m![0];
}

test('the LA adds a school; the head accepts the invitation, imports the roster with a preview and enters the calendar', async ({ page }) => {
	test.setTimeout(90_000);
	await devSignIn(page, 'admin@portsmouth.example.org');
	await page.getByRole('link', { name: 'Add a school' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Add a school' })).toBeVisible();
	await expectNoAxeViolations(page);

	// Mistakes are named next to their fields.
	await page.getByLabel('School name').fill('Seaview Primary School');
	await page.getByLabel('URN').fill('12');
	await page.getByRole('button', { name: 'Add the school and send the invitation' }).click();
	await expect(page.getByRole('link', { name: /Enter the school’s URN/ })).toHaveAttribute('href', '#urn');
	await expectNoAxeViolations(page);

	await page.getByLabel('URN').fill('139999');
	await page.getByRole('checkbox', { name: 'Polski' }).check();
	await page.getByLabel('Their name').fill('Helen Marsh');
	await page.getByLabel('Their email address').fill('head@seaview.example.org');
	await page.getByRole('button', { name: 'Add the school and send the invitation' }).click();
	await expect(page.getByRole('status')).toContainText('Seaview Primary School was added');
	await expect(page.getByRole('cell', { name: '139999' })).toBeVisible();

	const link = await invitationLink(page, 'head@seaview.example.org');
	await page.context().clearCookies();
	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1, name: 'Join Seaview Primary School on Every Day' })).toBeVisible();
	await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
	await expectNoAxeViolations(page);
	const key = (await page.locator('code.key').textContent())!;

	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByLabel('The same password again').fill('not the same password');
	await page.getByLabel('The 6-digit code the app now shows').fill(currentCode(key));
	await page.getByRole('button', { name: 'Create my account' }).click();
	await expect(page.getByRole('link', { name: 'The two passwords are not the same' })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByLabel('The same password again').fill(PASSWORD);
	await page.getByLabel('The 6-digit code the app now shows').fill(currentCode(key));
	await page.getByRole('button', { name: 'Create my account' }).click();
	await expect(page).toHaveURL(/\/staff$/);
	await expect(page.getByText('Seaview Primary School').first()).toBeVisible();

	// The link works once.
	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1, name: 'This invitation link does not work' })).toBeVisible();

	// Roster: preview first, nothing changes until applied.
	await page.goto('/staff/roster');
	await expectNoAxeViolations(page);
	await page.getByLabel('Pupils file (CSV)').setInputFiles(fixture('pupils.csv'));
	await page.getByLabel('Contacts file (CSV)').setInputFiles(fixture('guardians-bad.csv'));
	await page.getByRole('button', { name: 'Preview the changes' }).click();
	await expect(page.getByRole('alert')).toContainText('Nothing was changed: 1 row needs correcting');
	await expect(page.getByRole('row', { name: /contacts file 4 .*is not a phone number/ })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByLabel('Pupils file (CSV)').setInputFiles(fixture('pupils.csv'));
	await page.getByLabel('Contacts file (CSV)').setInputFiles(fixture('guardians.csv'));
	await page.getByRole('button', { name: 'Preview the changes' }).click();
	await expect(page.getByRole('heading', { name: 'What will change' })).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Maja Kowalska (C123456789012)' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.goto('/staff');
	await expect(page.getByText('There are no pupils on roll yet.')).toBeVisible();
	await page.goto('/staff/roster');
	await page.getByLabel('Pupils file (CSV)').setInputFiles(fixture('pupils.csv'));
	await page.getByLabel('Contacts file (CSV)').setInputFiles(fixture('guardians.csv'));
	await page.getByRole('button', { name: 'Preview the changes' }).click();
	await page.getByRole('button', { name: 'Apply these changes' }).click();
	await expect(page.getByRole('status')).toContainText('4 pupils added');
	await expect(page.getByRole('cell', { name: /Applied: 4 added/ })).toBeVisible();

	// Calendar: nothing yet is "not published", then the file fills this year.
	await page.goto('/staff/calendar');
	await expect(page.getByText('Not published yet.').first()).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('Calendar file (CSV or .ics)').setInputFiles(fixture('calendar.csv'));
	await page.getByRole('button', { name: 'Import the file' }).click();
	await expect(page.getByRole('status')).toContainText('Imported 6 terms');
	await expect(page.getByRole('cell', { name: 'Autumn 1', exact: true })).toBeVisible();
	await expect(page.getByRole('cell', { name: /Bank holiday: Early May bank holiday/ })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Year 6', exact: true })).toBeVisible();
	await expect(page.getByText('Not published yet.')).toHaveCount(1);
	await expectNoAxeViolations(page);
	// A bad entry says what is wrong.
	await page.getByLabel('What').selectOption('term');
	await page.getByLabel('Name').fill('Overlapping');
	await page.getByLabel('First day').fill('2026-10-01');
	await page.getByLabel('Last day').fill('2026-10-30');
	await page.getByRole('button', { name: 'Add to the calendar' }).click();
	await expect(page.getByRole('alert')).toContainText('overlap');
	await expectNoAxeViolations(page);

	// A parent from the roster signs in and asks to change their number; the school sees it.
	const headCookies = await page.context().cookies();
	await page.context().clearCookies();
	await devSignIn(page, '020 7946 0311');
	await page.goto('/account');
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByRole('alert')).toHaveText(/Enter a new mobile number, email address or language/);
	await expectNoAxeViolations(page);
	await page.getByLabel('New mobile number').fill('020 7946 0355');
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The school has your request' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.context().clearCookies();
	await page.context().addCookies(headCookies);
	await page.goto('/staff/roster');
	await expect(page.getByRole('row', { name: /Grace Okafor phone \S+ ?460355 .*Waiting for the MIS/ })).toBeVisible();

	// The head invites the office; the MIS token is shown once.
	await page.goto('/staff/team');
	await page.getByLabel('Their name').fill('Omar Office');
	await page.getByLabel('Their email address').fill('office@seaview.example.org');
	await page.getByLabel('Their role').selectOption('office');
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByRole('status')).toHaveText('An invitation is on its way to office@seaview.example.org.');
	await expect(page.getByRole('cell', { name: /Waiting/ })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.goto('/staff/settings');
	await page.getByRole('button', { name: 'Issue a token' }).click();
	await expect(page.getByRole('status')).toContainText(/edm_[A-Za-z0-9_-]{43}/);
	await expectNoAxeViolations(page);
	await page.goto('/staff/settings');
	await expect(page.getByText(/A token is active\. Issued .*; not used yet\./)).toBeVisible();
	await expect(page.getByText(/edm_/)).toHaveCount(0);
});
