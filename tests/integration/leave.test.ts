import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diskEvidenceStore, type EvidenceStore } from '../../src/lib/server/providers/evidence-storage';
import { pngChunk, tinyPng } from '../helpers/png';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	addLeaveEvidence,
	approvedLeaveCsv,
	checkLeave,
	decideLeave,
	guardianLeaveRequest,
	guardianLeaveRequests,
	parentLeaveAction,
	schoolLeaveQueue,
	schoolLeaveRequest,
	submitLeave,
	viewLeaveEvidence
} from '../../src/lib/server/features/leave/requests';
import { leaveDecisionLetter } from '../../src/lib/server/features/leave/letter';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/* Test calendar: Autumn 2 from Mon 2 Nov 2026. "Now" is 2 Nov; the leave is Mon 23 – Tue 24 Nov (2 school days). */
const NOW = new Date('2026-11-02T10:00:00Z');

/** A tiny valid PNG with a tEXt chunk holding a "GPS" note, to check metadata is removed. */
const pngWithText = () => tinyPng([pngChunk('tEXt', Buffer.from('Comment\0GPS 50.79N 1.09W secret-location', 'latin1'))]);

describe(`leave of absence (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let otherSchoolId: string;
	let mum: string;
	let dad: string;
	let stranger: string;
	let head: string;
	let office: string;
	let otherHead: string;
	let sam: string;
	let ella: string;
	let evidenceDir: string;
	let store: EvidenceStore;

	const staff = async (school: string, email: string, role: string) =>
		(await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, $2, 'X', $3, 'x') returning id`, [school, email, role]))[0]!.id;
	const answers = (over: Partial<Parameters<typeof submitLeave>[2]> = {}) => ({
		pupilIds: [sam, ella],
		type: 'exceptional',
		from: '2026-11-23',
		to: '2026-11-24',
		reason: 'Their grandmother’s funeral',
		...over
	});

	beforeAll(async () => {
		handle = await openTestDatabase();
		evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leave-evidence-'));
		store = diskEvidenceStore(evidenceDir);
		const school = await createTestSchool(handle, { slug: 'leave', urn: '490001', misIds: ['SAM', 'ELLA'] });
		const other = await createTestSchool(handle, { slug: 'leave-o', urn: '490002', misIds: ['OTH'] });
		schoolId = school.id;
		otherSchoolId = other.id;
		sam = school.pupils.get('SAM')!;
		ella = school.pupils.get('ELLA')!;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ella' where id = $1`, [ella]);
		mum = await createGuardian(handle, { phone: '+447700910001' });
		dad = await createGuardian(handle, { phone: '+447700910002' });
		stranger = await createGuardian(handle, { phone: '+447700910003' });
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, mum, ella);
		await linkGuardian(handle, dad, sam, 'Father');
		await handle.query(`update pupil_guardians set lives_with = false where guardian_id = $1`, [dad]);
		await linkGuardian(handle, stranger, other.pupils.get('OTH')!);
		head = await staff(schoolId, 'head@leave.test', 'headteacher');
		office = await staff(schoolId, 'office@leave.test', 'office');
		otherHead = await staff(otherSchoolId, 'head@leave-o.test', 'headteacher');
	});
	afterAll(async () => {
		await handle?.close();
		if (evidenceDir) fs.rmSync(evidenceDir, { recursive: true, force: true });
	});

	it('only a parent the children live with may ask, for their own children', async () => {
		const dadTry = await checkLeave(handle, dad, answers({ pupilIds: [sam] }), NOW);
		expect(dadTry).toMatchObject({ ok: false, errors: [{ field: 'pupilIds', message: expect.stringMatching(/^Only a parent Sam normally lives with/) }] });
		expect(await checkLeave(handle, stranger, answers(), NOW)).toMatchObject({ ok: false, errors: [{ message: 'Choose from your own children' }] });
		expect(await checkLeave(handle, mum, answers({ type: 'holiday' }), NOW)).toMatchObject({ ok: false, errors: [{ field: 'type' }] });
		expect(await checkLeave(handle, mum, answers({ from: '2026-11-02', to: '2026-11-02' }), NOW)).toMatchObject({ ok: false, errors: [{ field: 'from' }] });
		const ok = await checkLeave(handle, mum, answers(), NOW);
		expect(ok.ok).toBe(true);
		if (ok.ok) expect(ok.feedback.schoolDays).toBe(2);
	});

	let reference = '';
	let requestId = '';
	it('stores a request for both children; the family sees it, nobody else does', async () => {
		const made = await submitLeave(handle, mum, answers(), NOW);
		expect(made.ok).toBe(true);
		if (!made.ok) return;
		reference = made.reference;
		requestId = made.id;
		expect(reference).toMatch(/^L[A-Z2-9]{3}-[A-Z2-9]{3}$/);
		expect((await guardianLeaveRequests(handle, mum)).map((r) => r.reference)).toEqual([reference]);
		// Dad is Sam's parent: he can see it (but could not have made it).
		expect((await guardianLeaveRequest(handle, dad, reference))?.children.map((c) => c.name.split(' ')[0])).toEqual(['Ella', 'Sam']);
		expect(await guardianLeaveRequest(handle, stranger, reference)).toBeNull();
		expect(await schoolLeaveRequest(handle, otherSchoolId, requestId)).toBeNull();
		expect((await schoolLeaveQueue(handle, schoolId)).map((r) => r.reference)).toEqual([reference]);
		expect(await schoolLeaveQueue(handle, otherSchoolId)).toEqual([]);
	});

	it('evidence: type from the bytes, metadata removed, encrypted at rest, shown only to the family and deciders, every view audited', async () => {
		const fake = await addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'letter.pdf', bytes: Buffer.from('just some text, not a pdf') }, store);
		expect(fake).toEqual({ ok: false, problem: { code: 'evidence_wrong_type' } });
		const exe = await addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'photo.png', bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1') }, store);
		expect(exe.ok).toBe(false);
		expect(await addLeaveEvidence(handle, { guardianId: stranger, reference, fileName: 'x.png', bytes: pngWithText() }, store)).toEqual({ ok: false, problem: { code: 'request_not_found' } });
		expect(await addLeaveEvidence(handle, { guardianId: mum, reference, fileName: 'order of service.png', bytes: pngWithText() }, store)).toEqual({ ok: true });

		const [stored] = await handle.query<{ id: string; storage_key: string; encrypted: string | null; mime_type: string }>(`select id, storage_key, encrypted, mime_type from leave_evidence`);
		expect(stored!.mime_type).toBe('image/png');
		expect(stored!.encrypted).toBeNull();
		expect(fs.readFileSync(path.join(evidenceDir, stored!.storage_key)).includes(Buffer.from('IHDR'))).toBe(false);

		const forHead = await viewLeaveEvidence(handle, { kind: 'staff', id: head, schoolId, role: 'headteacher' }, stored!.id, null, store);
		expect(Buffer.from(forHead!.bytes).subarray(1, 4).toString()).toBe('PNG');
		expect(Buffer.from(forHead!.bytes).includes(Buffer.from('secret-location'))).toBe(false);
		expect(await viewLeaveEvidence(handle, { kind: 'guardian', id: dad }, stored!.id, null, store)).not.toBeNull();
		expect(await viewLeaveEvidence(handle, { kind: 'guardian', id: stranger }, stored!.id, null, store)).toBeNull();
		expect(await viewLeaveEvidence(handle, { kind: 'staff', id: office, schoolId, role: 'office' }, stored!.id, null, store)).toBeNull();
		expect(await viewLeaveEvidence(handle, { kind: 'staff', id: otherHead, schoolId: otherSchoolId, role: 'headteacher' }, stored!.id, null, store)).toBeNull();
		const views = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'leave.evidence_viewed'`);
		expect(views[0]!.n).toBe(2);
	});

	it('the head asks for more information; the parent answers; only deciders may decide', async () => {
		expect(await decideLeave(handle, { staffUserId: office, schoolId, requestId, decision: { kind: 'approve' } })).toEqual({
			ok: false,
			problem: { code: 'not_allowed_to_decide' }
		});
		expect(await decideLeave(handle, { staffUserId: otherHead, schoolId, requestId, decision: { kind: 'approve' } })).toMatchObject({ ok: false });
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId, decision: { kind: 'more_info', question: 'Where is the funeral?' }, now: NOW })).toEqual({ ok: true });
		expect((await guardianLeaveRequest(handle, mum, reference))).toMatchObject({ status: 'more_information', question: 'Where is the funeral?' });
		expect(await parentLeaveAction(handle, { guardianId: mum, reference, action: 'answer', answer: 'In Wrocław, Poland.' })).toEqual({ ok: true });
		expect((await guardianLeaveRequest(handle, mum, reference))).toMatchObject({ status: 'submitted', answer: 'In Wrocław, Poland.' });
	});

	it('a partial approval is told to the parent through the outbox, exports with the code, and makes a letter', async () => {
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId, decision: { kind: 'partial', from: '2026-11-23', to: '2026-11-23', note: 'One day is enough to travel.' } })).toEqual({ ok: true });
		const view = (await guardianLeaveRequest(handle, mum, reference))!;
		expect(view).toMatchObject({ status: 'partly_approved', statusLabel: 'Partly agreed', approvedDates: 'Monday 23 November 2026' });
		const messages = await handle.query<{ recipient: string; body: string }>(`select recipient, body from outbound_messages where purpose = 'leave_decision' order by created_at`);
		expect(messages.map((m) => m.recipient)).toEqual(['+447700910001', '+447700910001']);
		expect(messages[1]!.body).toMatch(new RegExp(`^The headteacher has agreed part of your leave request ${reference} for Ella and Sam: Monday 23 November 2026 only\\. One day is enough to travel\\.`));
		const csv = (await approvedLeaveCsv(handle, schoolId)).trim().split('\r\n');
		expect(csv[0]).toBe('Reference,UPN,Surname,Forename,Date,Session,Code');
		expect(csv.slice(1).map((l) => l.split(',').slice(4).join(','))).toEqual(['2026-11-23,AM,C', '2026-11-23,PM,C', '2026-11-23,AM,C', '2026-11-23,PM,C']);
		// Names come from register imports: a formula in one is shown, never run, by a spreadsheet.
		const surname = (await handle.query<{ last_name: string }>(`select last_name from pupils where id = $1`, [ella]))[0]!.last_name;
		await handle.query(`update pupils set last_name = '=HYPERLINK("https://evil.example","x")' where id = $1`, [ella]);
		expect(await approvedLeaveCsv(handle, schoolId)).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
		await handle.query(`update pupils set last_name = $2 where id = $1`, [ella, surname]);
		// A download by a member of staff is audited: who, which school, how many rows.
		await approvedLeaveCsv(handle, schoolId, { staffUserId: head });
		const downloads = await handle.query<{ actor_id: string; details: { rows: number } }>(`select actor_id, details from audit_log where action = 'approved_leave_csv.downloaded'`);
		expect(downloads).toEqual([{ actor_id: head, details: { rows: 4 } }]);
		const pdf = Buffer.from(await leaveDecisionLetter(view, 'Leave Primary'));
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		// Decided: no second decision, no withdrawal.
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId, decision: { kind: 'approve' } })).toMatchObject({ ok: false });
		expect(await parentLeaveAction(handle, { guardianId: mum, reference, action: 'withdraw' })).toMatchObject({ ok: false });
	});

	it('NUL in what the parent or the head writes is dropped, never a failed insert; a reason of only NUL is no reason', async () => {
		const empty = await submitLeave(handle, mum, answers({ pupilIds: [ella], reason: '\u0000' }), NOW);
		expect(empty.ok).toBe(false);
		const made = await submitLeave(handle, mum, answers({ pupilIds: [ella], from: '2026-12-08', to: '2026-12-08', reason: 'Grand\u0000ad\u0000s funeral' }), NOW);
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		const view = (await guardianLeaveRequest(handle, mum, made.reference))!;
		expect(view.reason).toBe('Grandads funeral');
		const id = (await handle.query<{ id: string }>(`select id from leave_requests where reference = $1`, [made.reference]))[0]!.id;
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'more_info', question: 'Which\u0000 day?' }, now: NOW })).toEqual({ ok: true });
		expect(await parentLeaveAction(handle, { guardianId: mum, reference: made.reference, action: 'answer', answer: 'Tuesday\u0000' })).toEqual({ ok: true });
		expect(await guardianLeaveRequest(handle, mum, made.reference)).toMatchObject({ question: 'Which day?', answer: 'Tuesday' });
		expect(await parentLeaveAction(handle, { guardianId: mum, reference: made.reference, action: 'withdraw' })).toEqual({ ok: true });
	});

	it('a parent can withdraw a request still waiting', async () => {
		const made = await submitLeave(handle, mum, answers({ pupilIds: [ella], type: 'religious_observance', from: '2026-12-07', to: '2026-12-07', reason: 'Festival' }), NOW);
		expect(made.ok).toBe(true);
		if (!made.ok) return;
		expect(await parentLeaveAction(handle, { guardianId: stranger, reference: made.reference, action: 'withdraw' })).toMatchObject({ ok: false });
		expect(await parentLeaveAction(handle, { guardianId: mum, reference: made.reference, action: 'withdraw' })).toEqual({ ok: true });
		expect((await guardianLeaveRequest(handle, mum, made.reference))!.status).toBe('withdrawn');
	});

	it('religious observance: R only for the day set apart; the other days C or not agreed, and the CSV follows', async () => {
		const aunt = await createGuardian(handle, { phone: '+447700910009' });
		await linkGuardian(handle, aunt, ella, 'Aunt');
		const made = await submitLeave(handle, aunt, answers({ pupilIds: [ella], type: 'religious_observance', from: '2026-12-01', to: '2026-12-03', reason: 'Festival and travel' }), NOW);
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		const id = (await handle.query<{ id: string }>(`select id from leave_requests where reference = $1`, [made.reference]))[0]!.id;
		const forHead = (await schoolLeaveRequest(handle, schoolId, id))!;
		expect(forHead.schoolDayList.map((d) => d.date)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
		// The headteacher sees what the rules told the family.
		expect(forHead.parentFindings).toContainEqual({ level: 'warning', text: expect.stringMatching(/^For religious observance, the school can agree only the day set apart/) });
		expect(forHead.parentFindings.map((f) => f.text)).toEqual(made.feedback.points.map((p) => p.text));
		// Agreeing all three at once would record every day as R.
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'approve' } })).toMatchObject({ ok: false });
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'religious_split', setApart: [], otherDays: 'declined', note: 'x' } })).toMatchObject({ ok: false });
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'religious_split', setApart: ['2026-12-02'], otherDays: 'declined', note: '' } })).toEqual({ ok: false, problem: { code: 'reason_missing' } });
		expect(
			await decideLeave(handle, { staffUserId: head, schoolId, requestId: id, decision: { kind: 'religious_split', setApart: ['2026-12-02'], otherDays: 'declined', note: 'Only the festival day can be agreed.' }, now: NOW })
		).toEqual({ ok: true });
		const view = (await guardianLeaveRequest(handle, aunt, made.reference))!;
		expect(view).toMatchObject({ status: 'partly_approved', approvedDates: 'Wednesday 2 December 2026 (religious observance)', agreedDays: [{ date: '2026-12-02', code: 'R' }] });
		const rows = (await approvedLeaveCsv(handle, schoolId)).trim().split('\r\n').filter((l) => l.startsWith(made.reference));
		expect(rows.map((l) => l.split(',').slice(4).join(','))).toEqual(['2026-12-02,AM,R', '2026-12-02,PM,R']);
		const [msg] = await handle.query<{ body: string }>(`select body from outbound_messages where purpose = 'leave_decision' and recipient = '+447700910009'`);
		expect(msg!.body).toMatch(/agreed part of your leave request .* Wednesday 2 December 2026 only\. Only the festival day can be agreed\./);

		const second = await submitLeave(handle, aunt, answers({ pupilIds: [ella], type: 'religious_observance', from: '2026-12-09', to: '2026-12-10', reason: 'Festival' }), NOW);
		if (!second.ok) throw new Error(JSON.stringify(second.errors));
		const id2 = (await handle.query<{ id: string }>(`select id from leave_requests where reference = $1`, [second.reference]))[0]!.id;
		expect(await decideLeave(handle, { staffUserId: head, schoolId, requestId: id2, decision: { kind: 'religious_split', setApart: ['2026-12-10'], otherDays: 'exceptional', note: '' }, now: NOW })).toEqual({ ok: true });
		expect(await guardianLeaveRequest(handle, aunt, second.reference)).toMatchObject({ status: 'approved' });
		const rows2 = (await approvedLeaveCsv(handle, schoolId)).trim().split('\r\n').filter((l) => l.startsWith(second.reference));
		expect(rows2.map((l) => l.split(',').slice(4).join(','))).toEqual(['2026-12-09,AM,C', '2026-12-09,PM,C', '2026-12-10,AM,R', '2026-12-10,PM,R']);
	});

	it('a request in a year whose calendar the school has not loaded yet is taken, not told the school is closed', async () => {
		const aunt = (await handle.query<{ id: string }>(`select id from guardians where phone = '+447700910009'`))[0]!.id;
		const made = await submitLeave(handle, aunt, answers({ pupilIds: [ella], from: '2027-10-04', to: '2027-10-05', reason: 'A family wedding abroad' }), NOW);
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		expect(made.feedback.points.map((p) => p.finding.kind)).toContain('calendar_not_published');
		expect(made.feedback.schoolDays).toBe(2);
	});

	it('study leave is refused for a child not in Year 11', async () => {
		const check = await checkLeave(handle, mum, answers({ pupilIds: [ella], type: 'study_leave' }), NOW);
		expect(check).toMatchObject({ ok: false, errors: [{ field: 'type', finding: { kind: 'type_not_for_year_group', names: ['Ella'] } }] });
	});
});
