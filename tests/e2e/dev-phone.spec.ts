import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, isDemoSchoolDay, londonToday, nextDemoSchoolDay } from './helpers';

/** 'YYYY-MM-DD' as a parent would text it: '3/12'. */
const dm = (iso: string) => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}`;

async function send(page: Page, text: string) {
	await page.getByLabel('Your message').fill(text);
	await page.getByRole('button', { name: 'Send' }).click();
	await expect(page.getByRole('status')).toHaveText(`You sent: ${text}`);
}

const thread = (page: Page) => page.getByRole('list', { name: 'Messages from Every Day' });

/**
 * The first school day at least `days` days ahead. Each test here texts about its own days: a
 * second report of a child's day (another test's, in the shared demo data) is added to the first,
 * and the reply says so instead.
 */
function schoolDayAhead(days: number): string {
	const d = new Date(`${londonToday()}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return nextDemoSchoolDay(d.toISOString().slice(0, 10));
}

test('a parent reports an absence by "SMS" and asks for attendance, through the same service as the webhook', async ({ page }) => {
	await page.goto('/dev/phone');
	await page.getByLabel('Demo parent’s mobile number').fill('07700 900547');
	await page.getByRole('button', { name: 'Open the conversation' }).click();
	await expectNoAxeViolations(page);

	// Said "today" so that the answer does not depend on the hour (after school, a day is asked).
	await send(page, 'Ezra has a temperature today');
	if (isDemoSchoolDay(londonToday())) {
		// Other tests may have reported Ezra today already: then the text is added to that report.
		await expect(
			thread(page).getByText(/^(Thank you\. We have told Harbourside Primary: Ezra \(ref [A-Z2-9]{3}-[A-Z2-9]{3}\), off today \(illness\)\.|Ezra had already been reported for this day, so we have added your message to that report)/)
		).toBeVisible();
	} else {
		await expect(thread(page).getByText(/^The school is closed then/)).toBeVisible();
	}
	await send(page, 'attendance');
	await expect(thread(page).getByText(/Ezra: \d+\.\d% this year \(2026\/27\)/)).toBeVisible();
	await expect(thread(page).getByText(/Nell: \d+\.\d% this year \(2026\/27\)/)).toBeVisible();
	await send(page, 'help, the bus is always late');
	await expect(thread(page).getByText(/School transport and travel: https:\/\/www\.portsmouth\.gov\.uk/)).toBeVisible();
	await expectNoAxeViolations(page);
});

test('on "Telegram" the bot asks which child, with choices, and takes the answer by number', async ({ page }) => {
	await page.goto('/dev/phone?who=07700900547&channel=telegram');
	await send(page, `not coming in on ${dm(schoolDayAhead(50))}`);
	await expect(thread(page).getByText('Who is off school?').last()).toBeVisible();
	await expect(thread(page).getByRole('listitem').filter({ hasText: '3. Both' }).last()).toBeVisible();
	await send(page, '3');
	await expect(thread(page).getByText('What is the reason?').last()).toBeVisible();
	await send(page, '2');
	await expect(thread(page).getByText(/(^Thank you\. We have told .*Ezra \(ref .*Nell \(ref |^Sorry, we could not pass that on)/).last()).toBeVisible();
});

test('a part-day appointment is the morning session, and "sorry, I meant …" moves it', async ({ page }) => {
	const first = schoolDayAhead(55);
	const second = nextDemoSchoolDay(first);
	await page.goto('/dev/phone?who=07700900547');
	await send(page, `Nell has the dentist on ${dm(first)} at 10`);
	await expect(thread(page).getByText(/^Thank you\. We have told [^:]+: Nell \(ref [A-Z2-9]{3}-[A-Z2-9]{3}\), off .* \(morning\) \(medical or dental appointment\)\./).last()).toBeVisible();
	await send(page, `sorry, I meant ${dm(second)}`);
	await expect(thread(page).getByText(/^Thank you, we have changed the report: Nell \(ref [A-Z2-9]{3}-[A-Z2-9]{3}\), off .* \(morning\)/).last()).toBeVisible();
	await expectNoAxeViolations(page);
});

test('on "Telegram", a name the school does not know is asked about before anything is stored', async ({ page }) => {
	const day = schoolDayAhead(62);
	await page.goto('/dev/phone?who=07700900547&channel=telegram');
	await send(page, `Jack has d&v, off ${dm(day)}`);
	await expect(thread(page).getByText('We do not have a child called Jack on your account. Who is off school?').last()).toBeVisible();
	await expect(thread(page).getByRole('listitem').filter({ hasText: '1. Ezra' }).last()).toBeVisible();
	await expectNoAxeViolations(page);
	await send(page, '1');
	await expect(thread(page).getByText(/^Thank you\. We have told Harbourside Primary: Ezra \(ref [A-Z2-9]{3}-[A-Z2-9]{3}\), off .* \(illness\)\./).last()).toBeVisible();
});
