/**
 * Where encrypted evidence files live. The database row keeps the metadata and a
 * random storage key; the store keeps only ciphertext under that key (never the parent's file
 * name).
 *
 * - disk (the default): DATA_DIR/evidence/<key>. Right for a single instance only: another
 *   instance cannot see this disk.
 * - s3 (EVIDENCE_STORAGE=s3): any S3-compatible object store (AWS S3, MinIO, Ceph, R2…), with
 *   path-style URLs: S3_ENDPOINT/S3_BUCKET/<key>. Use this when more than one instance runs.
 *
 * S3 is reached through aws4fetch: a small, widely used SigV4 signer on top of the built-in
 * fetch with no dependencies of its own. We need three calls (PUT, GET, DELETE of one object);
 * @aws-sdk/client-s3 would add dozens of packages and megabytes for them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import { config, type EvidenceConfig, type S3Config } from '../platform/config';

export interface EvidenceStore {
	readonly kind: 'disk' | 's3';
	/** Stores the bytes under the key; resolves only once they are durably written. */
	put(key: string, body: Uint8Array): Promise<void>;
	get(key: string): Promise<Uint8Array>;
	/** Removes the object; an object already gone is not an error (deletion is retried). */
	delete(key: string): Promise<void>;
	/** Every stored object (for the orphan sweep), with when it was written. */
	list(): Promise<{ key: string; modifiedAt: Date }[]>;
}

export class EvidenceStoreError extends Error {}

const KEY_RE = /^[0-9a-f]{32}$/;

/** A fresh random storage key (128 bits, hex): safe as a file name and an object key. */
export function newStorageKey(): string {
	return randomBytes(16).toString('hex');
}

function checkKey(key: string): string {
	if (!KEY_RE.test(key)) throw new EvidenceStoreError('Not an evidence storage key');
	return key;
}

export function diskEvidenceStore(dir: string): EvidenceStore {
	return {
		kind: 'disk',
		async put(key, body) {
			const file = path.join(dir, checkKey(key));
			await fs.mkdir(dir, { recursive: true, mode: 0o700 });
			// Written to a temporary name and renamed, so a crash never leaves a half file under the key.
			const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
			const handle = await fs.open(tmp, 'wx', 0o600);
			try {
				await handle.writeFile(body);
				await handle.sync();
			} finally {
				await handle.close();
			}
			try {
				await fs.rename(tmp, file);
			} catch (err) {
				await fs.rm(tmp, { force: true });
				throw err;
			}
		},
		async get(key) {
			return new Uint8Array(await fs.readFile(path.join(dir, checkKey(key))));
		},
		async delete(key) {
			await fs.rm(path.join(dir, checkKey(key)), { force: true });
		},
		async list() {
			let names: string[];
			try {
				names = await fs.readdir(dir);
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
				throw err;
			}
			const out: { key: string; modifiedAt: Date }[] = [];
			for (const name of names) {
				// Keys, and temporary files left by a crash mid-write (listed under their key so the sweep removes them).
				const key = name.slice(0, 32);
				if (!KEY_RE.test(key) || !(name.length === 32 || name.endsWith('.tmp'))) continue;
				const stat = await fs.stat(path.join(dir, name)).catch(() => null);
				if (!stat) continue;
				if (name.length === 32) out.push({ key, modifiedAt: stat.mtime });
				else if (Date.now() - stat.mtimeMs > 60 * 60 * 1000) await fs.rm(path.join(dir, name), { force: true });
			}
			return out;
		}
	};
}

export type { S3Config };

export function s3EvidenceStore(config: S3Config): EvidenceStore {
	// Two retries on 5xx and network errors (aws4fetch's default of ten would hold an upload for a minute).
	const client = new AwsClient({ accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, service: 's3', region: config.region, retries: 2 });
	const base = `${config.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(config.bucket)}`;
	const call = async (method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Uint8Array) => {
		const res = await client.fetch(`${base}/${checkKey(key)}`, {
			method,
			body: body ? new Uint8Array(body) : undefined,
			headers: body ? { 'content-type': 'application/octet-stream' } : undefined,
			signal: AbortSignal.timeout(30_000)
		});
		return res;
	};
	return {
		kind: 's3',
		async put(key, body) {
			const res = await call('PUT', key, body);
			await res.arrayBuffer();
			if (!res.ok) throw new EvidenceStoreError(`Evidence storage refused the file (HTTP ${res.status})`);
		},
		async get(key) {
			const res = await call('GET', key);
			const bytes = new Uint8Array(await res.arrayBuffer());
			if (!res.ok) throw new EvidenceStoreError(`Evidence storage could not return the file (HTTP ${res.status})`);
			return bytes;
		},
		async delete(key) {
			const res = await call('DELETE', key);
			await res.arrayBuffer();
			if (!res.ok && res.status !== 404) throw new EvidenceStoreError(`Evidence storage could not delete the file (HTTP ${res.status})`);
		},
		async list() {
			// ListObjectsV2, page by page. The bucket holds only evidence, so every key is ours. The
			// answer's shape is fixed and our keys are hex, so a few patterns read it without an XML parser.
			const out: { key: string; modifiedAt: Date }[] = [];
			let token: string | undefined;
			do {
				const url = new URL(`${base}`);
				url.searchParams.set('list-type', '2');
				if (token) url.searchParams.set('continuation-token', token);
				const res = await client.fetch(url.toString(), { method: 'GET', signal: AbortSignal.timeout(30_000) });
				const xml = await res.text();
				if (!res.ok) throw new EvidenceStoreError(`Evidence storage could not list the files (HTTP ${res.status})`);
				for (const [, block] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
					const key = /<Key>([^<]*)<\/Key>/.exec(block!)?.[1];
					const modified = /<LastModified>([^<]*)<\/LastModified>/.exec(block!)?.[1];
					if (key && KEY_RE.test(key) && modified) out.push({ key, modifiedAt: new Date(modified) });
				}
				const next = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] : undefined;
				token = next?.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
			} while (token);
			return out;
		}
	};
}

/** The store the configuration asks for (EVIDENCE_STORAGE, S3_*: checked in platform/config.ts). */
export function evidenceStoreFromConfig(evidence: EvidenceConfig = config().evidence): EvidenceStore {
	if (evidence.storage === 's3' && evidence.s3) return s3EvidenceStore(evidence.s3);
	return diskEvidenceStore(evidence.diskDir);
}

let cached: EvidenceStore | undefined;
export function evidenceStore(): EvidenceStore {
	return (cached ??= evidenceStoreFromConfig());
}
