import { defineCustomClientStrategy } from '$lib/paraglide/runtime';
import { isLocale } from '$lib/domain/locale';

// The server decides the language (the parent's saved choice, a cookie, the browser's languages)
// and writes it into <html lang>; the browser uses the same one so hydration matches.
defineCustomClientStrategy('custom-html', {
	getLocale: () => {
		const lang = document.documentElement.lang;
		return isLocale(lang) ? lang : undefined;
	},
	// Choosing a language is a form post to /language (works without JavaScript), which reloads
	// the page; nothing changes it in the browser.
	setLocale: () => {}
});
