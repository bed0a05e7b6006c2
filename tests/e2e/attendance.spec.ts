import { test, expect, type Page } from '@playwright/test';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { childAttendanceDetail, type ChildAttendanceDetail } from '../../src/lib/server/features/attendance/child-detail';
import type { Band } from '../../src/lib/domain/attendance';
import type { Locale } from '../../src/lib/domain/locale';
import { bandMessageWords, bandNextStepsWords, markMeaningWords, daysAsWeeksWords, daysWords, freshnessWords, timesWords } from '../../src/lib/i18n-attendance';
import { daysFromSessions } from '../../src/lib/domain/attendance';
import { chooseParentLanguage, devSignIn, expectNoAxeViolations } from './helpers';

/**
 * The numbers a parent sees equal the domain computation. The demo data is
 * deterministic for a given day, so this test seeds the same demo into an in-memory database,
 * computes each figure with the same service, and reads the page of the app under test: one
 * child in every band, each through a parent of theirs.
 */
const BANDS: Band[] = ['excellent', 'at_risk', 'persistently_absent', 'persistently_absent_formal', 'severely_absent'];

interface Case {
	band: Band;
	phone: string;
	/** The parent's language in the demo data: some demo parents read Polish, Arabic, … */
	language: string;
	name: string;
	detail: ChildAttendanceDetail;
}

let cases: Case[] = [];
let handle: DatabaseHandle;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	handle = await openDatabase({ engine: 'pglite-memory' });
	await runMigrations(handle);
	await seedDemoData(handle);
	const links = await handle.query<{ guardian_id: string; phone: string; language: string; pupil_id: string; school: string }>(
		`select pg.guardian_id, g.phone, g.preferred_language as language, pg.pupil_id, s.slug as school
		   from pupil_guardians pg join guardians g on g.id = pg.guardian_id
		   join pupils p on p.id = pg.pupil_id join schools s on s.id = p.school_id
		  where g.phone is not null and s.slug = 'harbourside'
		  order by p.mis_id, g.phone`
	);
	const found = new Map<Band, Case>();
	for (const l of links) {
		if (found.size === BANDS.length) break;
		const detail = await childAttendanceDetail(handle, l.guardian_id, l.pupil_id);
		if (!detail?.band || found.has(detail.band)) continue;
		found.set(detail.band, { band: detail.band, phone: l.phone, language: l.language, name: `${detail.firstName} ${detail.child.lastName}`, detail });
	}
	cases = BANDS.map((b) => found.get(b)).filter((c): c is Case => Boolean(c));
});

test.afterAll(async () => {
	await handle?.close();
});

/**
 * Signs in as the case's parent and sets their language (their account's choice wins over the
 * browser's), then runs `body`; afterwards the parent's own demo language is put back.
 */
async function asParentIn(page: Page, c: Case, locale: Locale, body: () => Promise<void>) {
	await devSignIn(page, c.phone.replace(/^\+44/, '0'));
	await setLanguage(page, locale);
	try {
		await body();
	} finally {
		await setLanguage(page, c.language as Locale);
	}
}

const setLanguage = (page: Page, locale: Locale) => chooseParentLanguage(page, locale);

test('the demo has a child in every band', () => {
	expect(cases.map((c) => c.band)).toEqual(BANDS);
});

for (const band of BANDS) {
	test(`a parent sees the computed figures for a child in the ${band.replace(/_/g, ' ')} band`, async ({ page }) => {
		const c = cases.find((x) => x.band === band)!;
		const d = c.detail;
		await asParentIn(page, c, 'en', async () => {
		await page.getByRole('link', { name: c.name, exact: true }).click();
		await expect(page.getByRole('heading', { level: 1, name: c.name })).toBeVisible();

		await expect(page.getByTestId('percent')).toHaveText(d.percentText);
		await expect(page.getByTestId('days-missed')).toHaveText(d.daysMissedText);
		await expect(page.getByTestId('authorised')).toHaveText(d.authorisedDaysText);
		await expect(page.getByTestId('unauthorised')).toHaveText(d.unauthorisedDaysText);
		await expect(page.getByTestId('freshness')).toHaveText(d.freshness);
		await expect(page.getByTestId('late-before')).toHaveText(new RegExp(`^${d.lates.beforeClose} time`));
		await expect(page.getByTestId('late-after')).toHaveText(new RegExp(`^${d.lates.afterClose} time`));
		if (d.halfTerm) await expect(page.getByTestId('half-term')).toHaveText(d.halfTerm.percentText);
		if (d.halfTerm?.changeText) await expect(page.getByTestId('change')).toHaveText(d.halfTerm.changeText);
		if (d.projection.daysMissedText) await expect(page.getByTestId('projection')).toContainText(d.projection.daysMissedText);
		await expect(page.getByTestId('own-row')).toContainText(`${d.ownRow!.percent}%`);
		await expect(page.getByTestId('own-row')).toContainText(d.ownRow!.text);
		await expect(page.getByTestId('career')).toContainText(d.career!.weeksText);
		// The 95/90/85/75 rows for this school's year, computed rather than copied.
		for (const row of d.timeLost) {
			await expect(page.getByTestId('time-lost').getByRole('row', { name: new RegExp(`^${row.percent}% `) })).toContainText(row.text);
		}
		// The child's own row stands in order of attendance among the others, not after them.
		const headers = await page.getByTestId('time-lost').locator('tbody th').allTextContents();
		const percents = headers.map((h) => Number(/([\d.]+)%/.exec(h)![1]));
		expect(percents).toEqual([...percents].sort((a, b) => b - a));
		expect(headers.findIndex((h) => h.includes(':'))).toBe(d.timeLost.filter((r) => r.percent >= d.ownRow!.percent).length);
		// The chart says what its line and colours mean, and which weeks the bars are.
		await expect(page.getByTestId('chart-key')).toContainText('Dashed line: 96%, the attendance to aim for');
		const weekLabels = await page.getByTestId('week-label').allTextContents();
		expect(weekLabels.length).toBeGreaterThanOrEqual(Math.min(2, d.trend.length));
		// The penalty window only when there is unauthorised absence in it.
		const window = page.getByTestId('penalty-window');
		if (d.penaltyWindow) await expect(window).toContainText(`${d.penaltyWindow.count} half day`);
		else await expect(window).toHaveCount(0);
		// Parents never see the staff band names.
		await expect(page.getByText(/severely absent|persistently absent/i)).toHaveCount(0);
		await expectNoAxeViolations(page);
		});
	});
}

test('the week-by-week chart has a table of the same figures, and another family’s child is not found', async ({ page }) => {
	const c = cases[0]!;
	await devSignIn(page, c.phone.replace(/^\+44/, '0'));
	await setLanguage(page, 'en');
	await page.getByRole('link', { name: c.name, exact: true }).click();
	await expect(page.getByRole('img', { name: /Week by week/ })).toBeVisible();
	await page.getByText('Show the figures as a table').click();
	const rows = page.getByRole('table', { name: /each school week/ }).getByRole('row');
	await expect(rows).toHaveCount(c.detail.trend.length + 1);
	await expectNoAxeViolations(page);
	const href = page.url();
	await setLanguage(page, c.language as Locale);

	await page.context().clearCookies();
	const other = cases.find((x) => x.phone !== c.phone)!;
	await devSignIn(page, other.phone.replace(/^\+44/, '0'));
	expect((await page.goto(href))?.status()).toBe(404);
});

/** The same figures in the parent's language: Polish (several plural forms) and Arabic (right to left). */
const IN_LANGUAGE: { locale: Locale; dir: 'ltr' | 'rtl'; heading: RegExp; marks: string }[] = [
	{ locale: 'pl', dir: 'ltr', heading: /^Frekwencja w tym roku szkolnym/, marks: 'Wpisy w dzienniku' },
	{ locale: 'ar', dir: 'rtl', heading: /^الحضور في هذا العام الدراسي/, marks: 'علامات سجل الحضور' }
];

for (const lang of IN_LANGUAGE) {
	test(`the page shows the same figures in ${lang.locale}, in that language's words`, async ({ page }) => {
		// A child with absence without agreement, so the most sentences with numbers are shown.
		const c = cases.find((x) => x.detail.penaltyWindow) ?? cases.at(-1)!;
		const d = c.detail;
		await asParentIn(page, c, lang.locale, async () => {
			await page.getByRole('link', { name: c.name, exact: true }).click();
			await expect(page.locator('html')).toHaveAttribute('lang', lang.locale);
			await expect(page.locator('html')).toHaveAttribute('dir', lang.dir);
			await expect(page.getByRole('heading', { level: 2, name: lang.heading })).toBeVisible();
			await expect(page.getByRole('heading', { level: 2, name: lang.marks })).toBeVisible();

			await expect(page.getByTestId('percent')).toHaveText(d.percentText);
			await expect(page.getByTestId('days-missed')).toHaveText(daysAsWeeksWords(d.daysMissed, lang.locale));
			await expect(page.getByTestId('authorised')).toHaveText(daysWords(daysFromSessions(d.tally.authorisedAbsence), lang.locale));
			await expect(page.getByTestId('unauthorised')).toHaveText(daysWords(daysFromSessions(d.tally.unauthorisedAbsence), lang.locale));
			await expect(page.getByTestId('freshness')).toHaveText(freshnessWords(d.lastMarkDate, lang.locale));
			await expect(page.getByTestId('late-before')).toHaveText(timesWords(d.lates.beforeClose, lang.locale));
			await expect(page.getByTestId('late-after')).toHaveText(timesWords(d.lates.afterClose, lang.locale));
			await expect(page.getByTestId('own-row')).toContainText(daysAsWeeksWords(d.ownRow!.daysMissed, lang.locale));
			for (const row of d.timeLost) {
				await expect(page.getByTestId('time-lost').getByRole('row', { name: new RegExp(`^${row.percent}% `) })).toContainText(
					daysAsWeeksWords(row.daysMissed, lang.locale)
				);
			}
			// The band's message and next steps for parents, in the language.
			await expect(page.getByText(bandMessageWords(d.band!, lang.locale), { exact: true })).toBeVisible();
			for (const step of bandNextStepsWords(d.band!, lang.locale)) await expect(page.getByText(step, { exact: true })).toBeVisible();
			// The latest day's register marks in plain words in the language.
			const latest = d.calendar.at(-1)!;
			const firstRow = page.locator('table.marks').first().getByRole('row').nth(1);
			if (latest.am) await expect(firstRow).toContainText(markMeaningWords(latest.am.meaning, lang.locale));
			if (latest.pm) await expect(firstRow).toContainText(markMeaningWords(latest.pm.meaning, lang.locale));
			// None of the English wording around the figures is left.
			await expect(page.getByTestId('days-missed')).not.toHaveText(/\b(days?|weeks?)\b/);
			await expect(page.getByText('Days missed so far')).toHaveCount(0);
			await expectNoAxeViolations(page);
		});
	});
}
