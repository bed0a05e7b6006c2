import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, isDemoSchoolDay, londonToday, nextDemoSchoolDay, openReportForm } from './helpers';

/**
 * Part days and the edges of the rules, in the browser: a parent reports an appointment with its
 * times and a child leaving after registration; the board shows the times and who reported. The
 * headteacher splits a religious-observance request: R for the day set apart only.
 */
const CHOWDHURY = '07700 900101';
const LANTERNBY = '07700 900547';

/** Three consecutive school days at least 20 days ahead (the demo school asks for 14 days' notice). */
function threeSchoolDays(): string[] {
	const d = new Date(`${londonToday()}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 24);
	for (let i = 0; i < 200; i++) {
		const days = [0, 1, 2].map((k) => {
			const x = new Date(d);
			x.setUTCDate(x.getUTCDate() + k);
			return x.toISOString().slice(0, 10);
		});
		if (days.every(isDemoSchoolDay)) return days;
		d.setUTCDate(d.getUTCDate() + 1);
	}
	throw new Error('No three school days ahead in the demo calendar');
}

test('a parent reports an appointment with its times and a child leaving after registration; the board shows both', async ({ page, browser }) => {
	test.setTimeout(90_000);
	const day = nextDemoSchoolDay();
	// The next school day for the second report: a second report of the same day is added to the first.
	const dayAfter = nextDemoSchoolDay(day);
	await devSignIn(page, CHOWDHURY);
	await openReportForm(page);
	await page.getByRole('checkbox', { name: 'Imran Chowdhury' }).check();
	await page.getByRole('radio', { name: 'Another day' }).check();
	await page.getByLabel('Date (if another day)').fill(day);
	await page.getByRole('radio', { name: 'Out for an appointment, then back' }).check();
	await page.getByLabel('Leaving at').nth(1).fill('10:30');
	await page.getByLabel('Back by').fill('14:00');
	await page.getByRole('radio', { name: 'Medical or dental appointment' }).check();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Absence reported' })).toBeVisible();
	await expect(page.getByTestId('not-absent')).toHaveCount(0); // back after the afternoon register closes

	// Leaving at 14:15, after both registers: told it is not an absence.
	await openReportForm(page);
	await page.getByRole('checkbox', { name: 'Imran Chowdhury' }).check();
	await page.getByRole('radio', { name: 'Another day' }).check();
	await page.getByLabel('Date (if another day)').fill(dayAfter);
	await page.getByRole('radio', { name: 'Leaving early and not coming back' }).check();
	await page.getByLabel('Leaving at').first().fill('14:15');
	await page.getByRole('radio', { name: 'Medical or dental appointment' }).check();
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByTestId('not-absent')).toContainText('Imran will be in school when the register is taken, so this is not an absence.');
	await expectNoAxeViolations(page);

	// A time missing: an error linked to the question.
	await openReportForm(page);
	await page.getByRole('checkbox', { name: 'Imran Chowdhury' }).check();
	await page.getByRole('radio', { name: 'Another day' }).check();
	await page.getByLabel('Date (if another day)').fill(day);
	await page.getByRole('radio', { name: 'Coming in late' }).check();
	await page.getByRole('radio', { name: 'Medical or dental appointment' }).check();
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByRole('link', { name: 'Enter the time they will be in school, like 10:00.' })).toHaveAttribute('href', '#part');
	await expectNoAxeViolations(page);

	const office = await (await browser.newContext()).newPage();
	await devSignIn(office, 'office@harbourside.example.org');
	await office.goto(`/staff/today?date=${day}`);
	const row = office.getByRole('row', { name: /Imran Chowdhury/ });
	await expect(office.getByTestId('part-day').filter({ hasText: 'Appointment: leaves at 10:30, back by 14:00' })).toBeVisible();
	await expect(office.getByTestId('reporter').first()).toContainText('Reported by Shafiq Chowdhury');
	await expectNoAxeViolations(office);
	const csv = await (await office.request.get(`/staff/today/reports.csv?date=${day}`)).text();
	expect(csv).toContain('Appointment: leaves at 10:30, back by 14:00');
	await office.goto(`/staff/today?date=${dayAfter}`);
	await expect(office.getByTestId('part-day').filter({ hasText: 'Leaving early at 14:15' })).toBeVisible();
	await expect(row.filter({ hasText: 'Not absent at registration' })).toHaveCount(1);
	await office.context().close();
});

test('the headteacher agrees only the day set apart for religious observance; the CSV has R for that day only', async ({ page, browser }) => {
	test.setTimeout(90_000);
	const [first, middle, last] = threeSchoolDays();
	await devSignIn(page, LANTERNBY);
	await page.goto('/leave/new');
	await page.getByRole('checkbox', { name: /Ezra Lanternby/ }).check();
	await page.getByRole('radio', { name: /^Religious observance/ }).check();
	await page.getByLabel('First day of leave').fill(first!);
	await page.getByLabel('Last day of leave').fill(last!);
	await page.getByLabel(/Why are you asking/).fill('A festival, and the journey there and back');
	await page.getByRole('button', { name: 'Check the rules' }).click();
	await page.getByRole('button', { name: 'Send the request to the headteacher' }).click();
	await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible();
	const reference = new URL(page.url()).pathname.split('/').pop()!;

	const head = await (await browser.newContext()).newPage();
	await devSignIn(head, 'head@harbourside.example.org');
	await head.goto('/staff/leave');
	await head.getByRole('link', { name: 'Ezra Lanternby' }).first().click();
	await expect(head.getByText('A festival, and the journey there and back')).toBeVisible();
	await expect(head.getByRole('radio', { name: 'Agree all the dates' })).toHaveCount(0);
	await head.getByRole('radio', { name: 'Agree the day set apart for religious observance' }).check();
	const middleLabel = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${middle}T12:00:00Z`)).replace(',', '');
	await head.getByRole('checkbox', { name: middleLabel }).check();
	await head.getByRole('radio', { name: /Do not agree them/ }).check();
	await head.getByLabel(/Reason for the family/).fill('Only the festival day itself can be agreed.');
	await expectNoAxeViolations(head);
	await head.getByRole('button', { name: 'Save the decision' }).click();
	await expect(head.getByRole('status')).toHaveText('Decision saved. The family has been told.');
	await expect(head.getByTestId('staff-leave-status')).toHaveText('Partly agreed');
	await expect(head.getByTestId('staff-leave-agreed')).toHaveText(`${middleLabel} (religious observance)`);
	await expectNoAxeViolations(head);
	const rows = (await (await head.request.get('/staff/leave/approved.csv')).text()).split('\r\n').filter((l) => l.startsWith(reference));
	expect(rows.map((l) => l.split(',').slice(4).join(','))).toEqual([`${middle},AM,R`, `${middle},PM,R`]);
	await head.context().close();
});
