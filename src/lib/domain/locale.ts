/**
 * Which language a page or message is in. Pure rules, so they can be tested
 * exhaustively; hooks.server.ts and the bot/outbox code feed them what they know.
 */

/** The languages parents can choose. English is the base language: every key exists in it. */
export const LOCALES = ['en', 'pl', 'ro', 'ar', 'bn'] as const;
export type Locale = (typeof LOCALES)[number];
export const BASE_LOCALE: Locale = 'en';

/** Each language's name in that language, for the chooser (so a parent recognises their own). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
	en: 'English',
	pl: 'Polski',
	ro: 'Română',
	ar: 'العربية',
	bn: 'বাংলা'
};

/** Each language's name in English, as staff pages name them. */
export const LOCALE_ENGLISH_NAMES: Readonly<Record<Locale, string>> = { en: 'English', pl: 'Polish', ro: 'Romanian', ar: 'Arabic', bn: 'Bengali' };

/** The cookie that keeps a signed-out visitor's choice. */
export const LOCALE_COOKIE = 'every_day_lang';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * A supported locale from a language tag or name as schools' systems and browsers write it:
 * 'pl', 'PL', 'pl-PL', 'pl_PL', 'Polish', 'polski'. Unknown or unsupported: null.
 */
export function toLocale(value: string | null | undefined): Locale | null {
	if (!value) return null;
	const v = value.trim().toLowerCase();
	if (!v) return null;
	const primary = v.split(/[-_]/)[0]!;
	if (isLocale(primary)) return primary;
	return LANGUAGE_NAMES[v] ?? null;
}

// MIS exports sometimes carry the language's English name rather than a code.
const LANGUAGE_NAMES: Readonly<Record<string, Locale>> = {
	english: 'en',
	polish: 'pl',
	polski: 'pl',
	romanian: 'ro',
	română: 'ro',
	romana: 'ro',
	arabic: 'ar',
	bengali: 'bn',
	bangla: 'bn',
	bengali_sylheti: 'bn',
	sylheti: 'bn'
};

/** Text direction for <html dir>. */
export function textDirection(locale: Locale): 'ltr' | 'rtl' {
	return locale === 'ar' ? 'rtl' : 'ltr';
}

/**
 * The best supported language from an Accept-Language header, honouring q-values
 * ("ro;q=0.8, pl" → pl). Languages with q=0 are refused. None supported: null.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
	if (!header) return null;
	const ranked = header
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const quality = q ? Number(q.slice(2)) : 1;
			return { locale: toLocale(tag), quality: Number.isFinite(quality) ? quality : 0, index };
		})
		.filter((c): c is { locale: Locale; quality: number; index: number } => c.locale !== null && c.quality > 0)
		.sort((a, b) => b.quality - a.quality || a.index - b.index);
	return ranked[0]?.locale ?? null;
}

/** Staff, admin and developer pages stay in English. */
export function isEnglishOnlyPath(pathname: string): boolean {
	return /^\/(staff|admin|dev)(\/|$)/.test(pathname);
}

export interface WebLocaleInput {
	pathname: string;
	/** The signed-in parent's preferred language (guardians.preferred_language), if a parent is signed in. */
	guardianPreference: string | null;
	/** The chooser's cookie, for visitors who are not signed in. */
	cookie: string | null | undefined;
	acceptLanguage: string | null | undefined;
}

/**
 * A page's language: English on staff pages; else the signed-in parent's preferred language;
 * else the language chosen on this device (cookie); else the browser's languages; else English.
 */
export function chooseWebLocale(input: WebLocaleInput): Locale {
	if (isEnglishOnlyPath(input.pathname)) return BASE_LOCALE;
	return toLocale(input.guardianPreference) ?? toLocale(input.cookie) ?? localeFromAcceptLanguage(input.acceptLanguage) ?? BASE_LOCALE;
}

/**
 * A message's language when it is composed outside a web request (bot replies, first day
 * contact, check-ins, decisions): the guardian's preferred language; when that is the default
 * English (the school's data has nothing else) and their linked Telegram app is set to a
 * language we have, that language; else English.
 */
export function chooseMessageLocale(input: { guardianPreference: string | null | undefined; telegramLanguage?: string | null }): Locale {
	const preferred = toLocale(input.guardianPreference);
	if (preferred && preferred !== BASE_LOCALE) return preferred;
	return toLocale(input.telegramLanguage) ?? preferred ?? BASE_LOCALE;
}
