import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { devSignIn, isDemoSchoolDay, isoDaysAfter, leaveDates, londonToday, nextDemoSchoolDay, pupilForPlan } from './helpers';

/**
 * WCAG 2.2 AA on every page: each parent, staff, admin, public and development page,
 * with data on it and in its error states, has
 *  - no axe violations (WCAG 2.0/2.1/2.2 A and AA rules);
 *  - no sideways scrolling at 320 CSS px wide, which is 1280 px at 400% zoom (reflow, 1.4.10),
 *    and so also covers 200% zoom (1.4.4);
 *  - a visible focus indicator on what Tab reaches (2.4.7): an outline or a box shadow.
 * The route list below is checked against src/routes, so a new page without a check fails here.
 */
const LANTERNBY = '07700 900547';
const CHOWDHURY = '07700 900101';

async function checkPage(page: Page, route: string) {
	await page.waitForLoadState('load');
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect.soft(
		results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
		`axe on ${route} (${page.url()})`
	).toEqual([]);

	const viewport = page.viewportSize()!;
	await page.setViewportSize({ width: 320, height: 640 });
	const overflow = await page.evaluate(() => {
		const doc = document.documentElement;
		// The widest element that sticks out, to say what to fix.
		let culprit = '';
		if (doc.scrollWidth > doc.clientWidth) {
			for (const el of Array.from(document.body.querySelectorAll('*'))) {
				const r = el.getBoundingClientRect();
				if (r.right > doc.clientWidth + 1 && r.width > 0) {
					culprit = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} (right edge ${Math.round(r.right)} px)`;
					break;
				}
			}
		}
		return { extra: doc.scrollWidth - doc.clientWidth, culprit };
	});
	expect.soft(overflow.extra, `${route} scrolls sideways at 320 px: ${overflow.culprit}`).toBeLessThanOrEqual(0);
	await page.setViewportSize(viewport);

	// Keyboard focus from the top of the page: the first few stops all show where focus is.
	await page.evaluate(() => {
		(document.activeElement as HTMLElement | null)?.blur?.();
		window.scrollTo(0, 0);
	});
	await page.locator('body').evaluate((b) => b.focus());
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Tab');
		const focus = await page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			if (!el || el === document.body) return null;
			const s = getComputedStyle(el);
			return {
				what: `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
				outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
				shadow: s.boxShadow !== 'none' && s.boxShadow !== ''
			};
		});
		if (!focus) break;
		expect.soft(focus.outline || focus.shadow, `focus is visible on ${focus.what} on ${route}`).toBe(true);
	}
}

async function submitEmpty(page: Page, button: string) {
	await page.getByRole('button', { name: button, exact: true }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
}

test('public pages and the sign-in forms, with their errors', async ({ page }) => {
	await page.goto('/');
	await checkPage(page, '/');
	await page.goto('/offline');
	await checkPage(page, '/offline');
	await page.goto('/support');
	await checkPage(page, '/support');

	await page.goto('/language?returnTo=/sign-in');
	await checkPage(page, '/language');

	await page.goto('/sign-in');
	await checkPage(page, '/sign-in');
	await submitEmpty(page, 'Send me a code');
	await checkPage(page, '/sign-in');
	await page.goto('/sign-in/code');
	await checkPage(page, '/sign-in/code');

	await page.goto('/staff/sign-in');
	await checkPage(page, '/staff/sign-in');
	await submitEmpty(page, 'Continue');
	await checkPage(page, '/staff/sign-in');
	// The second step, reached with the real password (the demo password of the northgate head).
	await page.goto('/staff/sign-in');
	await page.getByLabel('Email address').fill('head@northgate.example.org');
	await page.getByLabel('Password').fill('every-day-demo');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/\/two-factor$/);
	await checkPage(page, '/staff/sign-in/two-factor');
	await submitEmpty(page, 'Sign in');
	await checkPage(page, '/staff/sign-in/two-factor');

	await page.goto('/dev/sign-in');
	await checkPage(page, '/dev/sign-in');
	await page.goto('/dev/outbox');
	await checkPage(page, '/dev/outbox');
	await page.goto('/dev/phone');
	await checkPage(page, '/dev/phone');
	await page.goto('/dev/register');
	await checkPage(page, '/dev/register');
});

test('parent pages, empty and with a report and a leave request', async ({ page }) => {
	test.setTimeout(120_000);
	await devSignIn(page, LANTERNBY);
	await checkPage(page, '/children');
	await page.locator('a[href^="/children/"]').first().click();
	await expect(page).toHaveURL(/\/children\/[0-9a-f-]{36}$/);
	await checkPage(page, '/children/[pupilId]');
	await page.goto('/account');
	await checkPage(page, '/account');
	await page.goto('/support');
	await checkPage(page, '/support');

	// A report: the form, its errors, the confirmation, the list and the report itself.
	await page.goto('/report');
	await checkPage(page, '/report');
	await submitEmpty(page, 'Send to the school');
	await checkPage(page, '/report');
	await page.getByRole('checkbox').first().check();
	if (isDemoSchoolDay(londonToday())) await page.getByRole('radio', { name: 'Today', exact: true }).check();
	else {
		await page.getByRole('radio', { name: 'Another day' }).check();
		await page.getByLabel('Date (if another day)').fill(nextDemoSchoolDay());
	}
	await page.getByRole('radio', { name: 'Illness', exact: true }).check();
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page).toHaveURL(/\/report\/done\?refs=/);
	await checkPage(page, '/report/done');
	await page.goto('/reports');
	await checkPage(page, '/reports');
	await page.locator('a[href^="/reports/"]').first().click();
	await expect(page).toHaveURL(/\/reports\/[A-Z2-9-]+$/);
	await checkPage(page, '/reports/[reference]');

	// Leave: the list, the form with its errors and the rules, the request.
	await page.goto('/leave');
	await checkPage(page, '/leave');
	await page.goto('/leave/new');
	await checkPage(page, '/leave/new');
	await submitEmpty(page, 'Check the rules');
	await checkPage(page, '/leave/new');
	const { from, to } = leaveDates(60);
	await page.getByRole('checkbox', { name: /Ezra Lanternby/ }).check();
	await page.getByRole('radio', { name: /^Exceptional circumstances/ }).check();
	await page.getByLabel('First day of leave').fill(from);
	await page.getByLabel('Last day of leave').fill(to);
	await page.getByLabel(/Why are you asking/).fill('A family wedding abroad');
	await page.getByRole('button', { name: 'Check the rules' }).click();
	await expect(page.getByTestId('leave-feedback')).toBeVisible();
	await checkPage(page, '/leave/new');
	await page.getByRole('button', { name: 'Send the request to the headteacher' }).click();
	await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible();
	await checkPage(page, '/leave/[reference]');
	await page.goto('/leave');
	await checkPage(page, '/leave');
});

test('a parent with three children at one school', async ({ page }) => {
	await devSignIn(page, CHOWDHURY);
	await checkPage(page, '/children');
	await page.goto('/report');
	await checkPage(page, '/report');
});

test('staff pages for the headteacher, with a pupil, a leave request and a campaign', async ({ page }) => {
	test.setTimeout(180_000);
	// A leave request to look at, from a parent.
	const { from, to } = leaveDates(75);
	await devSignIn(page, LANTERNBY);
	await page.goto('/leave/new');
	await page.getByRole('checkbox', { name: /Ezra Lanternby/ }).check();
	await page.getByRole('radio', { name: /^Exceptional circumstances/ }).check();
	await page.getByLabel('First day of leave').fill(from);
	await page.getByLabel('Last day of leave').fill(to);
	await page.getByLabel(/Why are you asking/).fill('A hospital appointment in London');
	await page.getByRole('button', { name: 'Check the rules' }).click();
	await page.getByRole('button', { name: 'Send the request to the headteacher' }).click();
	await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible();
	await page.context().clearCookies();

	await devSignIn(page, 'head@harbourside.example.org');
	await checkPage(page, '/staff');
	await page.goto('/staff/today');
	await checkPage(page, '/staff/today');
	// The overview lists pupils whose attendance is a concern (the demo has some).
	await page.goto('/staff');
	await page.locator('a[href^="/staff/pupils/"]').first().click();
	await expect(page).toHaveURL(/\/staff\/pupils\/[0-9a-f-]{36}$/);
	await checkPage(page, '/staff/pupils/[pupilId]');
	await page.goto('/staff/leave');
	await checkPage(page, '/staff/leave');
	await page.getByRole('link', { name: 'Ezra Lanternby' }).first().click();
	await expect(page).toHaveURL(/\/staff\/leave\/[0-9a-f-]{36}$/);
	await checkPage(page, '/staff/leave/[id]');
	await submitEmpty(page, 'Save the decision');
	await checkPage(page, '/staff/leave/[id]');
	await page.goto('/staff/messages');
	await checkPage(page, '/staff/messages');
	await page.goto('/staff/settings');
	await checkPage(page, '/staff/settings');
	await page.goto('/staff/calendar');
	await checkPage(page, '/staff/calendar');
	await page.getByRole('button', { name: 'Import the file' }).click();
	await expect(page.getByRole('alert')).toContainText('Choose a CSV or iCalendar');
	await checkPage(page, '/staff/calendar');
	await page.goto('/staff/roster');
	await checkPage(page, '/staff/roster');
	await page.goto('/staff/team');
	await checkPage(page, '/staff/team');
	const invitee = `a11y-${Date.now()}@harbourside.example.org`;
	await page.getByLabel('Their name').fill('Accessibility Check');
	await page.getByLabel('Their email address').fill(invitee);
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByRole('status')).toContainText(invitee);
	await checkPage(page, '/staff/team');
	await page.goto('/dev/outbox');
	const invitationLink = /\/invitation\/[A-Za-z0-9_-]{43}/.exec((await page.locator(`tr[data-recipient="${invitee}"]`).first().textContent()) ?? '')![0];
	await page.goto('/staff/settings/time-lost');
	await checkPage(page, '/staff/settings/time-lost');
	await page.getByLabel(/^Percentages/).fill('97, 101');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await checkPage(page, '/staff/settings/time-lost');

	await page.goto('/staff/campaigns');
	await checkPage(page, '/staff/campaigns');
	// The form starts with a template: cleared, it is refused with an error summary.
	await page.getByLabel('Title', { exact: true }).fill('');
	await page.getByLabel('Message', { exact: true }).fill('');
	await submitEmpty(page, 'Preview');
	await checkPage(page, '/staff/campaigns');
	await page.getByLabel('Title', { exact: true }).fill(`Accessibility check ${Date.now()}`);
	await page.getByLabel('Message', { exact: true }).fill('Thank you for bringing {firstName} to school every day.');
	await page.getByLabel('Who to send it to').selectOption('year');
	await page.getByLabel('Year group (0 = Reception)').fill('4');
	await page.getByRole('button', { name: 'Preview' }).click();
	await expect(page.getByTestId('campaign-preview')).toBeVisible();
	await checkPage(page, '/staff/campaigns');
	await page.getByRole('button', { name: 'Send now' }).click();
	await expect(page).toHaveURL(/\/staff\/campaigns\/[0-9a-f-]{36}$/);
	await checkPage(page, '/staff/campaigns/[id]');

	await page.context().clearCookies();
	await page.goto(invitationLink);
	await checkPage(page, '/invitation/[token]');
	await page.getByRole('button', { name: 'Create my account' }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await checkPage(page, '/invitation/[token]');
});

test('office staff and the local authority administrator', async ({ page }) => {
	test.setTimeout(90_000);
	await devSignIn(page, 'office@harbourside.example.org');
	await checkPage(page, '/staff');
	await page.goto('/staff/today');
	await checkPage(page, '/staff/today');
	await page.context().clearCookies();

	await devSignIn(page, 'admin@portsmouth.example.org');
	await checkPage(page, '/admin');
	await page.goto('/admin/schools/new');
	await checkPage(page, '/admin/schools/new');
	await submitEmpty(page, 'Add the school and send the invitation');
	await checkPage(page, '/admin/schools/new');
	await page.goto('/admin/directory');
	await checkPage(page, '/admin/directory');
	await submitEmpty(page, 'Load directory');
	await checkPage(page, '/admin/directory');
});

test("the local authority officer, a school referral and notice request, and a parent's notice", async ({ page }) => {
	test.setTimeout(120_000);
	await devSignIn(page, 'attendance@portsmouth.example.org');
	await checkPage(page, '/la');
	await page.goto('/la/referrals');
	await checkPage(page, '/la/referrals');
	await page.getByRole('link', { name: 'RDEM-REF' }).click();
	await checkPage(page, '/la/referrals/[id]');
	await page.goto('/la/notices');
	await checkPage(page, '/la/notices');
	await page.getByRole('link', { name: 'NDEM-NTI' }).click();
	await checkPage(page, '/la/notices/[id]');
	await page.goto('/la/notifications');
	await checkPage(page, '/la/notifications');
	await page.context().clearCookies();

	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/referrals');
	await checkPage(page, '/staff/referrals');
	await page.getByRole('link', { name: 'RDEM-REF' }).click();
	await checkPage(page, '/staff/referrals/[id]');
	await page.goto('/staff');
	await page.locator('a[href^="/staff/pupils/"]').first().click();
	const pupil = page.url();
	await page.goto(`${pupil}/refer`);
	await checkPage(page, '/staff/pupils/[pupilId]/refer');
	await page.goto(`${pupil}/notice`);
	await checkPage(page, '/staff/pupils/[pupilId]/notice');
	await page.context().clearCookies();

	await devSignIn(page, '07700 900101');
	await page.goto('/account/notices/NDEM-NTI');
	await checkPage(page, '/account/notices/[reference]');
});

test('the graduated response, days-missed messages, a voicemail made into a report, and a family\'s letter', async ({ page }) => {
	test.setTimeout(180_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	await page.goto('/staff/graduated');
	await checkPage(page, '/staff/graduated');
	await page.getByRole('link', { name: /^End of Autumn 1/ }).click();
	await checkPage(page, '/staff/graduated');
	await page.getByRole('link', { name: 'Letters to print for families with no phone or email' }).click();
	await checkPage(page, '/staff/graduated/print');
	await page.goto('/staff/graduated/policy');
	await checkPage(page, '/staff/graduated/policy');
	// A pupil's record links each letter the school sent.
	await page.goto('/dev/outbox?purpose=graduated_letter');
	const letterRow = page.locator('tr', { hasText: /\/children\/[0-9a-f-]{36}\/letters\/[0-9a-f-]{36}/ }).first();
	const [, pupilId, letterId] = /\/children\/([0-9a-f-]{36})\/letters\/([0-9a-f-]{36})/.exec((await letterRow.textContent()) ?? '')!;
	const recipient = (await letterRow.getAttribute('data-recipient'))!;
	await page.goto(`/staff/graduated/letters/${letterId}`);
	await checkPage(page, '/staff/graduated/letters/[id]');
	await page.goto(`/staff/pupils/${pupilId}`);
	await expect(page.getByRole('heading', { name: 'Attendance record' })).toBeVisible();

	await page.goto('/staff/campaigns/days-missed');
	await checkPage(page, '/staff/campaigns/days-missed');
	await page.goto('/staff/campaigns/days-missed/results');
	await checkPage(page, '/staff/campaigns/days-missed/results');
	await page.goto('/staff/campaigns/days-missed');
	await page.locator('a[href^="/staff/campaigns/days-missed/"]:not([href$="results"]):not([href$=".csv"])').first().click();
	await expect(page).toHaveURL(/\/staff\/campaigns\/days-missed\/[0-9a-f-]{36}$/);
	await checkPage(page, '/staff/campaigns/days-missed/[id]');

	await page.goto('/staff/today');
	const make = page.getByRole('link', { name: /^Make a report from this voicemail/ }).first();
	await make.click();
	await checkPage(page, '/staff/voicemail/[callSid]/report');
	await page.context().clearCookies();

	await devSignIn(page, 'admin@portsmouth.example.org');
	await page.goto('/admin/days-missed');
	await checkPage(page, '/admin/days-missed');
	await page.context().clearCookies();

	// The family reads the letter on the page its message links to.
	await devSignIn(page, recipient);
	await page.goto(`/children/${pupilId}/letters/${letterId}`);
	await checkPage(page, '/children/[pupilId]/letters/[letterId]');
});

test('a meeting with the parents: the invitation form, the staff meeting page and the family\'s meeting page', async ({ page }) => {
	test.setTimeout(120_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	// The demo books a meeting: its invitation in the outbox links the family's meeting page.
	await page.goto('/dev/outbox?purpose=graduated_meeting');
	const row = page.locator('tr', { hasText: /\/children\/[0-9a-f-]{36}\/meetings\/[0-9a-f-]{36}/ }).first();
	const [, pupilId, meetingId] = /\/children\/([0-9a-f-]{36})\/meetings\/([0-9a-f-]{36})/.exec((await row.textContent()) ?? '')!;
	const recipient = (await row.getAttribute('data-recipient'))!;
	await page.goto(`/staff/graduated/meetings/${meetingId}`);
	await checkPage(page, '/staff/graduated/meetings/[id]');
	await page.getByRole('button', { name: 'Record the meeting' }).click();
	await expect(page.getByRole('alert')).toContainText('Say whether the parents came');
	await checkPage(page, '/staff/graduated/meetings/[id]');
	await page.goto(`/staff/pupils/${pupilId}/meeting?meeting=${meetingId}`);
	await checkPage(page, '/staff/pupils/[pupilId]/meeting');
	await page.context().clearCookies();

	await devSignIn(page, recipient);
	await page.goto(`/children/${pupilId}/meetings/${meetingId}`);
	await checkPage(page, '/children/[pupilId]/meetings/[meetingId]');
	await page.getByRole('button', { name: 'Send my answer' }).click();
	await expect(page.getByRole('alert')).toContainText('Choose whether you can come');
	await checkPage(page, '/children/[pupilId]/meetings/[meetingId]');
});

test('a plan of support: the staff form with its errors, the plan page, and the family\'s page', async ({ page }) => {
	test.setTimeout(120_000);
	await devSignIn(page, 'attendance@harbourside.example.org');
	const { pupilId, phone } = await pupilForPlan(page);
	await page.goto(`/staff/pupils/${pupilId}/plan`);
	await checkPage(page, '/staff/pupils/[pupilId]/plan');
	await submitEmpty(page, 'Save the plan and tell the family');
	await checkPage(page, '/staff/pupils/[pupilId]/plan');
	await page.getByLabel('Getting to school (transport)').check();
	await page.locator('#action-who-1').selectOption('family');
	await page.locator('#action-text-1').fill('Walk to school with a neighbour');
	await page.getByLabel('Review date').fill(nextDemoSchoolDay(isoDaysAfter(londonToday(), 27)));
	await page.getByRole('button', { name: 'Save the plan and tell the family' }).click();
	await expect(page).toHaveURL(/\/staff\/graduated\/plans\/[0-9a-f-]{36}/);
	await checkPage(page, '/staff/graduated/plans/[planId]');
	await page.context().clearCookies();
	await devSignIn(page, phone);
	await page.goto(`/children/${pupilId}/plan`);
	await checkPage(page, '/children/[pupilId]/plan');
	await submitEmpty(page, 'Send');
	await checkPage(page, '/children/[pupilId]/plan');
});

test('every page in src/routes has a check in this file', async () => {
	const fs = await import('node:fs');
	const path = await import('node:path');
	// Read statically, so the list does not depend on which tests ran in this worker.
	const source = fs.readFileSync('tests/e2e/accessibility.spec.ts', 'utf8');
	const checked = new Set([...source.matchAll(/checkPage\(page, '([^']+)'\)/g)].map((m) => m[1]));
	const pages: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name === '+page.svelte') {
				const segments = path.relative('src/routes', dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
				pages.push(`/${segments.join('/')}`);
			}
		}
	};
	walk('src/routes');
	expect(pages.length).toBeGreaterThan(20);
	expect(pages.filter((p) => !checked.has(p)).sort(), 'pages with no accessibility check').toEqual([]);
});
