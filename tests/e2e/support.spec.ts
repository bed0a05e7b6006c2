import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { devSignIn, expectNoAxeViolations, isDemoSchoolDay, londonToday, nextDemoSchoolDay } from './helpers';

test('anyone can browse and search the support directory', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('link', { name: 'Help', exact: true }).click();
	await expect(page).toHaveURL(/\/support$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Help and support' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Mental health and anxiety' })).toBeVisible();
	await expect(page.getByRole('link', { name: /^Kooth/ })).toHaveAttribute('href', 'https://www.kooth.com/');
	// A visitor we know nothing about sees every service for families, with its ages; none for professionals only.
	await expect(page.getByRole('listitem').filter({ hasText: 'Kooth' })).toContainText('For ages 11 to 25.');
	await expect(page.getByText('Inclusion Outreach Service')).toHaveCount(0);
	// A service the source gives no way to reach is not shown to families (no invented link, no dead end);
	// every service shown is one tap away: its web address or its email.
	await expect(page.getByText('Portsmouth School Nursing Service')).toHaveCount(0);
	await expect(page.getByText(/how to reach this service/)).toHaveCount(0);
	const shown = page.locator('ul.services > li');
	expect(await shown.count()).toBeGreaterThan(10);
	for (const item of await shown.all()) await expect(item.getByRole('link').first()).toHaveAttribute('href', /^(https?:|mailto:|tel:)/);
	await expect(page.getByRole('link', { name: 'neurodiversity0-19enquiries@portsmouthcc.gov.uk' })).toHaveAttribute(
		'href',
		'mailto:neurodiversity0-19enquiries@portsmouthcc.gov.uk'
	);
	await expect(page.getByRole('table', { name: /Common illnesses/ })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByLabel('Search for help').fill('bus');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByRole('status')).toHaveText(/1 service found\./);
	await expect(page.getByRole('link', { name: /^School transport and travel/ })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByLabel('Search for help').fill('qwertyuiop');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByRole('status')).toContainText('No services match.');

	await page.getByRole('navigation', { name: 'Kinds of help' }).getByRole('link', { name: 'Young carers' }).click();
	await expect(page.getByRole('link', { name: /^Young Carers Team/ })).toBeVisible();
	await expect(page.getByRole('status')).toHaveText(/1 service found\./);
});

test('a signed-in parent sees their school first, and support after an illness report', async ({ page }) => {
	await devSignIn(page, '07700 900547');
	await page.goto('/support');
	const school = page.locator('.inset').filter({ hasText: 'Talk to your child’s school first' });
	await expect(school).toContainText('Harbourside Primary');
	await expect(school).toContainText('Northgate Infant School');

	await page.goto('/report');
	await page.locator('input[name="pupilId"]').first().check();
	await page.getByRole('radio', { name: 'Another day' }).check();
	await page.getByLabel('Date (if another day)').fill(nextDemoSchoolDay(isDemoSchoolDay(londonToday()) ? nextDemoSchoolDay() : undefined));
	await page.getByRole('radio', { name: 'Illness', exact: true }).check();
	await page.getByLabel(/Anything else the school should know/).fill('He was sick in the night and is very worried about missing school');
	await page.getByRole('button', { name: 'Send to the school' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Absence reported' })).toBeVisible();
	const help = page.getByRole('region', { name: 'Help if you need it' });
	await expect(help.getByRole('row', { name: /Sickness \(vomiting\) and diarrhoea Yes .*48 hours/ })).toBeVisible();
	// Being sick brings the illness guide, not a service for something else (the therapy and the
	// vision and hearing services); being worried brings mental health services, each one tap away.
	await expect(help.getByRole('heading', { name: 'Illness and health' })).toHaveCount(0);
	await expect(help.getByText('Vision and Hearing Team')).toHaveCount(0);
	await expect(help.getByRole('heading', { name: 'Mental health and anxiety' })).toBeVisible();
	for (const item of await help.locator('ul.services > li').all()) await expect(item.getByRole('link').first()).toHaveAttribute('href', /^(https?:|mailto:|tel:)/);
	await expect(help.getByRole('link', { name: /Is my child too ill for school\?/ })).toHaveAttribute('href', 'https://www.nhs.uk/live-well/is-my-child-too-ill-for-school/');
	await expectNoAxeViolations(page);
});

test('on a phone, the school is one tap to call and a search’s results start on the first screen', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await devSignIn(page, '07700 900547');
	await page.goto('/support');
	const school = page.locator('.inset').filter({ hasText: 'Talk to your child’s school first' });
	const call = school.locator('a[href^="tel:"]').first();
	await expect(call).toHaveText('+441632960123');
	await expect(call).toHaveAttribute('href', /^tel:\+44\d{9,10}$/);
	await page.getByLabel('Search for help').fill('anxious');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByRole('status')).toContainText('services found');
	// The first result, not just the count, is on the first screen (it was some 1,400 px down).
	const first = page.locator('ul.services > li').first();
	const box = (await first.boundingBox())!;
	expect(box.y + 40).toBeLessThan(844);
	await expectNoAxeViolations(page);
});

test('the local authority admin exports the directory and loads an edited one; a bad file changes nothing', async ({ page }) => {
	await devSignIn(page, 'admin@portsmouth.example.org');
	await page.getByRole('link', { name: 'Support directory' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Support directory' })).toBeVisible();
	await expect(page.getByRole('row', { name: /portsmouth.*30/ })).toBeVisible();
	await expectNoAxeViolations(page);

	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download portsmouth.json' }).click()]);
	const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
	expect(file.directory.slug).toBe('portsmouth');
	expect(file.services).toHaveLength(30);

	// A broken file: every problem listed, nothing changed.
	const broken = structuredClone(file);
	broken.services[0].category = 'astrology';
	await page.getByLabel('Directory file (.json)').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
	await page.getByRole('button', { name: 'Load directory' }).click();
	await expect(page.getByRole('link', { name: /services\[0\]\.category must be one of/ })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('Directory file (.json)').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') });
	await page.getByRole('button', { name: 'Load directory' }).click();
	await expect(page.getByRole('link', { name: /not valid JSON/ })).toBeVisible();

	// An edited file: the support page shows the change at once.
	const edited = structuredClone(file);
	edited.services.find((s: { name: string }) => s.name === 'Kooth').overview = 'Free online counselling for young people (edited by the authority).';
	await page.getByLabel('Directory file (.json)').setInputFiles({ name: 'edited.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
	await page.getByRole('button', { name: 'Load directory' }).click();
	await expect(page.getByRole('status')).toHaveText('Loaded 30 services into the “portsmouth” directory.');
	await page.goto('/support?q=kooth');
	await expect(page.getByText('Free online counselling for young people (edited by the authority).')).toBeVisible();

	// Put the original back for the other tests.
	await page.goto('/admin/directory');
	await page.getByLabel('Directory file (.json)').setInputFiles({ name: 'original.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
	await page.getByRole('button', { name: 'Load directory' }).click();
	await expect(page.getByRole('status')).toContainText('Loaded 30 services');

	// Staff of a school cannot reach it.
	await page.context().clearCookies();
	await devSignIn(page, 'office@harbourside.example.org');
	expect((await page.goto('/admin/directory'))?.status()).toBe(403);
	expect((await page.request.get('/admin/directory/portsmouth.json')).status()).toBe(403);
});
