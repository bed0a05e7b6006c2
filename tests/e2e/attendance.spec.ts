import { test, expect } from '@playwright/test';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/db/engine';
import { seedDemoData } from '../../src/lib/server/db/seed';
import { childAttendanceDetail, type ChildAttendanceDetail } from '../../src/lib/server/child-attendance';
import type { Band } from '../../src/lib/domain/attendance';
import { devSignIn, expectNoAxeViolations } from './helpers';

/**
 * The numbers a parent sees equal the domain computation (issue 7). The demo data is
 * deterministic for a given day, so this test seeds the same demo into an in-memory database,
 * computes each figure with the same service, and reads the page of the app under test: one
 * child in every band, each through a parent of theirs.
 */
const BANDS: Band[] = ['excellent', 'at_risk', 'persistently_absent', 'persistently_absent_formal', 'severely_absent'];

interface Case {
	band: Band;
	phone: string;
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
	const links = await handle.query<{ guardian_id: string; phone: string; pupil_id: string; school: string }>(
		`select pg.guardian_id, g.phone, pg.pupil_id, s.slug as school
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
		found.set(detail.band, { band: detail.band, phone: l.phone, name: `${detail.firstName} ${detail.child.lastName}`, detail });
	}
	cases = BANDS.map((b) => found.get(b)).filter((c): c is Case => Boolean(c));
});

test.afterAll(async () => {
	await handle?.close();
});

test('the demo has a child in every band', () => {
	expect(cases.map((c) => c.band)).toEqual(BANDS);
});

for (const band of BANDS) {
	test(`a parent sees the computed figures for a child in the ${band.replace(/_/g, ' ')} band`, async ({ page }) => {
		const c = cases.find((x) => x.band === band)!;
		const d = c.detail;
		const national = c.phone.replace(/^\+44/, '0');
		await devSignIn(page, national);
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
		// The penalty window only when there is unauthorised absence in it.
		const window = page.getByTestId('penalty-window');
		if (d.penaltyWindow) await expect(window).toContainText(`${d.penaltyWindow.count} half day`);
		else await expect(window).toHaveCount(0);
		// Parents never see the staff band names.
		await expect(page.getByText(/severely absent|persistently absent/i)).toHaveCount(0);
		await expectNoAxeViolations(page);
	});
}

test('the week-by-week chart has a table of the same figures, and another family’s child is not found', async ({ page }) => {
	const c = cases[0]!;
	await devSignIn(page, c.phone.replace(/^\+44/, '0'));
	await page.getByRole('link', { name: c.name, exact: true }).click();
	await expect(page.getByRole('img', { name: /Week by week/ })).toBeVisible();
	await page.getByText('Show the figures as a table').click();
	const rows = page.getByRole('table', { name: /each school week/ }).getByRole('row');
	await expect(rows).toHaveCount(c.detail.trend.length + 1);
	await expectNoAxeViolations(page);
	const href = page.url();

	await page.context().clearCookies();
	const other = cases.find((x) => x.phone !== c.phone)!;
	await devSignIn(page, other.phone.replace(/^\+44/, '0'));
	expect((await page.goto(href))?.status()).toBe(404);
});
