/**
 * Leave of absence: a parent's request for one or more children at one school, the
 * instant feedback on the rules, evidence, and the headteacher's decision, sent to the parent
 * on their channel through the outbox. Every step is in the audit log. Access: the applying
 * family (guardians of the children) and the school's deciding staff only.
 */
import { isUuid } from '../../../domain/ids';
import { can } from '../../../domain/permissions';
import { randomInt } from 'node:crypto';
import { takeLimit } from '../../platform/limits';
import { MAX_LEAVE_ANSWER_CHARACTERS, type LeaveChangeProblem, type LeaveDecisionProblem } from '../../../domain/leave-problems';
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { generateReference, longDate } from '../../../domain/absence';
import { localDateOf, schoolSessionsBetween, type IsoDate } from '../../../domain/calendar';
import {
	leaveError,
	type LeaveError,
	LEAVE_STATUS_LABELS,
	LEAVE_TYPE_LABELS,
	evaluateLeave,
	grantedCodes,
	grantedSessions,
	isLeaveType,
	splitReligiousObservance,
	leavePointText,
	type LeaveFeedback,
	type LeavePointFinding,
	type LeaveStatus,
	type LeaveType
} from '../../../domain/leave';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../platform/csv-safe';
import { writeAudit } from '../../platform/audit';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { childAttendanceOverview } from '../attendance';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { guardians, leaveEvidence, leaveRequestPupils, leaveRequests, protectedPeriods, pupilGuardians, pupils, schools, staffUsers } from '../../platform/db/schema';
import { checkEvidence, decryptEvidence, decryptLegacyEvidence, encryptEvidence } from './evidence';
import { evidenceStore, newStorageKey, type EvidenceStore } from '../../providers/evidence-storage';
import { log } from '../../platform/log';
import { enqueueGuardianMessage, publicOrigin } from '../accounts';
import type { Locale } from '../../../domain/locale';
import { joinNames } from '../../../i18n';
import { leaveDatesLabel } from '../../../i18n-leave';
import { m } from '../../../paraglide/messages';
import { childFirstName, childDisplayName } from '../../../domain/pupils';

/** Staff who decide leave (the headteacher or their delegate). */

export interface LeaveAnswers {
	pupilIds: string[];
	type: string;
	from: string;
	to: string;
	reason: string;
}

export type LeaveCheck =
	| { ok: true; feedback: LeaveFeedback; schoolId: string; names: string[] }
	| { ok: false; errors: LeaveError[]; feedback?: LeaveFeedback };

/** Checks who may apply and evaluates the rules (nothing is stored). */
/** PostgreSQL text cannot hold NUL: a pasted one is dropped from what the parent wrote. */
function withoutNul(answers: LeaveAnswers): LeaveAnswers {
	return { ...answers, reason: answers.reason.replaceAll('\u0000', ''), type: answers.type.replaceAll('\u0000', '') };
}

export async function checkLeave(handle: DatabaseHandle, guardianId: string, rawAnswers: LeaveAnswers, now = new Date()): Promise<LeaveCheck> {
	const answers = withoutNul(rawAnswers);
	const db = handle.db;
	const errors: LeaveError[] = [];
	const ids = [...new Set(answers.pupilIds.filter((p) => isUuid(p)))];
	if (ids.length === 0) errors.push(leaveError('pupilIds', { kind: 'children_missing' }));
	if (!isLeaveType(answers.type)) errors.push(leaveError('type', { kind: 'type_missing' }));
	if (errors.length) return { ok: false, errors };
	const links = await db
		.select({ pupilId: pupils.id, schoolId: pupils.schoolId, firstName: pupils.firstName, preferredName: pupils.preferredName, yearGroup: pupils.yearGroup, dateOfBirth: pupils.dateOfBirth, livesWith: pupilGuardians.livesWith })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(and(eq(pupilGuardians.guardianId, guardianId), inArray(pupilGuardians.pupilId, ids)));
	if (links.length !== ids.length) return { ok: false, errors: [leaveError('pupilIds', { kind: 'children_not_own' })] };
	if (new Set(links.map((l) => l.schoolId)).size > 1) {
		return { ok: false, errors: [leaveError('pupilIds', { kind: 'children_separate_schools' })] };
	}
	const notLiving = links.filter((l) => !l.livesWith);
	if (notLiving.length) {
		return {
			ok: false,
			errors: [leaveError('pupilIds', { kind: 'children_not_living_with', names: notLiving.map((l) => childFirstName(l)) })]
		};
	}
	const schoolId = links[0]!.schoolId;
	const cal = await loadSchoolCalendar(db, schoolId);
	const [school] = await db.select({ noticeDays: schools.leaveNoticeDays }).from(schools).where(eq(schools.id, schoolId));
	const periods = await db
		.select({ name: protectedPeriods.name, startsOn: protectedPeriods.startsOn, endsOn: protectedPeriods.endsOn, yearGroups: protectedPeriods.yearGroups })
		.from(protectedPeriods)
		.where(eq(protectedPeriods.schoolId, schoolId));
	const attendance = [];
	for (const l of links) {
		const o = await childAttendanceOverview(handle, guardianId, l.pupilId, now);
		attendance.push({ name: childFirstName(l), percent: o?.percent ?? null, yearGroup: l.yearGroup, dateOfBirth: l.dateOfBirth });
	}
	const feedback = evaluateLeave(cal, {
		type: answers.type as LeaveType,
		from: answers.from,
		to: answers.to,
		reason: answers.reason,
		today: localDateOf(now, cal.timeZone),
		noticeDays: school!.noticeDays,
		protectedPeriods: periods,
		attendance
	});
	if (!feedback.ok) return { ok: false, errors: feedback.errors, feedback };
	return { ok: true, feedback, schoolId, names: attendance.map((a) => a.name) };
}

/** Stores the request (all children, one transaction) and returns its reference. */
export async function submitLeave(handle: DatabaseHandle, guardianId: string, rawAnswers: LeaveAnswers, now = new Date()) {
	const answers = withoutNul(rawAnswers);
	const check = await checkLeave(handle, guardianId, answers, now);
	if (!check.ok) return check;
	const limit = await takeLimit(handle.db, 'leavePerGuardian', guardianId, now);
	if (!limit.allowed) {
		return {
			ok: false as const,
			errors: [leaveError('pupilIds', { kind: 'too_many_requests', retryAfterSeconds: limit.retryAfterSeconds })],
			feedback: check.feedback,
			retryAfterSeconds: limit.retryAfterSeconds
		};
	}
	const reference = `L${generateReference(() => randomInt(0, 2 ** 32) / 2 ** 32)}`;
	const id = await handle.db.transaction(async (tx) => {
		const [row] = await tx
			.insert(leaveRequests)
			.values({
				reference,
				schoolId: check.schoolId,
				guardianId,
				type: answers.type,
				reason: answers.reason.trim(),
				startsOn: answers.from,
				endsOn: answers.to,
				schoolDays: check.feedback.schoolDays,
				parentFindings: check.feedback.points.map((p) => ({ level: p.level, finding: p.finding })),
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: leaveRequests.id });
		await tx.insert(leaveRequestPupils).values([...new Set(answers.pupilIds.filter((p) => isUuid(p)))].map((pupilId) => ({ requestId: row!.id, pupilId })));
		await writeAudit(tx, { actorType: 'guardian', actorId: guardianId, action: 'leave.submitted', schoolId: check.schoolId, subjectType: 'leave_request', subjectId: row!.id, at: now });
		return row!.id;
	});
	return { ok: true as const, id, reference, feedback: check.feedback };
}

/** Requests about the guardian's own children: by them or another of the children's guardians. */
const familyCanSee = (guardianId: string) =>
	sql`exists (select 1 from ${leaveRequestPupils} lrp join ${pupilGuardians} pg on pg.pupil_id = lrp.pupil_id
	             where lrp.request_id = ${leaveRequests.id} and pg.guardian_id = ${guardianId})`;

async function childrenOf(db: Db, requestIds: string[]) {
	if (requestIds.length === 0) return new Map<string, { pupilId: string; name: string }[]>();
	const rows = await db
		.select({ requestId: leaveRequestPupils.requestId, pupilId: pupils.id, firstName: pupils.firstName, preferredName: pupils.preferredName, lastName: pupils.lastName })
		.from(leaveRequestPupils)
		.innerJoin(pupils, eq(pupils.id, leaveRequestPupils.pupilId))
		.where(inArray(leaveRequestPupils.requestId, requestIds))
		.orderBy(asc(pupils.firstName));
	const map = new Map<string, { pupilId: string; name: string }[]>();
	for (const r of rows) map.set(r.requestId, [...(map.get(r.requestId) ?? []), { pupilId: r.pupilId, name: childDisplayName(r) }]);
	return map;
}

export function leaveDatesText(from: IsoDate, to: IsoDate): string {
	return from === to ? longDate(from) : `${longDate(from)} to ${longDate(to)}`;
}

const CODE_WORDS: Record<string, string> = { R: 'religious observance', C: 'exceptional circumstances' };

/** 'Tuesday 9 March 2027 (religious observance), Wednesday 10 March 2027 (exceptional circumstances)'. */
function agreedDaysText(codes: Record<string, string>): string {
	return Object.entries(codes)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([date, code]) => `${longDate(date)} (${CODE_WORDS[code] ?? code})`)
		.join(', ');
}

function describe(r: typeof leaveRequests.$inferSelect, children: { pupilId: string; name: string }[], evidence: { id: string; originalName: string; mimeType: string; size: number }[] = []) {
	return {
		id: r.id,
		reference: r.reference,
		schoolId: r.schoolId,
		type: r.type as LeaveType,
		typeLabel: isLeaveType(r.type) ? LEAVE_TYPE_LABELS[r.type] : r.type,
		reason: r.reason,
		dates: leaveDatesText(r.startsOn, r.endsOn),
		startsOn: r.startsOn,
		endsOn: r.endsOn,
		schoolDays: r.schoolDays,
		status: r.status as LeaveStatus,
		statusLabel: LEAVE_STATUS_LABELS[r.status as LeaveStatus],
		question: r.question,
		answer: r.answer,
		approvedFrom: r.approvedFrom,
		approvedTo: r.approvedTo,
		approvedDates: r.decisionCodes
			? agreedDaysText(r.decisionCodes)
			: r.approvedFrom && r.approvedTo
				? leaveDatesText(r.approvedFrom, r.approvedTo)
				: null,
		/** Each agreed day with its code, when the decision split the days (religious observance). */
		agreedDays: r.decisionCodes
			? Object.entries(r.decisionCodes)
					.sort(([a], [b]) => a.localeCompare(b))
					.map(([date, code]) => ({ date, code }))
			: null,
		decisionNote: r.decisionNote,
		decidedAt: r.decidedAt,
		/** Set when the retention policy deleted the documents. */
		evidenceDeletedOn: r.evidenceDeletedAt ? longDate(r.evidenceDeletedAt.toISOString().slice(0, 10)) : null,
		createdAt: r.createdAt,
		children,
		evidence
	};
}
export type LeaveView = ReturnType<typeof describe>;

async function evidenceOf(db: Db, requestId: string) {
	return db
		.select({ id: leaveEvidence.id, originalName: leaveEvidence.originalName, mimeType: leaveEvidence.mimeType, size: leaveEvidence.size })
		.from(leaveEvidence)
		.where(eq(leaveEvidence.requestId, requestId))
		.orderBy(asc(leaveEvidence.uploadedAt));
}

export async function guardianLeaveRequests(handle: DatabaseHandle, guardianId: string): Promise<LeaveView[]> {
	if (!isUuid(guardianId)) return [];
	const rows = await handle.db.select().from(leaveRequests).where(familyCanSee(guardianId)).orderBy(desc(leaveRequests.createdAt)).limit(100);
	const kids = await childrenOf(handle.db, rows.map((r) => r.id));
	return rows.map((r) => describe(r, kids.get(r.id) ?? []));
}

export async function guardianLeaveRequest(handle: DatabaseHandle, guardianId: string, reference: string): Promise<LeaveView | null> {
	if (!isUuid(guardianId) || !/^L[A-Z2-9]{3}-[A-Z2-9]{3}$/.test(reference)) return null;
	const [row] = await handle.db.select().from(leaveRequests).where(and(eq(leaveRequests.reference, reference), familyCanSee(guardianId)));
	if (!row) return null;
	const kids = await childrenOf(handle.db, [row.id]);
	return describe(row, kids.get(row.id) ?? [], await evidenceOf(handle.db, row.id));
}

type ChangeResult = { ok: true } | { ok: false; problem: LeaveChangeProblem };
type DecisionResult = { ok: true } | { ok: false; problem: LeaveDecisionProblem };

/** The parent withdraws, or answers the school's question. */
export async function parentLeaveAction(
	handle: DatabaseHandle,
	opts: { guardianId: string; reference: string; action: 'withdraw' } | { guardianId: string; reference: string; action: 'answer'; answer: string }
): Promise<ChangeResult> {
	const view = await guardianLeaveRequest(handle, opts.guardianId, opts.reference);
	if (!view) return { ok: false, problem: { code: 'request_not_found' } };
	if (['approved', 'partly_approved', 'declined', 'withdrawn'].includes(view.status)) return { ok: false, problem: { code: 'already_decided' } };
	if (opts.action === 'answer') opts = { ...opts, answer: opts.answer.replaceAll('\u0000', '') };
	if (opts.action === 'answer') {
		const answer = opts.answer.trim();
		if (!answer) return { ok: false, problem: { code: 'answer_missing' } };
		if (answer.length > MAX_LEAVE_ANSWER_CHARACTERS) return { ok: false, problem: { code: 'answer_too_long', max: MAX_LEAVE_ANSWER_CHARACTERS } };
		if (view.status !== 'more_information') return { ok: false, problem: { code: 'no_question_asked' } };
	}
	await handle.db.transaction(async (tx) => {
		await tx
			.update(leaveRequests)
			.set(opts.action === 'withdraw' ? { status: 'withdrawn', updatedAt: new Date() } : { status: 'submitted', answer: opts.answer.trim(), updatedAt: new Date() })
			.where(eq(leaveRequests.id, view.id));
		await writeAudit(tx, { actorType: 'guardian', actorId: opts.guardianId, action: `leave.${opts.action === 'withdraw' ? 'withdrawn' : 'answered'}`, schoolId: view.schoolId, subjectType: 'leave_request', subjectId: view.id });
	});
	return { ok: true };
}

/**
 * Adds an evidence file to the family's open request. The ciphertext is written to the store
 * first and the row (with the audit entry) only after that succeeded; if the row cannot be
 * written the stored object is removed again, so there is never a row without its file.
 */
export async function addLeaveEvidence(
	handle: DatabaseHandle,
	opts: { guardianId: string; reference: string; fileName: string; bytes: Uint8Array },
	store: EvidenceStore = evidenceStore()
): Promise<ChangeResult> {
	const view = await guardianLeaveRequest(handle, opts.guardianId, opts.reference);
	if (!view) return { ok: false, problem: { code: 'request_not_found' } };
	if (!['submitted', 'more_information'].includes(view.status)) return { ok: false, problem: { code: 'evidence_not_open' } };
	const checked = await checkEvidence(opts.bytes);
	if (!checked.ok) return checked;
	const storageKey = newStorageKey();
	try {
		await store.put(storageKey, encryptEvidence(checked.bytes, storageKey));
	} catch (err) {
		log('error', 'evidence.store_failed', { store: store.kind, error: err });
		// Best effort: a partial object under a key no row names is never served.
		await store.delete(storageKey).catch(() => undefined);
		return { ok: false, problem: { code: 'evidence_not_saved' } };
	}
	try {
		await handle.db.transaction(async (tx) => {
			const [row] = await tx
				.insert(leaveEvidence)
				.values({ requestId: view.id, originalName: opts.fileName.replace(/[^\w .,()-]/g, '_').slice(0, 120) || 'evidence', mimeType: checked.mimeType, size: checked.bytes.length, storageKey })
				.returning({ id: leaveEvidence.id });
			await writeAudit(tx, { actorType: 'guardian', actorId: opts.guardianId, action: 'leave.evidence_added', schoolId: view.schoolId, subjectType: 'leave_evidence', subjectId: row!.id, details: { type: checked.mimeType, size: checked.bytes.length } });
		});
	} catch (err) {
		await store.delete(storageKey).catch((e) => log('error', 'evidence.orphan_delete_failed', { store: store.kind, error: e }));
		throw err;
	}
	return { ok: true };
}

/**
 * An evidence file for the applying family or the school's deciding staff, decrypted; every view
 * is audited. Anyone else gets null (answer 404).
 */
export async function viewLeaveEvidence(
	handle: DatabaseHandle,
	viewer: { kind: 'guardian'; id: string } | { kind: 'staff'; id: string; schoolId: string | null; role: string },
	evidenceId: string,
	ip: string | null = null,
	store: EvidenceStore = evidenceStore()
): Promise<{ bytes: Uint8Array; mimeType: string; name: string } | null> {
	if (!isUuid(evidenceId)) return null;
	const [row] = await handle.db
		.select({
			id: leaveEvidence.id,
			requestId: leaveEvidence.requestId,
			mimeType: leaveEvidence.mimeType,
			name: leaveEvidence.originalName,
			storageKey: leaveEvidence.storageKey,
			encrypted: leaveEvidence.encrypted,
			schoolId: leaveRequests.schoolId
		})
		.from(leaveEvidence)
		.innerJoin(leaveRequests, eq(leaveRequests.id, leaveEvidence.requestId))
		.where(and(eq(leaveEvidence.id, evidenceId), viewer.kind === 'guardian' ? familyCanSee(viewer.id) : eq(leaveRequests.schoolId, viewer.schoolId ?? '00000000-0000-0000-0000-000000000000')));
	if (!row) return null;
	if (viewer.kind === 'staff' && !can(viewer, 'leave.decide')) return null;
	const bytes = row.storageKey ? decryptEvidence(await store.get(row.storageKey), row.storageKey) : row.encrypted ? decryptLegacyEvidence(row.encrypted) : null;
	if (!bytes) return null;
	await writeAudit(handle.db, { actorType: viewer.kind, actorId: viewer.id, action: 'leave.evidence_viewed', schoolId: row.schoolId, subjectType: 'leave_evidence', subjectId: row.id, ip });
	return { bytes, mimeType: row.mimeType, name: row.name };
}

// ---------------------------------------------------------------------------------------------
// The school's side
// ---------------------------------------------------------------------------------------------

export async function schoolLeaveQueue(handle: DatabaseHandle, schoolId: string): Promise<LeaveView[]> {
	if (!isUuid(schoolId)) return [];
	const rows = await handle.db
		.select()
		.from(leaveRequests)
		.where(and(eq(leaveRequests.schoolId, schoolId), ne(leaveRequests.status, 'withdrawn')))
		.orderBy(sql`case when ${leaveRequests.status} in ('submitted', 'more_information') then 0 else 1 end`, asc(leaveRequests.startsOn))
		.limit(200);
	const kids = await childrenOf(handle.db, rows.map((r) => r.id));
	return rows.map((r) => describe(r, kids.get(r.id) ?? []));
}

/** One request at the member of staff's school, with what they need to decide. */
export async function schoolLeaveRequest(handle: DatabaseHandle, schoolId: string, requestId: string) {
	if (!isUuid(schoolId) || !isUuid(requestId)) return null;
	const [row] = await handle.db.select().from(leaveRequests).where(and(eq(leaveRequests.id, requestId), eq(leaveRequests.schoolId, schoolId)));
	if (!row) return null;
	const kids = (await childrenOf(handle.db, [row.id])).get(row.id) ?? [];
	const view = describe(row, kids, await evidenceOf(handle.db, row.id));
	// Attendance (as the school's own summary computes it) and earlier requests for these children: a yearly pattern shows.
	const attendance = [];
	for (const k of kids) {
		const [link] = await handle.db.select({ guardianId: pupilGuardians.guardianId }).from(pupilGuardians).where(eq(pupilGuardians.pupilId, k.pupilId)).limit(1);
		const o = link ? await childAttendanceOverview(handle, link.guardianId, k.pupilId) : null;
		attendance.push({ name: k.name, percentText: o?.percentText ?? '—', daysMissed: o?.daysMissed ?? 0 });
	}
	const earlierRows = await handle.db
		.select()
		.from(leaveRequests)
		.where(
			and(
				eq(leaveRequests.schoolId, schoolId),
				ne(leaveRequests.id, row.id),
				sql`exists (select 1 from ${leaveRequestPupils} lrp where lrp.request_id = ${leaveRequests.id} and lrp.pupil_id in (select pupil_id from ${leaveRequestPupils} where request_id = ${row.id}))`
			)
		)
		.orderBy(desc(leaveRequests.startsOn));
	const [applicant] = row.guardianId
		? await handle.db.select({ firstName: guardians.firstName, lastName: guardians.lastName }).from(guardians).where(eq(guardians.id, row.guardianId))
		: [];
	const cal = await loadSchoolCalendar(handle.db, schoolId);
	const days = [...new Set(schoolSessionsBetween(cal, row.startsOn, row.endsOn).map((x) => x.date))];
	return {
		...view,
		/** The rule findings the parent saw before sending, in the school's English. */
		parentFindings: (row.parentFindings ?? []).map((p) => ({ level: p.level, text: leavePointText(p.finding as LeavePointFinding) })),
		/** The school days asked for, for a decision day by day (religious observance). */
		schoolDayList: days.map((date) => ({ date, label: longDate(date) })),
		applicant: applicant ? `${applicant.firstName} ${applicant.lastName}` : 'Unknown',
		attendance,
		earlier: earlierRows.map((r) => describe(r, []))
	};
}

export type LeaveDecision =
	| { kind: 'approve' }
	| { kind: 'partial'; from: IsoDate; to: IsoDate; note: string }
	| { kind: 'decline'; note: string }
	| { kind: 'more_info'; question: string }
	/** Religious observance: R for the day(s) set apart; the other days agreed as exceptional (C) or not. */
	| { kind: 'religious_split'; setApart: IsoDate[]; otherDays: 'exceptional' | 'declined'; note: string };

/** The headteacher (or delegate) decides; the parent is told on their channel, in the same transaction. */
export async function decideLeave(
	handle: DatabaseHandle,
	opts: { staffUserId: string; schoolId: string; requestId: string; decision: LeaveDecision; now?: Date }
): Promise<DecisionResult> {
	const now = opts.now ?? new Date();
	const [staff] = await handle.db
		.select({ id: staffUsers.id, role: staffUsers.role })
		.from(staffUsers)
		.where(and(eq(staffUsers.id, opts.staffUserId), eq(staffUsers.schoolId, opts.schoolId)));
	if (!staff || !can(staff, 'leave.decide')) return { ok: false, problem: { code: 'not_allowed_to_decide' } };
	const request = await schoolLeaveRequest(handle, opts.schoolId, opts.requestId);
	if (!request) return { ok: false, problem: { code: 'request_not_found' } };
	if (!['submitted', 'more_information'].includes(request.status)) return { ok: false, problem: { code: 'already_decided' } };
	// PostgreSQL text cannot hold NUL: a pasted one is dropped from what staff wrote.
	const d = Object.fromEntries(Object.entries(opts.decision).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\u0000', '') : v])) as LeaveDecision;
	if ((d.kind === 'decline' && !d.note.trim()) || (d.kind === 'partial' && !d.note.trim())) return { ok: false, problem: { code: 'reason_missing' } };
	if (d.kind === 'more_info' && !d.question.trim()) return { ok: false, problem: { code: 'question_missing' } };
	if (d.kind === 'partial') {
		if (!(d.from >= request.startsOn && d.to <= request.endsOn && d.from <= d.to)) return { ok: false, problem: { code: 'agreed_dates_outside_request' } };
		if (d.from === request.startsOn && d.to === request.endsOn) return { ok: false, problem: { code: 'agreed_dates_are_whole_request' } };
	}
	const cal = await loadSchoolCalendar(handle.db, opts.schoolId);
	const requestedDays = [...new Set(schoolSessionsBetween(cal, request.startsOn, request.endsOn).map((x) => x.date))];
	let split: { codes: Record<IsoDate, 'R' | 'C'>; allAgreed: boolean; agreedFrom: IsoDate; agreedTo: IsoDate } | null = null;
	if (request.type === 'religious_observance' && (d.kind === 'approve' || d.kind === 'partial')) {
		// Only the day set apart is R: agreeing several days at once would record every one as R.
		const granted = d.kind === 'approve' ? requestedDays : requestedDays.filter((x) => x >= d.from && x <= d.to);
		if (granted.length > 1) return { ok: false, problem: { code: 'religious_one_day_at_a_time' } };
	}
	if (d.kind === 'religious_split') {
		if (request.type !== 'religious_observance') return { ok: false, problem: { code: 'split_not_religious' } };
		const result = splitReligiousObservance(requestedDays, d.setApart, d.otherDays);
		if (!result.ok) {
			return { ok: false, problem: { code: result.problem === 'set_apart_missing' ? 'set_apart_missing' : 'set_apart_not_requested' } };
		}
		if (!result.allAgreed && !d.note.trim()) return { ok: false, problem: { code: 'reason_missing' } };
		split = result;
	}
	const status: LeaveStatus =
		d.kind === 'approve'
			? 'approved'
			: d.kind === 'partial'
				? 'partly_approved'
				: d.kind === 'religious_split'
					? split!.allAgreed
						? 'approved'
						: 'partly_approved'
					: d.kind === 'decline'
						? 'declined'
						: 'more_information';
	const firstNames = request.children.map((c) => c.name.split(' ')[0]!);
	const names = firstNames.join(' and ');
	const link = `${publicOrigin()}/leave/${request.reference}`;
	const english =
		d.kind === 'religious_split'
			? split!.allAgreed
				? `The headteacher has agreed your leave request ${request.reference} for ${names}: ${request.dates}. Details: ${link}`
				: `The headteacher has agreed part of your leave request ${request.reference} for ${names}: ${leaveDatesText(split!.agreedFrom, split!.agreedTo)} only. ${d.note.trim()} Details: ${link}`
			: d.kind === 'approve'
			? `The headteacher has agreed your leave request ${request.reference} for ${names}: ${request.dates}. Details: ${link}`
			: d.kind === 'partial'
				? `The headteacher has agreed part of your leave request ${request.reference} for ${names}: ${leaveDatesText(d.from, d.to)} only. ${d.note.trim()} Details: ${link}`
				: d.kind === 'decline'
					? `The headteacher has not agreed your leave request ${request.reference} for ${names}. ${d.note.trim()} If ${names} ${request.children.length > 1 ? 'are' : 'is'} kept off, the days will be unauthorised. Details: ${link}`
					: `The school needs more information about your leave request ${request.reference}: ${d.question.trim()} Please answer at ${link}`;
	// In each guardian's language; the head's own words (reason, question) stay as written.
	const body = (locale: Locale): string => {
		if (locale === 'en') return english;
		const o = { locale };
		const who = joinNames(firstNames, locale);
		if (d.kind === 'religious_split') {
			return split!.allAgreed
				? m.leave_decision_approved({ reference: request.reference, names: who, dates: leaveDatesLabel(request.startsOn, request.endsOn, locale), link }, o)
				: m.leave_decision_partly_approved({ reference: request.reference, names: who, dates: leaveDatesLabel(split!.agreedFrom, split!.agreedTo, locale), note: d.note.trim(), link }, o);
		}
		if (d.kind === 'approve') return m.leave_decision_approved({ reference: request.reference, names: who, dates: leaveDatesLabel(request.startsOn, request.endsOn, locale), link }, o);
		if (d.kind === 'partial') return m.leave_decision_partly_approved({ reference: request.reference, names: who, dates: leaveDatesLabel(d.from, d.to, locale), note: d.note.trim(), link }, o);
		if (d.kind === 'decline') return m.leave_decision_declined({ reference: request.reference, names: who, note: d.note.trim(), link }, o);
		return m.leave_decision_more_information({ reference: request.reference, question: d.question.trim(), link }, o);
	};
	await handle.db.transaction(async (tx) => {
		await tx
			.update(leaveRequests)
			.set({
				status,
				updatedAt: now,
				...(d.kind === 'more_info'
					? { question: d.question.trim(), answer: null }
					: {
							decidedBy: staff.id,
							decidedAt: now,
							decisionNote: d.kind === 'approve' || (d.kind === 'religious_split' && !d.note.trim()) ? null : d.note.trim(),
							approvedFrom: d.kind === 'approve' ? request.startsOn : d.kind === 'partial' ? d.from : split ? split.agreedFrom : null,
							approvedTo: d.kind === 'approve' ? request.endsOn : d.kind === 'partial' ? d.to : split ? split.agreedTo : null,
							decisionCodes: split ? split.codes : null
						})
			})
			.where(eq(leaveRequests.id, request.id));
		const [row] = await tx.select({ guardianId: leaveRequests.guardianId }).from(leaveRequests).where(eq(leaveRequests.id, request.id));
		if (row?.guardianId) {
			await enqueueGuardianMessage(tx, {
				guardianId: row.guardianId,
				schoolId: opts.schoolId,
				purpose: 'leave_decision',
				body,
				idempotencyKey: `leave:${request.id}:${status}:${now.getTime()}`
			});
		}
		await writeAudit(tx, { actorType: 'staff', actorId: staff.id, action: `leave.${status}`, schoolId: opts.schoolId, subjectType: 'leave_request', subjectId: request.id, at: now });
	});
	return { ok: true };
}

/** Granted leave, one row per pupil per session, with its code, for entry into the MIS (formula-safe, like the reports CSV). */
export async function approvedLeaveCsv(handle: DatabaseHandle, schoolId: string, downloadedBy?: { staffUserId: string }): Promise<string> {
	const rows = await handle.db
		.select()
		.from(leaveRequests)
		.where(and(eq(leaveRequests.schoolId, schoolId), inArray(leaveRequests.status, ['approved', 'partly_approved'])))
		.orderBy(asc(leaveRequests.startsOn));
	const cal = await loadSchoolCalendar(handle.db, schoolId);
	const records: string[][] = [];
	for (const r of rows) {
		const requested = schoolSessionsBetween(cal, r.startsOn, r.endsOn);
		const granted = grantedSessions(requested, r.approvedFrom && r.approvedTo ? { from: r.approvedFrom, to: r.approvedTo } : undefined);
		const kids = await handle.db
			.select({ upn: pupils.misId, lastName: pupils.lastName, firstName: pupils.firstName })
			.from(leaveRequestPupils)
			.innerJoin(pupils, eq(pupils.id, leaveRequestPupils.pupilId))
			.where(eq(leaveRequestPupils.requestId, r.id));
		const coded = isLeaveType(r.type) ? grantedCodes(granted, r.type, r.decisionCodes) : granted.map((g) => ({ ...g, code: 'C' }));
		for (const k of kids) for (const s of coded) records.push([r.reference, k.upn, k.lastName, k.firstName, s.date, s.session, s.code].map(spreadsheetSafe));
	}
	// A download of children's names leaves the service: who took it, and how many rows, is audited.
	if (downloadedBy) {
		await writeAudit(handle.db, { actorType: 'staff', actorId: downloadedBy.staffUserId, action: 'approved_leave_csv.downloaded', schoolId, details: { rows: records.length } });
	}
	return stringify(records, { header: true, columns: ['Reference', 'UPN', 'Surname', 'Forename', 'Date', 'Session', 'Code'], record_delimiter: 'windows' });
}
