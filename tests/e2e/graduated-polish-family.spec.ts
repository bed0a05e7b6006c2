import { test, expect, type Page } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, isoDaysAfter, londonToday, nextDemoSchoolDay } from './helpers';

/**
 * The graduated response from a Polish-speaking family's side: the attendance lead runs the weekly
 * lateness points (which no other spec runs, so the Autumn 1 point stays as graduated-response.spec.ts
 * expects it) until a family whose language is Polish gets a letter; the parent reads it in Polish,
 * confirms the meeting by replying "TAK" to the text in /dev/phone, sees the plan of support in
 * Polish, and the headteacher records the review, which the family then sees in Polish too.
 */
const POLISH_LETTER = /list w sprawie frekwencji .*\/children\/[0-9a-f-]{36}\/letters\/[0-9a-f-]{36}/;

async function polishLetterRow(page: Page) {
	await page.goto('/dev/outbox?purpose=graduated_letter');
	return page.locator('tr[data-recipient^="+44"]', { hasText: POLISH_LETTER }).first();
}

test('a Polish family reads their letter, confirms the meeting by SMS in Polish, sees the plan in Polish; the head records the review', async ({ browser }) => {
	test.setTimeout(180_000);
	const staff = await (await browser.newContext()).newPage();
	await devSignIn(staff, 'attendance@harbourside.example.org');

	// The lead runs the lateness points, newest week first, until a Polish family has had a letter.
	await staff.goto('/staff/graduated');
	const weeks = await staff.getByRole('link', { name: /^Week beginning \d{4}-\d{2}-\d{2}$/ }).evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
	expect(weeks.length).toBeGreaterThan(0);
	let row = await polishLetterRow(staff);
	for (const href of weeks) {
		if ((await row.count()) > 0) break;
		await staff.goto(href);
		await expect(staff.getByRole('heading', { level: 1, name: /^Week beginning / })).toBeVisible();
		const confirm = staff.getByRole('button', { name: 'Confirm: send the letters and record the steps' });
		if (await confirm.isVisible()) {
			await expectNoAxeViolations(staff);
			await confirm.click();
			await expect(staff.getByRole('status')).toContainText(/\d+ steps? recorded, 0 skipped, [1-9]\d* letters? sent/);
		}
		row = await polishLetterRow(staff);
	}
	await expect(row).toHaveCount(1);
	const phone = (await row.getAttribute('data-recipient'))!;
	const [, pupilId, letterId] = /\/children\/([0-9a-f-]{36})\/letters\/([0-9a-f-]{36})/.exec((await row.textContent()) ?? '')!;

	// The parent reads the letter: the page and the letter are in Polish.
	const parent = await (await browser.newContext()).newPage();
	await devSignIn(parent, phone);
	await expect(parent.locator('html')).toHaveAttribute('lang', 'pl');
	await parent.goto(`/children/${pupilId}/letters/${letterId}`);
	await expect(parent.getByRole('link', { name: /^Wróć: / })).toBeVisible();
	await expect(parent.getByRole('heading', { name: 'Wsparcie, które może pomóc' })).toBeVisible();
	await expect(parent.getByRole('button', { name: 'Wydrukuj list' })).toBeVisible();
	await expect(parent.getByText('Support that may help')).toHaveCount(0);
	// The directory of services is in English: its words are marked so, inside the Polish letter.
	await expect(parent.locator('article.letter[lang="pl"] li strong[lang="en"]').first()).toBeVisible();
	await expect(parent.locator('article.letter[lang="pl"] li span[lang="en"]').first()).toBeVisible();
	await expectNoAxeViolations(parent);

	// The lead invites the parents to a meeting; the text to the Polish parent is in Polish.
	const day = nextDemoSchoolDay(nextDemoSchoolDay());
	await staff.goto(`/staff/pupils/${pupilId}/meeting`);
	await staff.getByLabel('Date').fill(day);
	await staff.getByLabel('Time (school time, 24-hour clock)').fill('08:45');
	await staff.getByLabel('At a place').check();
	await staff.getByLabel('The place, for example "The school office"').fill('The school office');
	await staff.getByLabel('Who from the school will be there').fill('Mr Reid (attendance champion)');
	await staff.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(staff).toHaveURL(/\/staff\/graduated\/meetings\/[0-9a-f-]{36}\?invited=/);
	await expect(staff.getByTestId('meeting-status')).toHaveText('Parents invited, no reply yet');
	const meetingUrl = staff.url().replace(/\?.*$/, '');
	await staff.goto('/dev/outbox?purpose=graduated_meeting');
	await expect(staff.locator(`tr[data-recipient="${phone}"]`, { hasText: 'Odpowiedz TAK, aby potwierdzić' }).first()).toBeVisible();

	// The parent answers the text with "TAK"; the reply, in Polish, confirms the meeting.
	await parent.goto(`/dev/phone?who=${encodeURIComponent(phone)}`);
	await parent.getByLabel('Your message').fill('TAK');
	await parent.getByRole('button', { name: 'Send' }).click();
	await expect(parent.getByRole('status')).toHaveText('You sent: TAK');
	const thread = parent.getByRole('list', { name: 'Messages from Every Day' });
	await expect(thread.getByText(/^Dziękujemy, spotkanie w sprawie .+ jest potwierdzone\. Do zobaczenia\.$/).last()).toBeVisible();
	await expectNoAxeViolations(parent);

	await staff.goto(meetingUrl);
	await expect(staff.getByTestId('meeting-status')).toHaveText('Confirmed by the parents');
	await expect(staff.getByTestId('meeting-history')).toContainText('confirmed (by SMS)');

	// On the website too, the meeting is confirmed, in Polish; the school's own words are marked as English.
	await parent.goto(`/children/${pupilId}`);
	await expect(parent.getByTestId('child-meetings').locator('span[lang="en"]', { hasText: 'The school office' })).toBeVisible();
	await parent.getByTestId('child-meetings').getByRole('link').first().click();
	await expect(parent.getByRole('heading', { level: 1, name: /^Spotkanie w sprawie / })).toBeVisible();
	await expect(parent.getByTestId('meeting-status')).toHaveText('Potwierdzili Państwo obecność. Dziękujemy. Dzień wcześniej wyślemy przypomnienie.');
	await expect(parent.getByTestId('meeting-details').locator('dd[lang="en"]', { hasText: 'Mr Reid (attendance champion)' })).toBeVisible();
	await expectNoAxeViolations(parent);

	// The lead starts a plan of support.
	await staff.goto(`/staff/pupils/${pupilId}/plan`);
	await staff.getByLabel('Mental health and anxiety').check();
	await staff.locator('#action-text-0').fill('Meet at the side gate at 8:40 for two weeks');
	await staff.locator('#action-who-1').selectOption('family');
	await staff.locator('#action-text-1').fill('Set an alarm for 7:15 on school days');
	const reviewOn = nextDemoSchoolDay(isoDaysAfter(londonToday(), 20));
	await staff.getByLabel('Review date').fill(reviewOn);
	await staff.getByRole('button', { name: 'Save the plan and tell the family' }).click();
	await expect(staff.getByRole('status')).toContainText('Plan saved');
	const planId = /\/staff\/graduated\/plans\/([0-9a-f-]{36})/.exec(staff.url())![1]!;

	// The family sees the plan in Polish: headings, the barrier, the review date and the buttons.
	await parent.goto(`/children/${pupilId}/plan`);
	await expect(parent.getByRole('heading', { level: 1, name: /^Plan wsparcia dla / })).toBeVisible();
	await expect(parent.getByText('Niepokój lub przygnębienie')).toBeVisible();
	await expect(parent.getByRole('heading', { name: 'Co ustaliliśmy, że Państwo zrobią' })).toBeVisible();
	const polishReviewDate = new Intl.DateTimeFormat('pl', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${reviewOn}T12:00:00Z`));
	await expect(parent.getByText(/^Wspólnie przyjrzymy się mu ponownie\. Termin przeglądu: /)).toContainText(polishReviewDate);
	await expect(parent.getByRole('button', { name: /^Oznacz jako zrobione\W+Set an alarm for 7:15 on school days$/ })).toBeVisible();
	await expectNoAxeViolations(parent);

	// The headteacher records the review: improved, so the family is sent the celebration letter.
	const head = await (await browser.newContext()).newPage();
	await devSignIn(head, 'head@harbourside.example.org');
	await head.goto(`/staff/graduated/plans/${planId}`);
	await head.getByLabel(/^Yes, improved/).check();
	await head.getByLabel('Notes of the review').fill('Mum came; the alarm and the side gate have helped.');
	await head.getByRole('button', { name: 'Record the review' }).click();
	await expect(head.getByRole('status')).toContainText('Review recorded');
	await expectNoAxeViolations(head);

	await parent.goto(`/children/${pupilId}/plan`);
	await expect(parent.getByRole('status')).toContainText(/^Przegląd planu: .+\. Frekwencja .+ się poprawiła\./);
	await expectNoAxeViolations(parent);
	await head.goto('/dev/outbox?purpose=graduated_letter');
	await expect(head.locator(`tr[data-recipient="${phone}"]`, { hasText: `dobre wiadomości o frekwencji` }).first()).toBeVisible();
});
