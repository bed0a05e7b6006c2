import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { pushTlsFiles } from './tests/e2e/push-tls';

const port = Number(process.env.E2E_PORT ?? 4173);
const dataDir = process.env.E2E_DATA_DIR ?? '.tmp/e2e-data';

// push.spec.ts's local fake push service serves https with this certificate; the app trusts it.
const pushTls = pushTlsFiles(dataDir);

// The system Chromium (Debian package `chromium`); Playwright never downloads a browser here.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	forbidOnly: true,
	retries: 0,
	timeout: 30_000,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: chromiumPath,
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync'
					]
				}
			}
		}
	],
	// The real built app on a fresh embedded database with the demo data, as `npm start` runs it.
	webServer: {
		command: `node -e "require('fs').rmSync('${dataDir}',{recursive:true,force:true})" && node scripts/start.js`,
		url: `http://127.0.0.1:${port}/health`,
		reuseExistingServer: false,
		timeout: 240_000,
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			DATA_DIR: dataDir,
			DATABASE_URL: '',
			// push.spec.ts's fake push service listens on 127.0.0.1 (refused at start with an https ORIGIN).
			PUSH_ALLOW_PRIVATE_HOSTS: '1',
			NODE_EXTRA_CA_CERTS: path.resolve(pushTls.certFile)
		},
		stdout: 'pipe',
		stderr: 'pipe'
	}
});
