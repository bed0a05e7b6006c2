import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { confirmMonitoringPoint, letterForGuardian, lettersForGuardian, previewMonitoringPoint, printBatch, pupilRecord, saveGraduatedPolicy, saveLetterTemplate, schoolMonitoringPoints } from '../../src/lib/server/features/graduated-response';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const AUTUMN_1 = 'attendance:2026/27:Autumn 1';

/** Marks every school day of the range present, then the given sessions as `code`. */
async function mark(handle: DatabaseHandle, schoolId: string, pupilId: string, from: string, to: string, special: { date: string; session: 'AM' | 'PM'; code: string; minutes?: number }[] = []) {
	await handle.query(
		`insert into attendance_marks (pupil_id, date, session, school_id, code, source)
		 select $1, d::date, s::register_session, $2, '/', 'seed'
		   from generate_series($3::date, $4::date, interval '1 day') d, unnest(array['AM','PM']) s
		  where extract(isodow from d) < 6 and not (d::date = '2026-11-20' and s = 'PM')
		 on conflict do nothing`,
		[pupilId, schoolId, from, to]
	);
	for (const m of special) {
		await handle.query(`update attendance_marks set code = $4, minutes_late = $5 where pupil_id = $1 and date = $2 and session = $3`, [pupilId, m.date, m.session, m.code, m.minutes ?? null]);
	}
}

const absent = (dates: string[], code = 'O') => dates.flatMap((date) => [{ date, session: 'AM' as const, code }, { date, session: 'PM' as const, code }]);

describe(`the graduated response (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let lead: { id: string; role: string };
	let ava: string, ben: string, cal: string, dee: string;
	let siblingsParent: string, calParent: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'grad', urn: '496001', misIds: ['AVA', 'BEN', 'CAL', 'DEE'] });
		schoolId = school.id;
		[ava, ben, cal, dee] = ['AVA', 'BEN', 'CAL', 'DEE'].map((k) => school.pupils.get(k)!) as [string, string, string, string];
		for (const [id, name] of [[ava, 'Ava'], [ben, 'Ben'], [cal, 'Cal'], [dee, 'Dee']] as const) await handle.query(`update pupils set first_name = $2 where id = $1`, [id, name]);
		await handle.query(`update schools set phone = '+441632960999' where id = $1`, [schoolId]);
		siblingsParent = await createGuardian(handle, { phone: '+447700912001' });
		calParent = await createGuardian(handle, { phone: '+447700912002' });
		const deeParent = await createGuardian(handle, {});
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [calParent]);
		await linkGuardian(handle, siblingsParent, ava);
		await linkGuardian(handle, siblingsParent, ben);
		await linkGuardian(handle, calParent, cal);
		await linkGuardian(handle, deeParent, dee);
		// Autumn 1 from Fri 4 September (the 3rd is INSET): 36 days, 72 sessions.
		await mark(handle, schoolId, ava, '2026-09-04', '2026-10-23', [{ date: '2026-10-07', session: 'AM', code: 'I' }]);
		await mark(handle, schoolId, ben, '2026-09-04', '2026-10-23', [
			...absent(['2026-09-15', '2026-09-16']),
			{ date: '2026-09-17', session: 'AM', code: 'I' },
			{ date: '2026-10-20', session: 'AM', code: 'L', minutes: 10 },
			{ date: '2026-10-22', session: 'AM', code: 'L', minutes: 15 }
		]);
		await mark(handle, schoolId, cal, '2026-09-04', '2026-10-23', [...absent(['2026-09-21', '2026-09-22', '2026-09-23', '2026-09-24', '2026-09-25']), { date: '2026-10-01', session: 'AM', code: 'O' }]);
		await mark(handle, schoolId, dee, '2026-09-04', '2026-10-23');
		lead = (await handle.query<{ id: string; role: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'lead@grad.test', 'Lead', 'attendance_lead', 'x') returning id, role::text as role`, [schoolId]))[0]!;
		expect(await saveGraduatedPolicy(handle.db, lead, schoolId, { preset: 'lanercost', cadence: 'half_termly' })).toEqual({ ok: true });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('lists the points that have ended and the last school weeks', async () => {
		const points = await schoolMonitoringPoints(handle, schoolId, '2026-11-12');
		expect(points.attendance.map((p) => p.key)).toEqual([AUTUMN_1]);
		expect(points.lateness.map((p) => p.from)).toEqual(['2026-11-02', '2026-10-19', '2026-10-12', '2026-10-05']);
	});

	it('previews who is due what, grouped by step, and records nothing', async () => {
		const preview = (await previewMonitoringPoint(handle, schoolId, AUTUMN_1, '2026-11-12'))!;
		const byStep = Object.fromEntries(preview.groups.map((g) => [g.step, g.pupils.map((p) => p.name)]));
		// Ava 71 of 72 (98.6%) and Dee 100%: green; Ben 67 of 72 (93.1%): lower amber; Cal 61 of 72 (84.7%): close monitoring.
		expect(byStep).toEqual({ close_monitoring: ['Cal Pupil'], rag_lower_amber: ['Ben Pupil'], rag_green: ['Ava Pupil', 'Dee Pupil'] });
		expect(preview.groups.find((g) => g.step === 'rag_lower_amber')!.pupils[0]!.year).toMatchObject({ attended: 67, possible: 72 });
		const [row] = await handle.query<{ n: number }>(`select count(*)::int as n from graduated_actions`);
		expect(row!.n).toBe(0);
	});

	it('a tone-failing template is refused; a passing one is kept', async () => {
		const bad = await saveLetterTemplate(handle.db, lead, schoolId, 'rag_lower_amber', { title: 'Attendance warning', paragraphs: ['Attendance is 93%. You may face a penalty notice. Contact us on {contact} for help.'] });
		expect(bad.ok).toBe(false);
		expect(bad.ok === false && 'tone' in bad ? bad.tone.map((p) => p.code) : []).toEqual(['mentions_percentage', 'not_specific', 'consequence_before_support', 'blaming_words']);
		expect(await saveLetterTemplate(handle.db, { id: lead.id, role: 'office' }, schoolId, 'rag_green', 'reset')).toEqual({ ok: false, forbidden: true });
	});

	it('two members of staff confirming at the same moment send each letter once; the sibling pair each get their own', async () => {
		const input = { pointKey: AUTUMN_1, skips: [] };
		const [a, b] = await Promise.all([
			confirmMonitoringPoint(handle, lead, schoolId, input, { today: '2026-11-12', origin: 'https://everyday.test' }),
			confirmMonitoringPoint(handle, lead, schoolId, input, { today: '2026-11-12', origin: 'https://everyday.test' })
		]);
		expect(a!.taken + b!.taken).toBe(4);
		expect(a!.letters + b!.letters).toBe(4);
		expect(a!.toPrint + b!.toPrint).toBe(1);
		const messages = await handle.query<{ recipient: string; body: string; idempotency_key: string }>(`select recipient, body, idempotency_key from outbound_messages where purpose = 'graduated_letter' order by recipient, body`);
		expect(messages).toHaveLength(3);
		const siblings = messages.filter((m) => m.recipient === '+447700912001');
		expect(siblings.map((m) => m.body).sort()).toEqual([expect.stringContaining("a letter about Ben's attendance"), expect.stringContaining("good news about Ava's attendance")]);
		expect(messages.find((m) => m.recipient === '+447700912002')!.body).toContain('list w sprawie frekwencji Cal');
		// A third confirm (a retry) finds everything done.
		expect(await confirmMonitoringPoint(handle, lead, schoolId, input, { today: '2026-11-12' })).toEqual({ taken: 0, skipped: 0, letters: 0, toPrint: 0 });
		expect((await previewMonitoringPoint(handle, schoolId, AUTUMN_1, '2026-11-12'))!.recorded).toEqual({ taken: 4, skipped: 0 });
	});

	it('letters are kept as data in the family language, days not percentages, with support', async () => {
		const [benLetter] = await lettersForGuardian(handle.db, siblingsParent, ben);
		expect(benLetter!.content.title).toBe("Ben's attendance: we would like to help");
		expect(benLetter!.content.paragraphs[0]).toBe('In Autumn 1, Ben missed 2½ days of school. This school year so far that is 2½ days: 2½ days of learning, which is a lot to catch up on.');
		expect(benLetter!.content.paragraphs.join(' ')).not.toContain('%');
		expect(benLetter!.content.support.length).toBeGreaterThanOrEqual(0);
		const [calLetter] = await lettersForGuardian(handle.db, calParent, cal);
		expect(calLetter!.content.locale).toBe('pl');
		expect(calLetter!.content.title).toBe('Frekwencja Cal: wsparcie w następnym półsemestrze');
		// Another parent cannot open it.
		expect(await letterForGuardian(handle.db, siblingsParent, cal, calLetter!.id)).toBeNull();
		const opened = await letterForGuardian(handle.db, calParent, cal, calLetter!.id);
		expect(opened!.id).toBe(calLetter!.id);
		const print = await printBatch(handle, schoolId, AUTUMN_1);
		expect(print.map((l) => l.content.title)).toEqual(['Well done, Dee!']);
	});

	it('the weekly lateness point: Ben\'s two lates bring a lateness letter; a skip is recorded with its reason', async () => {
		const key = 'lateness:2026-10-19';
		const preview = (await previewMonitoringPoint(handle, schoolId, key, '2026-11-12'))!;
		expect(preview.groups.map((g) => [g.step, g.pupils.map((p) => p.name)])).toEqual([['lateness_letter', ['Ben Pupil']]]);
		const skipped = await confirmMonitoringPoint(handle, lead, schoolId, { pointKey: key, skips: [{ pupilId: ben, reason: 'already_in_touch' }] }, { today: '2026-11-12' });
		expect(skipped).toEqual({ taken: 0, skipped: 1, letters: 0, toPrint: 0 });
		const [row] = await handle.query<{ status: string; skip_reason: string }>(`select status, skip_reason from graduated_actions where pupil_id = $1 and point_key = $2`, [ben, key]);
		expect(row).toEqual({ status: 'skipped', skip_reason: 'already_in_touch' });
	});

	it('the next half term: Cal improved, so the review celebrates and the stage goes back to monitoring', async () => {
		await mark(handle, schoolId, cal, '2026-11-02', '2026-12-18');
		await mark(handle, schoolId, ava, '2026-11-02', '2026-12-18');
		const key = 'attendance:2026/27:Autumn 2';
		const preview = (await previewMonitoringPoint(handle, schoolId, key, '2026-12-19'))!;
		const calDue = preview.groups.flatMap((g) => g.pupils).find((p) => p.pupilId === cal)!;
		expect(calDue.due).toMatchObject({ step: 'review_improved', reason: { code: 'improved', after: 'close_monitoring' } });
		expect(calDue.trendTenths).toBe(153);
		await confirmMonitoringPoint(handle, lead, schoolId, { pointKey: key }, { today: '2026-12-19' });
		const record = (await pupilRecord(handle, cal))!;
		expect(record.stage).toEqual({ attendance: null, lateness: null });
		expect(record.halfTerms.map((h) => [h.name, h.daysMissed])).toEqual([
			['Autumn 1', '5½ days'],
			['Autumn 2', '0 days']
		]);
		const kinds = record.events.map((e) => e.kind);
		expect(kinds).toContain('letter');
		expect(record.events.filter((e) => e.kind === 'step' && !e.title.startsWith('Figures')).map((e) => e.title)).toEqual(['Close monitoring letter', 'Improved: celebrate and back to monitoring']);
	});
});
