import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/lib/domain/graduated-response';
import { reviewReminderDue, reviewStep, splitBarriers, stageWithPlan, suggestedOutcome } from '../../src/lib/domain/support-plans';

const lanercost = PRESETS.lanercost;
const millbrook = PRESETS.millbrook;

describe('the review outcome and the next stage', () => {
	it('improved: the celebration, and back to monitoring (lateness stage kept)', () => {
		expect(reviewStep(lanercost, { attendance: 'support_plan', lateness: 'lateness_letter' }, 'improved')).toEqual({ step: 'review_improved', nextStage: { attendance: null, lateness: 'lateness_letter' } });
	});
	it('not improved after the plan: the referral to the local authority on both presets', () => {
		expect(reviewStep(lanercost, { attendance: 'support_plan', lateness: null }, 'not_improved')).toEqual({ step: 'refer_to_la', nextStage: { attendance: 'refer_to_la', lateness: null } });
		expect(reviewStep(millbrook, { attendance: 'support_plan', lateness: null }, 'not_improved').step).toBe('refer_to_la');
	});
	it('a plan started before the ladder reached it still counts as the plan step', () => {
		expect(reviewStep(lanercost, { attendance: 'close_monitoring', lateness: null }, 'not_improved').step).toBe('refer_to_la');
		expect(reviewStep(lanercost, { attendance: null, lateness: null }, 'not_improved').step).toBe('refer_to_la');
	});
	it('at the end of the ladder there is no further step and the stage stays', () => {
		expect(reviewStep(lanercost, { attendance: 'refer_to_la', lateness: null }, 'not_improved')).toEqual({ step: null, nextStage: { attendance: 'refer_to_la', lateness: null } });
	});
	it('a ladder without a plan step climbs from where the pupil is', () => {
		const ladder = { ladder: ['close_monitoring', 'meeting_invitation', 'refer_to_la'] as const };
		expect(reviewStep(ladder, { attendance: 'close_monitoring', lateness: null }, 'not_improved').step).toBe('meeting_invitation');
	});
	it('starting a plan moves an earlier stage to the plan, never a later one back', () => {
		expect(stageWithPlan(lanercost, { attendance: 'close_monitoring', lateness: null }).attendance).toBe('support_plan');
		expect(stageWithPlan(lanercost, { attendance: null, lateness: null }).attendance).toBe('support_plan');
		expect(stageWithPlan(lanercost, { attendance: 'refer_to_la', lateness: null }).attendance).toBe('refer_to_la');
	});
	it('suggests an outcome by the school review rule: the target, or a gain on before the plan', () => {
		// 90% target, 2 points gain: 18 of 20 sessions is 90%.
		expect(suggestedOutcome(lanercost.review, { attended: 18, possible: 20 }, { attended: 10, possible: 20 })).toBe('improved');
		// 85% against 80% before: a gain of 5 points.
		expect(suggestedOutcome(lanercost.review, { attended: 17, possible: 20 }, { attended: 16, possible: 20 })).toBe('improved');
		// 85% against 84%: not enough.
		expect(suggestedOutcome(lanercost.review, { attended: 17, possible: 20 }, { attended: 84, possible: 100 })).toBe('not_improved');
		expect(suggestedOutcome(lanercost.review, { attended: 0, possible: 0 }, null)).toBeNull();
	});
});

describe('the review reminder', () => {
	const plan = { status: 'active', reviewOn: '2026-12-10', reviewReminderAt: null };
	it('is due from two days before the review date, and after it', () => {
		expect(reviewReminderDue(plan, '2026-12-07')).toBe(false);
		expect(reviewReminderDue(plan, '2026-12-08')).toBe(true);
		expect(reviewReminderDue(plan, '2026-12-10')).toBe(true);
		expect(reviewReminderDue(plan, '2026-12-15')).toBe(true);
	});
	it('is never due twice, nor for a reviewed plan', () => {
		expect(reviewReminderDue({ ...plan, reviewReminderAt: new Date() }, '2026-12-10')).toBe(false);
		expect(reviewReminderDue({ ...plan, status: 'improved' }, '2026-12-10')).toBe(false);
	});
});

it('keeps the fixed barriers apart from the school own words', () => {
	expect(splitBarriers(['transport', 'Caring for a younger sibling'])).toEqual({ fixed: ['transport'], other: ['Caring for a younger sibling'] });
});
