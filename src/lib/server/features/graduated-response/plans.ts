/**
 * Plans of support (Assess, Plan, Do, Review): staff of the pupil's school write the barriers
 * (the fixed list and their own words), the child's view, actions for the school, the family and
 * other services (picked from the school's support directory) and a review date. The family is
 * told by a short message with the link to the plan in their account, where a parent marks their
 * own actions done and leaves comments (each kept, oldest first). Staff are reminded of the review once (a conditional
 * update on review_reminder_at, so two instances sweeping at once remind once). The review
 * records its outcome once (a conditional update on the status): improved sends the celebration
 * letter and takes the pupil back to monitoring; not improved takes the next step of the
 * school's ladder, which may be the referral to the local authority.
 */
import { and, asc, desc, eq, inArray, isNull, lte } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BARRIERS } from '../../../domain/signposting';
import { OWNER_LABELS, STEP_LABELS, isLetterStep, type Step } from '../../../domain/graduated-response';
import { PLAN_ACTORS, REVIEW_OUTCOMES, type PlanActor, reminderHorizon, reviewReminderDue, reviewStep, stageWithPlan, suggestedOutcome, type ReviewOutcome } from '../../../domain/support-plans';
import { academicYearOf, localDateOf, schoolOpenOn } from '../../../domain/calendar';
import { childFirstName, childDisplayName } from '../../../domain/pupils';
import { can } from '../../../domain/permissions';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { graduatedActions, graduatedPlanComments, graduatedPlans, pupilGuardians, pupils, schools, staffUsers, type PlanAction } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { enqueueMessage } from '../../platform/outbox';
import { enqueueGuardianMessage, publicOrigin } from '../accounts';
import { findServices, type SupportService } from '../support';
import { m } from '../../../paraglide/messages';
import { schoolGraduatedPolicy } from './policy';
import { setStage, stagesOf, tallies } from './monitoring';
import { sendStepLetters, supportForPupil } from './letters';

export type Plan = typeof graduatedPlans.$inferSelect;
type Staff = { id: string; role: string; schoolId: string | null };

const withoutNul = (max: number) =>
	z
		.string()
		.transform((t) => t.replaceAll('\u0000', '').trim())
		.pipe(z.string().max(max));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));

export const planActionSchema = z.object({
	/** Kept across edits, so a parent's "done" stays with its action. */
	id: z.string().max(64).optional(),
	who: z.enum(PLAN_ACTORS),
	text: withoutNul(400),
	service: withoutNul(200).optional()
});

export const planInputSchema = z.object({
	barriers: z.array(z.enum(BARRIERS)).max(BARRIERS.length).default([]),
	/** Barriers in the school's own words, one a line. */
	otherBarriers: withoutNul(600).default(''),
	childView: withoutNul(1000).default(''),
	actions: z.array(planActionSchema).max(20).default([]),
	reviewOn: z.string().max(10)
});
export type PlanInput = z.input<typeof planInputSchema>;

export type PlanField = 'barriers' | 'childView' | 'actions' | 'reviewOn' | `action-${number}`;
export type PlanProblem = { field: PlanField; code: 'no_barrier' | 'no_action' | 'action_text' | 'service_missing' | 'service_unknown' | 'review_date' | 'review_past' | 'review_far' | 'review_closed' | 'invalid' };

/** The staff wording of each problem (staff pages are in English). */
export const PLAN_PROBLEM_TEXT: Readonly<Record<PlanProblem['code'], string>> = {
	no_barrier: 'Choose at least one barrier, or describe one in your own words',
	no_action: 'Add at least one action',
	action_text: 'Say what will be done',
	service_missing: 'Choose the service from the directory',
	service_unknown: 'Choose a service from the directory',
	review_date: 'Enter the review date as a real date',
	review_past: 'The review date must be after today',
	review_far: 'The review date must be within 6 months',
	review_closed: 'The review date is not a school day (a holiday, a training day or a weekend): choose a day the school is open',
	invalid: 'Check the plan and try again'
};

export type PlanResult = { ok: true; id: string } | { ok: false; problems: PlanProblem[] } | { ok: false; forbidden: true } | { ok: false; notFound: true } | { ok: false; activePlan: string };

function addIsoDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

async function schoolToday(db: Db, schoolId: string, now: Date): Promise<string> {
	const [school] = await db.select({ timeZone: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	return localDateOf(now, school?.timeZone ?? 'Europe/London');
}

/**
 * The school's directory services a plan may name: all of them, professionals' services
 * included (a service action may be the school's referral to one); the family's page links
 * only to what has a link or contact.
 */
async function directoryServices(handle: DatabaseHandle, schoolId: string): Promise<SupportService[]> {
	const [school] = await handle.db.select({ directory: schools.supportDirectory }).from(schools).where(eq(schools.id, schoolId));
	return findServices(handle, { directory: school?.directory ?? undefined });
}

/** The services staff pick from, by category, for the plan form. */
export async function planServiceChoices(handle: DatabaseHandle, schoolId: string): Promise<{ name: string; category: string }[]> {
	return (await directoryServices(handle, schoolId)).map((s) => ({ name: s.name, category: s.category }));
}

/** Checks an input against the rules; returns the plan's parts or the problems. */
async function validate(handle: DatabaseHandle, schoolId: string, input: PlanInput, today: string, previous: readonly PlanAction[] = []) {
	const parsed = planInputSchema.safeParse(input);
	if (!parsed.success) return { problems: [{ field: 'actions', code: 'invalid' }] as PlanProblem[] };
	const v = parsed.data;
	const problems: PlanProblem[] = [];
	const other = v.otherBarriers
		.split(/\r?\n/)
		.map((b) => b.trim().slice(0, 200))
		.filter(Boolean)
		.slice(0, 5);
	const barriers = [...new Set([...v.barriers, ...other])];
	if (barriers.length === 0) problems.push({ field: 'barriers', code: 'no_barrier' });
	const services = new Map((await directoryServices(handle, schoolId)).map((s) => [s.name, s]));
	const kept = new Map(previous.map((a) => [a.id, a]));
	const actions: PlanAction[] = [];
	v.actions.forEach((a, i) => {
		const field = `action-${i}` as const;
		if (!a.text && !a.service) return; // an empty row of the form
		if (!a.text) problems.push({ field, code: 'action_text' });
		if (a.who === 'service' && !a.service) problems.push({ field, code: 'service_missing' });
		else if (a.service && !services.has(a.service)) problems.push({ field, code: 'service_unknown' });
		const before = a.id ? kept.get(a.id) : undefined;
		// A changed actor or wording is a new action: a "done" belongs to what the parent ticked.
		const same = before && before.who === a.who && before.text === a.text;
		actions.push({ id: same ? before.id : randomUUID(), who: a.who, text: a.text, service: a.service || null, doneAt: same ? (before.doneAt ?? null) : null });
	});
	if (actions.length === 0) problems.push({ field: 'actions', code: 'no_action' });
	if (!isoDate.safeParse(v.reviewOn).success) problems.push({ field: 'reviewOn', code: 'review_date' });
	else if (v.reviewOn <= today) problems.push({ field: 'reviewOn', code: 'review_past' });
	else if (v.reviewOn > addIsoDays(today, 183)) problems.push({ field: 'reviewOn', code: 'review_far' });
	else if (!schoolOpenOn(await loadSchoolCalendar(handle.db, schoolId), v.reviewOn)) problems.push({ field: 'reviewOn', code: 'review_closed' });
	if (problems.length) return { problems };
	return { plan: { barriers, childView: v.childView, actions, reviewOn: v.reviewOn } };
}

async function pupilOfSchool(db: Db, staff: Staff, pupilId: string) {
	if (!staff.schoolId || !/^[0-9a-f-]{36}$/i.test(pupilId)) return null;
	const [pupil] = await db
		.select()
		.from(pupils)
		.where(and(eq(pupils.id, pupilId), eq(pupils.schoolId, staff.schoolId)));
	return pupil ?? null;
}

/**
 * Starts a plan for a pupil of the member of staff's school. One active plan at a time: a
 * second one is refused with the first one's id (the pupil row is locked, so two members of
 * staff starting one at once make one). A pupil not yet at the plan's step is moved to it.
 */
export async function createPlan(handle: DatabaseHandle, staff: Staff, pupilId: string, input: PlanInput, opts: { now?: Date; origin?: string } = {}): Promise<PlanResult> {
	if (!can(staff, 'graduated.manage') || !staff.schoolId) return { ok: false, forbidden: true };
	const schoolId = staff.schoolId;
	const pupil = await pupilOfSchool(handle.db, staff, pupilId);
	if (!pupil) return { ok: false, notFound: true };
	const now = opts.now ?? new Date();
	const today = await schoolToday(handle.db, schoolId, now);
	const checked = await validate(handle, schoolId, input, today);
	if (!checked.plan) return { ok: false, problems: checked.problems };
	const { policy } = await schoolGraduatedPolicy(handle.db, schoolId);
	const origin = opts.origin ?? publicOrigin();
	return handle.db.transaction(async (tx): Promise<PlanResult> => {
		await tx.select({ id: pupils.id }).from(pupils).where(eq(pupils.id, pupil.id)).for('update');
		const [active] = await tx
			.select({ id: graduatedPlans.id })
			.from(graduatedPlans)
			.where(and(eq(graduatedPlans.pupilId, pupil.id), eq(graduatedPlans.status, 'active')));
		if (active) return { ok: false, activePlan: active.id };
		const [plan] = await tx
			.insert(graduatedPlans)
			.values({ schoolId, pupilId: pupil.id, ...checked.plan, createdBy: staff.id, createdAt: now })
			.returning({ id: graduatedPlans.id });
		const id = plan!.id;
		const stage = (await stagesOf(tx, [pupil.id])).get(pupil.id) ?? { attendance: null, lateness: null };
		const withPlan = stageWithPlan(policy, stage);
		if (withPlan.attendance !== stage.attendance) {
			// The step is on the record like one taken at a monitoring point.
			await tx.insert(graduatedActions).values({
				schoolId,
				pupilId: pupil.id,
				step: 'support_plan',
				pointKey: `plan:${id}`,
				pointLabel: `Plan of support started ${today}`,
				status: 'taken',
				owner: policy.ladderOwners.support_plan ?? 'attendance_lead',
				figures: {},
				reason: { code: 'plan', plan: id },
				takenBy: staff.id
			});
			await setStage(tx, schoolId, pupil.id, withPlan);
		}
		const told = await tellFamily(tx, { schoolId, pupil, planId: id, origin });
		await writeAudit(tx, { actorType: 'staff', actorId: staff.id, action: 'graduated.plan_created', schoolId, subjectType: 'pupil', subjectId: pupil.id, details: { plan: id, actions: checked.plan.actions.length, reviewOn: checked.plan.reviewOn, familyMessages: told } });
		return { ok: true, id };
	});
}

/** A short message with the link to the plan to each parent with parental responsibility, in their language. */
async function tellFamily(tx: Db, input: { schoolId: string; pupil: typeof pupils.$inferSelect; planId: string; origin: string }): Promise<number> {
	const [school] = await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, input.schoolId));
	const parents = await tx
		.select({ guardianId: pupilGuardians.guardianId })
		.from(pupilGuardians)
		.where(and(eq(pupilGuardians.pupilId, input.pupil.id), eq(pupilGuardians.parentalResponsibility, true)));
	const link = `${input.origin}/children/${input.pupil.id}/plan`;
	let sent = 0;
	for (const p of parents) {
		const route = await enqueueGuardianMessage(tx, {
			guardianId: p.guardianId,
			schoolId: input.schoolId,
			purpose: 'graduated_plan',
			body: (l) => m.graduated_sms_plan({ school: school?.name ?? '', name: childFirstName(input.pupil), link }, { locale: l }),
			idempotencyKey: `graduated:plan:${input.planId}:${p.guardianId}`
		});
		if (route) sent++;
	}
	return sent;
}

/** Edits an active plan of the member of staff's school; parents' "done" marks stay with unchanged actions. */
export async function updatePlan(handle: DatabaseHandle, staff: Staff, planId: string, input: PlanInput, opts: { now?: Date } = {}): Promise<PlanResult> {
	if (!can(staff, 'graduated.manage') || !staff.schoolId) return { ok: false, forbidden: true };
	const schoolId = staff.schoolId;
	const current = await planForSchool(handle.db, schoolId, planId);
	if (!current || current.status !== 'active') return { ok: false, notFound: true };
	const today = await schoolToday(handle.db, schoolId, opts.now ?? new Date());
	const checked = await validate(handle, schoolId, input, today, current.actions);
	if (!checked.plan) return { ok: false, problems: checked.problems };
	return handle.db.transaction(async (tx): Promise<PlanResult> => {
		const [locked] = await tx.select().from(graduatedPlans).where(eq(graduatedPlans.id, planId)).for('update');
		if (!locked || locked.status !== 'active') return { ok: false, notFound: true };
		// A parent may have ticked an action since the form was loaded: keep the latest marks.
		const latest = new Map(locked.actions.map((a) => [a.id, a.doneAt ?? null]));
		const actions = checked.plan.actions.map((a) => (latest.has(a.id) ? { ...a, doneAt: latest.get(a.id) ?? null } : a));
		const reviewMoved = locked.reviewOn !== checked.plan.reviewOn;
		await tx
			.update(graduatedPlans)
			.set({ ...checked.plan, actions, ...(reviewMoved ? { reviewReminderAt: null } : {}) })
			.where(eq(graduatedPlans.id, planId));
		await writeAudit(tx, { actorType: 'staff', actorId: staff.id, action: 'graduated.plan_updated', schoolId, subjectType: 'pupil', subjectId: locked.pupilId, details: { plan: planId, actions: actions.length, reviewOn: checked.plan.reviewOn } });
		return { ok: true, id: planId };
	});
}

/** A plan of the school's (null for another school's: the page answers "not found"). */
export async function planForSchool(db: Db, schoolId: string, planId: string): Promise<Plan | null> {
	if (!/^[0-9a-f-]{36}$/i.test(planId)) return null;
	const [row] = await db
		.select()
		.from(graduatedPlans)
		.where(and(eq(graduatedPlans.id, planId), eq(graduatedPlans.schoolId, schoolId)));
	return row ?? null;
}

/** The pupil's plans, newest first. */
export async function plansForPupil(db: Db, pupilId: string): Promise<Plan[]> {
	return db.select().from(graduatedPlans).where(eq(graduatedPlans.pupilId, pupilId)).orderBy(desc(graduatedPlans.createdAt));
}

// ---------------------------------------------------------------------------------------------
// The family's side

async function guardianOf(db: Db, guardianId: string, pupilId: string): Promise<boolean> {
	if (!/^[0-9a-f-]{36}$/i.test(guardianId)) return false;
	const [link] = await db
		.select({ id: pupilGuardians.guardianId })
		.from(pupilGuardians)
		.where(and(eq(pupilGuardians.guardianId, guardianId), eq(pupilGuardians.pupilId, pupilId)));
	return Boolean(link);
}

/** The latest plan about a child, for a parent linked to that child (null for anyone else). */
export async function planForGuardian(db: Db, guardianId: string, pupilId: string): Promise<Plan | null> {
	if (!/^[0-9a-f-]{36}$/i.test(pupilId) || !(await guardianOf(db, guardianId, pupilId))) return null;
	const [row] = await db.select().from(graduatedPlans).where(eq(graduatedPlans.pupilId, pupilId)).orderBy(desc(graduatedPlans.createdAt)).limit(1);
	return row ?? null;
}

export type FamilyResult = { ok: true } | { ok: false; code: 'not_found' | 'not_family_action' | 'closed' | 'invalid' };

/**
 * A parent of the plan's pupil marks one of the family's actions done (or not done yet). Only
 * family actions, only while the plan is active; the plan row is locked so a staff edit and the
 * parent's tick do not overwrite each other.
 */
export async function markFamilyActionDone(db: Db, guardianId: string, planId: string, actionId: string, done = true, now: Date = new Date()): Promise<FamilyResult> {
	if (!/^[0-9a-f-]{36}$/i.test(planId)) return { ok: false, code: 'not_found' };
	return db.transaction(async (tx): Promise<FamilyResult> => {
		const [plan] = await tx.select().from(graduatedPlans).where(eq(graduatedPlans.id, planId)).for('update');
		if (!plan || !(await guardianOf(tx, guardianId, plan.pupilId))) return { ok: false, code: 'not_found' };
		const action = plan.actions.find((a) => a.id === actionId);
		if (!action) return { ok: false, code: 'not_found' };
		if (action.who !== 'family') return { ok: false, code: 'not_family_action' };
		if (plan.status !== 'active') return { ok: false, code: 'closed' };
		const actions = plan.actions.map((a) => (a.id === actionId ? { ...a, doneAt: done ? (a.doneAt ?? now.toISOString()) : null } : a));
		await tx.update(graduatedPlans).set({ actions }).where(eq(graduatedPlans.id, planId));
		await writeAudit(tx, { actorType: 'guardian', actorId: guardianId, action: done ? 'graduated.plan_action_done' : 'graduated.plan_action_undone', schoolId: plan.schoolId, subjectType: 'plan', subjectId: planId, details: { action: actionId }, at: now });
		return { ok: true };
	});
}

export const parentCommentSchema = withoutNul(1000).pipe(z.string().min(1));

/** A parent of the plan's pupil adds a comment for the school; earlier ones stay as they were. */
export async function addParentComment(db: Db, guardianId: string, planId: string, text: string, now: Date = new Date()): Promise<FamilyResult> {
	const parsed = parentCommentSchema.safeParse(text);
	if (!parsed.success) return { ok: false, code: 'invalid' };
	if (!/^[0-9a-f-]{36}$/i.test(planId)) return { ok: false, code: 'not_found' };
	const [plan] = await db.select({ pupilId: graduatedPlans.pupilId, schoolId: graduatedPlans.schoolId, status: graduatedPlans.status }).from(graduatedPlans).where(eq(graduatedPlans.id, planId));
	if (!plan || !(await guardianOf(db, guardianId, plan.pupilId))) return { ok: false, code: 'not_found' };
	if (plan.status !== 'active') return { ok: false, code: 'closed' };
	await db.transaction(async (tx) => {
		const [comment] = await tx.insert(graduatedPlanComments).values({ planId, guardianId, text: parsed.data, createdAt: now }).returning({ id: graduatedPlanComments.id });
		await writeAudit(tx, { actorType: 'guardian', actorId: guardianId, action: 'graduated.plan_comment', schoolId: plan.schoolId, subjectType: 'plan', subjectId: planId, details: { comment: comment!.id, length: parsed.data.length }, at: now });
	});
	return { ok: true };
}

export interface PlanComment {
	at: Date;
	text: string;
}

/** The family's comments on each of these plans, oldest first (a plan with none is absent). */
export async function planComments(db: Db, planIds: string[]): Promise<Map<string, PlanComment[]>> {
	const byPlan = new Map<string, PlanComment[]>();
	if (planIds.length === 0) return byPlan;
	const rows = await db
		.select({ planId: graduatedPlanComments.planId, at: graduatedPlanComments.createdAt, text: graduatedPlanComments.text })
		.from(graduatedPlanComments)
		.where(inArray(graduatedPlanComments.planId, planIds))
		.orderBy(asc(graduatedPlanComments.createdAt), asc(graduatedPlanComments.id));
	for (const r of rows) byPlan.set(r.planId, [...(byPlan.get(r.planId) ?? []), { at: r.at, text: r.text }]);
	return byPlan;
}

/** The directory entries the plan names, for links and tap-to-call on the family's page. */
export async function planServices(handle: DatabaseHandle, plan: Pick<Plan, 'schoolId' | 'actions'>): Promise<Map<string, SupportService>> {
	const names = new Set(plan.actions.map((a) => a.service).filter((s): s is string => Boolean(s)));
	if (names.size === 0) return new Map();
	const all = await directoryServices(handle, plan.schoolId);
	return new Map(all.filter((s) => names.has(s.name)).map((s) => [s.name, s]));
}

// ---------------------------------------------------------------------------------------------
// Review reminders

/**
 * Reminds staff of plan reviews that are due (from REVIEW_REMINDER_DAYS before the date): each
 * plan once, by a conditional update on review_reminder_at in the transaction that queues the
 * email to the member of staff who wrote the plan and writes the audit row. Two instances
 * sweeping at the same moment: only one update finds the column still empty. The plan is then
 * on the "reviews due" list of the graduated page.
 */
export async function sweepReviewReminders(handle: DatabaseHandle, now: Date = new Date(), opts: { origin?: string } = {}): Promise<number> {
	// A day's margin either side of UTC; each school's own date decides below.
	const horizon = reminderHorizon(addIsoDays(now.toISOString().slice(0, 10), 1));
	const candidates = await handle.db
		.select({ id: graduatedPlans.id, schoolId: graduatedPlans.schoolId, pupilId: graduatedPlans.pupilId, reviewOn: graduatedPlans.reviewOn, status: graduatedPlans.status, reviewReminderAt: graduatedPlans.reviewReminderAt, createdBy: graduatedPlans.createdBy, timeZone: schools.timeZone })
		.from(graduatedPlans)
		.innerJoin(schools, eq(schools.id, graduatedPlans.schoolId))
		.where(and(eq(graduatedPlans.status, 'active'), isNull(graduatedPlans.reviewReminderAt), lte(graduatedPlans.reviewOn, horizon)));
	const origin = opts.origin ?? publicOrigin();
	let reminded = 0;
	for (const c of candidates) {
		if (!reviewReminderDue(c, localDateOf(now, c.timeZone))) continue;
		const sent = await handle.db.transaction(async (tx) => {
			const [claimed] = await tx
				.update(graduatedPlans)
				.set({ reviewReminderAt: now })
				.where(and(eq(graduatedPlans.id, c.id), isNull(graduatedPlans.reviewReminderAt), eq(graduatedPlans.status, 'active')))
				.returning({ id: graduatedPlans.id });
			if (!claimed) return false;
			const [pupil] = await tx.select().from(pupils).where(eq(pupils.id, c.pupilId));
			const [author] = c.createdBy ? await tx.select({ email: staffUsers.email, disabledAt: staffUsers.disabledAt, schoolId: staffUsers.schoolId }).from(staffUsers).where(eq(staffUsers.id, c.createdBy)) : [];
			if (author && !author.disabledAt && author.schoolId === c.schoolId && pupil) {
				await enqueueMessage(tx, {
					channel: 'email',
					recipient: author.email,
					schoolId: c.schoolId,
					purpose: 'graduated_review_reminder',
					subject: `Plan of support review due: ${childDisplayName(pupil)}`,
					body: `The plan of support for ${childDisplayName(pupil)} is due for review on ${c.reviewOn}.\n\nRecord the review (it goes ahead even if the parents cannot come):\n${origin}/staff/graduated/plans/${c.id}`,
					idempotencyKey: `graduated:review-reminder:${c.id}`
				});
			}
			await writeAudit(tx, { actorType: 'system', action: 'graduated.plan_review_reminder', schoolId: c.schoolId, subjectType: 'plan', subjectId: c.id, details: { reviewOn: c.reviewOn }, at: now });
			return true;
		});
		if (sent) reminded++;
	}
	return reminded;
}

export interface PlanSummary {
	id: string;
	pupilId: string;
	name: string;
	reviewOn: string;
	reminded: boolean;
	familyDone: number;
	familyActions: number;
	/** How many comments the family has left on the plan. */
	parentComments: number;
}

/** Active plans whose review is due (reminded, or within the reminder days), soonest first. */
export async function reviewsDue(db: Db, schoolId: string, now: Date = new Date()): Promise<PlanSummary[]> {
	const today = await schoolToday(db, schoolId, now);
	const rows = await db
		.select({ plan: graduatedPlans, firstName: pupils.firstName, lastName: pupils.lastName, preferredName: pupils.preferredName })
		.from(graduatedPlans)
		.innerJoin(pupils, eq(pupils.id, graduatedPlans.pupilId))
		.where(and(eq(graduatedPlans.schoolId, schoolId), eq(graduatedPlans.status, 'active')))
		.orderBy(asc(graduatedPlans.reviewOn));
	const due = rows.filter((r) => r.plan.reviewReminderAt || r.plan.reviewOn <= reminderHorizon(today));
	const comments = await planComments(db, due.map((r) => r.plan.id));
	return due.map((r) => {
			const family = r.plan.actions.filter((a) => a.who === 'family');
			return {
				id: r.plan.id,
				pupilId: r.plan.pupilId,
				name: childDisplayName(r),
				reviewOn: r.plan.reviewOn,
				reminded: Boolean(r.plan.reviewReminderAt),
				familyDone: family.filter((a) => a.doneAt).length,
				familyActions: family.length,
				parentComments: comments.get(r.plan.id)?.length ?? 0
			};
		});
}

/** Pupils at the plan's step with no active plan yet: "start a plan of support" on the graduated page. */
export async function pupilsAwaitingPlan(handle: DatabaseHandle, schoolId: string): Promise<{ pupilId: string; name: string; className: string | null }[]> {
	const rows = await handle.query<{ id: string; first_name: string; last_name: string; preferred_name: string | null; class_name: string | null }>(
		`select p.id::text as id, p.first_name, p.last_name, p.preferred_name, p.class_name
		   from graduated_stages s join pupils p on p.id = s.pupil_id
		  where s.school_id = $1 and s.attendance_step = 'support_plan'
		    and not exists (select 1 from graduated_plans gp where gp.pupil_id = p.id and gp.status = 'active')
		  order by p.last_name, p.first_name`,
		[schoolId]
	);
	return rows.map((r) => ({ pupilId: r.id, name: childDisplayName({ firstName: r.first_name, lastName: r.last_name, preferredName: r.preferred_name }), className: r.class_name }));
}

// ---------------------------------------------------------------------------------------------
// The review

export const reviewInputSchema = z.object({
	outcome: z.enum(REVIEW_OUTCOMES),
	notes: withoutNul(2000).default('')
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

export type ReviewResult =
	| { ok: true; outcome: ReviewOutcome; step: Step | null; stepLabel: string | null; letters: number; referral: boolean }
	| { ok: false; code: 'forbidden' | 'not_found' | 'already_reviewed' | 'invalid' };

/** The figures a review is held on: since the plan began, and the school year before it. */
export async function reviewFigures(handle: DatabaseHandle, plan: Plan, now: Date = new Date()) {
	const today = await schoolToday(handle.db, plan.schoolId, now);
	const since = localDateOf(plan.createdAt, 'Europe/London');
	const yearStart = `${academicYearOf(today).slice(0, 4)}-09-01`;
	const [sincePlan, beforePlan, year] = await Promise.all([
		tallies(handle, plan.schoolId, since, today, [plan.pupilId]),
		since > yearStart ? tallies(handle, plan.schoolId, yearStart, addIsoDays(since, -1), [plan.pupilId]) : Promise.resolve(new Map()),
		tallies(handle, plan.schoolId, yearStart, today, [plan.pupilId])
	]);
	const empty = { attended: 0, possible: 0, lates: 0, minutesLate: 0 };
	const s = sincePlan.get(plan.pupilId) ?? empty;
	const b = beforePlan.get(plan.pupilId) ?? null;
	const { policy } = await schoolGraduatedPolicy(handle.db, plan.schoolId);
	return { today, since, sincePlan: s, beforePlan: b, year: year.get(plan.pupilId) ?? empty, suggested: suggestedOutcome(policy.review, s, b), policy };
}

/** "03/12/2026 to 17/12/2026": a period the family's letter can say in any of its languages. */
function periodLabel(from: string, to: string): string {
	const uk = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
	return `${uk(from)} – ${uk(to)}`;
}

/**
 * Records the review of an active plan, once (a second or concurrent review finds the plan no
 * longer active). Improved: the celebration letter to the family and back to monitoring. Not
 * improved: the next step of the school's ladder, with its letter when it is a letter step; the
 * referral to the local authority is a step whose evidence the referral page assembles.
 */
export async function recordReview(handle: DatabaseHandle, staff: Staff, planId: string, input: ReviewInput, opts: { now?: Date; origin?: string } = {}): Promise<ReviewResult> {
	if (!can(staff, 'graduated.manage') || !staff.schoolId) return { ok: false, code: 'forbidden' };
	const schoolId = staff.schoolId;
	const parsed = reviewInputSchema.safeParse(input);
	if (!parsed.success) return { ok: false, code: 'invalid' };
	const plan = await planForSchool(handle.db, schoolId, planId);
	if (!plan) return { ok: false, code: 'not_found' };
	if (plan.status !== 'active') return { ok: false, code: 'already_reviewed' };
	const now = opts.now ?? new Date();
	const figures = await reviewFigures(handle, plan, now);
	const { policy } = figures;
	const stage = (await stagesOf(handle.db, [plan.pupilId])).get(plan.pupilId) ?? { attendance: null, lateness: null };
	const next = reviewStep(policy, stage, parsed.data.outcome);
	const support = next.step && isLetterStep(next.step) ? await supportForPupil(handle, schoolId, plan.pupilId, `${academicYearOf(figures.today).slice(0, 4)}-09-01`) : [];
	const pointKey = `review:${plan.id}`;
	return handle.db.transaction(async (tx): Promise<ReviewResult> => {
		const [reviewed] = await tx
			.update(graduatedPlans)
			.set({ status: parsed.data.outcome, reviewNotes: parsed.data.notes || null, reviewedAt: now, reviewedBy: staff.id })
			.where(and(eq(graduatedPlans.id, plan.id), eq(graduatedPlans.status, 'active')))
			.returning({ id: graduatedPlans.id });
		if (!reviewed) return { ok: false, code: 'already_reviewed' };
		let letters = 0;
		if (next.step) {
			const [row] = await tx
				.insert(graduatedActions)
				.values({
					schoolId,
					pupilId: plan.pupilId,
					step: next.step,
					pointKey,
					pointLabel: `Review of the plan of support ${figures.today}`,
					status: 'taken',
					owner: policy.ladderOwners[next.step] ?? 'attendance_lead',
					figures: { periodAttended: figures.sincePlan.attended, periodPossible: figures.sincePlan.possible, yearAttended: figures.year.attended, yearPossible: figures.year.possible, lates: figures.sincePlan.lates, minutesLate: figures.sincePlan.minutesLate },
					reason: { code: parsed.data.outcome, plan: plan.id },
					takenBy: staff.id
				})
				.onConflictDoNothing()
				.returning({ id: graduatedActions.id });
			if (row && isLetterStep(next.step)) {
				const sent = await sendStepLetters(tx, {
					actionId: row.id,
					schoolId,
					pupilId: plan.pupilId,
					step: next.step,
					pointKey,
					period: { label: periodLabel(figures.since, figures.today), kind: 'attendance' },
					tally: { period: figures.sincePlan, year: figures.year },
					support,
					origin: opts.origin
				});
				letters = sent.letters;
			}
		}
		await setStage(tx, schoolId, plan.pupilId, next.nextStage);
		await writeAudit(tx, { actorType: 'staff', actorId: staff.id, action: 'graduated.plan_reviewed', schoolId, subjectType: 'pupil', subjectId: plan.pupilId, details: { plan: plan.id, outcome: parsed.data.outcome, step: next.step, suggested: figures.suggested } });
		return { ok: true, outcome: parsed.data.outcome, step: next.step, stepLabel: next.step ? STEP_LABELS[next.step] : null, letters, referral: next.step === 'refer_to_la' };
	});
}

/** Who owns a step, in words (the plan page's "next step"). */
export function ownerWords(policy: { ladderOwners: Partial<Record<Step, keyof typeof OWNER_LABELS>> }, step: Step): string {
	return OWNER_LABELS[policy.ladderOwners[step] ?? 'attendance_lead'];
}

/** The plan form's fields as the service's input (rows `action-who-N`, `action-text-N`, `action-service-N`, `action-id-N`). */
export function planInputFromForm(form: FormData): PlanInput {
	const actions: NonNullable<PlanInput['actions']> = [];
	for (let i = 0; i < 20; i++) {
		const who = form.get(`action-who-${i}`);
		if (who === null) continue;
		const text = String(form.get(`action-text-${i}`) ?? '').slice(0, 2000);
		const service = String(form.get(`action-service-${i}`) ?? '').slice(0, 400);
		const id = String(form.get(`action-id-${i}`) ?? '').slice(0, 64);
		actions.push({ who: String(who) as PlanActor, text, service: service || undefined, id: id || undefined });
	}
	return {
		barriers: form.getAll('barriers').map(String).filter((b): b is (typeof BARRIERS)[number] => (BARRIERS as readonly string[]).includes(b)),
		otherBarriers: String(form.get('otherBarriers') ?? '').slice(0, 2000),
		childView: String(form.get('childView') ?? '').slice(0, 4000),
		actions,
		reviewOn: String(form.get('reviewOn') ?? '').slice(0, 10)
	};
}

/** The problems as an error summary and per-field messages (the action rows by their index). */
export function planProblemMessages(problems: readonly PlanProblem[]): { href: string; text: string; field: string }[] {
	return problems.map((p) => ({ field: p.field, href: p.field.startsWith('action-') ? `#action-text-${p.field.slice(7)}` : p.field === 'actions' ? '#action-text-0' : p.field === 'barriers' ? '#barrier-0' : `#${p.field}`, text: PLAN_PROBLEM_TEXT[p.code] }));
}
