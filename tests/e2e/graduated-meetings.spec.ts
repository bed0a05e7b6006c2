import { test, expect } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, nextDemoSchoolDay } from './helpers';

/**
 * A meeting with the parents from end to end: the attendance lead invites Claire Lanternby
 * (Ezra's mother) from Ezra's page, Claire says she can come on the website, and the lead records
 * the meeting; it is then on Ezra's attendance record.
 */
test('staff invite the parents, the parent confirms on the web, staff record the meeting', async ({ browser }) => {
	test.setTimeout(150_000);
	const parent = await (await browser.newContext()).newPage();
	await devSignIn(parent, '07700 900547');
	await parent.getByRole('link', { name: /Ezra Lanternby/ }).click();
	await expect(parent).toHaveURL(/\/children\/[0-9a-f-]{36}$/);
	const pupilId = /\/children\/([0-9a-f-]{36})$/.exec(parent.url())![1]!;

	const staff = await (await browser.newContext()).newPage();
	await devSignIn(staff, 'attendance@harbourside.example.org');
	await staff.goto(`/staff/pupils/${pupilId}`);
	await staff.getByRole('link', { name: 'Invite the parents to a meeting' }).click();
	await expect(staff.getByRole('heading', { level: 1, name: 'Invite the parents to a meeting: Ezra Lanternby' })).toBeVisible();
	await expectNoAxeViolations(staff);
	// Nothing filled in: each missing answer is named, and nothing is sent.
	await staff.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(staff.getByRole('alert')).toContainText('Enter the date of the meeting');
	await expect(staff.getByRole('alert')).toContainText('Say who from the school will be there');
	await expectNoAxeViolations(staff);

	const day = nextDemoSchoolDay(nextDemoSchoolDay());
	await staff.getByLabel('Date').fill(day);
	await staff.getByLabel('Time (school time, 24-hour clock)').fill('15:30');
	await staff.getByLabel('At a place').check();
	await staff.getByLabel('The place, for example "The school office"').fill('The library');
	await staff.getByLabel('Who from the school will be there').fill('Mrs Okafor (headteacher)');
	await staff.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(staff).toHaveURL(/\/staff\/graduated\/meetings\/[0-9a-f-]{36}\?invited=/);
	await expect(staff.getByTestId('meeting-invited')).toContainText(/Invitation sent: [1-9]\d* messages? queued/);
	await expect(staff.getByTestId('meeting-status')).toHaveText('Parents invited, no reply yet');
	const meetingUrl = staff.url().replace(/\?.*$/, '');
	await expectNoAxeViolations(staff);

	// The parent finds the meeting on Ezra's page and says she can come.
	await parent.reload();
	await parent.getByTestId('child-meetings').getByRole('link').first().click();
	await expect(parent.getByRole('heading', { level: 1, name: 'Meeting about Ezra' })).toBeVisible();
	await expect(parent.getByTestId('meeting-details')).toContainText('The library');
	await expect(parent.getByTestId('meeting-details')).toContainText('Mrs Okafor (headteacher)');
	await expectNoAxeViolations(parent);
	await parent.getByLabel('I can come').check();
	await parent.getByLabel('Anything you would like the school to know (optional)').fill('I will come straight from work');
	await parent.getByRole('button', { name: 'Send my answer' }).click();
	await expect(parent.getByTestId('meeting-answered')).toHaveText('You said you can come. Thank you. We will send you a reminder the day before.');
	await expectNoAxeViolations(parent);

	// Staff see the reply, then record the meeting.
	await staff.goto(meetingUrl);
	await expect(staff.getByTestId('meeting-status')).toHaveText('Confirmed by the parents');
	await expect(staff.getByTestId('meeting-history')).toContainText('confirmed (on the website), with a note');
	await expect(staff.getByTestId('meeting-summary')).toContainText('“I will come straight from work”');
	await staff.getByLabel('Yes').check();
	await staff.getByLabel('Who came').fill('Mum and the class teacher');
	await staff.getByLabel('Notes: what was said and agreed').fill('Mornings are hard; breakfast club from Monday. Review in four weeks.');
	await staff.getByRole('button', { name: 'Record the meeting' }).click();
	await expect(staff.getByTestId('meeting-recorded')).toBeVisible();
	await expect(staff.getByTestId('meeting-status')).toHaveText('Held');
	await expectNoAxeViolations(staff);

	await staff.goto(`/staff/pupils/${pupilId}`);
	await expect(staff.locator('.timeline')).toContainText('Meeting held: Came: Mum and the class teacher. Notes: Mornings are hard; breakfast club from Monday.');
});
