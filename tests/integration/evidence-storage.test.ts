/**
 * Evidence storage and retention: ciphertext only on local disk or in an
 * S3-compatible store (a local fake S3 that checks SigV4), the row keeps only a storage key,
 * failures leave no half-written row, and documents are deleted on schedule after the leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3';
import { buildHeic } from '../helpers/heic';
import { pngChunk, tinyPng } from '../helpers/png';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { addLeaveEvidence, decideLeave, guardianLeaveRequest, parentLeaveAction, schoolLeaveRequest, submitLeave, viewLeaveEvidence } from '../../src/lib/server/features/leave/requests';
import { diskEvidenceStore, evidenceStoreFromConfig, newStorageKey, s3EvidenceStore, type EvidenceStore } from '../../src/lib/server/providers/evidence-storage';
import { deleteExpiredEvidence, moveLegacyEvidence, sweepOrphanEvidence } from '../../src/lib/server/features/leave/evidence-retention';
import { decryptEvidence, evidenceKey } from '../../src/lib/server/features/leave/evidence';
import { encryptSecret } from '../../src/lib/server/platform/secrets';
import { readConfig } from '../../src/lib/server/platform/config';
import { runScheduledJobs } from '../../src/lib/server/startup/scheduler';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const NOW = new Date('2026-11-02T10:00:00Z');
const SECRET = Buffer.from('Order of service for Grandma Ivy, plaintext marker 7f3a9c');
const document = () => tinyPng([pngChunk('IDAT', Buffer.alloc(0)), pngChunk('prVt', SECRET)]);

describe(`evidence storage and retention (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let mum: string;
	let stranger: string;
	let head: string;
	let pupil: string;
	let dir: string;
	let disk: EvidenceStore;
	let s3: FakeS3;
	let s3Store: EvidenceStore;

	const newRequest = async (from: string, to = from) => {
		const made = await submitLeave(handle, mum, { pupilIds: [pupil], type: 'exceptional', from, to, reason: 'A family funeral' }, NOW);
		if (!made.ok) throw new Error(JSON.stringify(made));
		return made;
	};
	const rows = () => handle.query<{ id: string; storage_key: string | null; encrypted: string | null; request_id: string }>(`select id, storage_key, encrypted, request_id from leave_evidence order by uploaded_at`);
	const audits = async (action: string) => (await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = $1`, [action]))[0]!.n;
	const headViewer = () => ({ kind: 'staff' as const, id: head, schoolId, role: 'headteacher' });

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'evid', urn: '490101', misIds: ['KID'] });
		const other = await createTestSchool(handle, { slug: 'evid-o', urn: '490102', misIds: ['OTH'] });
		schoolId = school.id;
		pupil = school.pupils.get('KID')!;
		mum = await createGuardian(handle, { phone: '+447700920001' });
		stranger = await createGuardian(handle, { phone: '+447700920002' });
		await linkGuardian(handle, mum, pupil);
		await linkGuardian(handle, stranger, other.pupils.get('OTH')!);
		head = (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'head@evid.test', 'X', 'headteacher', 'x') returning id`, [schoolId]))[0]!.id;
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
		disk = diskEvidenceStore(dir);
		s3 = await startFakeS3({ bucket: 'evidence-test', accessKeyId: 'AKIDEVERYDAYTEST', region: 'eu-west-2' });
		s3Store = s3EvidenceStore({ endpoint: s3.url, bucket: 'evidence-test', region: 'eu-west-2', accessKeyId: 'AKIDEVERYDAYTEST', secretAccessKey: 'not-a-real-secret' });
	});
	afterAll(async () => {
		await handle?.close();
		await s3?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('disk: the file holds only ciphertext under a random key, and round-trips to the family and the head', async () => {
		const { reference } = await newRequest('2026-11-23', '2026-11-24');
		expect(await addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'funeral.png', bytes: document() }, disk)).toEqual({ ok: true });
		const [row] = await rows();
		expect(row!.storage_key).toMatch(/^[0-9a-f]{32}$/);
		expect(row!.encrypted).toBeNull();
		expect(fs.readdirSync(dir)).toEqual([row!.storage_key]); // no temporary files, never the parent's file name
		const onDisk = fs.readFileSync(path.join(dir, row!.storage_key!));
		expect(onDisk.includes(SECRET)).toBe(false);
		expect(onDisk.includes(Buffer.from('IHDR'))).toBe(false);
		expect(onDisk.length).toBe(document().length + 28); // iv + tag + ciphertext of the same length

		const forHead = await viewLeaveEvidence(handle, headViewer(), row!.id, null, disk);
		expect(Buffer.from(forHead!.bytes).equals(document())).toBe(true);
		expect((await viewLeaveEvidence(handle, { kind: 'guardian', id: mum }, row!.id, null, disk))?.name).toBe('funeral.png');
		// Another family's parent gets nothing, and nothing is read for them.
		expect(await viewLeaveEvidence(handle, { kind: 'guardian', id: stranger }, row!.id, null, disk)).toBeNull();

		// A file copied under another key does not decrypt (the key is authenticated with the data).
		fs.copyFileSync(path.join(dir, row!.storage_key!), path.join(dir, 'a'.repeat(32)));
		const copied = await disk.get('a'.repeat(32));
		expect(() => decryptEvidence(copied, 'a'.repeat(32))).toThrow();
		expect(Buffer.from(decryptEvidence(copied, row!.storage_key!)).equals(document())).toBe(true);
		fs.rmSync(path.join(dir, 'a'.repeat(32)));
		await expect(disk.get('../../etc/passwd')).rejects.toThrow('Not an evidence storage key');
	});

	it('s3: signed requests to the configured bucket store ciphertext; GET round-trips; config from env', async () => {
		const { reference } = await newRequest('2026-11-25');
		const heic = buildHeic();
		expect(await addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'IMG_0001.HEIC', bytes: heic.bytes }, s3Store)).toEqual({ ok: true });
		const row = (await rows()).at(-1)!;
		expect([...s3.objects.keys()]).toEqual([row.storage_key]);
		const put = s3.requests.find((r) => r.method === 'PUT')!;
		expect(put.path).toBe(`/evidence-test/${row.storage_key}`);
		expect(put.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEVERYDAYTEST\/\d{8}\/eu-west-2\/s3\/aws4_request/);
		const stored = s3.objects.get(row.storage_key!)!;
		expect(stored.includes(heic.bytes.subarray(heic.image.offset, heic.image.offset + heic.image.length))).toBe(false);
		expect(stored.includes(Buffer.from('ftypheic'))).toBe(false);

		const file = await viewLeaveEvidence(handle, headViewer(), row.id, null, s3Store);
		expect(file?.mimeType).toBe('image/heic');
		expect(Buffer.from(file!.bytes).subarray(4, 12).toString('latin1')).toBe('ftypheic');
		expect(Buffer.from(file!.bytes).length).toBe(heic.bytes.length);

		const fromEnv = evidenceStoreFromConfig(readConfig({ EVIDENCE_STORAGE: 's3', S3_ENDPOINT: s3.url, S3_BUCKET: 'evidence-test', S3_REGION: 'eu-west-2', S3_ACCESS_KEY_ID: 'AKIDEVERYDAYTEST', S3_SECRET_ACCESS_KEY: 'x' }).evidence);
		expect(fromEnv.kind).toBe('s3');
		expect((await fromEnv.get(row.storage_key!)).length).toBe(stored.length);
		expect(() => evidenceStoreFromConfig(readConfig({ EVIDENCE_STORAGE: 's3', S3_ENDPOINT: s3.url }).evidence)).toThrow(/S3_BUCKET is required/);
		expect(() => evidenceStoreFromConfig(readConfig({ EVIDENCE_STORAGE: 'ftp' }).evidence)).toThrow(/must be "disk" or "s3"/);
		expect(evidenceStoreFromConfig(readConfig({ DATA_DIR: dir }).evidence).kind).toBe('disk');
		// Unsigned requests are refused by the fake, as by real S3: the store reports it.
		const unsigned = await fetch(`${s3.url}/evidence-test/${row.storage_key}`);
		expect(unsigned.status).toBe(403);
	});

	it('a failed store leaves no evidence row and no audit entry, and the parent is told', async () => {
		const { reference, id } = await newRequest('2026-11-26');
		const before = (await rows()).length;
		const auditsBefore = await audits('leave.evidence_added');
		s3.failPutsWith = 500;
		try {
			expect(await addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'x.png', bytes: document() }, s3Store)).toEqual({
				ok: false,
				problem: { code: 'evidence_not_saved' }
			});
		} finally {
			s3.failPutsWith = null;
		}
		expect((await rows()).length).toBe(before);
		expect(await audits('leave.evidence_added')).toBe(auditsBefore);
		expect(s3.objects.size).toBe(1); // only the earlier test's file

		// The file is stored but the row cannot be written (the request vanished meanwhile): the stored file is removed again.
		const sabotage: EvidenceStore = {
			...disk,
			async put(key, body) {
				await disk.put(key, body);
				await handle.query(`delete from leave_requests where id = $1`, [id]);
			}
		};
		const filesBefore = fs.readdirSync(dir).length;
		await expect(addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'y.png', bytes: document() }, sabotage)).rejects.toThrow();
		expect(fs.readdirSync(dir).length).toBe(filesBefore);
		expect((await rows()).length).toBe(before);
		expect(await audits('leave.evidence_added')).toBe(auditsBefore);
	});

	it('retention: documents of decided and withdrawn requests go a year after the leave, from the store and the database, audited; open ones stay', async () => {
		// Leave ending 30 Nov, 1 Dec and 2 Dec 2026; the requests from the first two tests stay open.
		const decided = await newRequest('2026-11-30');
		const withdrawn = await newRequest('2026-12-01');
		const open = await newRequest('2026-12-02');
		for (const r of [decided, withdrawn, open]) expect(await addLeaveEvidence(handle, { guardianId: mum, reference: r.reference, fileName: 'doc.png', bytes: document() }, disk)).toEqual({ ok: true });
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: decided.id, decision: { kind: 'approve' }, now: NOW })).toEqual({ ok: true });
		expect(await parentLeaveAction(handle, { guardianId: mum, reference: withdrawn.reference, action: 'withdraw' })).toEqual({ ok: true });
		const keyOf = async (requestId: string) => (await rows()).find((r) => r.request_id === requestId)!.storage_key!;
		const decidedKey = await keyOf(decided.id);
		const withdrawnKey = await keyOf(withdrawn.id);
		const openKey = await keyOf(open.id);

		// 29 Nov 2027: 364 days after the decided leave's last day. Nothing yet.
		expect(await deleteExpiredEvidence(handle, { now: new Date('2027-11-29T12:00:00Z'), store: disk, retentionDays: 365 })).toBe(0);
		// 30 Nov 2027: the decided request's document goes (run through the scheduler, as in production).
		const run = await runScheduledJobs(handle, new Date('2027-11-30T03:00:00Z'), { evidenceStore: disk });
		expect(run.evidenceDeleted).toBe(1);
		expect(fs.existsSync(path.join(dir, decidedKey))).toBe(false);
		expect(fs.existsSync(path.join(dir, withdrawnKey))).toBe(true);
		const view = (await guardianLeaveRequest(handle, mum, decided.reference))!;
		expect(view.evidence).toEqual([]);
		expect(view.evidenceDeletedOn).toBe('Tuesday 30 November 2027');
		expect((await schoolLeaveRequest(handle, schoolId, decided.id))!.evidenceDeletedOn).toBe('Tuesday 30 November 2027');
		const [audit] = await handle.query<{ actor_type: string; school_id: string; details: { reason: string; retentionDays: number } }>(
			`select actor_type, school_id, details from audit_log where action = 'leave.evidence_deleted'`
		);
		expect(audit).toMatchObject({ actor_type: 'system', school_id: schoolId, details: { reason: 'retention', retentionDays: 365 } });

		// Much later: the withdrawn one goes too; the open request keeps its document however old.
		expect(await deleteExpiredEvidence(handle, { now: new Date('2029-01-01T12:00:00Z'), store: disk, retentionDays: 365 })).toBe(1); // the withdrawn one; the rest are open
		expect(fs.existsSync(path.join(dir, withdrawnKey))).toBe(false);
		expect(fs.existsSync(path.join(dir, openKey))).toBe(true);
		expect((await guardianLeaveRequest(handle, mum, open.reference))!.evidenceDeletedOn).toBeNull();
		// Running again deletes and audits nothing more.
		expect(await deleteExpiredEvidence(handle, { now: new Date('2029-01-01T12:05:00Z'), store: disk, retentionDays: 365 })).toBe(0);
		expect(await audits('leave.evidence_deleted')).toBe(2);
	});

	it('a shorter EVIDENCE_RETENTION_DAYS deletes sooner; a store that cannot delete keeps the row for the next run', async () => {
		const r = await newRequest('2026-12-03');
		expect(await addLeaveEvidence(handle, { guardianId: mum, reference: r.reference, fileName: 'doc.png', bytes: document() }, s3Store)).toEqual({ ok: true });
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: r.id, decision: { kind: 'decline', note: 'Not exceptional.' }, now: NOW })).toEqual({ ok: true });
		const broken: EvidenceStore = { ...s3Store, delete: async () => Promise.reject(new Error('storage down')) };
		expect(await deleteExpiredEvidence(handle, { now: new Date('2027-01-05T12:00:00Z'), store: broken, retentionDays: 30 })).toBe(0);
		expect((await rows()).some((row) => row.request_id === r.id)).toBe(true);
		expect(await deleteExpiredEvidence(handle, { now: new Date('2027-01-05T12:00:00Z'), store: s3Store, retentionDays: 30 })).toBe(1);
		expect((await rows()).some((row) => row.request_id === r.id)).toBe(false);
		expect(s3.requests.some((q) => q.method === 'DELETE')).toBe(true);
	});

	it('files kept in the database before the store existed are moved into it and still open', async () => {
		const r = await newRequest('2026-12-04');
		const legacy = await handle.query<{ id: string }>(
			`insert into leave_evidence (request_id, original_name, mime_type, size, encrypted) values ($1, 'old.png', 'image/png', $2, $3) returning id`,
			[r.id, document().length, encryptSecret(document(), evidenceKey())]
		);
		expect(Buffer.from((await viewLeaveEvidence(handle, headViewer(), legacy[0]!.id, null, disk))!.bytes).equals(document())).toBe(true);
		// With the store down, the scheduler logs it, keeps the file where it is and still runs.
		const down: EvidenceStore = { ...disk, put: async () => Promise.reject(new Error('storage down')) };
		expect(await runScheduledJobs(handle, new Date('2026-11-03T10:00:00Z'), { evidenceStore: down })).toMatchObject({ evidenceMoved: 0, evidenceDeleted: 0 });
		expect((await handle.query<{ encrypted: string | null }>(`select encrypted from leave_evidence where id = $1`, [legacy[0]!.id]))[0]!.encrypted).not.toBeNull();
		expect(await moveLegacyEvidence(handle, { store: disk })).toBe(1);
		const [moved] = await handle.query<{ storage_key: string; encrypted: string | null }>(`select storage_key, encrypted from leave_evidence where id = $1`, [legacy[0]!.id]);
		expect(moved!.encrypted).toBeNull();
		expect(fs.readFileSync(path.join(dir, moved!.storage_key)).includes(SECRET)).toBe(false);
		expect(Buffer.from((await viewLeaveEvidence(handle, headViewer(), legacy[0]!.id, null, disk))!.bytes).equals(document())).toBe(true);
		expect(await moveLegacyEvidence(handle, { store: disk })).toBe(0);
	});

	it('files no row names (an upload that died between file and row) are swept once they are an hour old', async () => {
		const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
		// Disk: an old orphan, an old temporary file, a fresh orphan; every file with a row is backdated too.
		const known = (await rows()).map((r) => r.storage_key!).filter((k) => fs.existsSync(path.join(dir, k)));
		expect(known.length).toBeGreaterThan(0);
		const oldOrphan = newStorageKey();
		const freshOrphan = newStorageKey();
		await disk.put(oldOrphan, Buffer.from('ciphertext'));
		await disk.put(freshOrphan, Buffer.from('ciphertext'));
		const tmp = path.join(dir, `${newStorageKey()}.abcd1234.tmp`);
		fs.writeFileSync(tmp, 'half');
		for (const name of [oldOrphan, path.basename(tmp), ...known]) fs.utimesSync(path.join(dir, name), twoHoursAgo, twoHoursAgo);

		expect(await sweepOrphanEvidence(handle, { store: disk })).toBe(1);
		expect(fs.existsSync(path.join(dir, oldOrphan))).toBe(false);
		expect(fs.existsSync(tmp)).toBe(false);
		expect(fs.existsSync(path.join(dir, freshOrphan))).toBe(true);
		for (const k of known) expect(fs.existsSync(path.join(dir, k))).toBe(true);
		// Through the scheduler: only at minute 23 of an hour, and by then the fresh one is old enough.
		const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
		later.setUTCMinutes(22);
		expect((await runScheduledJobs(handle, later, { evidenceStore: disk })).evidenceOrphansDeleted).toBe(0);
		later.setUTCMinutes(23);
		expect((await runScheduledJobs(handle, later, { evidenceStore: disk })).evidenceOrphansDeleted).toBe(1);
		expect(fs.existsSync(path.join(dir, freshOrphan))).toBe(false);
		for (const k of known) expect(fs.existsSync(path.join(dir, k))).toBe(true);

		// S3: listed page by page (the fake answers two keys a page); only the orphans go.
		const s3Known = [...s3.objects.keys()];
		expect(s3Known.length).toBe(1);
		const orphans = [newStorageKey(), newStorageKey(), newStorageKey()];
		for (const k of orphans) await s3Store.put(k, Buffer.from('ciphertext'));
		for (const k of s3.modified.keys()) s3.modified.set(k, twoHoursAgo);
		expect(await sweepOrphanEvidence(handle, { store: s3Store })).toBe(3);
		expect([...s3.objects.keys()]).toEqual(s3Known);
		expect(s3.requests.filter((r) => r.method === 'GET' && r.path.includes('list-type=2')).length).toBe(2);
	});
});
