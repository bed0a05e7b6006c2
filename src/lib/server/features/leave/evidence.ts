/**
 * Evidence files for leave requests (docs/domain-rules.md §6): PDF, JPEG, PNG or HEIC, up to 10 MB,
 * the type sniffed from the bytes (never trusted from the name), location and camera metadata
 * removed from JPEG, PNG and HEIC, then encrypted at rest with AES-256-GCM.
 *
 * The key is EVIDENCE_KEY (32 bytes, base64) when set; otherwise it is derived from the app
 * secret (which the embedded default creates in DATA_DIR and production must set), so a fresh
 * clone needs no configuration. The encrypted files are kept in an evidence store (local disk
 * or S3-compatible storage, see evidence-store.ts); the database row has only a storage key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { HeicMetadataError, stripHeicMetadata } from './heic-metadata';
import { appSecret, decryptSecret, previousAppSecret } from '../../platform/secrets';
import type { LeaveChangeProblem } from '../../../domain/leave-problems';
import { config, type Config, type SecretsConfig } from '../../platform/config';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/heic'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

const deriveEvidenceKey = (secret: Buffer) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'every-day evidence files v1', 32));

// The key derived from the app secret, for the secrets it was derived from (a reloaded
// configuration derives it again).
let derived: { for: SecretsConfig; key: Buffer } | undefined;

export function evidenceKey(c: Pick<Config, 'evidence' | 'secrets'> = config()): Buffer {
	if (c.evidence.key) return c.evidence.key;
	if (derived?.for === c.secrets) return derived.key;
	const key = deriveEvidenceKey(appSecret(c.secrets));
	derived = { for: c.secrets, key };
	return key;
}

/**
 * The evidence key before the last rotation: EVIDENCE_KEY_PREVIOUS, or (when evidence keys are
 * derived from the app secret) the one derived from APP_SECRET_PREVIOUS. Files are not
 * re-encrypted: the old key stays set until the last file it opened has passed its retention.
 */
export function previousEvidenceKey(c: Pick<Config, 'evidence' | 'secrets'> = config()): Buffer | null {
	if (c.evidence.previousKey) return c.evidence.previousKey;
	if (c.evidence.key) return null;
	const previous = previousAppSecret(c.secrets);
	return previous ? deriveEvidenceKey(previous) : null;
}

export type CheckedEvidence = { ok: true; mimeType: EvidenceType; bytes: Uint8Array } | { ok: false; problem: LeaveChangeProblem };

/** Checks and cleans an uploaded file. */
export async function checkEvidence(bytes: Uint8Array): Promise<CheckedEvidence> {
	if (bytes.length === 0) return { ok: false, problem: { code: 'evidence_empty' } };
	if (bytes.length > MAX_EVIDENCE_BYTES) return { ok: false, problem: { code: 'evidence_too_large', maxMegabytes: MAX_EVIDENCE_BYTES / 1024 / 1024 } };
	const sniffed = await fileTypeFromBuffer(bytes);
	const mime = sniffed?.mime === 'image/heif' ? 'image/heic' : sniffed?.mime;
	if (!mime || !(EVIDENCE_TYPES as readonly string[]).includes(mime)) {
		return { ok: false, problem: { code: 'evidence_wrong_type' } };
	}
	const type = mime as EvidenceType;
	if (type === 'image/jpeg') return { ok: true, mimeType: type, bytes: stripJpegMetadata(bytes) };
	if (type === 'image/png') return { ok: true, mimeType: type, bytes: stripPngMetadata(bytes) };
	// A PDF is kept as it is: it is a letter or a form, not a photo with a camera's location.
	if (type === 'application/pdf') return { ok: true, mimeType: type, bytes };
	try {
		return { ok: true, mimeType: type, bytes: stripHeicMetadata(bytes) };
	} catch (err) {
		if (!(err instanceof HeicMetadataError)) throw err;
		// We could not find every piece of metadata for certain: refuse rather than keep a location.
		return { ok: false, problem: { code: 'evidence_heic_unreadable' } };
	}
}

/**
 * A JPEG without its APP1–APP15 segments (EXIF with GPS, XMP, IPTC, maker notes) and comments.
 * APP0 (JFIF) and the image data are kept byte for byte.
 */
export function stripJpegMetadata(jpeg: Uint8Array): Uint8Array {
	if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
	const out: Uint8Array[] = [jpeg.subarray(0, 2)];
	let i = 2;
	while (i + 4 <= jpeg.length) {
		if (jpeg[i] !== 0xff) return jpeg; // not a segment boundary: leave the file untouched
		const marker = jpeg[i + 1]!;
		if (marker === 0xda) {
			out.push(jpeg.subarray(i)); // start of scan: the rest is image data
			break;
		}
		const length = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
		const segment = jpeg.subarray(i, i + 2 + length);
		const isMetadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
		if (!isMetadata) out.push(segment);
		i += 2 + length;
	}
	return Buffer.concat(out);
}

/** A PNG without its text and EXIF chunks (tEXt, zTXt, iTXt, eXIf, tIME); image chunks kept as they are. */
export function stripPngMetadata(png: Uint8Array): Uint8Array {
	const SIGNATURE = 8;
	const drop = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);
	const out: Uint8Array[] = [png.subarray(0, SIGNATURE)];
	let i = SIGNATURE;
	while (i + 12 <= png.length) {
		const length = ((png[i]! << 24) | (png[i + 1]! << 16) | (png[i + 2]! << 8) | png[i + 3]!) >>> 0;
		const type = String.fromCharCode(png[i + 4]!, png[i + 5]!, png[i + 6]!, png[i + 7]!);
		const chunk = png.subarray(i, i + 12 + length);
		if (!drop.has(type)) out.push(chunk);
		i += 12 + length;
		if (type === 'IEND') break;
	}
	return Buffer.concat(out);
}

/**
 * AES-256-GCM: iv (12) | tag (16) | ciphertext. The storage key is the additional authenticated
 * data, so a file copied under another row's key fails to decrypt instead of being shown there.
 */
export function encryptEvidence(bytes: Uint8Array, storageKey: string): Buffer {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', evidenceKey(), iv);
	cipher.setAAD(Buffer.from(storageKey, 'utf8'));
	const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decryptEvidence(blob: Uint8Array, storageKey: string): Uint8Array {
	try {
		return decryptEvidenceWith(blob, storageKey, evidenceKey());
	} catch (err) {
		const previous = previousEvidenceKey();
		if (!previous) throw err;
		return decryptEvidenceWith(blob, storageKey, previous);
	}
}

function decryptEvidenceWith(blob: Uint8Array, storageKey: string, key: Buffer): Uint8Array {
	const raw = Buffer.from(blob);
	const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
	decipher.setAAD(Buffer.from(storageKey, 'utf8'));
	decipher.setAuthTag(raw.subarray(12, 28));
	return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
}

/** Files from before the storage move, kept base64 in the database row (no additional data). */
export function decryptLegacyEvidence(encoded: string): Uint8Array {
	try {
		return decryptSecret(encoded, evidenceKey());
	} catch (err) {
		const previous = previousEvidenceKey();
		if (!previous) throw err;
		return decryptSecret(encoded, previous);
	}
}
