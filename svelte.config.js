import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// SvelteKit's cross-site form POST check stays on (the default) everywhere; the
		// signature-validated webhook routes are the only exemption, handled in hooks.server.ts.
		adapter: adapter({ out: 'build' })
	}
};

export default config;
