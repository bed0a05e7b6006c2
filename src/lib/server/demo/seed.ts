/**
 * The fictional demo school, seeded on first start so a fresh clone has something to show:
 * Harbourside Primary (a made-up Portsmouth-area primary), its 2026/27 calendar, about 200
 * pupils with their families, and the register so far. Alongside it (demo-staff.ts): a small
 * second school, Northgate Infant School, with one family who also has a child at Harbourside
 * (one guardian row), and demo staff accounts for both schools and the local authority.
 *
 * Idempotent: when the demo school exists it is not touched (the second school and the demo
 * staff are added if missing, so an older demo database gains them). Everything is inserted in one
 * transaction with set-based (unnest) inserts, so a crash half way leaves nothing behind, and
 * the content is deterministic (seeded PRNG): the same `today` always gives the same marks.
 */
import {
	academicYearBounds,
	addDays,
	compareDates,
	localDateOf,
	schoolSessionsBetween,
	type IsoDate
} from '../../domain/calendar';
import type { DatabaseHandle } from '../platform/db/engine';
import {
	DEMO_ACADEMIC_YEAR,
	DEMO_CLOSURES,
	DEMO_PROTECTED_PERIODS,
	DEMO_TERMS,
	DEMO_TIME_ZONE,
	demoCalendar
} from './calendar';
import { seedDaysMissedDemo } from './seed-counts';
import { assignProfiles, generatePupilMarks, type ClassActivity, type GeneratedMark } from './marks';
import { buildRoster, DEMO_CLASSES, makeUpn, type Roster } from './people';
import { createRng } from './random';
import { inTransaction, type TxQuery } from './tx';
import { seedLaDemo } from './seed-la';
import { seedChannelsDemo } from './seed-channels';
import { seedGraduatedDemo } from './seed-graduated';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { hashPassword } from '../features/accounts';
import { encryptSecret } from '../platform/secrets';
import {
	DEMO_SHARED_GUARDIAN,
	DEMO_STAFF,
	NORTHGATE_CLASSES,
	NORTHGATE_SCHOOL,
	NORTHGATE_SHARED_PUPIL
} from './staff';

export type { IsoDate };

export const DEMO_SCHOOL = { urn: '999001', slug: 'harbourside', name: 'Harbourside Primary' } as const;

/** Seeds of the demo's PRNG streams: change them and the whole demo changes. */
const ROSTER_SEED = 20260904;
const MARKS_SEED = 20260903;
const NORTHGATE_ROSTER_SEED = 20270104;
const NORTHGATE_MARKS_SEED = 20270105;

/** Class trips and fixtures (they count as attended). */
export const DEMO_CLASS_ACTIVITIES: Readonly<Record<string, readonly ClassActivity[]>> = {
	Otters: [{ date: '2026-10-08', sessions: ['AM', 'PM'], code: 'V' }],
	Ospreys: [
		{ date: '2026-11-12', sessions: ['PM'], code: 'P' },
		{ date: '2027-06-24', sessions: ['AM', 'PM'], code: 'V' }
	],
	Dolphins: [{ date: '2027-03-04', sessions: ['AM', 'PM'], code: 'V' }],
	Kestrels: [{ date: '2027-02-03', sessions: ['AM'], code: 'V' }]
};

export interface SeedResult {
	schoolId: string;
	created: boolean;
	pupils: number;
	guardians: number;
	marks: number;
	/** The last school day marked (undefined when the year had not started). */
	lastMarkedDay?: IsoDate;
	/** What this call added besides Harbourside (the second school, demo staff). */
	extras?: DemoExtrasResult;
}

export interface DemoExtrasResult {
	/** Set when Northgate was created by this call. */
	northgateSchoolId: string | null;
	northgatePupils: number;
	northgateMarks: number;
	staffCreated: number;
}

/** Rows per multi-row INSERT of marks (arrays of this length are sent as single parameters). */
const MARK_BATCH = 20_000;

export async function seedDemoData(handle: DatabaseHandle, opts: { today?: IsoDate } = {}): Promise<SeedResult> {
	const today = opts.today ?? localDateOf(new Date(), DEMO_TIME_ZONE);
	const calendar = demoCalendar();
	const year = academicYearBounds(calendar, DEMO_TERMS[0]!.startsOn);
	// Every session from the start of the year up to and including the last school day before today.
	const lastDate = compareDates(today, year.endsOn) > 0 ? year.endsOn : addDays(today, -1);
	const sessions = schoolSessionsBetween(calendar, year.startsOn, lastDate);

	const existing = await handle.query<{ id: string }>('select id from schools where urn = $1', [DEMO_SCHOOL.urn]);
	if (existing[0]) {
		const extras = await ensureDemoExtras(handle, sessions);
		await seedLaDemo(handle, existing[0].id, today);
		await seedGraduatedDemo(handle, DEMO_SCHOOL.slug, today);
		return { schoolId: existing[0].id, created: false, pupils: 0, guardians: 0, marks: 0, extras };
	}
	const staffRows = await demoStaffRows();

	const roster = buildRoster({
		seed: ROSTER_SEED,
		classes: DEMO_CLASSES,
		academicYearStart: 2026,
		establishment: '9001'
	});
	const profiles = assignProfiles(createRng(MARKS_SEED), roster.pupils.length);

	const seeded = await inTransaction(handle, async (q) => {
		// ON CONFLICT: a second instance starting at the same moment waits for this one and backs off.
		const [school] = await q<{ id: string }>(
			`insert into schools (urn, slug, name, time_zone, am_register_opens, am_register_closes,
				pm_register_opens, pm_register_closes, reporting_cutoff, leave_notice_days, lessons_per_day,
				medical_evidence_after_days, phone, email)
			 values ($1, $2, $3, $4, '08:40', '09:15', '13:00', '13:30', '09:15', 14, 5, 5, $5, $6)
			 on conflict do nothing returning id`,
			[DEMO_SCHOOL.urn, DEMO_SCHOOL.slug, DEMO_SCHOOL.name, DEMO_TIME_ZONE, '+441632960123', 'office@harbourside.example.org']
		);
		if (!school) {
			const [row] = await q<{ id: string }>('select id from schools where urn = $1', [DEMO_SCHOOL.urn]);
			if (!row) throw new Error(`Cannot seed the demo school: slug "${DEMO_SCHOOL.slug}" is taken by another school`);
			return { schoolId: row.id, created: false, pupils: 0, guardians: 0, marks: 0 };
		}
		const schoolId = school.id;

		await insertDemoCalendar(q, schoolId);
		const pupilIds = await insertRoster(q, schoolId, roster);

		let marks = 0;
		let batch: { pupilId: string; mark: GeneratedMark }[] = [];
		const flush = async () => {
			if (batch.length === 0) return;
			marks += await insertMarks(q, schoolId, batch);
			batch = [];
		};
		for (const pupil of roster.pupils) {
			const generated = generatePupilMarks({
				seed: MARKS_SEED,
				pupilKey: pupil.misId,
				profile: profiles[pupil.key]!,
				sessions,
				activities: DEMO_CLASS_ACTIVITIES[pupil.className] ?? []
			});
			const pupilId = pupilIds.get(pupil.misId)!;
			for (const mark of generated) batch.push({ pupilId, mark });
			if (batch.length >= MARK_BATCH) await flush();
		}
		await flush();
		const extras = await insertDemoExtras(q, sessions, staffRows);
		await seedChannelsDemo(q, schoolId);
		// Fresh planner statistics: PGlite has no autovacuum, and without them the whole-school
		// summary's GROUP BY gets a sort-based plan several times slower than a hash aggregate.
		await q('analyze attendance_marks, pupils, pupil_guardians, guardians');

		return {
			schoolId,
			created: true,
			pupils: roster.pupils.length,
			guardians: roster.guardians.length,
			marks,
			lastMarkedDay: sessions[sessions.length - 1]?.date,
			extras
		};
	});
	if (seeded.created) await seedDaysMissedDemo(handle, seeded.schoolId, today);
	if (seeded.created) await seedLaDemo(handle, seeded.schoolId, today);
	await seedGraduatedDemo(handle, DEMO_SCHOOL.slug, today);
	return seeded;
}

interface DemoStaffRow {
	email: string;
	displayName: string;
	role: string;
	schoolSlug: string | null;
	passwordHash: string;
	totpKeyEncrypted: string;
}

/** Demo staff with hashed passwords and encrypted TOTP keys (hashing is slow: done outside the transaction). */
async function demoStaffRows(): Promise<DemoStaffRow[]> {
	return Promise.all(
		DEMO_STAFF.map(async (s) => ({
			email: s.email,
			displayName: s.displayName,
			role: s.role,
			schoolSlug: s.school,
			passwordHash: await hashPassword(s.password),
			totpKeyEncrypted: encryptSecret(decodeBase32IgnorePadding(s.totpKeyBase32))
		}))
	);
}

/** For a database seeded earlier: adds Northgate and the demo staff if they are missing. */
async function ensureDemoExtras(
	handle: DatabaseHandle,
	sessions: readonly { date: IsoDate; session: 'AM' | 'PM' }[]
): Promise<DemoExtrasResult> {
	const [state] = await handle.query<{ northgate: number; staff: number }>(
		`select (select count(*)::int from schools where urn = $1) as northgate,
		        (select count(*)::int from staff_users where lower(email) = any($2::text[])) as staff`,
		[NORTHGATE_SCHOOL.urn, DEMO_STAFF.map((s) => s.email.toLowerCase())]
	);
	if (state && state.northgate > 0 && state.staff >= DEMO_STAFF.length) {
		return { northgateSchoolId: null, northgatePupils: 0, northgateMarks: 0, staffCreated: 0 };
	}
	const staffRows = await demoStaffRows();
	return inTransaction(handle, (q) => insertDemoExtras(q, sessions, staffRows));
}

/** Northgate Infant School (with the shared family's younger child) and the demo staff; each only if missing. */
async function insertDemoExtras(
	q: TxQuery,
	sessions: readonly { date: IsoDate; session: 'AM' | 'PM' }[],
	staffRows: readonly DemoStaffRow[]
): Promise<DemoExtrasResult> {
	const result: DemoExtrasResult = { northgateSchoolId: null, northgatePupils: 0, northgateMarks: 0, staffCreated: 0 };
	const [northgate] = await q<{ id: string }>(
		`insert into schools (urn, slug, name, time_zone, am_register_opens, am_register_closes,
			pm_register_opens, pm_register_closes, reporting_cutoff, leave_notice_days, lessons_per_day,
			medical_evidence_after_days, phone, email)
		 values ($1, $2, $3, $4, '08:45', '09:10', '13:00', '13:20', '09:10', 14, 5, 5, $5, $6)
		 on conflict do nothing returning id`,
		[NORTHGATE_SCHOOL.urn, NORTHGATE_SCHOOL.slug, NORTHGATE_SCHOOL.name, DEMO_TIME_ZONE, '+441632960456', 'office@northgate.example.org']
	);
	if (northgate) {
		const schoolId = northgate.id;
		result.northgateSchoolId = schoolId;
		await insertDemoCalendar(q, schoolId);
		const roster = buildRoster({
			seed: NORTHGATE_ROSTER_SEED,
			classes: NORTHGATE_CLASSES,
			academicYearStart: 2026,
			establishment: '9002'
		});
		await avoidContactClashes(q, roster);
		const pupilIds = await insertRoster(q, schoolId, roster);

		// The shared family: Nell joins Northgate, linked to the guardian row Harbourside already has.
		const nellMisId = makeUpn('851', '9002', 2026, 900);
		const [nell] = await q<{ id: string }>(
			`insert into pupils (school_id, mis_id, first_name, last_name, date_of_birth, year_group, class_name, joined_on)
			 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
			[
				schoolId,
				nellMisId,
				NORTHGATE_SHARED_PUPIL.firstName,
				NORTHGATE_SHARED_PUPIL.lastName,
				NORTHGATE_SHARED_PUPIL.dateOfBirth,
				NORTHGATE_SHARED_PUPIL.yearGroup,
				NORTHGATE_SHARED_PUPIL.className,
				NORTHGATE_SHARED_PUPIL.joinedOn
			]
		);
		pupilIds.set(nellMisId, nell!.id);
		const [guardian] = await q<{ id: string }>('select id from guardians where phone = $1', [DEMO_SHARED_GUARDIAN.phone]);
		if (!guardian) throw new Error(`Demo seed: the shared guardian ${DEMO_SHARED_GUARDIAN.phone} is not in the Harbourside roster`);
		await q(
			`insert into pupil_guardians (pupil_id, guardian_id, relationship, lives_with, parental_responsibility, contact_priority)
			 values ($1, $2, $3, true, true, 1)`,
			[nell!.id, guardian.id, NORTHGATE_SHARED_PUPIL.relationship]
		);

		const misIds = [...roster.pupils.map((p) => ({ misId: p.misId, className: p.className })), { misId: nellMisId, className: 'Robins' }];
		const profiles = assignProfiles(createRng(NORTHGATE_MARKS_SEED), misIds.length);
		const rows: { pupilId: string; mark: GeneratedMark }[] = [];
		misIds.forEach(({ misId }, i) => {
			const generated = generatePupilMarks({ seed: NORTHGATE_MARKS_SEED, pupilKey: misId, profile: profiles[i]!, sessions });
			for (const mark of generated) rows.push({ pupilId: pupilIds.get(misId)!, mark });
		});
		result.northgateMarks = rows.length ? await insertMarks(q, schoolId, rows) : 0;
		result.northgatePupils = misIds.length;
	}

	const schoolRows = await q<{ id: string; slug: string }>(`select id::text as id, slug from schools where slug = any($1::text[])`, [
		[DEMO_SCHOOL.slug, NORTHGATE_SCHOOL.slug]
	]);
	const schoolIdBySlug = new Map(schoolRows.map((r) => [r.slug, r.id]));
	for (const s of staffRows) {
		const schoolId = s.schoolSlug ? schoolIdBySlug.get(s.schoolSlug) : null;
		if (schoolId === undefined) continue;
		const inserted = await q<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash, totp_key_encrypted)
			 values ($1, $2, $3, $4::staff_role, $5, $6)
			 on conflict do nothing returning id`,
			[schoolId, s.email, s.displayName, s.role, s.passwordHash, s.totpKeyEncrypted]
		);
		result.staffCreated += inserted.length;
	}
	return result;
}

/**
 * The second school's roster is generated from the same fictional pools: give any guardian whose
 * phone or email is already taken (by Harbourside's families) a free one, so they stay separate people.
 */
async function avoidContactClashes(q: TxQuery, roster: Roster): Promise<void> {
	const taken = await q<{ phone: string | null; email: string | null }>('select phone, lower(email) as email from guardians');
	const phones = new Set(taken.map((t) => t.phone).filter((p): p is string => Boolean(p)));
	const emails = new Set(taken.map((t) => t.email).filter((e): e is string => Boolean(e)));
	let next = 999;
	for (const g of roster.guardians) {
		if (g.phone && phones.has(g.phone)) {
			while (next >= 0 && phones.has(`+447700900${String(next).padStart(3, '0')}`)) next--;
			if (next < 0) throw new Error('Demo seed: no free drama-range phone numbers left');
			g.phone = `+447700900${String(next).padStart(3, '0')}`;
		}
		if (g.phone) phones.add(g.phone);
		if (g.email && emails.has(g.email.toLowerCase())) {
			const [local, domain] = g.email.split('@') as [string, string];
			let n = 2;
			while (emails.has(`${local}${n}@${domain}`)) n++;
			g.email = `${local}${n}@${domain}`;
		}
		if (g.email) emails.add(g.email.toLowerCase());
	}
}

/** Inserts the demo 2026/27 calendar (terms, closures, protected periods) for a school. */
export async function insertDemoCalendar(q: TxQuery, schoolId: string): Promise<void> {
	await q(
		`insert into school_terms (school_id, academic_year, name, starts_on, ends_on)
		 select $1, $2, t.name, t.starts_on, t.ends_on
		 from unnest($3::text[], $4::date[], $5::date[]) as t(name, starts_on, ends_on)`,
		[schoolId, DEMO_ACADEMIC_YEAR, DEMO_TERMS.map((t) => t.name), DEMO_TERMS.map((t) => t.startsOn), DEMO_TERMS.map((t) => t.endsOn)]
	);
	await q(
		`insert into school_closures (school_id, date, sessions, kind, description)
		 select $1, c.date, c.sessions::closure_sessions, c.kind::closure_kind, c.description
		 from unnest($2::date[], $3::text[], $4::text[], $5::text[]) as c(date, sessions, kind, description)`,
		[
			schoolId,
			DEMO_CLOSURES.map((c) => c.date),
			DEMO_CLOSURES.map((c) => c.sessions),
			DEMO_CLOSURES.map((c) => c.kind),
			DEMO_CLOSURES.map((c) => c.description)
		]
	);
	for (const p of DEMO_PROTECTED_PERIODS) {
		await q(`insert into protected_periods (school_id, name, starts_on, ends_on, year_groups) values ($1, $2, $3, $4, $5::jsonb)`, [
			schoolId,
			p.name,
			p.startsOn,
			p.endsOn,
			p.yearGroups ? JSON.stringify(p.yearGroups) : null
		]);
	}
}

/** Inserts pupils (and guardians and links, when the roster has them); returns pupil ids by MIS id. */
export async function insertRoster(q: TxQuery, schoolId: string, roster: Roster): Promise<Map<string, string>> {
	const { pupils, guardians, links } = roster;
	const pupilRows = await q<{ id: string; mis_id: string }>(
		`insert into pupils (school_id, mis_id, first_name, last_name, date_of_birth, year_group, class_name, joined_on)
		 select $1, p.mis_id, p.first_name, p.last_name, p.dob, p.year_group, p.class_name, p.joined_on
		 from unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::smallint[], $7::text[], $8::date[])
		   as p(mis_id, first_name, last_name, dob, year_group, class_name, joined_on)
		 returning id, mis_id`,
		[
			schoolId,
			pupils.map((p) => p.misId),
			pupils.map((p) => p.firstName),
			pupils.map((p) => p.lastName),
			pupils.map((p) => p.dateOfBirth),
			pupils.map((p) => p.yearGroup),
			pupils.map((p) => p.className),
			pupils.map((p) => p.joinedOn)
		]
	);
	const pupilIds = new Map(pupilRows.map((r) => [r.mis_id, r.id]));
	if (guardians.length === 0) return pupilIds;

	const guardianRows = await q<{ id: string; phone: string | null; email: string | null }>(
		`insert into guardians (first_name, last_name, phone, email, preferred_language, preferred_channel)
		 select g.first_name, g.last_name, g.phone, g.email, g.lang, g.channel::contact_channel
		 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
		   as g(first_name, last_name, phone, email, lang, channel)
		 returning id, phone, email`,
		[
			guardians.map((g) => g.firstName),
			guardians.map((g) => g.lastName),
			guardians.map((g) => g.phone),
			guardians.map((g) => g.email),
			guardians.map((g) => g.preferredLanguage),
			guardians.map((g) => g.preferredChannel)
		]
	);
	// Phone and email are each unique, and every guardian has one of them.
	const guardianIdByContact = new Map(guardianRows.map((r) => [r.phone ?? `email:${r.email}`, r.id]));
	const guardianId = (key: number) => {
		const g = guardians[key]!;
		return guardianIdByContact.get(g.phone ?? `email:${g.email}`)!;
	};
	const pupilId = (key: number) => pupilIds.get(pupils[key]!.misId)!;
	await q(
		`insert into pupil_guardians (pupil_id, guardian_id, relationship, lives_with, parental_responsibility, contact_priority)
		 select l.pupil_id, l.guardian_id, l.relationship, l.lives_with, l.pr, l.priority
		 from unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::boolean[], $6::smallint[])
		   as l(pupil_id, guardian_id, relationship, lives_with, pr, priority)`,
		[
			links.map((l) => pupilId(l.pupilKey)),
			links.map((l) => guardianId(l.guardianKey)),
			links.map((l) => l.relationship),
			links.map((l) => l.livesWith),
			links.map((l) => l.parentalResponsibility),
			links.map((l) => l.contactPriority)
		]
	);
	return pupilIds;
}

async function insertMarks(q: TxQuery, schoolId: string, rows: readonly { pupilId: string; mark: GeneratedMark }[]): Promise<number> {
	await q(
		`insert into attendance_marks (pupil_id, school_id, date, session, code, minutes_late, source)
		 select m.pupil_id, $1, m.date, m.session::register_session, m.code, m.minutes_late, 'seed'
		 from unnest($2::uuid[], $3::date[], $4::text[], $5::text[], $6::smallint[])
		   as m(pupil_id, date, session, code, minutes_late)`,
		[
			schoolId,
			rows.map((r) => r.pupilId),
			rows.map((r) => r.mark.date),
			rows.map((r) => r.mark.session),
			rows.map((r) => r.mark.code),
			rows.map((r) => r.mark.minutesLate)
		]
	);
	return rows.length;
}
