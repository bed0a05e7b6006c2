import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/lib/domain/graduated-response';
import { reviewReminderDue, reviewStep, splitBarriers, stageWithPlan, suggestedOutcome } from '../../src/lib/domain/support-plans';
import { schoolOpenOn, type SchoolCalendar } from '../../src/lib/domain/calendar';

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

describe('a review or a meeting is on a day the school is open', () => {
	const cal: SchoolCalendar = {
		timeZone: 'Europe/London',
		terms: [
			{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
			{ name: 'Spring 1', startsOn: '2027-01-05', endsOn: '2027-02-12' }
		],
		closures: [
			{ date: '2026-11-27', sessions: 'BOTH', kind: 'inset', description: 'Training day' },
			{ date: '2026-11-26', sessions: 'PM', kind: 'closure', description: 'Parents evening' }
		]
	};
	it('a school day, including one closed for the afternoon only', () => {
		expect(schoolOpenOn(cal, '2026-12-18')).toBe(true);
		expect(schoolOpenOn(cal, '2026-11-26')).toBe(true);
		expect(schoolOpenOn(cal, '2027-01-05')).toBe(true);
	});
	it('not in the holidays, on an INSET day or at a weekend', () => {
		expect(schoolOpenOn(cal, '2026-12-25')).toBe(false);
		expect(schoolOpenOn(cal, '2027-01-04')).toBe(false);
		expect(schoolOpenOn(cal, '2026-11-27')).toBe(false);
		expect(schoolOpenOn(cal, '2026-11-28')).toBe(false);
	});
	it('in a year whose dates are not published yet, any weekday', () => {
		expect(schoolOpenOn(cal, '2027-09-06')).toBe(true);
		expect(schoolOpenOn(cal, '2027-09-04')).toBe(false);
	});
});
