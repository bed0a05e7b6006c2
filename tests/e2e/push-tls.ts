/**
 * A throwaway TLS certificate for the local fake push service in push.spec.ts. Push
 * subscriptions must be https (webpush.ts), so the app server, which Playwright starts, trusts
 * this certificate through NODE_EXTRA_CA_CERTS (playwright.config.ts); nothing in the app
 * changes. Made once per E2E data directory, outside it (the web server command empties that).
 */
import fs from 'node:fs';
import path from 'node:path';
import selfsigned from 'selfsigned';

export function pushTlsFiles(dataDir: string): { certFile: string; keyFile: string } {
	const dir = `${dataDir.replace(/\/+$/, '')}-push-tls`;
	const certFile = path.join(dir, 'cert.pem');
	const keyFile = path.join(dir, 'key.pem');
	if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
		fs.mkdirSync(dir, { recursive: true });
		const pems = selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
			days: 30,
			keySize: 2048,
			algorithm: 'sha256',
			extensions: [
				{ name: 'basicConstraints', cA: true },
				{ name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
				{ name: 'extKeyUsage', serverAuth: true },
				{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }
			]
		});
		// Key first, certificate last: a reader that sees the certificate sees both.
		fs.writeFileSync(`${keyFile}.tmp`, pems.private, { mode: 0o600 });
		fs.renameSync(`${keyFile}.tmp`, keyFile);
		fs.writeFileSync(`${certFile}.tmp`, pems.cert);
		fs.renameSync(`${certFile}.tmp`, certFile);
	}
	return { certFile, keyFile };
}
