import { test, expect, type Locator, type Page } from '@playwright/test';
import { generateTOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { DEMO_STAFF } from '../../src/lib/server/demo/staff';
import { isDemoSchoolDay, leaveDates, londonToday, nextDemoSchoolDay } from './helpers';

/**
 * The main flows with the keyboard only (WCAG 2.1.1): no clicks and no fill(), just
 * Tab, Enter, Space, arrow keys and typing. Addresses are visited with goto (as a bookmark
 * would), and codes are read from the dev outbox (as from the phone).
 *
 * A parent signs in with a code, reports an absence, asks for leave; the office signs in with
 * a password and an authenticator code, and acknowledges the report on the board.
 */
test.use({ locale: 'en-GB' });

const PHONE = '07700 900547'; // Claire Lanternby: Ezra at Harbourside, and a child at Northgate
const OFFICE = 'office@harbourside.example.org';

/** Presses Tab until `target` has focus. */
async function tabTo(page: Page, target: Locator, max = 150) {
	await expect(target).toBeVisible();
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		if (await target.evaluate((el) => el === document.activeElement)) return;
	}
	throw new Error(`Tab never reached ${target}`);
}

/** Tabs into a radio group and moves with the arrow keys until `target` is chosen. */
async function chooseRadio(page: Page, target: Locator) {
	const name = (await target.getAttribute('name'))!;
	await tabTo(page, page.locator(`input[type=radio][name="${name}"]:checked, input[type=radio][name="${name}"]`).first());
	for (let i = 0; i < 20 && !(await target.isChecked()); i++) await page.keyboard.press('ArrowDown');
	await expect(target).toBeChecked();
}

/**
 * Types a date into a date field, segment by segment as a keyboard user does. The segment
 * order follows the browser's own locale (month first in this Chromium, day first in en-GB
 * builds): if month-first did not give the date, go back to the first segment and type day-first.
 */
async function typeDate(page: Page, field: Locator, iso: string) {
	await tabTo(page, field);
	const [y, m, d] = iso.split('-');
	await page.keyboard.type(`${m}${d}${y}`);
	if ((await field.inputValue()) !== iso) {
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.type(`${d}${m}${y}`);
	}
	await expect(field).toHaveValue(iso);
}

async function newestCode(page: Page, recipient: string): Promise<string> {
	let code: string | undefined;
	await expect(async () => {
		await page.goto('/dev/outbox');
		code = /\b(\d{6})\b/.exec((await page.locator(`tr[data-recipient="${recipient}"]`).first().textContent({ timeout: 1000 })) ?? '')?.[1];
		expect(code).toBeDefined();
	}).toPass({ timeout: 10_000 });
	return code!;
}

test('keyboard only: a parent signs in with a code, reports an absence and asks for leave; the office acknowledges the report', async ({ page, browser }) => {
	test.setTimeout(150_000);

	// Sign in with a code.
	await page.goto('/sign-in');
	await tabTo(page, page.getByLabel('Enter your mobile number or email address'));
	await page.keyboard.type(PHONE);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	const codePage = page.url();
	const code = await newestCode(page, '+447700900547');
	await page.goto(codePage);
	await tabTo(page, page.getByLabel('Enter the code we sent you'));
	await page.keyboard.type(code);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/children$/);

	// Report an absence, from the link on the children page.
	await tabTo(page, page.getByRole('link', { name: 'Report an absence' }).first());
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/report$/);
	const ezra = page.getByRole('checkbox', { name: 'Ezra Lanternby' });
	await tabTo(page, ezra);
	await page.keyboard.press('Space');
	await expect(ezra).toBeChecked();
	const today = isDemoSchoolDay(londonToday());
	if (today) await chooseRadio(page, page.getByRole('radio', { name: 'Today', exact: true }));
	else {
		await chooseRadio(page, page.getByRole('radio', { name: 'Another day' }));
		await typeDate(page, page.getByLabel('Date (if another day)'), nextDemoSchoolDay());
	}
	await chooseRadio(page, page.getByRole('radio', { name: 'Illness', exact: true }));
	await tabTo(page, page.getByRole('button', { name: 'Send to the school' }));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/report\/done\?refs=/);
	await expect(page.getByRole('heading', { level: 1, name: 'Absence reported' })).toBeVisible();
	const reference = (await page.locator('.reference').first().textContent())!.trim();

	// Ask for leave, through the header link and the leave page.
	await tabTo(page, page.getByRole('link', { name: 'Leave', exact: true }));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/leave$/);
	await tabTo(page, page.getByRole('link', { name: 'Ask for leave' }));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/leave\/new$/);
	const child = page.getByRole('checkbox', { name: /Ezra Lanternby/ });
	await tabTo(page, child);
	await page.keyboard.press('Space');
	await expect(child).toBeChecked();
	await chooseRadio(page, page.getByRole('radio', { name: /^Exceptional circumstances/ }));
	const { from, to } = leaveDates(45);
	await typeDate(page, page.getByLabel('First day of leave'), from);
	await typeDate(page, page.getByLabel('Last day of leave'), to);
	await tabTo(page, page.getByLabel(/Why are you asking/));
	await page.keyboard.type('A family funeral abroad');
	await tabTo(page, page.getByRole('button', { name: 'Check the rules' }));
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('leave-feedback')).toContainText('This is 2 school days');
	await tabTo(page, page.getByRole('button', { name: 'Send the request to the headteacher' }));
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible();
	await expect(page.getByTestId('leave-status')).toHaveText('Waiting for the headteacher');

	// The office: password, authenticator code, then the board.
	const office = await (await browser.newContext({ locale: 'en-GB' })).newPage();
	await office.goto('/staff/sign-in');
	await tabTo(office, office.getByLabel('Email address'));
	await office.keyboard.type(OFFICE);
	await office.keyboard.press('Tab');
	await expect(office.getByLabel('Password')).toBeFocused();
	await office.keyboard.type(DEMO_STAFF.find((s) => s.email === OFFICE)!.password);
	await office.keyboard.press('Enter');
	await expect(office).toHaveURL(/\/two-factor$/);
	await tabTo(office, office.getByLabel('Enter the code from your authenticator app'));
	await office.keyboard.type(generateTOTP(decodeBase32IgnorePadding(DEMO_STAFF.find((s) => s.email === OFFICE)!.totpKeyBase32), 30, 6));
	await office.keyboard.press('Enter');
	await expect(office).toHaveURL(/\/staff$/);
	await office.goto('/staff/today');
	if (!today) {
		await expect(office.getByText('This is not a school day.')).toBeVisible();
		return;
	}
	const row = office.getByRole('row', { name: new RegExp(`Ezra Lanternby.*Ref ${reference}`) });
	await expect(row).toBeVisible({ timeout: 15_000 });
	await tabTo(office, row.getByRole('button', { name: /Acknowledge/ }));
	await office.keyboard.press('Enter');
	await expect(office.getByRole('status')).toContainText('Report acknowledged.');
});
