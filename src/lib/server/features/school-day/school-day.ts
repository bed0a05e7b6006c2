/**
 * A school's day from the staff side (docs/domain-rules.md §3 and §5): pupils marked `N` with no
 * parent report (first day contact), `N` marks past the 5-school-day limit, and the day's
 * reports as CSV for entry into the MIS. Every query is scoped to one school.
 */
import { isUuid } from '../../../domain/ids';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { takeLimit } from '../../platform/limits';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../platform/csv-safe';
import { ABSENCE_REASON_LABELS, partDayLabel, reporterLabel } from '../../../domain/absence';
import {
	isOverdueN,
	isSchoolDay,
	localDateOf,
	localTimeOf,
	nResolutionDeadline,
	parseTimeOfDay,
	schoolDaysSince,
	type IsoDate,
	type Session
} from '../../../domain/calendar';
import { reportsForSchoolDay, type BoardReport } from '../absence';
import { applyBoardView, applyUnexplainedView, type BoardView } from '../../../domain/board-view';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import type { DatabaseHandle } from '../../platform/db/engine';
import {
	absenceReportSessions,
	absenceReports,
	attendanceMarks,
	firstDayContacts,
	guardians,
	pupilGuardians,
	pupils,
	outboundMessages,
	schools
} from '../../platform/db/schema';
import { enqueueGuardianMessage, publicOrigin } from '../accounts';
import type { Locale } from '../../../domain/locale';
import { m } from '../../../paraglide/messages';
import { writeAudit } from '../../platform/audit';
import { childFirstName, type PupilPlace } from '../../../domain/pupils';
import { pupilPlaceColumns } from '../../platform/db/columns';


export interface GuardianContact {
	name: string;
	relationship: string;
	channel: 'sms' | 'telegram' | 'push' | 'email' | 'whatsapp';
	phone: string | null;
	email: string | null;
}

export interface UnexplainedAbsence extends PupilPlace {
	sessions: Session[];
	guardians: GuardianContact[];
	/** When the parents were asked for the reason (first day contact), if they were. */
	contactedAt: Date | null;
	/** What was actually sent for that contact, one per message: the channel it went by and how far it got. */
	contactMessages: { channel: 'sms' | 'telegram' | 'push' | 'email' | 'whatsapp'; status: 'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'dead'; providerStatus: string | null }[];
}

/** The first day contact messages of a school day, by pupil (their keys name the pupil and the day). */
async function firstDayContactMessages(handle: DatabaseHandle, schoolId: string, date: IsoDate, pupilIds: string[]) {
	const out = new Map<string, UnexplainedAbsence['contactMessages']>();
	if (pupilIds.length === 0) return out;
	const rows = await handle.db
		.select({ key: outboundMessages.idempotencyKey, channel: outboundMessages.channel, status: outboundMessages.status, providerStatus: outboundMessages.providerStatus })
		.from(outboundMessages)
		.where(and(eq(outboundMessages.schoolId, schoolId), eq(outboundMessages.purpose, 'first_day_contact'), sql`${outboundMessages.idempotencyKey} like ${`first-day-contact:%:${date}:%`}`))
		.orderBy(asc(outboundMessages.createdAt));
	for (const r of rows) {
		const pupilId = r.key.split(':')[1]!;
		if (!pupilIds.includes(pupilId)) continue;
		out.set(pupilId, [...(out.get(pupilId) ?? []), { channel: r.channel, status: r.status, providerStatus: r.providerStatus }]);
	}
	return out;
}

async function guardiansOf(handle: DatabaseHandle, pupilIds: string[]): Promise<Map<string, GuardianContact[]>> {
	const out = new Map<string, GuardianContact[]>();
	if (pupilIds.length === 0) return out;
	const rows = await handle.db
		.select({
			pupilId: pupilGuardians.pupilId,
			firstName: guardians.firstName,
			lastName: guardians.lastName,
			relationship: pupilGuardians.relationship,
			channel: guardians.preferredChannel,
			phone: guardians.phone,
			email: guardians.email
		})
		.from(pupilGuardians)
		.innerJoin(guardians, eq(guardians.id, pupilGuardians.guardianId))
		.where(inArray(pupilGuardians.pupilId, pupilIds))
		.orderBy(asc(pupilGuardians.contactPriority), asc(guardians.lastName), asc(guardians.firstName));
	for (const r of rows) {
		const list = out.get(r.pupilId) ?? [];
		list.push({
			name: `${r.firstName} ${r.lastName}`,
			relationship: r.relationship,
			channel: r.channel,
			phone: r.phone,
			email: r.email
		});
		out.set(r.pupilId, list);
	}
	return out;
}

/**
 * Pupils with an `N` mark on `date` (either session) for which no (non-withdrawn) absence report
 * covers that session: the first day contact list, with the guardians to contact.
 */
export async function unexplainedAbsences(
	handle: DatabaseHandle,
	schoolId: string,
	date: IsoDate
): Promise<UnexplainedAbsence[]> {
	if (!isUuid(schoolId)) return [];
	const rows = await handle.db
		.select({
			...pupilPlaceColumns,
			session: attendanceMarks.session,
			contactedAt: firstDayContacts.sentAt
		})
		.from(attendanceMarks)
		.innerJoin(pupils, eq(pupils.id, attendanceMarks.pupilId))
		.leftJoin(firstDayContacts, and(eq(firstDayContacts.pupilId, attendanceMarks.pupilId), eq(firstDayContacts.date, attendanceMarks.date)))
		.where(
			and(
				eq(attendanceMarks.schoolId, schoolId),
				eq(attendanceMarks.date, date),
				eq(attendanceMarks.code, 'N'),
				sql`not exists (select 1 from ${absenceReportSessions}
					inner join ${absenceReports} on ${absenceReports.id} = ${absenceReportSessions.reportId}
					where ${absenceReportSessions.pupilId} = ${attendanceMarks.pupilId}
					  and ${absenceReportSessions.date} = ${attendanceMarks.date}
					  and ${absenceReportSessions.session} = ${attendanceMarks.session}
					  and ${absenceReports.status} <> 'withdrawn')`
			)
		)
		.orderBy(asc(pupils.yearGroup), asc(pupils.className), asc(pupils.lastName), asc(pupils.firstName), asc(attendanceMarks.session));
	const byPupil = new Map<string, UnexplainedAbsence>();
	for (const r of rows) {
		let p = byPupil.get(r.pupilId);
		if (!p) {
			const { session: _s, ...rest } = r;
			p = { ...rest, sessions: [], guardians: [], contactMessages: [] };
			byPupil.set(r.pupilId, p);
		}
		p.sessions.push(r.session);
	}
	const contacts = await guardiansOf(handle, [...byPupil.keys()]);
	const sent = await firstDayContactMessages(handle, schoolId, date, [...byPupil.values()].filter((p) => p.contactedAt).map((p) => p.pupilId));
	for (const p of byPupil.values()) {
		p.guardians = contacts.get(p.pupilId) ?? [];
		p.contactMessages = sent.get(p.pupilId) ?? [];
	}
	return [...byPupil.values()];
}

export interface SchoolDayBoard {
	/** The reports and unexplained absences the view shows, in its order. */
	reports: (BoardReport & { reasonLabel: string })[];
	unexplained: UnexplainedAbsence[];
	/** The day's counts before filtering, so the page can say "5 of 12". */
	totals: { reports: number; openReports: number; unexplained: number; notContacted: number };
}

/** The day's board as `view` filters and sorts it (the sorting and filtering rules are in the domain). */
export async function schoolDayBoard(
	handle: DatabaseHandle,
	schoolId: string,
	date: IsoDate,
	view: BoardView
): Promise<SchoolDayBoard> {
	const [reports, unexplained] = await Promise.all([
		reportsForSchoolDay(handle, schoolId, date),
		unexplainedAbsences(handle, schoolId, date)
	]);
	const labelled = reports.map((r) => ({ ...r, reasonLabel: ABSENCE_REASON_LABELS[r.reason] }));
	return {
		reports: applyBoardView(labelled, view),
		unexplained: applyUnexplainedView(unexplained, view),
		totals: {
			reports: reports.length,
			openReports: reports.filter((r) => r.status === 'open').length,
			unexplained: unexplained.length,
			notContacted: unexplained.filter((p) => !p.contactedAt).length
		}
	};
}

export interface OverdueNMark extends PupilPlace {
	date: IsoDate;
	sessions: Session[];
	/** School days since the mark (more than 5). */
	schoolDays: number;
	/** The last school day it could have been resolved on. */
	deadline: IsoDate | null;
}

/** `N` marks before `today` that have gone more than 5 school days unresolved (docs/domain-rules.md §3), oldest first. */
export async function overdueNMarks(handle: DatabaseHandle, schoolId: string, today: IsoDate): Promise<OverdueNMark[]> {
	if (!isUuid(schoolId)) return [];
	const cal = await loadSchoolCalendar(handle.db, schoolId);
	const rows = await handle.db
		.select({
			...pupilPlaceColumns,
			date: attendanceMarks.date,
			session: attendanceMarks.session
		})
		.from(attendanceMarks)
		.innerJoin(pupils, eq(pupils.id, attendanceMarks.pupilId))
		.where(and(eq(attendanceMarks.schoolId, schoolId), eq(attendanceMarks.code, 'N'), lt(attendanceMarks.date, today)))
		.orderBy(asc(attendanceMarks.date), asc(pupils.yearGroup), asc(pupils.className), asc(pupils.lastName), asc(pupils.firstName), asc(attendanceMarks.session));
	const out = new Map<string, OverdueNMark>();
	for (const r of rows) {
		if (!isOverdueN(cal, r.date, today)) continue;
		const key = `${r.pupilId}|${r.date}`;
		let m = out.get(key);
		if (!m) {
			const { session: _s, ...rest } = r;
			m = { ...rest, sessions: [], schoolDays: schoolDaysSince(cal, r.date, today), deadline: nResolutionDeadline(cal, r.date) ?? null };
			out.set(key, m);
		}
		m.sessions.push(r.session);
	}
	return [...out.values()];
}

export const REPORTS_CSV_HEADER = [
	'Reference',
	'UPN',
	'Surname',
	'Forename',
	'Class',
	'Date',
	'Session',
	'Reason',
	'Suggested code',
	'Late',
	'Status',
	'Part of day',
	'Reported by'
] as const;

/**
 * The reports covering `date` at one school, one row per session, as CSV for entry into the MIS.
 * Withdrawn reports are left out. Fields are quoted and escaped by csv-stringify; a leading
 * `=`, `+`, `-` or `@` in free text is prefixed with `'` so a spreadsheet never runs it as a formula.
 */
export async function reportsCsv(handle: DatabaseHandle, schoolId: string, date: IsoDate, downloadedBy?: { staffUserId: string }): Promise<string> {
	const reports = await reportsForSchoolDay(handle, schoolId, date);
	const ids = [...new Set(reports.map((r) => r.pupilId))];
	const upns = new Map<string, string>();
	if (ids.length > 0) {
		const rows = await handle.db
			.select({ id: pupils.id, misId: pupils.misId })
			.from(pupils)
			.where(and(eq(pupils.schoolId, schoolId), inArray(pupils.id, ids)));
		for (const r of rows) upns.set(r.id, r.misId);
	}
	const records: string[][] = [];
	for (const r of reports) {
		for (const s of r.sessions) {
			records.push(
				[
					r.reference,
					upns.get(r.pupilId) ?? '',
					r.lastName,
					r.firstName,
					r.className ?? '',
					date,
					s.session,
					r.details ? `${ABSENCE_REASON_LABELS[r.reason]}: ${r.details}` : ABSENCE_REASON_LABELS[r.reason],
					s.suggestedCode,
					s.late ? 'Yes' : 'No',
					r.status,
					r.partDay ? partDayLabel(r.partDay) : '',
					r.reporter ? reporterLabel(r.reporter) : ''
				].map(spreadsheetSafe)
			);
		}
	}
	// A download of children's absence details leaves the service: who took it is audited.
	if (downloadedBy) {
		await writeAudit(handle.db, { actorType: 'staff', actorId: downloadedBy.staffUserId, action: 'reports_csv.downloaded', schoolId, details: { date, rows: records.length } });
	}
	return stringify(records, { header: true, columns: [...REPORTS_CSV_HEADER], record_delimiter: 'windows' });
}

// ---------------------------------------------------------------------------------------------
// First day contact (docs/domain-rules.md §5)
// ---------------------------------------------------------------------------------------------

export interface FirstDayContactResult {
	/** Pupils whose parents were messaged now. */
	contacted: string[];
	/** Pupils already contacted today (nothing sent again). */
	alreadyContacted: string[];
	/** Pupils with no guardian we can reach. */
	unreachable: string[];
	/** Set when nothing was sent because the member of staff hit the rate limit. */
	retryAfterSeconds?: number;
}

/** The message asking for the reason. Kind, short (one or two SMS segments), with a way to answer. */
export function firstDayContactMessage(opts: {
	childName: string;
	schoolName: string;
	schoolPhone: string | null;
	sessions: readonly Session[];
	origin: string;
	locale?: Locale;
}): string {
	const afternoon = opts.sessions.length === 1 && opts.sessions[0] === 'PM';
	const inputs = { school: opts.schoolName, name: opts.childName, link: `${opts.origin}/report`, phone: opts.schoolPhone ?? '' };
	const o = { locale: opts.locale ?? 'en' };
	if (opts.schoolPhone) return (afternoon ? m.msg_fdc_afternoon_call : m.msg_fdc_today_call)(inputs, o);
	return (afternoon ? m.msg_fdc_afternoon : m.msg_fdc_today)(inputs, o);
}

/**
 * Messages the parents of pupils absent on `date` with no reason (`N` and no report): all of
 * them, or only `pupilIds`. One first_day_contacts row per pupil per day makes this safe to
 * call twice (two clicks, two instances, the automatic run): nobody is messaged twice.
 * `staffUserId` null means the automatic run.
 */
export async function sendFirstDayContacts(
	handle: DatabaseHandle,
	opts: { schoolId: string; date: IsoDate; pupilIds?: string[]; staffUserId: string | null; now?: Date; origin?: string }
): Promise<FirstDayContactResult> {
	const result: FirstDayContactResult = { contacted: [], alreadyContacted: [], unreachable: [] };
	if (!isUuid(opts.schoolId)) return result;
	const now = opts.now ?? new Date();
	// Started by a member of staff (the scheduler's automatic run is not limited): a runaway
	// script or a stuck button cannot turn into a flood of texts.
	if (opts.staffUserId) {
		const limit = await takeLimit(handle.db, 'firstDayContactsPerStaff', opts.staffUserId, now);
		if (!limit.allowed) return { ...result, retryAfterSeconds: limit.retryAfterSeconds };
	}
	const origin = opts.origin ?? publicOrigin();
	const [school] = await handle.db
		.select({ name: schools.name, phone: schools.phone })
		.from(schools)
		.where(eq(schools.id, opts.schoolId));
	if (!school) return result;
	const wanted = opts.pupilIds ? new Set(opts.pupilIds.map((p) => p.toLowerCase())) : null;
	const absences = (await unexplainedAbsences(handle, opts.schoolId, opts.date)).filter(
		(a) => !wanted || wanted.has(a.pupilId)
	);
	for (const absence of absences) {
		if (absence.contactedAt) {
			result.alreadyContacted.push(absence.pupilId);
			continue;
		}
		await handle.db.transaction(async (tx) => {
			const [row] = await tx
				.insert(firstDayContacts)
				.values({ schoolId: opts.schoolId, pupilId: absence.pupilId, date: opts.date, sentBy: opts.staffUserId, sentAt: now, recipients: 0 })
				.onConflictDoNothing({ target: [firstDayContacts.pupilId, firstDayContacts.date] })
				.returning({ id: firstDayContacts.id });
			if (!row) {
				result.alreadyContacted.push(absence.pupilId);
				return;
			}
			const links = await tx
				.select({ guardianId: pupilGuardians.guardianId })
				.from(pupilGuardians)
				.where(and(eq(pupilGuardians.pupilId, absence.pupilId), eq(pupilGuardians.parentalResponsibility, true)))
				.orderBy(asc(pupilGuardians.contactPriority));
			// Each parent gets it in their own language.
			const body = (locale: Locale) =>
				firstDayContactMessage({
					childName: childFirstName(absence),
					schoolName: school.name,
					schoolPhone: school.phone,
					sessions: absence.sessions,
					origin,
					locale
				});
			let recipients = 0;
			for (const link of links) {
				const route = await enqueueGuardianMessage(tx, {
					guardianId: link.guardianId,
					schoolId: opts.schoolId,
					purpose: 'first_day_contact',
					body,
					idempotencyKey: `first-day-contact:${absence.pupilId}:${opts.date}:${link.guardianId}`
				});
				if (route) recipients++;
			}
			await tx.update(firstDayContacts).set({ recipients }).where(eq(firstDayContacts.id, row.id));
			await writeAudit(tx, {
				actorType: opts.staffUserId ? 'staff' : 'system',
				actorId: opts.staffUserId,
				action: 'first_day_contact.sent',
				schoolId: opts.schoolId,
				subjectType: 'pupil',
				subjectId: absence.pupilId,
				details: { date: opts.date, recipients },
				at: now
			});
			(recipients > 0 ? result.contacted : result.unreachable).push(absence.pupilId);
		});
	}
	return result;
}

/**
 * The automatic first day contact: for every school with a first day contact time, once that
 * local time has passed on a school day, message the parents of every pupil still unexplained.
 * Run every minute by the scheduler on every instance; sendFirstDayContacts makes repeats harmless.
 */
export async function runAutomaticFirstDayContacts(handle: DatabaseHandle, now: Date = new Date()): Promise<number> {
	const due = await handle.db
		.select({ id: schools.id, timeZone: schools.timeZone, at: schools.firstDayContactAt })
		.from(schools)
		.where(sql`${schools.firstDayContactAt} is not null`);
	let contacted = 0;
	for (const school of due) {
		const today = localDateOf(now, school.timeZone);
		if (parseTimeOfDay(localTimeOf(now, school.timeZone)) < parseTimeOfDay(school.at!)) continue;
		const cal = await loadSchoolCalendar(handle.db, school.id);
		if (!isSchoolDay(cal, today)) continue;
		const r = await sendFirstDayContacts(handle, { schoolId: school.id, date: today, staffUserId: null, now });
		contacted += r.contacted.length;
	}
	return contacted;
}

/**
 * A fingerprint of the board for `date`: it changes when a report covering the day is made,
 * changed, withdrawn or acknowledged, or a family is contacted. The board polls it (cheap: two
 * index range reads) and reloads only on a change; it works the same across several instances.
 */
export async function boardVersion(handle: DatabaseHandle, schoolId: string, date: IsoDate): Promise<string> {
	if (!isUuid(schoolId)) return '';
	const [reports] = await handle.db
		.select({
			count: sql<number>`count(*)::int`,
			latest: sql<string | null>`max(${absenceReports.updatedAt})::text`
		})
		.from(absenceReportSessions)
		.innerJoin(absenceReports, eq(absenceReports.id, absenceReportSessions.reportId))
		.where(and(eq(absenceReportSessions.schoolId, schoolId), eq(absenceReportSessions.date, date)));
	// Part days that miss no session have no session rows but are on the board too.
	const [partDays] = await handle.db
		.select({ count: sql<number>`count(*)::int`, latest: sql<string | null>`max(${absenceReports.updatedAt})::text` })
		.from(absenceReports)
		.where(and(eq(absenceReports.schoolId, schoolId), eq(absenceReports.startsOn, date), sql`${absenceReports.partDay} is not null`));
	const [contacts] = await handle.db
		.select({ count: sql<number>`count(*)::int` })
		.from(firstDayContacts)
		.where(and(eq(firstDayContacts.schoolId, schoolId), eq(firstDayContacts.date, date)));
	const [marks] = await handle.db
		.select({ count: sql<number>`count(*)::int`, latest: sql<string | null>`max(${attendanceMarks.updatedAt})::text` })
		.from(attendanceMarks)
		.where(and(eq(attendanceMarks.schoolId, schoolId), eq(attendanceMarks.date, date), eq(attendanceMarks.code, 'N')));
	return [reports?.count ?? 0, reports?.latest ?? '', partDays?.count ?? 0, partDays?.latest ?? '', contacts?.count ?? 0, marks?.count ?? 0, marks?.latest ?? ''].join('|');
}

/** The school's first day contact time ('HH:MM'), or null when staff send the messages themselves. */
export async function firstDayContactTime(handle: DatabaseHandle, schoolId: string): Promise<string | null> {
	const [s] = await handle.db.select({ at: schools.firstDayContactAt }).from(schools).where(eq(schools.id, schoolId));
	return s?.at ? s.at.slice(0, 5) : null;
}

/** Why a first day contact time cannot be set (the words: src/lib/i18n-staff-problems.ts). */
export type FirstDayContactProblem =
	| { code: 'school_not_found' }
	| { code: 'contact_time_format' }
	| { code: 'contact_time_before_am_closes'; amCloses: string }
	| { code: 'contact_time_too_late'; latest: string };

const LATEST_CONTACT_TIME = '15:00';

/**
 * Sets or clears the automatic first day contact time. It must be after the morning register
 * closes (families cannot be chased before the register is taken) and before 15:00.
 */
export async function setFirstDayContactTime(
	handle: DatabaseHandle,
	opts: { schoolId: string; staffUserId: string; time: string | null }
): Promise<{ ok: true } | { ok: false; problem: FirstDayContactProblem }> {
	const [school] = await handle.db.select({ amCloses: schools.amRegisterCloses }).from(schools).where(eq(schools.id, opts.schoolId));
	if (!school) return { ok: false, problem: { code: 'school_not_found' } };
	if (opts.time !== null) {
		if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(opts.time)) return { ok: false, problem: { code: 'contact_time_format' } };
		if (parseTimeOfDay(opts.time) <= parseTimeOfDay(school.amCloses)) {
			return { ok: false, problem: { code: 'contact_time_before_am_closes', amCloses: school.amCloses.slice(0, 5) } };
		}
		if (parseTimeOfDay(opts.time) >= parseTimeOfDay(LATEST_CONTACT_TIME)) return { ok: false, problem: { code: 'contact_time_too_late', latest: LATEST_CONTACT_TIME } };
	}
	await handle.db.transaction(async (tx) => {
		await tx.update(schools).set({ firstDayContactAt: opts.time, updatedAt: new Date() }).where(eq(schools.id, opts.schoolId));
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: opts.staffUserId,
			action: 'school.first_day_contact_time_set',
			schoolId: opts.schoolId,
			details: { time: opts.time }
		});
	});
	return { ok: true };
}
