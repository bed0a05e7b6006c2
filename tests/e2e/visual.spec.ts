import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, nextDemoSchoolDay } from './helpers';

/**
 * The main parent and staff pages as people see them, on a 390 px phone and a 1366 px laptop.
 * Each page is photographed (attached to the report, to look at) and checked for what a person
 * notices: words broken in the middle of a table header or a pupil's name, tables squeezed into
 * a column while the screen has room, and a child's page that scrolls for ever on a phone.
 */
const CHOWDHURY = '07700 900101';
const LANTERNBY = '07700 900547';
const WIDTHS = [390, 1366] as const;

/** The whole page, and the first screen as a person sees it on opening the page. */
async function shoot(page: Page, testInfo: TestInfo, name: string) {
	for (const [suffix, fullPage] of [['', true], ['-screen', false]] as const) {
		const file = testInfo.outputPath(`${name}${suffix}.png`);
		await page.screenshot({ path: file, fullPage });
		await testInfo.attach(`${name}${suffix}`, { path: file, contentType: 'image/png' });
	}
}

/**
 * Columns wider than their widest content needs (more than a few pixels) in tables that do not
 * fill their container, i.e. where the page still had room: a table stretched across the screen
 * spreads its rows apart. A block in a cell (a form, a list) counts as filling it.
 */
async function overWideColumns(page: Page, tables = 'main table'): Promise<string[]> {
	return page.evaluate((sel) => {
		const found: string[] = [];
		for (const table of Array.from(document.querySelectorAll<HTMLTableElement>(sel))) {
			const box = table.getBoundingClientRect();
			const container = table.parentElement!.getBoundingClientRect();
			// A table that fills its container had no room left: its columns share the width.
			if (box.width === 0 || box.width >= container.width - 2) continue;
			const columns = new Map<number, { width: number; content: number; name: string }>();
			for (const row of Array.from(table.rows)) {
				Array.from(row.cells).forEach((cell, i) => {
					const style = getComputedStyle(cell);
					const width = cell.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
					const range = document.createRange();
					range.selectNodeContents(cell);
					const rects = Array.from(range.getClientRects()).filter((r) => r.width > 1 && r.height > 1);
					const content = rects.length ? Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left)) : 0;
					const col = columns.get(i) ?? { width, content: 0, name: (table.rows[0]?.cells[i]?.textContent ?? '').trim() };
					col.content = Math.max(col.content, content);
					columns.set(i, col);
				});
			}
			for (const col of columns.values()) {
				if (col.width > col.content + 4) found.push(`${table.caption?.textContent?.trim() ?? 'table'}: “${col.name}” is ${Math.round(col.width)} px for ${Math.round(col.content)} px of content`);
			}
		}
		return found;
	}, tables);
}

/**
 * Words that the browser split over two lines inside `selector` (each word's boxes must share
 * one line). Hyphen-free mid-word breaks come from `overflow-wrap: anywhere` squeezing a column.
 */
async function brokenWords(page: Page, selector: string): Promise<string[]> {
	return page.evaluate((sel) => {
		const broken: string[] = [];
		for (const el of Array.from(document.querySelectorAll(sel))) {
			const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				const text = node.textContent ?? '';
				for (const match of text.matchAll(/\S+/g)) {
					const range = document.createRange();
					range.setStart(node, match.index!);
					range.setEnd(node, match.index! + match[0].length);
					const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
					if (rects.length === 0) continue; // visually hidden text has no box
					const lines = new Set(rects.map((r) => Math.round(r.top)));
					if (lines.size > 1) broken.push(match[0]);
				}
			}
		}
		return broken;
	}, selector);
}

/** Header cells of `table` whose text takes more than one line. */
async function wrappedHeaders(page: Page, table: string): Promise<string[]> {
	return page.locator(`${table} thead th`).evaluateAll((ths) =>
		ths
			.filter((th) => {
				const range = document.createRange();
				range.selectNodeContents(th);
				const lines = new Set(
					Array.from(range.getClientRects())
						.filter((r) => r.width > 0 && r.height > 0)
						.map((r) => Math.round(r.bottom))
				);
				return lines.size > 1;
			})
			.map((th) => (th.textContent ?? '').trim())
	);
}

async function noSidewaysScroll(page: Page) {
	const { extra, culprits } = await page.evaluate(() => {
		const viewport = document.documentElement.clientWidth;
		// The innermost elements that reach past the screen's right edge (outside any box that
		// scrolls on its own), so a failure names what widened the page.
		const scrolls = (el: Element) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
		const culprits: string[] = [];
		for (const el of Array.from(document.body.querySelectorAll('*'))) {
			if (el.getBoundingClientRect().right <= viewport + 1) continue;
			let inside = false;
			for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (scrolls(a)) inside = true;
			if (inside) continue;
			if (Array.from(el.children).some((c) => c.getBoundingClientRect().right > viewport + 1)) continue;
			culprits.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} “${(el.textContent ?? '').trim().slice(0, 60)}” to ${Math.round(el.getBoundingClientRect().right)} px`);
		}
		return { extra: document.documentElement.scrollWidth - viewport, culprits: culprits.slice(0, 5) };
	});
	expect(extra, `the page scrolls sideways: ${culprits.join('; ')}`).toBeLessThanOrEqual(0);
}

/** Sends a few reports for `date` so the board has rows to show (idempotent per run). */
async function reportsFor(page: Page, phone: string, date: string, reasons: { reason: string; details: string }[]) {
	await devSignIn(page, phone);
	await page.goto('/report');
	const children = await page.locator('input[name="pupilId"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
	for (const [i, pupilId] of children.entries()) {
		const r = reasons[i % reasons.length]!;
		const res = await page.request.post('/api/reports', {
			data: { idempotencyKey: `visual-${phone}-${pupilId}-${date}`, pupilIds: [pupilId], when: 'day', date, ...r }
		});
		expect(res.status()).toBe(200);
	}
	await page.context().clearCookies();
}

/** Four reports at Harbourside for `day`, with different reasons and one long note. */
async function boardReports(page: Page, day: string) {
	await reportsFor(page, CHOWDHURY, day, [
		{ reason: 'illness', details: 'High temperature overnight, we will keep him at home and see the GP' },
		{ reason: 'medical_appointment', details: 'Orthodontist at 10:30' },
		{ reason: 'religious_observance', details: '' }
	]);
	await reportsFor(page, LANTERNBY, day, [{ reason: 'family_emergency', details: '' }]);
	// The same child reported again with a long note: the board shows one report with its
	// history, and that history must not widen the board past the screen.
	await devSignIn(page, LANTERNBY);
	await page.goto('/report');
	const [first] = await page.locator('input[name="pupilId"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
	const again = await page.request.post('/api/reports', {
		data: {
			idempotencyKey: `visual-again-${first}-${day}`,
			pupilIds: [first],
			when: 'day',
			date: day,
			reason: 'family_emergency',
			details: 'Still with family at the hospital this morning; we will ring the office at lunchtime if anything changes'
		}
	});
	expect(again.status()).toBe(200);
	await page.context().clearCookies();
}

test.describe.configure({ timeout: 120_000 });

test('the school’s day board at 390 and 1366 px: whole words, the width used, sortable and filtered', async ({ page }, testInfo) => {
	const day = nextDemoSchoolDay();
	await boardReports(page, day);
	await devSignIn(page, 'attendance@harbourside.example.org');

	for (const width of WIDTHS) {
		await page.setViewportSize({ width, height: width < 500 ? 844 : 768 });
		await page.goto(`/staff/today?date=${day}`);
		const table = page.getByRole('table', { name: /Absence reports from parents/ });
		await expect(table).toBeVisible();
		await shoot(page, testInfo, `staff-today-${width}`);
		// The report sent again is one row: its time in the Reported column, its words with the reason.
		// (Earlier tests may have sent other children's reports again for this day too.)
		const again = table.locator('tbody tr').filter({ hasText: 'Still with family at the hospital' });
		await expect(again).toHaveCount(1);
		expect(await again.getByTestId('reported-again').count()).toBeGreaterThanOrEqual(1);
		await noSidewaysScroll(page);
		expect(await brokenWords(page, 'main th, main td a[href^="/staff/pupils/"]'), `words broken at ${width} px`).toEqual([]);
		await expectNoAxeViolations(page);

		if (width === 1366) {
			// The board has the laptop's width to use, not a 960 px column: each header is one line
			// and no column is wider than what is in it.
			const widths = await page.evaluate(() => ({
				main: document.querySelector('main')!.getBoundingClientRect().width,
				viewport: document.documentElement.clientWidth
			}));
			expect(widths.main).toBeGreaterThan(widths.viewport * 0.95);
			expect(await overWideColumns(page)).toEqual([]);
			expect(await wrappedHeaders(page, '[data-testid="reports-table"]')).toEqual([]);
			// Each pupil's name and class sit on one line: a day's reports fit on a screen.
			// A row with the parent's own words, a part day's times or a report sent again wraps them
			// in their column; every other row stays within about three lines. How many times earlier
			// tests sent a report again is theirs to choose, so a longer row is held to its own content:
			// no taller than its tallest cell's text, and that text not squeezed into a narrow column.
			const rowHeights = await table.locator('tbody tr').evaluateAll((rows) =>
				rows.map((r) => {
					const cells = [...r.querySelectorAll('td')];
					const contentHeights = cells.map((td) => {
						const range = document.createRange();
						range.selectNodeContents(td);
						return range.getBoundingClientRect().height;
					});
					const name = r.querySelector('a[href^="/staff/pupils/"]')!.getBoundingClientRect().height;
					return {
						height: r.getBoundingClientRect().height,
						tallestContent: Math.max(...contentHeights),
						nameLineHeight: name,
						reasonWidth: r.querySelector('td.reason')!.getBoundingClientRect().width,
						longer: r.querySelector('[data-testid="part-day"], [data-testid="reported-again"], .reason .details') !== null
					};
				})
			);
			for (const r of rowHeights) {
				expect(r.nameLineHeight, 'a pupil’s name on one line').toBeLessThan(32);
				expect(r.height, 'a row no taller than its content').toBeLessThan(r.tallestContent + 40);
				if (!r.longer) expect(r.height).toBeLessThan(80);
				expect(r.reasonWidth, 'the reason column wide enough to read').toBeGreaterThanOrEqual(200);
			}
			// (Earlier tests may have added words to every report of the day, so a plain row is not assumed.)
			expect(rowHeights.length).toBeGreaterThanOrEqual(4);
			// The header row stays in view while a long table scrolls.
			expect(await table.locator('thead th').first().evaluate((th) => getComputedStyle(th).position)).toBe('sticky');
		} else {
			// On a phone the table scrolls inside its own box and stays a table for screen readers.
			const box = await table.evaluate((t) => ({ overflow: getComputedStyle(t).overflowX, scroll: t.scrollWidth, client: t.clientWidth }));
			expect(box.overflow).toBe('auto');
		}
	}

	// Sorting by reason: the header link says which way the table is sorted (aria-sort).
	await page.setViewportSize({ width: 1366, height: 768 });
	await page.goto(`/staff/today?date=${day}`);
	const reasonHeader = page.getByRole('columnheader', { name: /Reason/ });
	await expect(reasonHeader).not.toHaveAttribute('aria-sort');
	await expect(page.getByRole('columnheader', { name: /Year and class/ })).toHaveAttribute('aria-sort', 'ascending');
	await reasonHeader.getByRole('link').click();
	await expect(page).toHaveURL(/sort=reason/);
	await expect(page.getByRole('columnheader', { name: /Reason/ })).toHaveAttribute('aria-sort', 'ascending');
	const reasons = async () =>
		page
			.getByTestId('reports-table')
			.locator('tbody tr td:nth-child(3)')
			.evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent?.trim() ?? ''));
	const asc = await reasons();
	expect(asc.length).toBeGreaterThanOrEqual(4);
	expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, 'en-GB')));
	await page.getByRole('columnheader', { name: /Reason/ }).getByRole('link').click();
	await expect(page).toHaveURL(/dir=desc/);
	await expect(page.getByRole('columnheader', { name: /Reason/ })).toHaveAttribute('aria-sort', 'descending');
	expect(await reasons()).toEqual([...asc].reverse());
	await shoot(page, testInfo, 'staff-today-sorted-1366');
});

test('the board’s filters and sorting work without JavaScript', async ({ browser }) => {
	const day = nextDemoSchoolDay();
	// The same reports as the test above (sent once whichever test runs first).
	const setup = await browser.newPage();
	await boardReports(setup, day);
	await setup.close();
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 768 } });
	const page = await context.newPage();
	await devSignInNoJs(page, 'office@harbourside.example.org');
	await page.goto(`/staff/today?date=${day}`);
	const rows = page.getByTestId('reports-table').locator('tbody tr');
	const all = await rows.count();
	expect(all).toBeGreaterThanOrEqual(4);
	// Only the reports not yet acknowledged, and not the unreported list, from a GET form.
	await page.getByLabel('Status').selectOption('open');
	await page.getByLabel('Show').selectOption('reported');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await expect(page).toHaveURL(/status=open/);
	await expect(page).toHaveURL(/show=reported/);
	await expect(page.getByRole('heading', { name: 'Absent with no reason yet' })).toHaveCount(0);
	await expect(page.getByTestId('reports-count')).toContainText('Showing');
	await expect(page.getByLabel('Status')).toHaveValue('open');
	for (const status of await page.getByTestId('reports-table').locator('tbody tr td:last-child').allInnerTexts()) {
		expect(status).toContain('Acknowledge');
	}
	// Acknowledging a report keeps the day and the filters: it leaves the "not acknowledged" list.
	const open = await rows.count();
	await rows.first().getByRole('button', { name: /^Acknowledge/ }).click();
	await expect(page.getByRole('status')).toContainText('Report acknowledged.');
	await expect(page).toHaveURL(new RegExp(`date=${day}.*status=open`));
	await expect(rows).toHaveCount(open - 1);
	// Sorting keeps the filters.
	await page.getByRole('columnheader', { name: /Status/ }).getByRole('link').click();
	await expect(page).toHaveURL(/sort=status/);
	await expect(page).toHaveURL(/status=open/);
	await expect(page.getByRole('columnheader', { name: /Status/ })).toHaveAttribute('aria-sort', 'ascending');
	// No report for a day ahead is late: said plainly.
	await page.goto(`/staff/today?date=${day}&late=late`);
	await expect(page.getByText('No report matches these filters.')).toBeVisible();
	await page.getByRole('link', { name: 'Clear filters' }).click();
	await expect(rows).toHaveCount(all);
	await context.close();
});

async function devSignInNoJs(page: Page, who: string) {
	await page.goto('/dev/sign-in');
	await page.getByLabel('Mobile number or email address').fill(who);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(who.includes('@') ? /\/(staff|admin)$/ : /\/children$/);
}

test('the staff overview and a pupil page at 390 and 1366 px', async ({ page }, testInfo) => {
	await devSignIn(page, 'head@harbourside.example.org');
	for (const width of WIDTHS) {
		await page.setViewportSize({ width, height: width < 500 ? 844 : 768 });
		await page.goto('/staff');
		await expect(page.getByRole('table').first()).toBeVisible();
		await shoot(page, testInfo, `staff-overview-${width}`);
		await noSidewaysScroll(page);
		expect(await brokenWords(page, 'main th, main td a[href^="/staff/pupils/"]'), `words broken at ${width} px`).toEqual([]);
		if (width === 1366) {
			const { main, viewport } = await page.evaluate(() => ({
				main: document.querySelector('main')!.getBoundingClientRect().width,
				viewport: document.documentElement.clientWidth
			}));
			expect(main).toBeGreaterThan(viewport * 0.95);
			expect(await overWideColumns(page)).toEqual([]);
			expect(await wrappedHeaders(page, 'main table')).toEqual([]);
			// Halfway down a page of the pupil list its header row is still at the top of the screen.
			const pupils = page.getByRole('table', { name: /Pupils' attendance this year/ });
			const header = await pupils.evaluate((t) => {
				const box = t.getBoundingClientRect();
				window.scrollTo(0, window.scrollY + box.top + box.height / 2);
				return t.querySelector('thead th')!.getBoundingClientRect().top;
			});
			expect(Math.abs(header)).toBeLessThanOrEqual(1);
			await page.evaluate(() => window.scrollTo(0, 0));
		}
		await expectNoAxeViolations(page);

		await page.locator('a[href^="/staff/pupils/"]').first().click();
		await expect(page).toHaveURL(/\/staff\/pupils\/[0-9a-f-]{36}$/);
		await shoot(page, testInfo, `staff-pupil-${width}`);
		await noSidewaysScroll(page);
		expect(await brokenWords(page, 'main th')).toEqual([]);
		await expectNoAxeViolations(page);
	}
});

test('a child’s page on a phone: the figures first, the marks by month with the latest open, printable in full', async ({ page }, testInfo) => {
	await devSignIn(page, CHOWDHURY);
	for (const width of WIDTHS) {
		await page.setViewportSize({ width, height: width < 500 ? 844 : 768 });
		await page.goto('/children');
		await shoot(page, testInfo, `children-${width}`);
		await noSidewaysScroll(page);
		await page.locator('a[href^="/children/"]').first().click();
		await expect(page).toHaveURL(/\/children\/[0-9a-f-]{36}$/);
		await expect(page.getByTestId('percent')).toBeVisible();
		await shoot(page, testInfo, `child-${width}`);
		await noSidewaysScroll(page);
		expect(await brokenWords(page, 'main th')).toEqual([]);
		if (width === 1366) expect(await overWideColumns(page)).toEqual([]);
		await expectNoAxeViolations(page);

		const months = page.getByTestId('marks-month');
		const count = await months.count();
		expect(count).toBeGreaterThan(1);
		// The latest month is open; the rest are folded.
		await expect(months.first()).toHaveAttribute('open', '');
		for (let i = 1; i < count; i++) await expect(months.nth(i)).not.toHaveAttribute('open');

		if (width === 390) {
			// The figures, the chart and the time-lost table come before the marks...
			const top = async (testId: string) => (await page.getByTestId(testId).boundingBox())!.y;
			expect(await top('percent')).toBeLessThan(await top('time-lost'));
			expect(await top('time-lost')).toBeLessThan((await months.first().boundingBox())!.y);
			// ...and with the marks folded the page ends: it was about 6,000 px with every mark listed.
			// The marks take at most a month of short rows and a line per earlier month.
			const height = await page.evaluate(() => document.documentElement.scrollHeight);
			expect(height).toBeLessThan(5600);
			const marks = await page.evaluate(() => {
				const from = document.getElementById('marks-heading')!.getBoundingClientRect().top;
				const months = Array.from(document.querySelectorAll('[data-testid="marks-month"]'));
				return months.at(-1)!.getBoundingClientRect().bottom - from;
			});
			expect(marks).toBeLessThan(1800);
			const rows = await months.first().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
			// A day is a row of a few short lines ("Absent – we have not had a reason yet" takes three).
			for (const h of rows) expect(h).toBeLessThan(90);
			// The jump links take a parent straight to the marks.
			await page.getByTestId('jump-links').getByRole('link', { name: 'Register marks' }).click();
			await expect(page).toHaveURL(/#marks-heading$/);
			await expect(page.getByRole('heading', { name: 'Register marks' })).toBeInViewport();

			// Opening an earlier month shows its days.
			const earlier = months.nth(1);
			await earlier.locator('summary').click();
			await expect(earlier.getByRole('table')).toBeVisible();
			await earlier.locator('summary').click();
			await expect(earlier.getByRole('table')).not.toBeVisible();

			// Printed, every month's marks are on paper, folded or not.
			await page.emulateMedia({ media: 'print' });
			await expect(months.last().getByRole('table')).toBeVisible();
			await expect(page.getByTestId('jump-links')).toBeHidden();
			await page.emulateMedia({ media: 'screen' });
			await expect(months.last().getByRole('table')).not.toBeVisible();
		}
	}
});

test('reporting an absence on a phone and on a laptop', async ({ page }, testInfo) => {
	await devSignIn(page, LANTERNBY);
	for (const width of WIDTHS) {
		await page.setViewportSize({ width, height: width < 500 ? 844 : 768 });
		await page.goto('/report');
		await shoot(page, testInfo, `report-${width}`);
		await noSidewaysScroll(page);
		await page.goto('/reports');
		await shoot(page, testInfo, `reports-${width}`);
		await noSidewaysScroll(page);
		expect(await brokenWords(page, 'main th')).toEqual([]);
		await expectNoAxeViolations(page);
	}
});
