import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterErrorMessages } from '../../src/lib/i18n-staff-problems';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { auditLog, guardians, outboundMessages, pupilGuardians, pupils, rosterImports, staffUsers, type StaffUser } from '../../src/lib/server/platform/db/schema';
import { createStaffUser, verifyStaffPassword, verifyStaffTotp } from '../../src/lib/server/features/accounts/staff';
import { requestSignInCode, verifySignInCode } from '../../src/lib/server/features/accounts/guardian-sign-in';
import { submitAbsenceReport } from '../../src/lib/server/features/absence';
import { loadSchoolCalendar } from '../../src/lib/server/platform/school-calendar';
import { isSchoolDay } from '../../src/lib/domain/calendar';
import { applyRoster, parseRosterCsv, parseRosterJson, previewRoster } from '../../src/lib/server/features/register-import';
import {
	acceptInvitation,
	calendarOverview,
	contactRequestsForSchool,
	createMisApiToken,
	createSchool,
	importCalendarFile,
	inviteStaff,
	misApiTokenStatus,
	openInvitation,
	requestContactChange,
	revokeMisApiToken,
	type NewSchoolInput
} from '../../src/lib/server/features/schools';
import { verifyMisApiToken } from '../../src/lib/server/features/register-import/mis-tokens';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/onboarding/${name}`, import.meta.url), 'utf8');
const ORIGIN = { origin: 'https://everyday.example.org' };
const PASSWORD = 'a long pass phrase for school';
const T0 = new Date('2026-11-02T10:00:05Z');
const step = (d: Date) => Math.floor(d.getTime() / 30_000);
const codeAt = (key: Uint8Array, d: Date) => generateHOTP(key, BigInt(step(d)), 6);
const later = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

const schoolInput = (over: Partial<NewSchoolInput> = {}): NewSchoolInput => ({
	name: 'Seaview Primary School',
	urn: '123456',
	phase: 'primary',
	timeZone: 'Europe/London',
	settings: {
		amRegisterOpens: '08:40',
		amRegisterCloses: '09:10',
		pmRegisterOpens: '13:00',
		pmRegisterCloses: '13:20',
		pmRegisterByKeyStage: { KS1: { opens: '12:45', closes: '13:05' } },
		lessonsPerDay: 5,
		leaveNoticeDays: 14,
		firstDayContactAt: '10:00',
		languages: ['en', 'pl']
	},
	firstStaff: { displayName: 'Helen Marsh', email: 'Head@Seaview.example.org', role: 'headteacher' },
	...over
});

describe(`a school joins, from nothing to a first absence report (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let la: StaffUser;
	let head: StaffUser;
	let schoolId: string;

	const count = async (sql: string, params: unknown[] = []) => (await handle.query<{ n: number }>(sql, params))[0]!.n;
	const invitationToken = async (email: string) => {
		const rows = await handle.db.select().from(outboundMessages).where(and(eq(outboundMessages.purpose, 'staff_invitation'), eq(outboundMessages.recipient, email)));
		const m = /\/invitation\/([A-Za-z0-9_-]{43})/.exec(rows.at(-1)!.body);
		return m![1]!;
	};

	beforeAll(async () => {
		handle = await openTestDatabase();
		la = await createStaffUser(handle.db, { email: 'la@portsmouth.example.org', displayName: 'LA admin', role: 'la_admin', schoolId: null, password: PASSWORD });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('refuses a school from anyone but the LA, and bad settings with field errors', async () => {
		const notLa = await createSchool(handle, { id: la.id, role: 'headteacher' }, schoolInput(), ORIGIN);
		expect(notLa.ok).toBe(false);
		const bad = await createSchool(handle, la, schoolInput({ urn: '12', settings: { ...schoolInput().settings, amRegisterCloses: '08:00' } }), ORIGIN);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.map((e) => e.field).sort()).toEqual(['amRegisterCloses', 'urn']);
		expect(await count('select count(*)::int as n from schools')).toBe(0);
	});

	it('the LA creates the school and its first invitation in one go; the email goes through the outbox', async () => {
		const r = await createSchool(handle, la, schoolInput(), ORIGIN, T0);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		schoolId = r.school.id;
		expect(r.school.slug).toBe('seaview-primary-school');
		expect(r.school.amRegisterCloses).toBe('09:10:00');
		expect(r.school.pmRegisterByKeyStage).toEqual({ KS1: { opens: '12:45', closes: '13:05' } });
		expect(r.school.languages).toEqual(['en', 'pl']);
		const [mail] = await handle.db.select().from(outboundMessages).where(eq(outboundMessages.purpose, 'staff_invitation'));
		expect(mail).toMatchObject({ channel: 'email', recipient: 'head@seaview.example.org', schoolId });
		expect(mail!.body).toContain('https://everyday.example.org/invitation/');
		// Only the hash of the link's token is stored.
		const token = await invitationToken('head@seaview.example.org');
		expect(await count('select count(*)::int as n from staff_invitations where token_hash = $1', [token])).toBe(0);
		const dup = await createSchool(handle, la, schoolInput({ name: 'Another' }), ORIGIN);
		expect(dup.ok).toBe(false);
	});

	it('the head accepts: password and authenticator (its first code) in one step, then signs in with both', async () => {
		const token = await invitationToken('head@seaview.example.org');
		const opened = await openInvitation(handle, token, T0);
		expect(opened).not.toBeNull();
		expect(opened!.qrDataUrl).toMatch(/^data:image\/png;base64,/);
		expect(opened!.uri).toContain('otpauth://totp/');
		// Opening again shows the same key (a reload must not break the QR code already scanned).
		expect((await openInvitation(handle, token, T0))!.keyBase32).toBe(opened!.keyBase32);
		const key = decodeBase32IgnorePadding(opened!.keyBase32);

		const wrong = await acceptInvitation(handle, { token, password: PASSWORD, confirmPassword: PASSWORD, code: codeAt(key, later(T0, 300)) }, T0);
		expect(wrong.ok).toBe(false);
		const short = await acceptInvitation(handle, { token, password: 'short', confirmPassword: 'short', code: codeAt(key, T0) }, T0);
		expect(short.ok).toBe(false);
		expect(await count('select count(*)::int as n from staff_users where school_id is not null')).toBe(0);

		const ok = await acceptInvitation(handle, { token, password: PASSWORD, confirmPassword: PASSWORD, code: codeAt(key, T0) }, T0);
		expect(ok.ok).toBe(true);
		if (!ok.ok) return;
		head = ok.staff;
		expect(head).toMatchObject({ role: 'headteacher', schoolId, email: 'head@seaview.example.org' });
		expect(await openInvitation(handle, token, T0)).toBeNull();
		const again = await acceptInvitation(handle, { token, password: PASSWORD, confirmPassword: PASSWORD, code: codeAt(key, later(T0, 30)) }, later(T0, 30));
		expect(again.ok).toBe(false);

		expect((await verifyStaffPassword(handle.db, 'head@seaview.example.org', PASSWORD, null, T0)).ok).toBe(true);
		// The code used to enrol cannot be replayed to sign in; the next one works.
		expect((await verifyStaffTotp(handle.db, head.id, codeAt(key, T0), null, T0)).ok).toBe(false);
		expect((await verifyStaffTotp(handle.db, head.id, codeAt(key, later(T0, 30)), null, later(T0, 30))).ok).toBe(true);
		const actions = (await handle.db.select().from(auditLog).where(eq(auditLog.schoolId, schoolId))).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['school.created', 'staff.invited', 'staff.invitation_accepted']));
	});

	it('the head invites the office with its role; office staff cannot invite', async () => {
		const r = await inviteStaff(handle, head, schoolId, { displayName: 'Omar Office', email: 'office@seaview.example.org', role: 'office' }, ORIGIN, T0);
		expect(r.ok).toBe(true);
		const token = await invitationToken('office@seaview.example.org');
		const opened = await openInvitation(handle, token, T0);
		const key = decodeBase32IgnorePadding(opened!.keyBase32);
		const ok = await acceptInvitation(handle, { token, password: PASSWORD, confirmPassword: PASSWORD, code: codeAt(key, T0) }, T0);
		expect(ok.ok && ok.staff.role).toBe('office');
		if (!ok.ok) return;
		const refused = await inviteStaff(handle, ok.staff, schoolId, { displayName: 'X Y', email: 'x@seaview.example.org', role: 'headteacher' }, ORIGIN);
		expect(refused.ok).toBe(false);
		const taken = await inviteStaff(handle, head, schoolId, { displayName: 'Again', email: 'OFFICE@seaview.example.org', role: 'office' }, ORIGIN);
		expect(taken.ok).toBe(false);
	});

	it('an invitation allows only a few wrong codes, so a leaked link cannot be guessed through', async () => {
		await inviteStaff(handle, head, schoolId, { displayName: 'Lena Lead', email: 'lead@seaview.example.org', role: 'attendance_lead' }, ORIGIN, T0);
		const token = await invitationToken('lead@seaview.example.org');
		const key = decodeBase32IgnorePadding((await openInvitation(handle, token, T0))!.keyBase32);
		const good = codeAt(key, T0);
		const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
		for (let i = 0; i < 10; i++) expect((await acceptInvitation(handle, { token, password: PASSWORD, confirmPassword: PASSWORD, code: bad }, T0)).ok).toBe(false);
		const limited = await acceptInvitation(handle, { token, password: PASSWORD, confirmPassword: PASSWORD, code: good }, T0);
		expect(limited.ok).toBe(false);
		if (!limited.ok) expect(limited.errors).toEqual([{ field: 'code', code: 'too_many_codes', minutes: expect.any(Number) }]);
	});

	it('the calendar: a year with no dates is "not published"; the CSV is imported with bank holidays in term', async () => {
		let years = await calendarOverview(handle, schoolId, '2026-11-02');
		expect(years.map((y) => [y.academicYear, y.published])).toEqual([
			['2026/27', false],
			['2027/28', false]
		]);
		const r = await importCalendarFile(handle, head, schoolId, { name: 'calendar.csv', text: fixture('calendar.csv') });
		expect(r.problems).toEqual([]);
		expect(r.summary).toMatchObject({ terms: 6, protectedPeriods: 2, years: ['2026/27'] });
		// Good Friday 26 March 2027 is outside Spring 2 (ends 25 March); the early May bank holiday is in Summer 1.
		expect(r.summary!.bankHolidays).toBe(1);
		const cal = await loadSchoolCalendar(handle.db, schoolId);
		expect(isSchoolDay(cal, '2027-05-03')).toBe(false);
		expect(isSchoolDay(cal, '2026-09-03')).toBe(false);
		expect(isSchoolDay(cal, '2026-11-05')).toBe(true);
		years = await calendarOverview(handle, schoolId, '2026-11-02');
		expect(years.map((y) => [y.academicYear, y.published])).toEqual([
			['2026/27', true],
			['2027/28', false]
		]);
		expect(years[0]!.protectedPeriods.find((p) => p.name === 'KS2 SATs week')!.yearGroups).toEqual([6]);
		// The same file again changes nothing.
		await importCalendarFile(handle, head, schoolId, { name: 'calendar.csv', text: fixture('calendar.csv') });
		expect(await count('select count(*)::int as n from school_terms where school_id = $1', [schoolId])).toBe(6);
		expect(await count('select count(*)::int as n from protected_periods where school_id = $1', [schoolId])).toBe(2);
		const bad = await importCalendarFile(handle, head, schoolId, { name: 'c.csv', text: 'Type,Name,Start,End\nTerm,Autumn 1,03/09/2026,23/10/2026\nTerm,Overlap,01/10/2026,30/10/2026\nHoliday,x,31/02/2026,\n' });
		expect(bad.ok).toBe(false);
		expect(bad.problems.map((p) => p.line)).toEqual([4]);
	});

	it('roster: the preview writes nothing; applying adds pupils, guardians and links; again changes nothing', async () => {
		const roster = parseRosterCsv({ pupils: fixture('pupils.csv'), guardians: fixture('guardians.csv') });
		expect(roster.errors).toEqual([]);
		const plan = await previewRoster(handle, schoolId, roster, '2026-11-02');
		expect(plan.pupilsAdded.map((p) => p.name)).toEqual(['Sam Okafor', 'Ava Okafor', 'Maja Kowalska', 'Leo Hart']);
		expect(plan.guardiansAdded).toHaveLength(4);
		expect(plan.linksAdded).toBe(5);
		expect(await count('select count(*)::int as n from pupils')).toBe(0);

		const r = await applyRoster(handle, { schoolId, roster, today: '2026-11-02', importedBy: head.id, actorType: 'staff', source: 'csv_import' });
		expect(r.status).toBe('applied');
		expect(r.summary).toMatchObject({ pupilsAdded: 4, guardiansAdded: 4, linksAdded: 5, pupilsLeft: 0 });
		const [ava] = await handle.db.select().from(pupils).where(eq(pupils.misId, 'B123456789012'));
		expect(ava).toMatchObject({ yearGroup: 2, className: '2A', dateOfBirth: '2019-07-02', flags: { sen: 'support', fsm: true, lookedAfter: false, eal: false } });
		const [anna] = await handle.db.select().from(guardians).where(eq(guardians.phone, '+442079460313'));
		expect(anna!.preferredLanguage).toBe('pl');
		const links = await handle.db.select().from(pupilGuardians).where(eq(pupilGuardians.guardianId, (await handle.db.select().from(guardians).where(eq(guardians.phone, '+442079460312')))[0]!.id));
		expect(links[0]).toMatchObject({ relationship: 'Father', livesWith: false, contactPriority: 2 });

		const again = await applyRoster(handle, { schoolId, roster, today: '2026-11-03', importedBy: head.id, actorType: 'staff', source: 'csv_import' });
		expect(again.summary).toMatchObject({ pupilsAdded: 0, pupilsUpdated: 0, pupilsLeft: 0, guardiansAdded: 0, guardiansUpdated: 0, linksAdded: 0, linksChanged: 0, linksRemoved: 0, pupilsUnchanged: 4 });
		expect((await handle.db.select().from(auditLog).where(eq(auditLog.action, 'roster.import_applied'))).length).toBe(2);
	});

	it('a parent signs in with the number the MIS gave and reports an absence', async () => {
		const now = new Date('2026-11-05T07:45:00Z');
		expect((await requestSignInCode(handle.db, { identifier: '020 7946 0311', ip: '198.51.100.1' }, now)).ok).toBe(true);
		const [sms] = await handle.db.select().from(outboundMessages).where(and(eq(outboundMessages.purpose, 'sign_in_code'), eq(outboundMessages.recipient, '+442079460311')));
		const code = /(\d{6})/.exec(sms!.body)![1]!;
		const signedIn = await verifySignInCode(handle.db, { identifier: '020 7946 0311', code, ip: '198.51.100.1' }, now);
		expect(signedIn.ok).toBe(true);
		if (!signedIn.ok) return;
		const [sam] = await handle.db.select().from(pupils).where(eq(pupils.misId, 'A123456789012'));
		const report = await submitAbsenceReport(handle, { guardianId: signedIn.guardianId, pupilIds: [sam!.id], reason: 'illness', from: '2026-11-05', channel: 'web', idempotencyKey: 'onboarding-first-report', now });
		expect('reports' in report && report.reports[0]!.sessions.map((s) => s.session)).toEqual(['AM', 'PM']);
	});

	it('a second import with one leaver, one new guardian and one changed phone applies exactly those', async () => {
		const pupilsCsv = fixture('pupils.csv').split('\n').filter((l) => !l.startsWith('D123456789012')).join('\n');
		const guardiansCsv =
			fixture('guardians.csv')
				.split('\n')
				.filter((l) => !l.startsWith('D123456789012'))
				.map((l) => l.replace('020 7946 0313', '020 7946 0399'))
				.join('\n')
				.trimEnd() + '\nC123456789012,C5,Piotr,Kowalski,Father,Y,Y,2,020 7946 0315,,Polish\n';
		const roster = parseRosterCsv({ pupils: pupilsCsv, guardians: guardiansCsv });
		expect(roster.errors).toEqual([]);
		const guardiansBefore = await count('select count(*)::int as n from guardians');
		const r = await applyRoster(handle, { schoolId, roster, today: '2026-11-06', importedBy: 'mis', actorType: 'mis', source: 'api' });
		expect(r.summary).toMatchObject({ pupilsAdded: 0, pupilsUpdated: 0, pupilsLeft: 1, guardiansAdded: 1, guardiansUpdated: 1, linksAdded: 1, linksRemoved: 0, pupilsUnchanged: 3 });
		expect(r.plan.guardiansUpdated[0]!.fields).toEqual(['phone']);
		const [leo] = await handle.db.select().from(pupils).where(eq(pupils.misId, 'D123456789012'));
		expect(leo!.leftOn).toBe('2026-11-06');
		// History kept: the leaver's guardian link stays.
		expect(await count('select count(*)::int as n from pupil_guardians where pupil_id = $1', [leo!.id])).toBe(1);
		expect(await count('select count(*)::int as n from guardians')).toBe(guardiansBefore + 1);
		expect(await count(`select count(*)::int as n from guardians where phone = '+442079460399' and first_name = 'Anna'`)).toBe(1);
	});

	it('a bad row applies nothing and names its row', async () => {
		const snapshot = async () => JSON.stringify(await handle.query('select mis_id, first_name, year_group, left_on::text from pupils order by mis_id'));
		const before = await snapshot();
		const pupilsCsv = fixture('pupils.csv').trimEnd() + '\nE123456789012,New,Pupil,,01/01/2018,Year 14,3C,,,,,\n';
		const roster = parseRosterCsv({ pupils: pupilsCsv, guardians: fixture('guardians.csv') });
		expect(rosterErrorMessages(roster.errors)).toEqual([{ file: 'pupils', row: 6, message: expect.stringContaining('"Year 14" is not a year group') }]);
		const r = await applyRoster(handle, { schoolId, roster, today: '2026-11-07', importedBy: head.id, actorType: 'staff', source: 'csv_import' });
		expect(r.status).toBe('rejected');
		expect(await snapshot()).toBe(before);
		const [rec] = await handle.db.select().from(rosterImports).where(eq(rosterImports.id, r.importId));
		expect(rec!.errors[0]).toMatchObject({ file: 'pupils', row: 6 });
		expect((await handle.db.select().from(auditLog).where(eq(auditLog.action, 'roster.import_rejected'))).length).toBe(1);
		// A guardian row for a pupil not in the file is refused too.
		const orphan = parseRosterCsv({ pupils: fixture('pupils.csv'), guardians: fixture('guardians.csv').trimEnd() + '\nZ999,C9,No,One,Aunt,N,N,3,020 7946 0398,,\n' });
		expect(orphan.errors).toEqual([{ file: 'guardians', row: 7, code: 'pupil_not_in_file', upn: 'Z999' }]);
		expect(rosterErrorMessages(orphan.errors)).toEqual([{ file: 'guardians', row: 7, message: 'No pupil with UPN Z999 is in the pupils file' }]);
	});

	it('a guardian shared with another school stays one person, linked at both', async () => {
		const other = await createSchool(handle, la, schoolInput({ name: 'Northfield Junior School', urn: '654321', firstStaff: { displayName: 'N Head', email: 'head@northfield.example.org', role: 'headteacher' } }), ORIGIN);
		expect(other.ok).toBe(true);
		if (!other.ok) return;
		const before = await count('select count(*)::int as n from guardians');
		// Their MIS calls her contact 777 and writes her number differently.
		const roster = parseRosterJson({
			pupils: [{ upn: 'N100000000001', firstName: 'Kofi', lastName: 'Okafor', yearGroup: '6', className: '6N' }],
			guardians: [{ upn: 'N100000000001', contactId: '777', firstName: 'Grace', lastName: 'Okafor', relationship: 'Mother', phone: '+44 20 7946 0311', preferredLanguage: 'en' }]
		});
		expect(roster.errors).toEqual([]);
		const plan = await previewRoster(handle, other.school.id, roster, '2026-11-06');
		expect(plan.guardiansMatched.map((g) => g.name)).toEqual(['Grace Okafor']);
		expect(plan.guardiansAdded).toEqual([]);
		await applyRoster(handle, { schoolId: other.school.id, roster, today: '2026-11-06', importedBy: 'mis', actorType: 'mis', source: 'api' });
		expect(await count('select count(*)::int as n from guardians')).toBe(before);
		const [grace] = await handle.db.select().from(guardians).where(eq(guardians.phone, '+442079460311'));
		const schoolsOfGrace = await handle.query<{ school_id: string }>('select distinct p.school_id from pupil_guardians pg join pupils p on p.id = pg.pupil_id where pg.guardian_id = $1', [grace!.id]);
		expect(schoolsOfGrace.map((r) => r.school_id).sort()).toEqual([schoolId, other.school.id].sort());
	});

	it('a parent asks to change their phone; the next roster import carrying it confirms the request', async () => {
		const [grace] = await handle.db.select().from(guardians).where(eq(guardians.phone, '+442079460311'));
		const r = await requestContactChange(handle, grace!.id, { phone: '020 7946 0355' });
		expect(r).toEqual({ ok: true, schools: 2 });
		expect((await contactRequestsForSchool(handle, schoolId))[0]).toMatchObject({ status: 'open', phone: '+442079460355', firstName: 'Grace' });
		const pupilsCsv = fixture('pupils.csv').split('\n').filter((l) => !l.startsWith('D123456789012')).join('\n');
		const guardiansCsv = fixture('guardians.csv')
			.split('\n')
			.filter((l) => !l.startsWith('D123456789012'))
			.map((l) => l.replace('020 7946 0313', '020 7946 0399').replaceAll('020 7946 0311', '020 7946 0355'))
			.join('\n')
			.trimEnd() + '\nC123456789012,C5,Piotr,Kowalski,Father,Y,Y,2,020 7946 0315,,Polish\n';
		const applied = await applyRoster(handle, { schoolId, roster: parseRosterCsv({ pupils: pupilsCsv, guardians: guardiansCsv }), today: '2026-11-09', importedBy: 'mis', actorType: 'mis', source: 'api' });
		expect(applied.summary).toMatchObject({ guardiansUpdated: 1, contactRequestsConfirmed: 1, pupilsLeft: 0 });
		expect((await contactRequestsForSchool(handle, schoolId))[0]).toMatchObject({ status: 'confirmed' });
	});

	it('the headteacher issues an MIS token (shown once, stored hashed), sees when it was last used, and revokes it', async () => {
		const token = await createMisApiToken(handle, schoolId, head.id);
		expect(await count('select count(*)::int as n from schools where mis_api_token_hash = $1', [token])).toBe(0);
		expect(await misApiTokenStatus(handle, schoolId)).toMatchObject({ active: true, lastUsedAt: null });
		expect(await verifyMisApiToken(handle, token)).toMatchObject({ schoolId });
		expect((await misApiTokenStatus(handle, schoolId)).lastUsedAt).toBeInstanceOf(Date);
		await revokeMisApiToken(handle, schoolId, head.id);
		expect(await verifyMisApiToken(handle, token)).toBeNull();
		expect((await misApiTokenStatus(handle, schoolId)).active).toBe(false);
		void staffUsers;
	});
});
