import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DEMO_CLOSURES, DEMO_TERMS } from '../../src/lib/server/db/demo-calendar';

/**
 * A parent reports an absence on the web (issue 4, DESIGN §5): with and without JavaScript,
 * with an error summary for a form sent with nothing chosen. Demo families from the seed:
 * Shafiq Chowdhury (three children at Harbourside) and Claire Lanternby (one at each school).
 */
const CHOWDHURY = { phone: '+447700900101', typed: '07700 900101' };
const LANTERNBY = { phone: '+447700900547', typed: '07700 900547' };
const REFERENCE = /^[A-Z2-9]{3}-[A-Z2-9]{3}$/;

async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

function londonToday(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

function isSchoolDay(iso: string): boolean {
	const weekday = new Date(`${iso}T12:00:00Z`).getUTCDay();
	return (
		weekday !== 0 &&
		weekday !== 6 &&
		DEMO_TERMS.some((t) => t.startsOn <= iso && iso <= t.endsOn) &&
		!DEMO_CLOSURES.some((c) => c.date === iso)
	);
}

/** The next school day after today (London) in the demo calendar, as YYYY-MM-DD. */
function nextSchoolDay(): string {
	const d = new Date(`${londonToday()}T12:00:00Z`);
	for (let i = 0; i < 400; i++) {
		d.setUTCDate(d.getUTCDate() + 1);
		const iso = d.toISOString().slice(0, 10);
		if (isSchoolDay(iso)) return iso;
	}
	throw new Error('No school day ahead in the demo calendar');
}

/** After 9:15 London time the morning register has closed. */
function afterRegisterCloses(): boolean {
	const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
	return hhmm >= '09:15';
}

async function codeFromOutbox(page: Page, phone: string): Promise<string> {
	let code: string | undefined;
	await expect(async () => {
		await page.goto('/dev/outbox');
		const text = await page.locator(`tr[data-recipient="${phone}"]`).first().textContent({ timeout: 1000 });
		code = /\b(\d{6})\b/.exec(text ?? '')?.[1];
		expect(code).toBeDefined();
	}).toPass({ timeout: 10_000 });
	return code!;
}

async function signIn(page: Page, who: { phone: string; typed: string }) {
	await page.goto('/sign-in');
	await page.getByLabel('Enter your mobile number or email address').fill(who.typed);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	const codePage = page.url();
	const code = await codeFromOutbox(page, who.phone);
	await page.goto(codePage);
	await page.getByLabel('Enter the code we sent you').fill(code);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/children$/);
}

test('a parent reports one child off sick and gets a reference', async ({ page }) => {
	await signIn(page, CHOWDHURY);
	await page.getByRole('link', { name: 'Report an absence' }).click();
	await expect(page).toHaveURL(/\/report$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Report an absence' })).toBeVisible();
	await expect(page.getByText(/Tell us before 9:15/)).toBeVisible();
	await expectNoAxeViolations(page);

	// Nothing chosen: an error summary linking to the fields.
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Choose who is off school' })).toHaveAttribute('href', '#pupilIds');
	await expect(page.getByRole('link', { name: 'Choose why they will be off' })).toHaveAttribute('href', '#reason');
	await expect(page).toHaveTitle(/^Error: /);
	await expectNoAxeViolations(page);

	// Off sick today when today is a school day; otherwise on the next school day.
	const today = isSchoolDay(londonToday());
	await page.getByRole('checkbox', { name: 'Imran Chowdhury' }).check();
	if (today) {
		await page.getByRole('radio', { name: 'Today', exact: true }).check();
	} else {
		await page.getByRole('radio', { name: 'Another day' }).check();
		await page.getByLabel('Date (if another day)').fill(nextSchoolDay());
	}
	await page.getByRole('radio', { name: 'Illness', exact: true }).check();
	await page.getByLabel(/Anything else the school should know/).fill('A temperature and a cough.');
	await page.getByRole('button', { name: 'Send to the school' }).click();

	await expect(page).toHaveURL(/\/report\/done\?refs=/);
	await expect(page.getByRole('heading', { level: 1, name: 'Absence reported' })).toBeVisible();
	const references = page.locator('.reference');
	await expect(references).toHaveCount(1);
	expect((await references.first().textContent())!.trim()).toMatch(REFERENCE);
	await expect(page.getByText('We have told Harbourside Primary.')).toBeVisible();
	await expect(page.getByText('We hope Imran feels better soon.')).toBeVisible();
	if (today && afterRegisterCloses()) {
		await expect(page.getByText('The register has closed, so the school may call you.', { exact: false })).toBeVisible();
	}
	await expect(page.getByRole('link', { name: 'Back to your children' })).toHaveAttribute('href', '/children');
	await expectNoAxeViolations(page);

	// Reloading the confirmation, or going back and sending the same form again, makes no second report.
	const url = page.url();
	await page.goBack();
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page).toHaveURL(/\/report\/done\?refs=/);
	expect(page.url()).toBe(url);

	// Another parent cannot see this report by its reference.
	const ref = (await references.first().textContent())!.trim();
	await page.context().clearCookies();
	await signIn(page, LANTERNBY);
	await page.goto(`/report/done?refs=${ref}`);
	await expect(page.getByRole('heading', { level: 1, name: 'We cannot find that report' })).toBeVisible();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a report for two children at two schools works with form posts only', async ({ page }) => {
		await signIn(page, LANTERNBY);
		await page.goto('/report');
		await expect(page.getByText(/Tell us before 9:15/).first()).toBeVisible();

		// Missing reason: the error is shown and the choices are kept.
		const boxes = page.locator('input[name="pupilId"]');
		await expect(boxes).toHaveCount(2);
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.getByRole('radio', { name: 'More than one day' }).check();
		const day = nextSchoolDay();
		await page.getByLabel('First day off').fill(day);
		await page.getByLabel('Last day off').fill(day);
		await page.getByRole('button', { name: 'Send to the school' }).click();
		await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Choose why they will be off' })).toBeVisible();
		await expect(boxes.nth(0)).toBeChecked();
		await expect(boxes.nth(1)).toBeChecked();
		await expect(page.getByRole('radio', { name: 'More than one day' })).toBeChecked();
		await expect(page.getByLabel('First day off')).toHaveValue(day);

		await page.getByRole('radio', { name: 'Medical or dental appointment' }).check();
		await page.getByRole('button', { name: 'Send to the school' }).click();
		await expect(page).toHaveURL(/\/report\/done\?refs=/);
		const references = page.locator('.reference');
		await expect(references).toHaveCount(2);
		for (const text of await references.allTextContents()) expect(text.trim()).toMatch(REFERENCE);
		await expect(page.getByText('We have told Harbourside Primary.')).toBeVisible();
		await expect(page.getByText('We have told Northgate Infant School.')).toBeVisible();
	});
});
