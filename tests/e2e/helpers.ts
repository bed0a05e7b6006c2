/** Shared helpers for the browser tests. */
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DEMO_CLOSURES, DEMO_TERMS } from '../../src/lib/server/demo/calendar';

export async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/**
 * Signs in as a demo parent (mobile number) or member of staff (email) through the
 * development sign-in page. The real sign-in (codes, passwords, TOTP) has its own tests in
 * parent.spec.ts and staff.spec.ts; it is rate-limited per number and per address, so the
 * other tests do not go through it every time.
 */
export async function devSignIn(page: Page, who: string) {
	await page.goto('/dev/sign-in');
	// Wait for the page's scripts: hydration sets the field's value from the form state, so a
	// value typed before it can be wiped and an empty field sent.
	await page.waitForLoadState('networkidle');
	const field = page.getByLabel('Mobile number or email address');
	await field.fill(who);
	await expect(field).toHaveValue(who);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(who.includes('@') ? /\/(staff|admin|la)$/ : /\/children$/);
}

/**
 * Opens the report form once its scripts have run: hydration sets each field from the form's
 * state, so a box ticked before it is unticked again and the report goes without the child
 * (seen on a loaded machine).
 */
export async function openReportForm(page: Page) {
	await page.goto('/report');
	await page.waitForLoadState('networkidle');
}

export function londonToday(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

export function isDemoSchoolDay(iso: string): boolean {
	const weekday = new Date(`${iso}T12:00:00Z`).getUTCDay();
	return (
		weekday !== 0 &&
		weekday !== 6 &&
		DEMO_TERMS.some((t) => t.startsOn <= iso && iso <= t.endsOn) &&
		!DEMO_CLOSURES.some((c) => c.date === iso)
	);
}

/** The next school day after `from` (default today, London) in the demo calendar, as YYYY-MM-DD. */
export function nextDemoSchoolDay(from = londonToday()): string {
	const d = new Date(`${from}T12:00:00Z`);
	for (let i = 0; i < 400; i++) {
		d.setUTCDate(d.getUTCDate() + 1);
		const iso = d.toISOString().slice(0, 10);
		if (isDemoSchoolDay(iso)) return iso;
	}
	throw new Error('No school day ahead in the demo calendar');
}

/** Two consecutive demo school days, the first at least `ahead` days from today (the demo school asks for 14 days' notice). */
export function leaveDates(ahead = 20): { from: string; to: string } {
	const d = new Date(`${londonToday()}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + ahead);
	for (let i = 0; i < 200; i++) {
		const from = d.toISOString().slice(0, 10);
		const next = new Date(d);
		next.setUTCDate(next.getUTCDate() + 1);
		const to = next.toISOString().slice(0, 10);
		if (isDemoSchoolDay(from) && isDemoSchoolDay(to)) return { from, to };
		d.setUTCDate(d.getUTCDate() + 1);
	}
	throw new Error('No two school days ahead in the demo calendar');
}

/** A signed-in parent chooses their language on /language, and is back on their children's page in it. */
export async function chooseParentLanguage(page: Page, locale: string) {
	await page.goto('/language?returnTo=/children');
	await page.locator(`#locale-${locale}`).check();
	await page.locator('form.language-chooser').getByRole('button').click();
	await expect(page).toHaveURL(/\/children$/);
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

/**
 * A Harbourside pupil with no plan of support under way whose parent the school texted a letter
 * in English (from the dev outbox), for the plan tests: the staff member must be signed in.
 */
export async function pupilForPlan(page: Page): Promise<{ pupilId: string; phone: string }> {
	await page.goto('/dev/outbox?purpose=graduated_letter');
	const rows = page.locator('tr[data-recipient^="+44"]', { hasText: /(a letter about|good news about) .*\/children\/[0-9a-f-]{36}\/letters\// });
	const seen = new Set<string>();
	for (let i = 0; i < (await rows.count()); i++) {
		const row = rows.nth(i);
		const pupilId = /\/children\/([0-9a-f-]{36})\/letters\//.exec((await row.textContent()) ?? '')?.[1];
		if (!pupilId || seen.has(pupilId)) continue;
		seen.add(pupilId);
		seenPhones.set(pupilId, (await row.getAttribute('data-recipient'))!);
	}
	for (const pupilId of seen) {
		await page.goto(`/staff/pupils/${pupilId}`);
		// A pupil whose earlier plan another test reviewed is skipped: its review page would be theirs.
		const fresh = (await page.getByText(/^Plan reviewed /).count()) === 0;
		if (fresh && (await page.getByRole('link', { name: 'Start a plan of support' }).isVisible())) return { pupilId, phone: seenPhones.get(pupilId)! };
	}
	throw new Error('No pupil for a plan of support in the dev outbox');
}
const seenPhones = new Map<string, string>();

/** A day `n` days after `from` (ISO dates). */
export function isoDaysAfter(from: string, n: number): string {
	const d = new Date(`${from}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
