import { test, expect, type Page } from '@playwright/test';
import { devSignIn, expectNoAxeViolations, isDemoSchoolDay, leaveDates, londonToday, nextDemoSchoolDay } from './helpers';

/**
 * Languages: a parent chooses Polish and reports an absence in Polish; a visitor who
 * is not signed in chooses Arabic and gets right-to-left pages; all without JavaScript too.
 * Lindsey Lanternby (07700 900416) is a demo parent no other spec uses, so her language choice
 * changes nothing elsewhere (and is set back to English at the end).
 */
const LINDSEY = '07700 900416';
const REFERENCE = /^[A-Z2-9]{3}-[A-Z2-9]{3}$/;

async function chooseLanguage(page: Page, name: string) {
	await page.getByRole('radio', { name, exact: true }).check();
	await page.getByRole('button', { name: /Save language|Zapisz język|حفظ اللغة|Salvați limba|ভাষা সংরক্ষণ করুন/ }).click();
}

async function firstDayInPolish(page: Page) {
	if (isDemoSchoolDay(londonToday())) {
		await page.getByRole('radio', { name: 'Dzisiaj', exact: true }).check();
	} else {
		await page.getByRole('radio', { name: 'Inny dzień' }).check();
		await page.getByLabel('Data (jeśli inny dzień)').fill(nextDemoSchoolDay());
	}
}

test('a demo parent chooses Polish in their account and reports an absence in Polish', async ({ page }) => {
	// A long journey (account, report, leave, with an accessibility check on each of eight
	// screens): about 15 s alone, twice that on a loaded 2-core machine.
	test.setTimeout(90_000);
	await devSignIn(page, LINDSEY);
	try {
		await page.goto('/account');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await chooseLanguage(page, 'Polski');
		await expect(page).toHaveURL(/\/account$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
		await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
		await expect(page.getByRole('heading', { level: 1, name: 'Twoje konto' })).toBeVisible();
		await expect(page.getByRole('radio', { name: 'Polski' })).toBeChecked();
		await expectNoAxeViolations(page);

		await page.goto('/report');
		await expect(page.getByRole('heading', { level: 1, name: 'Zgłoś nieobecność' })).toBeVisible();
		await expect(page.getByText(/Daj nam znać tego dnia przed 9:15/).first()).toBeVisible();
		await expectNoAxeViolations(page);

		// Errors in Polish, in the summary and at the fields.
		await page.getByRole('button', { name: 'Wyślij do szkoły' }).click();
		await expect(page.getByRole('heading', { name: 'Wystąpił problem' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Wybierz, kto nie będzie w szkole' })).toHaveAttribute('href', '#pupilIds');
		await expect(page.getByRole('link', { name: 'Wybierz powód nieobecności' })).toHaveAttribute('href', '#reason');
		await expect(page).toHaveTitle(/^Błąd: /);
		await expectNoAxeViolations(page);

		await page.locator('input[name="pupilId"]').first().check();
		await firstDayInPolish(page);
		await page.getByRole('radio', { name: 'Choroba', exact: true }).check();
		await page.getByRole('button', { name: 'Wyślij do szkoły' }).click();

		await expect(page).toHaveURL(/\/report\/done\?refs=/);
		await expect(page.getByRole('heading', { level: 1, name: 'Nieobecność zgłoszona' })).toBeVisible();
		expect((await page.locator('.reference').first().textContent())!.trim()).toMatch(REFERENCE);
		await expect(page.getByText(/^Poinformowaliśmy .+\.$/).first()).toBeVisible();
		await expect(page.getByRole('link', { name: 'Zmień lub wycofaj to zgłoszenie' }).first()).toBeVisible();
		await expectNoAxeViolations(page);

		// The leave form's kinds of leave are in Polish too.
		await page.goto('/leave/new');
		await expect(page.getByRole('radio', { name: 'Święto religijne', exact: true })).toBeVisible();
		await expect(page.getByText('Religious observance', { exact: true })).toHaveCount(0);
		await expectNoAxeViolations(page);

		// The rules' errors and instant feedback are in Polish (checking sends nothing).
		await page.getByRole('button', { name: 'Sprawdź przepisy' }).click();
		await expect(page.getByRole('link', { name: 'Wybierz dzieci, których dotyczy wniosek' })).toHaveAttribute('href', '#pupilIds');
		await expectNoAxeViolations(page);
		const { from, to } = leaveDates();
		await page.locator('input[name="pupilId"]').first().check();
		await page.getByRole('radio', { name: /^Wyjątkowe okoliczności/ }).check();
		await page.getByLabel('Pierwszy dzień zwolnienia').fill(from);
		await page.getByLabel('Ostatni dzień zwolnienia').fill(to);
		await page.getByLabel(/Dlaczego prosisz/).fill('Pogrzeb babci w Polsce');
		await page.getByRole('button', { name: 'Sprawdź przepisy' }).click();
		const feedback = page.getByTestId('leave-feedback');
		await expect(feedback).toContainText('Liczba dni nauki w szkole: 2 (liczba sesji: 4).');
		await expect(feedback).toContainText('Szkoła prosi o co najmniej 14');
		await expect(feedback).toContainText('nieusprawiedliwione (kod G)');
		await expect(feedback).toContainText('£80 od każdego rodzica za każde dziecko');
		await expect(feedback).not.toContainText('school days');
		await expectNoAxeViolations(page);
	} finally {
		await page.goto('/account');
		await chooseLanguage(page, 'English');
	}
	await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
});

test('Arabic pages are right to left, for a visitor who is not signed in', async ({ page }) => {
	await page.goto('/sign-in');
	await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
	await page.getByRole('link', { name: 'Change language' }).click();
	await expect(page).toHaveURL(/\/language\?returnTo=%2Fsign-in$/);
	await expectNoAxeViolations(page);
	await chooseLanguage(page, 'العربية');
	await expect(page).toHaveURL(/\/sign-in$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	await expect(page.getByText('أدخل رقم هاتفك المحمول أو بريدك الإلكتروني')).toBeVisible();
	await expectNoAxeViolations(page);
	// The choice stays for this browser; staff pages stay in English.
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	await expectNoAxeViolations(page);
	await page.goto('/staff/sign-in');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
});

test('a browser set to Bengali gets Bengali pages until a language is chosen', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'bn-BD' });
	const page = await context.newPage();
	await page.goto('/sign-in');
	await expect(page.locator('html')).toHaveAttribute('lang', 'bn');
	await expect(page.getByRole('button', { name: 'আমাকে একটি কোড পাঠান' })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByTestId('change-language').click();
	await chooseLanguage(page, 'Română');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ro');
	await expect(page.getByRole('button', { name: 'Trimiteți-mi un cod' })).toBeVisible();
	await context.close();
});

test('without JavaScript: choose Polish and report an absence in Polish', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await devSignIn(page, LINDSEY);
	try {
		await page.goto('/language?returnTo=/report');
		await chooseLanguage(page, 'Polski');
		await expect(page).toHaveURL(/\/report$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Zgłoś nieobecność' })).toBeVisible();
		await page.locator('input[name="pupilId"]').first().check();
		await firstDayInPolish(page);
		await page.getByRole('radio', { name: 'Wizyta u lekarza lub dentysty' }).check();
		await page.getByRole('button', { name: 'Wyślij do szkoły' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Nieobecność zgłoszona' })).toBeVisible();
	} finally {
		await page.goto('/language?returnTo=/account');
		await chooseLanguage(page, 'English');
	}
	await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
	await context.close();
});
