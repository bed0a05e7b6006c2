/**
 * Plans of support (the graduated approach's Assess, Plan, Do, Review): what a plan holds, the
 * step a review leads to on the school's ladder, when staff are reminded of a review, and what
 * the review figures suggest. Pure: no I/O.
 */
import { BARRIERS, type Barrier } from './signposting';
import { improved, nextOnLadder, type Figures, type GraduatedPolicy, type Stage, type Step } from './graduated-response';

export const PLAN_ACTORS = ['school', 'family', 'service'] as const;
export type PlanActor = (typeof PLAN_ACTORS)[number];

export const REVIEW_OUTCOMES = ['improved', 'not_improved'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** The fixed barriers, worded for staff (the family sees its own words: i18n). */
export const BARRIER_LABELS: Readonly<Record<Barrier, string>> = {
	emotionally_based_school_avoidance: 'Emotionally based school avoidance',
	unmet_sen: 'Special educational needs not yet met',
	holiday_or_extended_leave: 'Holidays or extended leave in term time',
	mental_health_and_anxiety: 'Mental health and anxiety',
	long_term_medical_needs: 'Long-term medical needs',
	change_of_placement_needed: 'A change of placement may be needed',
	illness: 'Illness',
	transport: 'Getting to school (transport)',
	exploitation: 'Exploitation or risk outside the home'
};

export function isBarrier(value: unknown): value is Barrier {
	return typeof value === 'string' && (BARRIERS as readonly string[]).includes(value);
}

/** A plan's barriers as stored: the fixed ones by key, then any the school wrote in its own words. */
export function splitBarriers(stored: readonly string[]): { fixed: Barrier[]; other: string[] } {
	return { fixed: stored.filter(isBarrier), other: stored.filter((b) => !isBarrier(b)) };
}

/** How many days before the review date staff are reminded (the review is then on the "reviews due" list). */
export const REVIEW_REMINDER_DAYS = 2;

function addIsoDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/**
 * Is the staff reminder for this plan due on `today` (the school's date)? Only for an active
 * plan not reminded yet, from `REVIEW_REMINDER_DAYS` before the review date; a review date
 * already passed still gets its reminder (the sweep may have been down).
 */
export function reviewReminderDue(plan: { status: string; reviewOn: string; reviewReminderAt: Date | string | null }, today: string, leadDays = REVIEW_REMINDER_DAYS): boolean {
	if (plan.status !== 'active' || plan.reviewReminderAt) return false;
	return today >= addIsoDays(plan.reviewOn, -leadDays);
}

/** The earliest day a review reminder could be due for a plan reviewed on or before `today + leadDays`. */
export function reminderHorizon(today: string, leadDays = REVIEW_REMINDER_DAYS): string {
	return addIsoDays(today, leadDays);
}

export interface ReviewStep {
	/** The step recorded for the review: the celebration, or the next step on the ladder (null: none left). */
	step: Step | null;
	/** Where the pupil stands afterwards. */
	nextStage: Stage;
}

/**
 * What a review leads to. Improved: the celebration ('review_improved') and back to monitoring
 * (off the absence ladder). Not improved: the step after the plan on the school's ladder (for
 * the presets, the referral to the local authority); a pupil already past the plan climbs from
 * where they are; at the end of the ladder there is no further step and the stage stays.
 */
export function reviewStep(policy: Pick<GraduatedPolicy, 'ladder'>, stage: Stage, outcome: ReviewOutcome): ReviewStep {
	if (outcome === 'improved') return { step: 'review_improved', nextStage: { ...stage, attendance: null } };
	const ladder = policy.ladder;
	const planAt = ladder.indexOf('support_plan');
	const currentAt = stage.attendance ? ladder.indexOf(stage.attendance) : -1;
	// The plan is the pupil's step unless they stand further up the ladder already.
	const from: Step | null = currentAt > planAt ? stage.attendance : planAt >= 0 ? 'support_plan' : stage.attendance;
	const next = from ? nextOnLadder(ladder, from) : (ladder[0] ?? null);
	if (!next) return { step: null, nextStage: stage };
	return { step: next, nextStage: { ...stage, attendance: next } };
}

/**
 * What the figures suggest at the review, by the school's review rule: attendance since the
 * plan began against the time before it. Null when there are no sessions since the plan began.
 */
export function suggestedOutcome(rule: GraduatedPolicy['review'], sincePlan: Figures, beforePlan: Figures | null): ReviewOutcome | null {
	if (sincePlan.possible === 0) return null;
	return improved(rule, sincePlan, beforePlan) ? 'improved' : 'not_improved';
}

/** The stage at which a plan is the pupil's step: reached when staff start a plan from an earlier stage. */
export function stageWithPlan(policy: Pick<GraduatedPolicy, 'ladder'>, stage: Stage): Stage {
	const planAt = policy.ladder.indexOf('support_plan');
	if (planAt < 0) return stage;
	const currentAt = stage.attendance ? policy.ladder.indexOf(stage.attendance) : -1;
	return currentAt >= planAt ? stage : { ...stage, attendance: 'support_plan' };
}
