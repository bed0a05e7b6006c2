import { test, expect } from '@playwright/test';
import { tinyPng as png } from '../helpers/png';
import { buildHeic } from '../helpers/heic';
import { devSignIn, expectNoAxeViolations, leaveDates } from './helpers';


test('leave, parent to head to parent: rules up front, a document, the decision by message and letter', async ({ page, browser }) => {
	// Three people and three browsers in one story: longer than the default 30 s on a busy machine.
	test.setTimeout(120_000);
	const { from, to } = leaveDates();
	await devSignIn(page, '07700 900547');
	await page.getByRole('link', { name: 'Leave', exact: true }).click();
	await page.getByRole('link', { name: 'Ask for leave' }).click();
	await expectNoAxeViolations(page);

	await page.getByRole('checkbox', { name: /Ezra Lanternby/ }).check();
	await page.getByRole('radio', { name: /^Exceptional circumstances/ }).check();
	await page.getByLabel('First day of leave').fill(from);
	await page.getByLabel('Last day of leave').fill(to);
	await page.getByLabel(/Why are you asking/).fill('His grandmother’s funeral in Scotland');
	await page.getByRole('button', { name: 'Check the rules' }).click();
	const feedback = page.getByTestId('leave-feedback');
	await expect(feedback).toContainText('This is 2 school days (4 sessions) of learning.');
	await expect(feedback).toContainText('The school asks for at least 14');
	await expect(feedback).toContainText('£80 per parent per child if paid within 21 days, £160 within 28 days');
	// A funeral: support is offered alongside the rules.
	await expect(page.getByRole('heading', { name: 'Support if things are hard at the moment' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Send the request to the headteacher' }).click();
	await expect(page.getByRole('heading', { name: 'Request sent' })).toBeVisible();
	await expect(page.getByTestId('leave-status')).toHaveText('Waiting for the headteacher');
	const requestUrl = page.url().replace(/\?.*$/, '');

	await page.getByLabel('Add a document').setInputFiles({ name: 'order-of-service.png', mimeType: 'image/png', buffer: png() });
	await page.getByRole('button', { name: 'Upload' }).click();
	await expect(page.getByRole('status')).toContainText('Your document has been added.');
	const evidenceHref = (await page.getByRole('link', { name: 'order-of-service.png' }).getAttribute('href'))!;
	await expectNoAxeViolations(page);
	// An iPhone photo (HEIC) with its EXIF GPS block: stored without it.
	const heic = buildHeic();
	await page.getByLabel('Add a document').setInputFiles({ name: 'IMG_0042.HEIC', mimeType: 'image/heic', buffer: heic.bytes });
	await page.getByRole('button', { name: 'Upload' }).click();
	await expect(page.getByRole('status')).toContainText('Your document has been added.');
	const heicHref = (await page.getByRole('link', { name: 'IMG_0042.HEIC' }).getAttribute('href'))!;
	// A HEIC that is cut short is refused with a clear error, not stored with its metadata.
	await page.getByLabel('Add a document').setInputFiles({ name: 'broken.heic', mimeType: 'image/heic', buffer: heic.bytes.subarray(0, heic.bytes.length - 10) });
	await page.getByRole('button', { name: 'Upload' }).click();
	await expect(page.getByRole('link', { name: 'We could not read this HEIC photo. Save it as a JPEG or PDF and try again' })).toBeVisible();
	// A file that only claims to be an image is refused.
	await page.getByLabel('Add a document').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a photo') });
	await page.getByRole('button', { name: 'Upload' }).click();
	await expect(page.getByRole('link', { name: 'The file must be a PDF, JPEG, PNG or HEIC (a photo or a scan)' })).toBeVisible();

	// Another family cannot see the request or the document.
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await devSignIn(otherPage, '07700 900101');
	expect((await otherPage.goto(requestUrl))?.status()).toBe(404);
	expect((await otherPage.request.get(evidenceHref)).status()).toBe(404);
	expect((await otherPage.request.get(heicHref)).status()).toBe(404);
	// Nor can the office (only the headteacher or delegate decides and sees evidence).
	await otherPage.context().clearCookies();
	await devSignIn(otherPage, 'office@harbourside.example.org');
	expect((await otherPage.goto('/staff/leave'))?.status()).toBe(403);
	await other.close();

	// The headteacher decides.
	const headContext = await browser.newContext();
	const head = await headContext.newPage();
	await devSignIn(head, 'head@harbourside.example.org');
	await head.getByRole('link', { name: 'Leave requests' }).click();
	await expectNoAxeViolations(head);
	await head.getByRole('link', { name: 'Ezra Lanternby' }).first().click();
	await expect(head.getByText('His grandmother’s funeral in Scotland')).toBeVisible();
	const evidence = await head.request.get((await head.getByRole('link', { name: 'order-of-service.png' }).getAttribute('href'))!);
	expect(evidence.status()).toBe(200);
	expect((await evidence.body()).subarray(1, 4).toString()).toBe('PNG');
	const photo = await head.request.get((await head.getByRole('link', { name: 'IMG_0042.HEIC' }).getAttribute('href'))!);
	expect(photo.headers()['content-type']).toBe('image/heic');
	const photoBytes = await photo.body();
	expect(photoBytes.subarray(4, 12).toString('latin1')).toBe('ftypheic');
	expect(photoBytes.subarray(heic.image.offset, heic.image.offset + heic.image.length).equals(heic.bytes.subarray(heic.image.offset, heic.image.offset + heic.image.length))).toBe(true);
	expect(photoBytes.subarray(heic.exif.offset, heic.exif.offset + heic.exif.length).every((b) => b === 0)).toBe(true);
	await expectNoAxeViolations(head);
	await head.getByRole('radio', { name: 'Agree some of the dates' }).check();
	await head.getByLabel('Agreed from').fill(from);
	await head.getByLabel('Agreed to').fill(from);
	await head.getByLabel(/Reason for the family/).fill('One day is agreed for the funeral.');
	await head.getByRole('button', { name: 'Save the decision' }).click();
	await expect(head.getByRole('status')).toHaveText('Decision saved. The family has been told.');
	await expect(head.getByTestId('staff-leave-status')).toHaveText('Partly agreed');
	const csv = await head.request.get('/staff/leave/approved.csv');
	expect(await csv.text()).toContain(`${from},AM,C`);
	await headContext.close();

	// The parent is told, and can download the letter.
	await page.goto('/dev/outbox');
	await expect(page.getByText(/The headteacher has agreed part of your leave request L[A-Z2-9]{3}-[A-Z2-9]{3} for Ezra/).first()).toBeVisible();
	await page.goto(requestUrl);
	await expect(page.getByTestId('leave-status')).toHaveText('Partly agreed');
	await expect(page.getByText('One day is agreed for the funeral.')).toBeVisible();
	const letter = await page.request.get(`${requestUrl}/letter.pdf`);
	expect(letter.headers()['content-type']).toBe('application/pdf');
	expect((await letter.body()).subarray(0, 5).toString()).toBe('%PDF-');
	await expectNoAxeViolations(page);
});

test('a parent who does not live with the child cannot ask for leave, and is told why', async ({ page }) => {
	await devSignIn(page, '07700 900101');
	await page.goto('/leave/new');
	const { from, to } = leaveDates();
	await page.getByRole('checkbox', { name: /Nabil Chowdhury/ }).check();
	await page.getByRole('radio', { name: /^Religious observance/ }).check();
	await page.getByLabel('First day of leave').fill(from);
	await page.getByLabel('Last day of leave').fill(to);
	await page.getByLabel(/Why are you asking/).fill('Eid');
	await page.getByRole('button', { name: 'Check the rules' }).click();
	await expect(page.getByRole('link', { name: /^Only a parent Nabil normally lives with can ask for leave/ })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Send the request to the headteacher' })).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('withdrawing a leave request asks first; "No, keep it" keeps it', async ({ page }) => {
	const { from, to } = leaveDates(45);
	await devSignIn(page, '07700 900547');
	await page.goto('/leave/new');
	await page.getByRole('checkbox', { name: /Ezra Lanternby/ }).check();
	await page.getByRole('radio', { name: /^An interview/ }).check();
	await page.getByLabel('First day of leave').fill(from);
	await page.getByLabel('Last day of leave').fill(from === to ? to : from);
	await page.getByLabel(/Why are you asking/).fill('An interview for a music school');
	await page.getByRole('button', { name: 'Check the rules' }).click();
	await page.getByRole('button', { name: 'Send the request to the headteacher' }).click();
	await expect(page.getByTestId('leave-status')).toHaveText('Waiting for the headteacher');

	await page.getByRole('button', { name: 'Withdraw this request' }).click();
	const confirm = page.getByTestId('withdraw-confirm');
	await expect(confirm).toContainText('Withdraw this request?');
	await expect(page.getByTestId('leave-status')).toHaveText('Waiting for the headteacher');
	await expectNoAxeViolations(page);
	await confirm.getByRole('link', { name: 'No, keep it' }).click();
	await expect(page.getByTestId('withdraw-confirm')).toHaveCount(0);
	await expect(page.getByTestId('leave-status')).toHaveText('Waiting for the headteacher');

	await page.getByRole('button', { name: 'Withdraw this request' }).click();
	await page.getByTestId('withdraw-confirm').getByRole('button', { name: 'Yes, withdraw the request' }).click();
	await expect(page.getByRole('status')).toContainText('Your request has been withdrawn.');
	await expect(page.getByTestId('leave-status')).toHaveText('Withdrawn');
});
