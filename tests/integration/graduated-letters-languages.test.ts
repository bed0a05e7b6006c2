import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { confirmMonitoringPoint, lettersForGuardian, saveGraduatedPolicy } from '../../src/lib/server/features/graduated-response';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const { GET: familyPdf } = await import('../../src/routes/children/[pupilId]/letters/[letterId]/letter.pdf/+server');
const { GET: staffPdf } = await import('../../src/routes/staff/graduated/letters/[id]/letter.pdf/+server');

const AUTUMN_1 = 'attendance:2026/27:Autumn 1';

/** Every school day of Autumn 1 present, then the given days absent (unauthorised). */
async function mark(handle: DatabaseHandle, schoolId: string, pupilId: string, absentDays: string[]) {
	await handle.query(
		`insert into attendance_marks (pupil_id, date, session, school_id, code, source)
		 select $1, d::date, s::register_session, $2, '/', 'seed'
		   from generate_series('2026-09-04'::date, '2026-10-23'::date, interval '1 day') d, unnest(array['AM','PM']) s
		  where extract(isodow from d) < 6
		 on conflict do nothing`,
		[pupilId, schoolId]
	);
	for (const date of absentDays) await handle.query(`update attendance_marks set code = 'O' where pupil_id = $1 and date = $2`, [pupilId, date]);
}

/** What a SvelteKit handler threw (error() or redirect()), as its status. */
async function status(run: () => Response | Promise<Response>): Promise<number> {
	try {
		return (await run()).status;
	} catch (e) {
		return (e as { status: number }).status;
	}
}

describe(`graduated letters in the family's language, and as PDFs (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string, otherSchoolId: string;
	let radu: string, amira: string;
	let roParent: string, arParent: string;
	let lead: { id: string; role: string };

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'gradlang', urn: '496101', misIds: ['RADU', 'AMIRA'] });
		const other = await createTestSchool(handle, { slug: 'gradlang-other', urn: '496102', misIds: ['OTHER'] });
		schoolId = school.id;
		otherSchoolId = other.id;
		radu = school.pupils.get('RADU')!;
		amira = school.pupils.get('AMIRA')!;
		await handle.query(`update pupils set first_name = 'Radu' where id = $1`, [radu]);
		await handle.query(`update pupils set first_name = 'أميرة' where id = $1`, [amira]);
		await handle.query(`update schools set phone = '+441632960999' where id = $1`, [schoolId]);
		roParent = await createGuardian(handle, { phone: '+447700913001' });
		arParent = await createGuardian(handle, { phone: '+447700913002' });
		await handle.query(`update guardians set preferred_language = 'ro' where id = $1`, [roParent]);
		await handle.query(`update guardians set preferred_language = 'ar' where id = $1`, [arParent]);
		await linkGuardian(handle, roParent, radu);
		await linkGuardian(handle, arParent, amira);
		// Radu: 5 days missed of 36 (close monitoring); Amira: 2 days (upper amber).
		await mark(handle, schoolId, radu, ['2026-09-21', '2026-09-22', '2026-09-23', '2026-09-24', '2026-09-25']);
		await mark(handle, schoolId, amira, ['2026-09-15', '2026-09-16']);
		lead = (
			await handle.query<{ id: string; role: string }>(
				`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'lead@gradlang.test', 'Lead', 'attendance_lead', 'x') returning id, role::text as role`,
				[schoolId]
			)
		)[0]!;
		expect(await saveGraduatedPolicy(handle.db, lead, schoolId, { preset: 'lanercost', cadence: 'half_termly' })).toEqual({ ok: true });
		await confirmMonitoringPoint(handle, lead, schoolId, { pointKey: AUTUMN_1, skips: [] }, { today: '2026-11-12', origin: 'https://everyday.test' });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('a Romanian family gets the letter in Romanian, an Arabic family in Arabic (right to left), days in words', async () => {
		const [ro] = await lettersForGuardian(handle.db, roParent, radu);
		expect(ro!.content.locale).toBe('ro');
		expect(ro!.content.dir).toBe('ltr');
		expect(ro!.content.title).toBe('Prezența la școală a copilului Radu: sprijin în următoarea jumătate de trimestru');
		expect(ro!.content.paragraphs[0]).toBe('În acest an școlar, până acum, Radu a lipsit de la școală 5 zile, adică 1 săptămână de învățare. În Autumn 1: 5 zile.');
		const [ar] = await lettersForGuardian(handle.db, arParent, amira);
		expect(ar!.content.locale).toBe('ar');
		expect(ar!.content.dir).toBe('rtl');
		expect(ar!.content.title).toBe('حضور أميرة في هذا الفصل');
		expect(ar!.content.paragraphs[0]).toBe('في Autumn 1، بلغ غياب أميرة عن المدرسة يومان. ومنذ بداية هذا العام الدراسي بلغ المجموع يومان، أي يومان من التعلّم.');
		expect(ar!.content.figures[0]).toEqual({ label: 'أيام الغياب في هذه الفترة', value: 'يومان' });
		// Each parent was told once, through the outbox.
		const messages = await handle.query<{ recipient: string }>(
			`select recipient from outbound_messages where purpose = 'graduated_letter' and recipient in ('+447700913001', '+447700913002') order by recipient`
		);
		expect(messages.map((m) => m.recipient)).toEqual(['+447700913001', '+447700913002']);
	});

	it('the parent downloads their own letter as a PDF in its language; another parent gets "not found"', async () => {
		const [ar] = await lettersForGuardian(handle.db, arParent, amira);
		const call = (guardianId: string | null, pupilId: string, letterId: string) =>
			familyPdf({ locals: { database: handle, guardian: guardianId ? { id: guardianId } : null }, params: { pupilId, letterId } } as unknown as Parameters<typeof familyPdf>[0]);
		const response = await call(arParent, amira, ar!.id);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="letter-rag-upper-amber-' + ar!.createdAt.toISOString().slice(0, 10) + '.pdf"');
		const doc = await PDFDocument.load(new Uint8Array(await response.arrayBuffer()));
		expect(doc.getTitle()).toBe('حضور أميرة في هذا الفصل');
		expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
		// Another parent, even naming their own child, or a letter about someone else's child.
		expect(await status(() => call(roParent, amira, ar!.id))).toBe(404);
		expect(await status(() => call(roParent, radu, ar!.id))).toBe(404);
		expect(await status(() => call(null, amira, ar!.id))).toBe(401);
		expect(await status(() => call(arParent, amira, 'not-a-uuid'))).toBe(404);
	}, 30_000);

	it('staff of the letter\'s school download it; another school\'s staff get "not found", a role without the graduated response is refused', async () => {
		const [ro] = await lettersForGuardian(handle.db, roParent, radu);
		const staff = (role: string, school: string) => ({ id: lead.id, role, schoolId: school, disabledAt: null, displayName: 'S', email: 's@test' });
		const call = (who: ReturnType<typeof staff> | null, id: string) =>
			staffPdf({ locals: { database: handle, staff: who, staffAwaitingSecondFactor: null }, params: { id } } as unknown as Parameters<typeof staffPdf>[0]);
		const response = await call(staff('attendance_lead', schoolId), ro!.id);
		expect(response.status).toBe(200);
		const doc = await PDFDocument.load(new Uint8Array(await response.arrayBuffer()));
		expect(doc.getTitle()).toBe(ro!.content.title);
		expect(await status(() => call(staff('attendance_lead', otherSchoolId), ro!.id))).toBe(404);
		expect(await status(() => call(staff('office', schoolId), ro!.id))).toBe(403);
		expect(await status(() => call(null, ro!.id))).toBe(303);
	}, 30_000);
});
