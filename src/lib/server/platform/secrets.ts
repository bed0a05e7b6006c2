/**
 * The app secret: 32 bytes used to encrypt small secrets at rest (staff TOTP keys) with
 * AES-256-GCM. From APP_SECRET (base64) in production; the embedded default creates one in
 * DATA_DIR on first use so a fresh clone needs no configuration.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config, type SecretsConfig } from './config';

// The key read from the embedded key file, for the configuration it was read for (a reloaded
// configuration reads it again).
let cached: { for: SecretsConfig; key: Buffer } | undefined;

export function appSecret(secrets: SecretsConfig = config().secrets): Buffer {
	if (secrets.appSecret) return secrets.appSecret;
	if (cached?.for === secrets) return cached.key;
	const file = secrets.keyFile;
	if (!file) {
		// Several instances must share one key, so production cannot invent its own.
		throw new Error('APP_SECRET is required when DATABASE_URL is set (openssl rand -base64 32).');
	}
	fs.mkdirSync(path.dirname(file), { recursive: true });
	if (!fs.existsSync(file)) {
		try {
			fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
	}
	const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
	cached = { for: secrets, key };
	return key;
}

/**
 * The key before the last rotation (APP_SECRET_PREVIOUS), or null. While it is set, secrets
 * encrypted with it still open, and the start-up check re-encrypts staff two-factor keys with
 * the current APP_SECRET (see startup/secret-check.ts).
 */
export function previousAppSecret(secrets: SecretsConfig = config().secrets): Buffer | null {
	return secrets.previousAppSecret;
}

/** Tests and tools that switch configuration. */
export function resetAppSecretCache(): void {
	cached = undefined;
}

/** AES-256-GCM; output is base64(iv | tag | ciphertext). */
export function encryptSecret(plain: Uint8Array, key: Buffer = appSecret()): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const body = Buffer.concat([cipher.update(plain), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** With no key given: the current APP_SECRET, then APP_SECRET_PREVIOUS during a rotation. */
export function decryptSecret(encoded: string, key?: Buffer): Uint8Array {
	if (key) return decryptWith(encoded, key);
	try {
		return decryptWith(encoded, appSecret());
	} catch (err) {
		const previous = previousAppSecret();
		if (!previous) throw err;
		return decryptWith(encoded, previous);
	}
}

function decryptWith(encoded: string, key: Buffer): Uint8Array {
	const raw = Buffer.from(encoded, 'base64');
	const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
	decipher.setAuthTag(raw.subarray(12, 28));
	return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
}
