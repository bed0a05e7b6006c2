import { test, expect, type Page } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, isDemoSchoolDay, londonToday, nextDemoSchoolDay, openReportForm } from './helpers';

/**
 * A parent reports an absence on the web (docs/domain-rules.md §5): with and without JavaScript,
 * offline then online, changes and withdraws it, answers a check-in; the school's board shows
 * reports live and messages families of unexplained absences. Demo families from the seed:
 * Shafiq Chowdhury (three children at Harbourside) and Claire Lanternby (one at each school).
 */
const CHOWDHURY = '07700 900101';
const LANTERNBY = '07700 900547';
const REFERENCE = /^[A-Z2-9]{3}-[A-Z2-9]{3}$/;

/** After 9:15 London time the morning register has closed. */
function afterRegisterCloses(): boolean {
	const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
	return hhmm >= '09:15';
}

/** Chooses "Today" on a school day, otherwise the next school day. Returns whether it was today. */
async function chooseFirstDay(page: Page): Promise<boolean> {
	const today = isDemoSchoolDay(londonToday());
	if (today) {
		await page.getByRole('radio', { name: 'Today', exact: true }).check();
	} else {
		await page.getByRole('radio', { name: 'Another day' }).check();
		await page.getByLabel('Date (if another day)').fill(nextDemoSchoolDay());
	}
	return today;
}

test('a parent reports one child off sick and gets a reference', async ({ page }) => {
	await devSignIn(page, CHOWDHURY);
	await page.getByRole('link', { name: 'Report an absence' }).first().click();
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

	await page.getByRole('checkbox', { name: 'Imran Chowdhury' }).check();
	const today = await chooseFirstDay(page);
	await page.getByRole('radio', { name: 'Illness', exact: true }).check();
	await page.getByLabel(/Anything else the school should know/).fill('A temperature and a cough.');
	await page.getByRole('button', { name: 'Send to the school' }).click();

	await expect(page).toHaveURL(/\/report\/done\?refs=/);
	await expect(page.getByRole('heading', { level: 1, name: 'Absence reported' })).toBeVisible();
	const references = page.locator('.reference');
	await expect(references).toHaveCount(1);
	const ref = (await references.first().textContent())!.trim();
	expect(ref).toMatch(REFERENCE);
	await expect(page.getByText('We have told Harbourside Primary.')).toBeVisible();
	await expect(page.getByText('We hope Imran feels better soon.')).toBeVisible();
	if (today && afterRegisterCloses()) {
		await expect(page.getByText('The register has closed, so the school may call you.', { exact: false })).toBeVisible();
	}
	await expect(page.getByRole('link', { name: 'Back to your children' })).toHaveAttribute('href', '/children');
	await expectNoAxeViolations(page);

	// Another parent cannot see this report by its reference, on either page.
	await page.context().clearCookies();
	await devSignIn(page, LANTERNBY);
	await page.goto(`/report/done?refs=${ref}`);
	await expect(page.getByRole('heading', { level: 1, name: 'We cannot find that report' })).toBeVisible();
	const response = await page.goto(`/reports/${ref}`);
	expect(response?.status()).toBe(404);
});

test('sending the same report twice (a retry) stores it once', async ({ page }) => {
	await devSignIn(page, CHOWDHURY);
	await openReportForm(page);
	const children = await page.locator('input[name="pupilId"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
	const body = {
		idempotencyKey: `retry-${Date.now()}`,
		pupilIds: [children[2]],
		when: 'day',
		date: nextDemoSchoolDay(),
		reason: 'medical_appointment',
		details: 'Dentist'
	};
	// A day no other test reports this child for: a child already reported that day would have
	// this added to that report instead of a new one being made.
	body.date = nextDemoSchoolDay(nextDemoSchoolDay(nextDemoSchoolDay()));
	const first = await page.request.post('/api/reports', { data: body });
	expect(first.status()).toBe(200);
	const again = await page.request.post('/api/reports', { data: body });
	expect(again.status()).toBe(200);
	const a = await first.json();
	const b = await again.json();
	expect(a.created).toBe(true);
	expect(b.created).toBe(false);
	expect(b.references).toEqual(a.references);

	// Bad input gets a clear error and stores nothing.
	const bad = await page.request.post('/api/reports', { data: { ...body, idempotencyKey: `bad-${Date.now()}`, reason: 'holiday' } });
	expect(bad.status()).toBe(422);
	expect((await bad.json()).errors).toEqual([{ field: 'reason', message: 'Choose why they will be off' }]);
	const notMine = await page.request.post('/api/reports', {
		data: { ...body, idempotencyKey: `other-${Date.now()}`, pupilIds: ['00000000-0000-4000-8000-000000000000'] }
	});
	expect(notMine.status()).toBe(422);

	// Signed out, the API refuses.
	await page.context().clearCookies();
	expect((await page.request.post('/api/reports', { data: body })).status()).toBe(401);
});

test('offline, the report is saved on the phone and sent once when back online', async ({ page, context }) => {
	await devSignIn(page, CHOWDHURY);
	await openReportForm(page);
	await page.getByRole('checkbox', { name: 'Nabil Chowdhury' }).check();
	await page.getByRole('radio', { name: 'Another day' }).check();
	const day = nextDemoSchoolDay();
	await page.getByLabel('Date (if another day)').fill(day);
	await page.getByRole('radio', { name: 'Religious observance' }).check();

	await context.setOffline(true);
	await page.getByRole('button', { name: 'Send to the school' }).click();
	const saved = page.getByTestId('saved-offline');
	await expect(saved).toContainText('Saved on this phone');
	await expect(saved).toContainText('Nabil Chowdhury');
	await expectNoAxeViolations(page);
	// A second tap while offline queues nothing new (same key).
	await page.getByRole('button', { name: 'Send to the school' }).click();

	await context.setOffline(false);
	await expect(page).toHaveURL(/\/report\/done\?refs=/, { timeout: 15_000 });
	await expect(page.locator('.reference')).toHaveCount(1);
	await expect(page.getByRole('heading', { level: 2, name: 'Nabil Chowdhury' })).toBeVisible();

	// Exactly one report for Nabil that day.
	await page.goto('/reports');
	await expect(page.getByRole('link', { name: /^Nabil:/ })).toHaveCount(1);
});

test('a parent changes a report, answers the daily check-in and withdraws another', async ({ page }) => {
	await devSignIn(page, LANTERNBY);
	await openReportForm(page);
	await page.locator('input[name="pupilId"]').first().check();
	await chooseFirstDay(page);
	await page.getByRole('radio', { name: 'From today, until further notice' }).check();
	await page.getByRole('radio', { name: 'Something else' }).check();
	await page.getByLabel(/Anything else the school should know/).fill('Not sure yet');
	await page.getByRole('button', { name: 'Send to the school' }).click();
	const outcome = page.getByRole('heading', { level: 1, name: 'Absence reported' }).or(page.getByRole('heading', { name: 'There is a problem' }));
	await expect(outcome).toBeVisible();
	if (!isDemoSchoolDay(londonToday())) {
		// "Until further notice" starts today; on a day the school is closed that is explained.
		await expect(page.getByRole('link', { name: /closed|not in term/ })).toBeVisible();
		return;
	}
	await page.getByRole('link', { name: 'Change or withdraw this report' }).click();
	await expect(page.getByRole('heading', { level: 2, name: /is still off\?|still off/ })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByRole('radio', { name: 'Illness', exact: true }).check();
	await page.getByLabel('Anything else the school should know?').fill('Chickenpox');
	await page.getByRole('button', { name: 'Send the change' }).click();
	await expect(page.getByRole('status')).toContainText('Your change has been sent to the school.');
	await expect(page.getByText('Illness: Chickenpox')).toBeVisible();

	// Still off today: already covered, so nothing changes; back at school ends it.
	await page.getByRole('button', { name: /is back at school/ }).click();
	await expect(page.getByRole('status')).toContainText('We are glad');
	await expect(page.getByRole('button', { name: /is back at school/ })).toHaveCount(0);

	// One tap only asks: the report stands until the parent says yes.
	await page.getByRole('button', { name: 'Withdraw this report' }).click();
	const confirm = page.getByTestId('withdraw-confirm');
	await expect(confirm).toContainText('Withdraw this report?');
	await expect(page.getByText('Withdrawn', { exact: true })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await confirm.getByRole('link', { name: 'No, keep it' }).click();
	await expect(page.getByTestId('withdraw-confirm')).toHaveCount(0);
	await page.getByRole('button', { name: 'Withdraw this report' }).click();
	await page.getByTestId('withdraw-confirm').getByRole('button', { name: 'Yes, withdraw it' }).click();
	await expect(page.getByRole('status')).toContainText('Report withdrawn.');
	await expect(page.getByText('Withdrawn', { exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Withdraw this report' })).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a report for two children at two schools works with form posts only, and a resend stores nothing new', async ({ page }) => {
		await devSignIn(page, LANTERNBY);
		await openReportForm(page);
		await expect(page.getByText(/Tell us before 9:15/).first()).toBeVisible();

		// Missing reason: the error is shown and the choices are kept.
		const boxes = page.locator('input[name="pupilId"]');
		await expect(boxes).toHaveCount(2);
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.getByRole('radio', { name: 'More than one day' }).check();
		const day = nextDemoSchoolDay(nextDemoSchoolDay());
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
		const key = await page.locator('input[name="idempotencyKey"]').inputValue();
		const ids = await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
		await page.getByRole('button', { name: 'Send to the school' }).click();
		await expect(page).toHaveURL(/\/report\/done\?refs=/);
		const url = new URL(page.url());
		const references = page.locator('.reference');
		await expect(references).toHaveCount(2);
		for (const text of await references.allTextContents()) expect(text.trim()).toMatch(REFERENCE);
		await expect(page.getByText('We have told Harbourside Primary.')).toBeVisible();
		await expect(page.getByText('We have told Northgate Infant School.')).toBeVisible();

		// The browser sending the same form again (same key) makes no second report: the answer
		// points at the same references.
		const resend = await page.request.post('/report', {
			multipart: { idempotencyKey: key, pupilId: ids[0]!, when: 'range', from: day, to: day, reason: 'medical_appointment', details: '' },
			headers: { origin: url.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(resend.status()).toBe(303);
		expect(resend.headers()['location']).toContain(url.search.split(',')[0]!.replace('?refs=', ''));
	});
});

test('the school board shows a new report live, and one click messages a family with no reason', async ({ page, browser }) => {
	await devSignIn(page, 'office@harbourside.example.org');
	await page.goto('/staff/today');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expectNoAxeViolations(page);
	if (!isDemoSchoolDay(londonToday())) {
		await expect(page.getByText('This is not a school day.')).toBeVisible();
		return;
	}
	await expect(page.getByText('New reports appear here as parents send them.')).toBeVisible();

	// A parent reports in another browser; the board shows it without a reload.
	const parentContext = await browser.newContext();
	const parent = await parentContext.newPage();
	await devSignIn(parent, CHOWDHURY);
	await openReportForm(parent);
	await parent.getByRole('checkbox', { name: 'Arif Chowdhury' }).check();
	await parent.getByRole('radio', { name: 'Today', exact: true }).check();
	await parent.getByRole('radio', { name: 'Bereavement' }).check();
	await parent.getByRole('button', { name: 'Send to the school' }).click();
	await expect(parent).toHaveURL(/\/report\/done\?refs=/);
	const ref = (await parent.locator('.reference').first().textContent())!.trim();
	await parentContext.close();

	const row = page.getByRole('row', { name: new RegExp(`Arif Chowdhury.*Ref ${ref}`) });
	await expect(row).toBeVisible({ timeout: 15_000 });
	await expect(row.getByRole('cell', { name: 'C', exact: true })).toBeVisible();
	// When and how it came in: the time on the school's clock, and the website.
	const londonNow = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	await expect(row.getByTestId('reported-via')).toHaveText(/^\d\d:\d\d, website$/);
	const [hh, mm] = (await row.getByTestId('reported-via').textContent())!.slice(0, 5).split(':').map(Number);
	const [nowH, nowM] = londonNow.format(new Date()).split(':').map(Number);
	expect(Math.abs(nowH! * 60 + nowM! - (hh! * 60 + mm!)) % (24 * 60)).toBeLessThanOrEqual(5);
	await row.getByRole('button', { name: /Acknowledge/ }).click();
	await expect(page.getByRole('status')).toContainText('Report acknowledged.');

	// First day contact: the MIS sends this morning's register (the demo's stand-in for it),
	// with some pupils marked N and no report.
	const staffUrl = page.url();
	await page.goto('/dev/register');
	await page.getByRole('button', { name: 'Take this morning’s register' }).click();
	await expect(page.getByRole('status')).toContainText('absent with no reason yet (N)');
	await page.goto(staffUrl);
	const unexplained = page.getByRole('table', { name: /no reason yet/ });
	const toMessage = unexplained.getByRole('row').filter({ has: page.getByRole('button', { name: /^Message parents of / }) }).first();
	await expect(toMessage).toBeVisible();
	const pupil = (await toMessage.getByRole('link').first().textContent())!.trim();
	await toMessage.getByRole('button', { name: `Message parents of ${pupil}` }).click();
	await expect(page.getByRole('status')).toContainText('Message sent to 1 family.');
	await expect(unexplained.getByRole('row').filter({ hasText: pupil })).toContainText('Messaged at');
	// What actually went, by which channel, and how far it got (not just the parent's preference).
	await expect(unexplained.getByRole('row').filter({ hasText: pupil }).getByTestId('contact-sent')).toHaveText(
		/^(Text message|Telegram|App notification|Email): (waiting to send|sent|delivered)(; (Text message|Telegram|App notification|Email): (waiting to send|sent|delivered))*$/
	);
	await expectNoAxeViolations(page);

	// The message reaches the dev outbox, asking for the reason, in the parent's language (the
	// demo's families include Polish, Romanian, Arabic and Bengali speakers).
	const firstName = pupil.split(' ')[0]!;
	await page.goto('/dev/outbox');
	const inAnyLanguage = [
		'is not in school (today|this afternoon) and we have not heard why',
		'nie ma dziś (po południu )?w szkole',
		'nu este (azi )?la școală',
		'ليس في المدرسة',
		'(আজ|আজ বিকেলে) স্কুলে নেই'
	].join('|');
	await expect(page.getByText(new RegExp(`${firstName} (${inAnyLanguage})`)).first()).toBeVisible();

	// CSV for the MIS includes the acknowledged report with its suggested code.
	const csv = await page.request.get(`/staff/today/reports.csv?date=${londonToday()}`);
	expect(csv.status()).toBe(200);
	expect(await csv.text()).toContain(ref);
});

test('the attendance lead turns on automatic first day contact; office staff cannot change settings', async ({ page }) => {
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.getByRole('link', { name: 'School settings' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'School settings' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('radio', { name: 'Message families automatically' }).check();
	await page.getByLabel(/^At/).fill('08:30');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('link', { name: 'Choose a time after the morning register closes (09:15)' })).toHaveAttribute('href', '#time');
	await expectNoAxeViolations(page);
	await page.getByLabel(/^At/).fill('10:15');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText('Settings saved.');
	await page.reload();
	await expect(page.getByLabel(/^At/)).toHaveValue('10:15');
	await expect(page.getByRole('radio', { name: 'Message families automatically' })).toBeChecked();
	// Back to manual, so the other tests see the demo as it ships.
	await page.getByRole('radio', { name: 'Staff send the messages' }).check();
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText('Settings saved.');

	await page.context().clearCookies();
	await devSignIn(page, 'office@harbourside.example.org');
	const response = await page.goto('/staff/settings');
	expect(response?.status()).toBe(403);
});

test('staff acknowledge every new report on the board at once; only the ones they saw', async ({ page, browser }) => {
	// Two new reports from one family for the next school day.
	const parentContext = await browser.newContext();
	const parent = await parentContext.newPage();
	await devSignIn(parent, CHOWDHURY);
	const day = nextDemoSchoolDay();
	await openReportForm(parent);
	await parent.getByRole('checkbox', { name: 'Imran Chowdhury' }).check();
	await parent.getByRole('checkbox', { name: 'Nabil Chowdhury' }).check();
	await parent.getByRole('radio', { name: 'Another day' }).check();
	await parent.getByLabel('Date (if another day)').fill(day);
	await parent.getByRole('radio', { name: 'Illness' }).check();
	await parent.getByRole('button', { name: 'Send to the school' }).click();
	await expect(parent).toHaveURL(/\/report\/done\?refs=/);
	await parentContext.close();

	await devSignIn(page, 'office@harbourside.example.org');
	await page.goto(`/staff/today?date=${day}`);
	const open = page.getByRole('row').filter({ has: page.getByRole('button', { name: /^Acknowledge/ }) });
	const before = await open.count();
	expect(before).toBeGreaterThanOrEqual(2);
	await page.getByRole('button', { name: `Acknowledge the ${before} new reports shown` }).click();
	await expect(page.getByRole('status')).toContainText(`${before} reports acknowledged.`);
	await expect(page.getByRole('row').filter({ has: page.getByRole('button', { name: /^Acknowledge/ }) })).toHaveCount(0);
	await expectNoAxeViolations(page);
});
