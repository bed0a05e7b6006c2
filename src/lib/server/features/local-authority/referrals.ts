/**
 * Referrals from a school to the local authority: the school (attendance lead or head) sends one
 * with its evidence assembled; the LA officer accepts it, asks the school a question, or returns
 * it with a reason, and keeps case notes the school does not see. The school sees the status and
 * the conversation. Every step is audited.
 */
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { generateReference } from '../../../domain/absence';
import { isUuid } from '../../../domain/ids';
import { can, canForSchool } from '../../../domain/permissions';
import { childDisplayName } from '../../../domain/pupils';
import { writeAudit } from '../../platform/audit';
import type { DatabaseHandle } from '../../platform/db/engine';
import { laReferralNotes, laReferrals, pupils, schools, type StaffUser } from '../../platform/db/schema';
import { assembleEvidence, schoolToday, type EvidenceSection } from './evidence';

type Actor = Pick<StaffUser, 'id' | 'role' | 'schoolId' | 'disabledAt'>;

export type ReferralStatus = (typeof laReferrals.$inferSelect)['status'];

/** What stops a referral step (words for staff in src/lib/i18n-la.ts). */
export type ReferralProblem =
	| { code: 'not_permitted' }
	| { code: 'not_found' }
	| { code: 'text_required'; field: 'summary' | 'body' }
	| { code: 'text_too_long'; field: 'summary' | 'body'; max: number }
	| { code: 'already_referred'; reference: string }
	| { code: 'wrong_status'; status: ReferralStatus };

export type ReferralResult<T = object> = ({ ok: true } & T) | { ok: false; problem: ReferralProblem };

const MAX_TEXT = 2000;
const text = (field: 'summary' | 'body') =>
	z
		.string()
		.transform((s) => s.trim())
		.superRefine((s, ctx) => {
			if (s.length === 0) ctx.addIssue({ code: 'custom', message: 'text_required', params: { field } });
			else if (s.length > MAX_TEXT) ctx.addIssue({ code: 'custom', message: 'text_too_long', params: { field } });
		});

function textProblem(value: unknown, field: 'summary' | 'body'): ReferralProblem | string {
	const parsed = text(field).safeParse(typeof value === 'string' ? value : '');
	if (parsed.success) return parsed.data;
	return parsed.error.issues[0]?.message === 'text_too_long' ? { code: 'text_too_long', field, max: MAX_TEXT } : { code: 'text_required', field };
}

const isOpen = (s: ReferralStatus) => s === 'submitted' || s === 'question';
const isActive = (staff: Actor) => !staff.disabledAt;

/** The school sends a referral for one of its pupils. One open referral per pupil at a time. */
export async function sendReferral(
	handle: DatabaseHandle,
	staff: Actor,
	input: { pupilId: string; summary: unknown }
): Promise<ReferralResult<{ id: string; reference: string }>> {
	if (!isActive(staff) || !staff.schoolId) return { ok: false, problem: { code: 'not_permitted' } };
	if (!isUuid(input.pupilId)) return { ok: false, problem: { code: 'not_found' } };
	const [pupil] = await handle.db.select({ id: pupils.id, schoolId: pupils.schoolId }).from(pupils).where(eq(pupils.id, input.pupilId));
	if (!pupil || pupil.schoolId !== staff.schoolId) return { ok: false, problem: { code: 'not_found' } };
	if (!canForSchool(staff, 'la.refer', pupil.schoolId)) return { ok: false, problem: { code: 'not_permitted' } };
	const summary = textProblem(input.summary, 'summary');
	if (typeof summary !== 'string') return { ok: false, problem: summary };

	const [open] = await handle.db
		.select({ reference: laReferrals.reference })
		.from(laReferrals)
		.where(and(eq(laReferrals.pupilId, pupil.id), inArray(laReferrals.status, ['submitted', 'question'])));
	if (open) return { ok: false, problem: { code: 'already_referred', reference: open.reference } };

	const evidence = await assembleEvidence(handle, { schoolId: pupil.schoolId, pupilId: pupil.id, today: await schoolToday(handle, pupil.schoolId) });
	const reference = `R${generateReference(() => randomInt(0, 2 ** 32) / 2 ** 32)}`;
	const id = await handle.db.transaction(async (tx) => {
		const [row] = await tx
			.insert(laReferrals)
			.values({ reference, schoolId: pupil.schoolId, pupilId: pupil.id, summary, evidence, sentBy: staff.id })
			.returning({ id: laReferrals.id });
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff.id,
			action: 'la.referral.sent',
			schoolId: pupil.schoolId,
			subjectType: 'la_referral',
			subjectId: row!.id,
			details: { pupilId: pupil.id, sections: evidence.map((s) => s.kind) }
		});
		return row!.id;
	});
	return { ok: true, id, reference };
}

export interface ReferralNoteView {
	kind: (typeof laReferralNotes.$inferSelect)['kind'];
	body: string;
	visibleToSchool: boolean;
	createdAt: Date;
}

export interface ReferralView {
	id: string;
	reference: string;
	status: ReferralStatus;
	schoolId: string;
	schoolName: string;
	pupilId: string;
	pupilName: string;
	yearGroup: number;
	summary: string;
	evidence: EvidenceSection[];
	sentAt: Date;
	decidedAt: Date | null;
	notes: ReferralNoteView[];
}

async function loadReferral(handle: DatabaseHandle, id: string, withCaseNotes: boolean): Promise<ReferralView | null> {
	if (!isUuid(id)) return null;
	const [row] = await handle.db
		.select({ r: laReferrals, schoolName: schools.name, p: pupils })
		.from(laReferrals)
		.innerJoin(schools, eq(schools.id, laReferrals.schoolId))
		.innerJoin(pupils, eq(pupils.id, laReferrals.pupilId))
		.where(eq(laReferrals.id, id));
	if (!row) return null;
	const notes = await handle.db
		.select()
		.from(laReferralNotes)
		.where(withCaseNotes ? eq(laReferralNotes.referralId, id) : and(eq(laReferralNotes.referralId, id), eq(laReferralNotes.visibleToSchool, true)))
		.orderBy(asc(laReferralNotes.createdAt), asc(laReferralNotes.id));
	return {
		id: row.r.id,
		reference: row.r.reference,
		status: row.r.status,
		schoolId: row.r.schoolId,
		schoolName: row.schoolName,
		pupilId: row.p.id,
		pupilName: childDisplayName(row.p),
		yearGroup: row.p.yearGroup,
		summary: row.r.summary,
		evidence: row.r.evidence as EvidenceSection[],
		sentAt: row.r.sentAt,
		decidedAt: row.r.decidedAt,
		notes: notes.map((n) => ({ kind: n.kind, body: n.body, visibleToSchool: n.visibleToSchool, createdAt: n.createdAt }))
	};
}

export interface ReferralListItem {
	id: string;
	reference: string;
	status: ReferralStatus;
	schoolName: string;
	pupilId: string;
	pupilName: string;
	sentAt: Date;
}

async function listReferrals(handle: DatabaseHandle, schoolId: string | null): Promise<ReferralListItem[]> {
	const rows = await handle.db
		.select({ r: laReferrals, schoolName: schools.name, p: pupils })
		.from(laReferrals)
		.innerJoin(schools, eq(schools.id, laReferrals.schoolId))
		.innerJoin(pupils, eq(pupils.id, laReferrals.pupilId))
		.where(schoolId ? eq(laReferrals.schoolId, schoolId) : undefined)
		.orderBy(desc(laReferrals.sentAt));
	return rows.map((row) => ({
		id: row.r.id,
		reference: row.r.reference,
		status: row.r.status,
		schoolName: row.schoolName,
		pupilId: row.p.id,
		pupilName: childDisplayName(row.p),
		sentAt: row.r.sentAt
	}));
}

/** The school's own referrals (every status). Other schools' never. */
export async function schoolReferrals(handle: DatabaseHandle, staff: Actor): Promise<ReferralListItem[]> {
	if (!isActive(staff) || !staff.schoolId || !can(staff, 'register.handle')) return [];
	return listReferrals(handle, staff.schoolId);
}

/** One of the school's referrals as the school sees it (without the LA's case notes); null for another school's. */
export async function schoolReferral(handle: DatabaseHandle, staff: Actor, id: string): Promise<ReferralView | null> {
	if (!isActive(staff) || !staff.schoolId || !can(staff, 'register.handle')) return null;
	const view = await loadReferral(handle, id, false);
	return view && view.schoolId === staff.schoolId ? view : null;
}

/** Every school's referrals, for the LA officer. */
export async function laReferralList(handle: DatabaseHandle, officer: Actor): Promise<ReferralListItem[]> {
	if (!isActive(officer) || !can(officer, 'la.attendance')) return [];
	return listReferrals(handle, null);
}

/** A referral with its case notes, for the LA officer (the view is audited). */
export async function laReferral(handle: DatabaseHandle, officer: Actor, id: string): Promise<ReferralView | null> {
	if (!isActive(officer) || !can(officer, 'la.attendance')) return null;
	const view = await loadReferral(handle, id, true);
	if (view) {
		await writeAudit(handle.db, {
			actorType: 'staff',
			actorId: officer.id,
			action: 'la.referral.viewed',
			schoolId: view.schoolId,
			subjectType: 'la_referral',
			subjectId: view.id
		});
	}
	return view;
}

export type ReferralAction = 'accept' | 'question' | 'return' | 'case_note';

const ACTION_EFFECT: Record<ReferralAction, { kind: ReferralNoteView['kind']; status: ReferralStatus | null; visible: boolean; bodyRequired: boolean }> = {
	accept: { kind: 'accepted', status: 'accepted', visible: true, bodyRequired: false },
	question: { kind: 'question', status: 'question', visible: true, bodyRequired: true },
	return: { kind: 'returned', status: 'returned', visible: true, bodyRequired: true },
	case_note: { kind: 'case_note', status: null, visible: false, bodyRequired: true }
};

/**
 * The LA officer's step on a referral: accept it (an optional note to the school), ask the school
 * a question, return it with a reason, or add a case note (the LA's own). Accepting, asking and
 * returning need an open referral; a case note can be added at any time.
 */
export async function actOnReferral(
	handle: DatabaseHandle,
	officer: Actor,
	id: string,
	input: { action: ReferralAction; body?: unknown }
): Promise<ReferralResult<{ status: ReferralStatus }>> {
	if (!isActive(officer) || !can(officer, 'la.attendance')) return { ok: false, problem: { code: 'not_permitted' } };
	const effect = ACTION_EFFECT[input.action];
	if (!effect) return { ok: false, problem: { code: 'not_permitted' } };
	if (!isUuid(id)) return { ok: false, problem: { code: 'not_found' } };
	const [row] = await handle.db.select().from(laReferrals).where(eq(laReferrals.id, id));
	if (!row) return { ok: false, problem: { code: 'not_found' } };
	if (effect.status && !isOpen(row.status)) return { ok: false, problem: { code: 'wrong_status', status: row.status } };
	let body = '';
	if (effect.bodyRequired || (typeof input.body === 'string' && input.body.trim())) {
		const checked = textProblem(input.body, 'body');
		if (typeof checked !== 'string') return { ok: false, problem: checked };
		body = checked;
	}
	const status = effect.status ?? row.status;
	await handle.db.transaction(async (tx) => {
		if (effect.status) {
			const decided = effect.status === 'accepted' || effect.status === 'returned';
			await tx
				.update(laReferrals)
				.set({ status, updatedAt: new Date(), ...(decided ? { decidedBy: officer.id, decidedAt: new Date() } : {}) })
				.where(eq(laReferrals.id, id));
		}
		if (body) await tx.insert(laReferralNotes).values({ referralId: id, kind: effect.kind, authorId: officer.id, body, visibleToSchool: effect.visible });
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: officer.id,
			action: `la.referral.${input.action}`,
			schoolId: row.schoolId,
			subjectType: 'la_referral',
			subjectId: id,
			details: { from: row.status, to: status }
		});
	});
	return { ok: true, status };
}

/** The school answers the LA's question; the referral goes back to the LA. */
export async function answerReferralQuestion(
	handle: DatabaseHandle,
	staff: Actor,
	id: string,
	input: { body: unknown }
): Promise<ReferralResult<{ status: ReferralStatus }>> {
	if (!isActive(staff) || !staff.schoolId) return { ok: false, problem: { code: 'not_permitted' } };
	if (!isUuid(id)) return { ok: false, problem: { code: 'not_found' } };
	const [row] = await handle.db.select().from(laReferrals).where(eq(laReferrals.id, id));
	if (!row || row.schoolId !== staff.schoolId) return { ok: false, problem: { code: 'not_found' } };
	if (!canForSchool(staff, 'la.refer', row.schoolId)) return { ok: false, problem: { code: 'not_permitted' } };
	if (row.status !== 'question') return { ok: false, problem: { code: 'wrong_status', status: row.status } };
	const body = textProblem(input.body, 'body');
	if (typeof body !== 'string') return { ok: false, problem: body };
	await handle.db.transaction(async (tx) => {
		await tx.update(laReferrals).set({ status: 'submitted', updatedAt: new Date() }).where(eq(laReferrals.id, id));
		await tx.insert(laReferralNotes).values({ referralId: id, kind: 'answer', authorId: staff.id, body, visibleToSchool: true });
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff.id,
			action: 'la.referral.answered',
			schoolId: row.schoolId,
			subjectType: 'la_referral',
			subjectId: id
		});
	});
	return { ok: true, status: 'submitted' };
}

/** The latest referral for a pupil of the school (for the staff pupil page), or null. */
export async function latestReferralForPupil(handle: DatabaseHandle, staff: Actor, pupilId: string): Promise<ReferralListItem | null> {
	if (!isActive(staff) || !staff.schoolId || !isUuid(pupilId)) return null;
	const list = (await listReferrals(handle, staff.schoolId)).filter((r) => r.pupilId === pupilId);
	return list[0] ?? null;
}
