/**
 * Notices to improve and penalty notices: the school requests one for a parent and a child, the
 * rules (domain/legal-intervention.ts) check it, the LA officer issues or refuses it, and records
 * payment, withdrawal and outcome. The parent is told on their channel, in their language, with
 * support offered, and sees the notice in their account. Every step is audited.
 */
import { randomInt } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { generateReference } from '../../../domain/absence';
import { compareDates, isValidIsoDate, type IsoDate } from '../../../domain/calendar';
import { isUuid } from '../../../domain/ids';
import {
	amountDueOn,
	assessInterventionRequest,
	canMoveIntervention,
	INTERVENTION_KINDS,
	SUPPORT_STATES,
	type InterventionFinding,
	type InterventionKind,
	type InterventionStatus,
	type SupportState
} from '../../../domain/legal-intervention';
import type { Locale } from '../../../domain/locale';
import { can, canForSchool } from '../../../domain/permissions';
import { childDisplayName, childFirstName } from '../../../domain/pupils';
import { formatLongDate } from '../../../i18n';
import { m } from '../../../paraglide/messages';
import { writeAudit } from '../../platform/audit';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { guardians, laInterventions, pupilGuardians, pupils, schools, type LaInterventionRow, type StaffUser } from '../../platform/db/schema';
import { enqueueGuardianMessage, publicOrigin } from '../accounts';
import { pupilRollingWindow, schoolToday } from './evidence';

type Actor = Pick<StaffUser, 'id' | 'role' | 'schoolId' | 'disabledAt'>;

export type InterventionProblem =
	| { code: 'not_permitted' }
	| { code: 'not_found' }
	| { code: 'invalid_input'; field: 'kind' | 'support' | 'guardianId' | 'paidOn' | 'note' | 'outcome' }
	| { code: 'rules'; findings: InterventionFinding[] }
	| { code: 'wrong_status'; status: InterventionStatus }
	| { code: 'payment_period_over'; payBy: IsoDate }
	| { code: 'period_not_over'; endsOn: IsoDate };

export type InterventionResult<T = object> = ({ ok: true } & T) | { ok: false; problem: InterventionProblem };

const fail = (problem: InterventionProblem) => ({ ok: false as const, problem });
const isActive = (s: Actor) => !s.disabledAt;
const MAX_NOTE = 2000;

export interface InterventionRequestInput {
	kind: unknown;
	pupilId: string;
	guardianId: string;
	support: unknown;
	supportDetails?: unknown;
	improvementWeeks?: unknown;
}

/** Penalty notices this parent had for this child, for the "within 3 years" rules. */
async function earlierPenaltyNotices(db: Db, guardianId: string, pupilId: string) {
	const rows = await db
		.select({ issuedOn: laInterventions.issuedOn, status: laInterventions.status })
		.from(laInterventions)
		.where(
			and(
				eq(laInterventions.guardianId, guardianId),
				eq(laInterventions.pupilId, pupilId),
				eq(laInterventions.kind, 'penalty_notice'),
				isNotNull(laInterventions.issuedOn)
			)
		);
	return rows.map((r) => ({ issuedOn: r.issuedOn!, withdrawn: r.status === 'withdrawn' }));
}

/**
 * The school asks for a notice. A request the rules refuse for something the school can put
 * right (threshold, support, the improvement period) is not stored: the school sees why. A
 * third penalty notice within 3 years is stored as refused, saying the LA considers prosecution
 * instead, because that is for the LA to take forward.
 */
export async function requestIntervention(
	handle: DatabaseHandle,
	staff: Actor,
	input: InterventionRequestInput,
	asOf?: IsoDate
): Promise<InterventionResult<{ id: string | null; reference: string | null; status: InterventionStatus; findings: InterventionFinding[] }>> {
	if (!isActive(staff) || !staff.schoolId) return fail({ code: 'not_permitted' });
	if (!INTERVENTION_KINDS.includes(input.kind as InterventionKind)) return fail({ code: 'invalid_input', field: 'kind' });
	if (!SUPPORT_STATES.includes(input.support as SupportState)) return fail({ code: 'invalid_input', field: 'support' });
	if (!isUuid(input.pupilId)) return fail({ code: 'not_found' });
	const [pupil] = await handle.db.select().from(pupils).where(eq(pupils.id, input.pupilId));
	if (!pupil || pupil.schoolId !== staff.schoolId) return fail({ code: 'not_found' });
	if (!canForSchool(staff, 'la.refer', pupil.schoolId)) return fail({ code: 'not_permitted' });
	if (!isUuid(input.guardianId)) return fail({ code: 'invalid_input', field: 'guardianId' });
	const [link] = await handle.db
		.select({ guardianId: pupilGuardians.guardianId })
		.from(pupilGuardians)
		.where(and(eq(pupilGuardians.pupilId, pupil.id), eq(pupilGuardians.guardianId, input.guardianId)));
	if (!link) return fail({ code: 'invalid_input', field: 'guardianId' });

	const kind = input.kind as InterventionKind;
	const support = input.support as SupportState;
	const supportDetails = typeof input.supportDetails === 'string' ? input.supportDetails.trim().slice(0, MAX_NOTE) : '';
	const improvementWeeks = typeof input.improvementWeeks === 'number' ? input.improvementWeeks : typeof input.improvementWeeks === 'string' && input.improvementWeeks.trim() ? Number(input.improvementWeeks) : undefined;
	const today = asOf ?? (await schoolToday(handle, pupil.schoolId));
	const window = await pupilRollingWindow(handle, pupil.schoolId, pupil.id, today);
	const assessment = assessInterventionRequest({
		kind,
		asOf: today,
		window,
		support,
		supportNotAppropriateReason: support === 'not_appropriate' ? supportDetails : undefined,
		earlierPenaltyNotices: await earlierPenaltyNotices(handle.db, link.guardianId, pupil.id),
		improvementWeeks
	});
	const prosecution = !assessment.allowed && assessment.findings.some((f) => f.code === 'third_notice_prosecution_instead');
	const fixable = !assessment.allowed && assessment.findings.some((f) => f.code !== 'third_notice_prosecution_instead');
	if (fixable) return fail({ code: 'rules', findings: assessment.findings });

	const status: InterventionStatus = prosecution ? 'refused' : 'requested';
	const reference = `N${generateReference(() => randomInt(0, 2 ** 32) / 2 ** 32)}`;
	const id = await handle.db.transaction(async (tx) => {
		const [row] = await tx
			.insert(laInterventions)
			.values({
				reference,
				kind,
				schoolId: pupil.schoolId,
				pupilId: pupil.id,
				guardianId: link.guardianId,
				status,
				windowCount: window.count,
				windowStart: window.windowStart,
				windowEnd: window.windowEnd,
				support,
				supportDetails,
				findings: assessment.findings as unknown as Record<string, unknown>[],
				improvementWeeks: kind === 'notice_to_improve' ? (improvementWeeks ?? null) : null,
				requestedBy: staff.id
			})
			.returning({ id: laInterventions.id });
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff.id,
			action: 'la.intervention.requested',
			schoolId: pupil.schoolId,
			subjectType: 'la_intervention',
			subjectId: row!.id,
			details: { kind, status, windowCount: window.count, findings: assessment.findings.map((f) => f.code) }
		});
		return row!.id;
	});
	return { ok: true, id, reference, status, findings: assessment.findings };
}

export interface InterventionView {
	id: string;
	reference: string;
	kind: InterventionKind;
	status: InterventionStatus;
	schoolId: string;
	schoolName: string;
	pupilId: string;
	pupilName: string;
	/** The name the family uses (preferred first name). */
	pupilFirstName: string;
	guardianId: string;
	guardianName: string;
	windowCount: number;
	windowStart: IsoDate;
	windowEnd: IsoDate;
	support: SupportState;
	supportDetails: string;
	findings: InterventionFinding[];
	improvementWeeks: number | null;
	improvementEndsOn: IsoDate | null;
	noticeNumber: number | null;
	reducedAmount: number | null;
	reducedBy: IsoDate | null;
	fullAmount: number | null;
	payBy: IsoDate | null;
	issuedOn: IsoDate | null;
	paidOn: IsoDate | null;
	amountPaid: number | null;
	decisionNote: string | null;
	requestedAt: Date;
}

const selection = {
	i: laInterventions,
	schoolName: schools.name,
	p: { firstName: pupils.firstName, lastName: pupils.lastName, preferredName: pupils.preferredName },
	g: { firstName: guardians.firstName, lastName: guardians.lastName }
};

function toView(row: { i: LaInterventionRow; schoolName: string; p: { firstName: string; lastName: string; preferredName: string | null }; g: { firstName: string; lastName: string } }): InterventionView {
	const i = row.i;
	return {
		id: i.id,
		reference: i.reference,
		kind: i.kind,
		status: i.status,
		schoolId: i.schoolId,
		schoolName: row.schoolName,
		pupilId: i.pupilId,
		pupilName: childDisplayName(row.p),
		pupilFirstName: childFirstName(row.p),
		guardianId: i.guardianId,
		guardianName: `${row.g.firstName} ${row.g.lastName}`,
		windowCount: i.windowCount,
		windowStart: i.windowStart,
		windowEnd: i.windowEnd,
		support: i.support,
		supportDetails: i.supportDetails,
		findings: i.findings as unknown as InterventionFinding[],
		improvementWeeks: i.improvementWeeks,
		improvementEndsOn: i.improvementEndsOn,
		noticeNumber: i.noticeNumber,
		reducedAmount: i.reducedAmount,
		reducedBy: i.reducedBy,
		fullAmount: i.fullAmount,
		payBy: i.payBy,
		issuedOn: i.issuedOn,
		paidOn: i.paidOn,
		amountPaid: i.amountPaid,
		decisionNote: i.decisionNote,
		requestedAt: i.requestedAt
	};
}

async function selectInterventions(db: Db, where: ReturnType<typeof eq> | undefined) {
	const rows = await db
		.select(selection)
		.from(laInterventions)
		.innerJoin(schools, eq(schools.id, laInterventions.schoolId))
		.innerJoin(pupils, eq(pupils.id, laInterventions.pupilId))
		.innerJoin(guardians, eq(guardians.id, laInterventions.guardianId))
		.where(where)
		.orderBy(desc(laInterventions.requestedAt));
	return rows.map(toView);
}

/** Every school's requests and notices, for the LA officer. */
export async function laInterventionList(handle: DatabaseHandle, officer: Actor): Promise<InterventionView[]> {
	if (!isActive(officer) || !can(officer, 'la.attendance')) return [];
	return selectInterventions(handle.db, undefined);
}

/** One request or notice, for the LA officer. */
export async function laIntervention(handle: DatabaseHandle, officer: Actor, id: string): Promise<InterventionView | null> {
	if (!isActive(officer) || !can(officer, 'la.attendance') || !isUuid(id)) return null;
	const [view] = await selectInterventions(handle.db, eq(laInterventions.id, id));
	return view ?? null;
}

/** The school's own requests and notices. */
export async function schoolInterventions(handle: DatabaseHandle, staff: Actor): Promise<InterventionView[]> {
	if (!isActive(staff) || !staff.schoolId || !can(staff, 'register.handle')) return [];
	return selectInterventions(handle.db, eq(laInterventions.schoolId, staff.schoolId));
}

/** A parent's own notices (issued ones only: a request is between the school and the LA). */
export async function guardianNotices(handle: DatabaseHandle, guardianId: string): Promise<InterventionView[]> {
	if (!isUuid(guardianId)) return [];
	const rows = await selectInterventions(handle.db, eq(laInterventions.guardianId, guardianId));
	return rows.filter((r) => !['requested', 'refused'].includes(r.status));
}

/** A parent's own notice by reference, or null (someone else's is "not found"). */
export async function guardianNotice(handle: DatabaseHandle, guardianId: string, reference: string): Promise<InterventionView | null> {
	return (await guardianNotices(handle, guardianId)).find((n) => n.reference === reference) ?? null;
}

export type InterventionDecision =
	| { action: 'issue'; note?: unknown }
	| { action: 'refuse'; note: unknown }
	| { action: 'paid'; paidOn: unknown }
	| { action: 'unpaid' }
	| { action: 'withdraw'; note: unknown }
	| { action: 'outcome'; outcome: unknown; note?: unknown };

function noteOf(value: unknown, required: boolean): string | null | false {
	const s = typeof value === 'string' ? value.trim() : '';
	if (!s) return required ? false : null;
	return s.length > MAX_NOTE ? false : s;
}

/**
 * The LA officer's step on a request or notice. Issuing re-checks the rules on the day of issue
 * (the amounts and dates run from that day) and tells the parent; withdrawing tells the parent too.
 */
export async function decideIntervention(
	handle: DatabaseHandle,
	officer: Actor,
	id: string,
	decision: InterventionDecision,
	today?: IsoDate
): Promise<InterventionResult<{ status: InterventionStatus }>> {
	if (!isActive(officer) || !can(officer, 'la.attendance')) return fail({ code: 'not_permitted' });
	if (!isUuid(id)) return fail({ code: 'not_found' });
	const [row] = await handle.db.select().from(laInterventions).where(eq(laInterventions.id, id));
	if (!row) return fail({ code: 'not_found' });
	const day = today ?? (await schoolToday(handle, row.schoolId));
	const move = (to: InterventionStatus) => canMoveIntervention(row.kind, row.status, to);

	let to: InterventionStatus;
	let set: Partial<typeof laInterventions.$inferInsert> = {};
	let message: 'issued' | 'withdrawn' | null = null;
	switch (decision.action) {
		case 'issue': {
			if (!move('issued')) return fail({ code: 'wrong_status', status: row.status });
			const note = noteOf(decision.note, false);
			if (note === false) return fail({ code: 'invalid_input', field: 'note' });
			const assessment = assessInterventionRequest({
				kind: row.kind,
				asOf: day,
				window: { count: row.windowCount, windowStart: row.windowStart, windowEnd: row.windowEnd },
				support: row.support,
				supportNotAppropriateReason: row.supportDetails,
				earlierPenaltyNotices: (await earlierPenaltyNotices(handle.db, row.guardianId, row.pupilId)).filter((n) => n.issuedOn),
				improvementWeeks: row.improvementWeeks ?? undefined
			});
			if (!assessment.allowed) return fail({ code: 'rules', findings: assessment.findings });
			to = 'issued';
			set =
				assessment.kind === 'penalty_notice'
					? { issuedOn: day, noticeNumber: assessment.terms.noticeNumber, reducedAmount: assessment.terms.reducedAmount, reducedBy: assessment.terms.reducedBy, fullAmount: assessment.terms.fullAmount, payBy: assessment.terms.payBy, decisionNote: note }
					: { issuedOn: day, improvementWeeks: assessment.terms.improvementWeeks, improvementEndsOn: assessment.terms.improvementEndsOn, decisionNote: note };
			message = 'issued';
			break;
		}
		case 'refuse': {
			if (!move('refused')) return fail({ code: 'wrong_status', status: row.status });
			const note = noteOf(decision.note, true);
			if (!note) return fail({ code: 'invalid_input', field: 'note' });
			to = 'refused';
			set = { decisionNote: note };
			break;
		}
		case 'paid': {
			if (!move('paid')) return fail({ code: 'wrong_status', status: row.status });
			const paidOn = typeof decision.paidOn === 'string' ? decision.paidOn : '';
			if (!isValidIsoDate(paidOn) || compareDates(paidOn, day) > 0) return fail({ code: 'invalid_input', field: 'paidOn' });
			const amount = amountDueOn(row.issuedOn!, (row.noticeNumber ?? 1) as 1 | 2, paidOn);
			if (amount === null) return fail({ code: 'payment_period_over', payBy: row.payBy! });
			to = 'paid';
			set = { paidOn, amountPaid: amount };
			break;
		}
		case 'unpaid': {
			if (!move('unpaid')) return fail({ code: 'wrong_status', status: row.status });
			if (compareDates(day, row.payBy!) <= 0) return fail({ code: 'period_not_over', endsOn: row.payBy! });
			to = 'unpaid';
			break;
		}
		case 'withdraw': {
			if (!move('withdrawn')) return fail({ code: 'wrong_status', status: row.status });
			const note = noteOf(decision.note, true);
			if (!note) return fail({ code: 'invalid_input', field: 'note' });
			to = 'withdrawn';
			set = { decisionNote: note };
			message = 'withdrawn';
			break;
		}
		case 'outcome': {
			const outcome = decision.outcome;
			if (outcome !== 'improved' && outcome !== 'not_improved') return fail({ code: 'invalid_input', field: 'outcome' });
			if (!move(outcome)) return fail({ code: 'wrong_status', status: row.status });
			if (compareDates(day, row.improvementEndsOn!) < 0) return fail({ code: 'period_not_over', endsOn: row.improvementEndsOn! });
			const note = noteOf(decision.note, false);
			if (note === false) return fail({ code: 'invalid_input', field: 'note' });
			to = outcome;
			set = { decisionNote: note ?? row.decisionNote };
			break;
		}
		default:
			return fail({ code: 'not_permitted' });
	}

	await handle.db.transaction(async (tx) => {
		const now = new Date();
		await tx
			.update(laInterventions)
			.set({ ...set, status: to, updatedAt: now, ...(row.status === 'requested' ? { decidedBy: officer.id, decidedAt: now } : {}) })
			.where(eq(laInterventions.id, id));
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: officer.id,
			action: `la.intervention.${decision.action}`,
			schoolId: row.schoolId,
			subjectType: 'la_intervention',
			subjectId: id,
			details: { kind: row.kind, from: row.status, to, ...(set.amountPaid !== undefined ? { amountPaid: set.amountPaid } : {}) }
		});
		if (message) await tellParent(tx, { ...row, ...set, status: to } as LaInterventionRow, message);
	});
	return { ok: true, status: to };
}

/** The parent's message: what happened, the dates and amounts, where to see it, and support first. */
async function tellParent(tx: Db, notice: LaInterventionRow, what: 'issued' | 'withdrawn'): Promise<void> {
	const [pupil] = await tx.select().from(pupils).where(eq(pupils.id, notice.pupilId));
	const [school] = await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, notice.schoolId));
	if (!pupil || !school) return;
	const link = `${publicOrigin()}/account/notices/${notice.reference}`;
	const body = (locale: Locale): string => {
		const o = { locale };
		const base = { name: childFirstName(pupil), reference: notice.reference, school: school.name, link };
		if (what === 'withdrawn') return m.la_notice_withdrawn_message(base, o);
		if (notice.kind === 'notice_to_improve') {
			return m.la_notice_to_improve_message({ ...base, weeks: String(notice.improvementWeeks), until: formatLongDate(notice.improvementEndsOn!, locale) }, o);
		}
		if (notice.reducedAmount !== null && notice.reducedBy) {
			return m.la_penalty_notice_first_message(
				{ ...base, reduced: `£${notice.reducedAmount}`, reducedBy: formatLongDate(notice.reducedBy, locale), full: `£${notice.fullAmount}`, payBy: formatLongDate(notice.payBy!, locale) },
				o
			);
		}
		return m.la_penalty_notice_second_message({ ...base, full: `£${notice.fullAmount}`, payBy: formatLongDate(notice.payBy!, locale) }, o);
	};
	await enqueueGuardianMessage(tx, {
		guardianId: notice.guardianId,
		schoolId: notice.schoolId,
		purpose: what === 'issued' ? `la_${notice.kind}_issued` : `la_${notice.kind}_withdrawn`,
		body,
		idempotencyKey: `la-intervention:${notice.id}:${what}`
	});
}

/** Pupils the LA officer may see by name through a request or notice. */
export async function pupilsWithInterventions(db: Db, pupilIds: readonly string[]): Promise<Set<string>> {
	if (pupilIds.length === 0) return new Set();
	const rows = await db.select({ pupilId: laInterventions.pupilId }).from(laInterventions).where(inArray(laInterventions.pupilId, [...pupilIds]));
	return new Set(rows.map((r) => r.pupilId));
}

/** The parents a notice for this pupil could be for (the school's own pupil only), with the child's name. */
export async function noticeRequestContext(
	handle: DatabaseHandle,
	staff: Actor,
	pupilId: string
): Promise<{ pupilName: string; parents: { id: string; name: string; relationship: string }[] } | null> {
	if (!isActive(staff) || !staff.schoolId || !isUuid(pupilId) || !canForSchool(staff, 'la.refer', staff.schoolId)) return null;
	const [pupil] = await handle.db.select().from(pupils).where(eq(pupils.id, pupilId));
	if (!pupil || pupil.schoolId !== staff.schoolId) return null;
	const rows = await handle.db
		.select({ id: guardians.id, firstName: guardians.firstName, lastName: guardians.lastName, relationship: pupilGuardians.relationship })
		.from(pupilGuardians)
		.innerJoin(guardians, eq(guardians.id, pupilGuardians.guardianId))
		.where(eq(pupilGuardians.pupilId, pupilId))
		.orderBy(pupilGuardians.contactPriority);
	return { pupilName: childDisplayName(pupil), parents: rows.map((r) => ({ id: r.id, name: `${r.firstName} ${r.lastName}`, relationship: r.relationship })) };
}
