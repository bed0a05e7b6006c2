import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// The bot lives at the top level (it is not a web page); routes import it by this alias.
		alias: { $bot: 'bot' },
		// SvelteKit's cross-site form POST check cannot exempt single routes, and Twilio posts
		// forms to our webhooks. hooks.server.ts applies the same check to every route except
		// the signature-validated /webhooks/*, so the check itself is turned off here.
		csrf: { trustedOrigins: ['*'] },
		// Routes are resolved by the server on navigation, so a parent's phone does not download
		// the manifest of every staff and local-authority page with the report page.
		router: { resolution: 'server' },
		// Nonces/hashes for SvelteKit's own inline scripts are added automatically in 'auto' mode.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'connect-src': ['self'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
