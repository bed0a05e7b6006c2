import { test, expect, type Browser, type Page } from '@playwright/test';
import { chooseParentLanguage, devSignIn } from './helpers';
import { LOCALES, LOCALE_COOKIE, type Locale } from '../../src/lib/domain/locale';

/**
 * Every family page in every language on a phone (390 CSS px, mobile emulation): nothing sticks
 * out sideways. On a phone a page wider than the screen is shown zoomed out, so a right-to-left
 * page with one element far to the side is a blank white screen.
 */
const WIDTH = 390;
const PUBLIC = ['/', '/sign-in', '/support', '/language', '/offline'];
const SIGNED_IN = ['/children', '/report', '/reports', '/leave', '/leave/new', '/account', '/support'];
// Lanternby family: a parent whose language is English in the school's data (restored after).
const PARENT = '07700 900547';

async function phone(browser: Browser, baseURL: string | undefined, locale?: Locale) {
	const context = await browser.newContext({ baseURL, viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
	if (locale) await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: baseURL! }]);
	return context;
}

async function expectFitsTheScreen(page: Page, what: string) {
	await page.waitForLoadState('load');
	const fit = await page.evaluate(() => {
		const doc = document.documentElement;
		let culprit = '';
		for (const el of Array.from(document.body.querySelectorAll('*'))) {
			const r = el.getBoundingClientRect();
			if ((r.right > doc.clientWidth + 1 || r.left < -1) && r.width > 1) {
				culprit = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} (${Math.round(r.left)} to ${Math.round(r.right)} px)`;
				break;
			}
		}
		// In mobile emulation a page that sticks out widens the layout viewport itself.
		return { layoutWidth: window.innerWidth, scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, dir: doc.dir, culprit };
	});
	expect.soft(fit.layoutWidth, `${what} (${fit.dir}) is wider than the phone: ${fit.culprit}`).toBeLessThanOrEqual(WIDTH);
	expect.soft(fit.scrollWidth, `${what} (${fit.dir}) scrolls sideways: ${fit.culprit}`).toBeLessThanOrEqual(fit.clientWidth);
}

for (const locale of LOCALES) {
	test(`public pages fit a phone in ${locale}`, async ({ browser, baseURL }) => {
		const context = await phone(browser, baseURL, locale);
		const page = await context.newPage();
		for (const path of PUBLIC) {
			await page.goto(path);
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expectFitsTheScreen(page, `${path} in ${locale}`);
		}
		await context.close();
	});
}

test('a signed-in parent’s pages fit a phone in every language', async ({ browser, baseURL }) => {
	test.setTimeout(120_000);
	const context = await phone(browser, baseURL);
	const page = await context.newPage();
	await devSignIn(page, PARENT);
	const child = await page.locator('a[href^="/children/"]').first().getAttribute('href');
	expect(child).toMatch(/^\/children\/[0-9a-f-]{36}$/);
	try {
		for (const locale of LOCALES) {
			await chooseParentLanguage(page, locale);
			for (const path of [...SIGNED_IN, child!]) {
				await page.goto(path);
				await expectFitsTheScreen(page, `${path} in ${locale}`);
			}
		}
	} finally {
		await chooseParentLanguage(page, 'en');
		await context.close();
	}
});
