import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DEMO_SHARED_GUARDIAN } from '../../src/lib/server/demo/staff';

/**
 * Parents sign in with a one-time code read from the development outbox, and see exactly their
 * own children. Families from the deterministic demo seed:
 * - Shafiq Chowdhury, 07700 900101: Imran, Nabil and Arif Chowdhury at Harbourside Primary;
 * - DEMO_SHARED_GUARDIAN (Claire Lanternby, 07700 900547): Ezra at Harbourside, Nell at Northgate.
 */
const CHOWDHURY = { phone: '+447700900101', typed: '07700 900101', children: ['Arif Chowdhury', 'Imran Chowdhury', 'Nabil Chowdhury'] };

async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** The newest sign-in code sent to `phone`, as shown on the dev outbox page. */
async function codeFromOutbox(page: Page, phone: string): Promise<string> {
	let code: string | undefined;
	await expect(async () => {
		await page.goto('/dev/outbox');
		const row = page.locator(`tr[data-recipient="${phone}"]`).first();
		const text = await row.textContent({ timeout: 1000 });
		code = /\b(\d{6})\b/.exec(text ?? '')?.[1];
		expect(code).toBeDefined();
	}).toPass({ timeout: 10_000 });
	return code!;
}

async function signIn(page: Page, typed: string, phone: string, opts: { axe?: boolean } = {}) {
	await page.goto('/sign-in');
	await expect(page.getByRole('heading', { level: 1, name: 'Enter your mobile number or email address' })).toBeVisible();
	if (opts.axe) await expectNoAxeViolations(page);
	await page.getByLabel('Enter your mobile number or email address').fill(typed);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Enter the code we sent you' })).toBeVisible();
	if (opts.axe) await expectNoAxeViolations(page);
	const codePage = page.url();
	const code = await codeFromOutbox(page, phone);
	await page.goto(codePage);
	const input = page.getByLabel('Enter the code we sent you');
	await expect(input).toHaveAttribute('autocomplete', 'one-time-code');
	await expect(input).toHaveAttribute('inputmode', 'numeric');
	await input.fill(code);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/children$/);
}

async function childLinks(page: Page): Promise<{ name: string; href: string }[]> {
	const links = page.locator('main .child h2 a');
	const out: { name: string; href: string }[] = [];
	for (let i = 0; i < (await links.count()); i++) {
		out.push({ name: (await links.nth(i).textContent())!.trim(), href: (await links.nth(i).getAttribute('href'))! });
	}
	return out;
}

test('a parent signs in with the code from the dev outbox and sees exactly their children', async ({ page }) => {
	await signIn(page, CHOWDHURY.typed, CHOWDHURY.phone, { axe: true });
	await expect(page.getByRole('heading', { level: 1, name: 'Your children' })).toBeVisible();
	const children = await childLinks(page);
	expect(children.map((c) => c.name).sort()).toEqual(CHOWDHURY.children);
	await expect(page.getByText(/Attendance this year: \d+\.\d%/).first()).toBeVisible();
	await expectNoAxeViolations(page);

	await page.goto(children[0]!.href);
	await expect(page.getByRole('heading', { level: 1, name: children[0]!.name })).toBeVisible();
	await expect(page.getByText('Days missed so far')).toBeVisible();
	await expectNoAxeViolations(page);

	const api = await page.request.get(`/api/children/${children[0]!.href.split('/').pop()}/attendance`);
	expect(api.status()).toBe(200);
	expect(await api.json()).toMatchObject({ school: 'Harbourside Primary' });

	await page.getByRole('link', { name: 'Account' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Link Telegram' }).click();
	await expect(page.getByRole('link', { name: /^https:\/\/t\.me\/EveryDayDemoBot\?start=[a-z2-7]{32}$/ })).toBeVisible();

	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
	await page.goto('/children');
	await expect(page).toHaveURL(/\/sign-in$/);
});

test('a parent with children at two schools sees both, and never another family’s child', async ({ page, browser }) => {
	await signIn(page, DEMO_SHARED_GUARDIAN.phone, DEMO_SHARED_GUARDIAN.phone);
	const theirs = await childLinks(page);
	expect(theirs.map((c) => c.name).sort()).toEqual(
		DEMO_SHARED_GUARDIAN.children.map((c) => `${c.firstName} ${c.lastName}`).sort()
	);
	await expect(page.getByText('Harbourside Primary', { exact: false }).first()).toBeVisible();
	await expect(page.getByText('Northgate Infant School', { exact: false }).first()).toBeVisible();

	// Another family, in another browser, tries the Lanternby children's ids by URL and by API.
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await signIn(otherPage, CHOWDHURY.typed, CHOWDHURY.phone);
	for (const child of theirs) {
		const id = child.href.split('/').pop()!;
		const res = await otherPage.goto(`/children/${id}`);
		expect(res?.status()).toBe(404);
		const api = await otherPage.request.get(`/api/children/${id}/attendance`);
		expect(api.status()).toBe(404);
		expect(JSON.stringify(await api.json())).not.toContain('Lanternby');
	}
	await other.close();

	// Signed out, the API says 401.
	const anon = await browser.newContext();
	const res = await anon.request.get(`/api/children/${theirs[0]!.href.split('/').pop()}/attendance`);
	expect(res.status()).toBe(401);
	await anon.close();
});

test('an unknown number gets the same “we’ve sent a code” page, and a wrong code is explained', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByLabel('Enter your mobile number or email address').fill('07911 123456');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	await expect(page.getByText(/We’ve sent a code to/)).toBeVisible();
	await page.getByLabel('Enter the code we sent you').fill('123456');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
	await expect(page.getByRole('link', { name: /That code is not right/ })).toHaveAttribute('href', '#code');
	await expectNoAxeViolations(page);
	// Nothing was queued for that number.
	await page.goto('/dev/outbox');
	await expect(page.locator('tr[data-recipient="+447911123456"]')).toHaveCount(0);
});

test('asking for too many codes for one number is limited, with the wait in plain words', async ({ page }) => {
	// 3 requests per number per 15 minutes; the 4th is refused. An unknown number behaves the same.
	for (let i = 0; i < 3; i++) {
		await page.goto('/sign-in');
		await page.getByLabel('Enter your mobile number or email address').fill('07911 654321');
		await page.getByRole('button', { name: 'Send me a code' }).click();
		await expect(page).toHaveURL(/\/sign-in\/code$/);
	}
	await page.goto('/sign-in');
	await page.getByLabel('Enter your mobile number or email address').fill('07911 654321');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('link', { name: /too many codes\. Wait 15 minutes/ })).toHaveAttribute('href', '#identifier');
	await expectNoAxeViolations(page);
});

test('a blank or nonsense answer shows an error summary linking to the field', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('link', { name: 'Enter your mobile number or email address' })).toHaveAttribute('href', '#identifier');
	await page.getByLabel('Enter your mobile number or email address').fill('not a number');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('link', { name: /Enter a mobile number, like 07700 900123/ })).toBeVisible();
	await expectNoAxeViolations(page);
});

test('a cross-site form POST to /sign-in is refused', async ({ request }) => {
	const res = await request.post('/sign-in', {
		form: { identifier: CHOWDHURY.typed },
		headers: { origin: 'http://evil.example' },
		maxRedirects: 0
	});
	expect(res.status()).toBe(403);
	// No Origin header at all (a non-browser client posting a form) is refused too.
	const noOrigin = await request.post('/sign-in', { form: { identifier: CHOWDHURY.typed }, maxRedirects: 0 });
	expect(noOrigin.status()).toBe(403);
});

test('the code page without a pending sign-in goes back to the first question', async ({ page }) => {
	await page.goto('/sign-in/code');
	await expect(page).toHaveURL(/\/sign-in$/);
});

test('“Report an absence” on the home page asks a signed-out parent to sign in, then opens the form; a link to a report opens that report', async ({ page }) => {
	await page.goto('/');
	await page.getByTestId('home-report').click();
	await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Freport$/);
	await page.getByLabel('Enter your mobile number or email address').fill(CHOWDHURY.typed);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page).toHaveURL(/\/sign-in\/code$/);
	const codePage = page.url();
	const code = await codeFromOutbox(page, CHOWDHURY.phone);
	await page.goto(codePage);
	await page.getByLabel('Enter the code we sent you').fill(code);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/report$/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	// Signed in already: a sign-in link that names where to go goes straight there.
	await page.goto('/sign-in?returnTo=%2Freports');
	await expect(page).toHaveURL(/\/reports$/);
	// Never to another site.
	await page.goto('/sign-in?returnTo=%2F%2Fevil.example');
	await expect(page).toHaveURL(/\/children$/);
});
