import { describe, expect, it } from 'vitest';
import {
	NO_STAGE,
	PRESETS,
	PRESET_KEYS,
	bandOf,
	improved,
	meetsBound,
	monitoringPoints,
	nextOnLadder,
	policyProblems,
	stepDue,
	trendTenths,
	type AttendancePointInput,
	type Figures,
	type GraduatedPolicy,
	type Stage
} from '../../src/lib/domain/graduated-response';

/** `percent` of 1000 sessions (exact to a tenth). */
const pct = (percent: number): Figures => ({ attended: Math.round(percent * 10), possible: 1000 });

function attendance(policy: GraduatedPolicy, year: Figures, opts: Partial<AttendancePointInput> = {}) {
	return stepDue(policy, { kind: 'attendance', period: opts.period ?? year, previousPeriod: opts.previousPeriod ?? null, year, stage: opts.stage ?? NO_STAGE, doneAtPoint: opts.doneAtPoint ?? [] });
}

const lanercost = PRESETS.lanercost;
const millbrook = PRESETS.millbrook;
const portsmouth = PRESETS.portsmouth;

describe('bounds are exact', () => {
	it('inclusive and exclusive bounds at the boundary', () => {
		expect(meetsBound(pct(96), { percent: 96, inclusive: true })).toBe(true);
		expect(meetsBound(pct(96), { percent: 96, inclusive: false })).toBe(false);
		expect(meetsBound(pct(95.9), { percent: 96, inclusive: true })).toBe(false);
	});
	it('a percentage that rounds up to the bound is still below it', () => {
		// 2399 of 2500 = 95.96%: shown as 96.0% but below 96.
		expect(meetsBound({ attended: 2399, possible: 2500 }, { percent: 96, inclusive: true })).toBe(false);
		expect(bandOf(lanercost, { attended: 2399, possible: 2500 })?.key).toBe('upper_amber');
	});
	it('no possible sessions: no band', () => {
		expect(bandOf(lanercost, { attended: 0, possible: 0 })).toBeNull();
	});
	it('rejects a tally that is not one', () => {
		expect(() => bandOf(lanercost, { attended: 5, possible: 4 })).toThrow(RangeError);
		expect(() => bandOf(lanercost, { attended: -1, possible: 4 })).toThrow(RangeError);
	});
});

describe('Lanercost bands, as Flowchart 1 writes them', () => {
	it.each([
		[100, 'green', 'rag_green'],
		[99.9, 'green', 'rag_green'],
		[96, 'green', 'rag_green'],
		[95.9, 'upper_amber', 'rag_upper_amber'],
		[94, 'upper_amber', 'rag_upper_amber'],
		[93.9, 'lower_amber', 'rag_lower_amber'],
		[90, 'lower_amber', 'rag_lower_amber'],
		[89.9, 'red', 'close_monitoring'],
		[0, 'red', 'close_monitoring']
	] as const)('%s%% is %s: %s', (percent, band, step) => {
		expect(bandOf(lanercost, pct(percent))?.key).toBe(band);
		expect(attendance(lanercost, pct(percent))?.step).toBe(step);
	});
	it('owners: the senior attendance champion for RAG letters, the headteacher for the meeting', () => {
		expect(attendance(lanercost, pct(97))?.owner).toBe('attendance_lead');
		expect(attendance(lanercost, pct(80), { stage: { attendance: 'close_monitoring', lateness: null } })).toMatchObject({ step: 'meeting_invitation', owner: 'headteacher' });
	});
	it('a RAG letter leaves the stage alone; close monitoring puts the pupil on the ladder', () => {
		expect(attendance(lanercost, pct(95))?.nextStage).toEqual(NO_STAGE);
		expect(attendance(lanercost, pct(85))?.nextStage).toEqual({ attendance: 'close_monitoring', lateness: null });
	});
});

describe('Millbrook stages', () => {
	it.each([
		[100, null],
		[92, null],
		[91.9, 'informal_chat'],
		[50, 'informal_chat']
	] as const)('%s%%: %s', (percent, step) => {
		expect(attendance(millbrook, pct(percent))?.step ?? null).toBe(step);
	});
	it('climbs stage by stage when there is no improvement, to the referral, then stops', () => {
		const ladder = ['informal_chat', 'attendance_concern', 'close_monitoring', 'support_plan', 'refer_to_la'] as const;
		for (let i = 0; i < ladder.length - 1; i++) {
			const due = attendance(millbrook, pct(85), { stage: { attendance: ladder[i]!, lateness: null } });
			expect(due?.step).toBe(ladder[i + 1]);
			expect(due?.reason).toEqual({ code: 'not_improved', after: ladder[i] });
		}
		expect(attendance(millbrook, pct(85), { stage: { attendance: 'refer_to_la', lateness: null } })).toBeNull();
	});
	it('the class teacher owns stage 1, the headteacher the parenting contract', () => {
		expect(attendance(millbrook, pct(91))?.owner).toBe('class_teacher');
		expect(attendance(millbrook, pct(85), { stage: { attendance: 'close_monitoring', lateness: null } })?.owner).toBe('headteacher');
	});
});

describe('Portsmouth bands (§4): 90 and 85 belong to the band below', () => {
	it.each([
		[96, 'excellent', 'rag_green'],
		[95.9, 'at_risk', 'attendance_concern'],
		[90.1, 'at_risk', 'attendance_concern'],
		[90, 'persistently_absent', 'close_monitoring'],
		[85.1, 'persistently_absent', 'close_monitoring'],
		[85, 'formal', 'support_plan'],
		[50.1, 'formal', 'support_plan'],
		[50, 'severely_absent', 'refer_to_la'],
		[0, 'severely_absent', 'refer_to_la']
	] as const)('%s%% is %s: %s', (percent, band, step) => {
		expect(bandOf(portsmouth, pct(percent))?.key).toBe(band);
		expect(attendance(portsmouth, pct(percent))?.step).toBe(step);
	});
	it('a sharp fall on the ladder skips ahead to the band step, never back', () => {
		const stage: Stage = { attendance: 'close_monitoring', lateness: null };
		expect(attendance(portsmouth, pct(40), { stage })?.step).toBe('refer_to_la');
		expect(attendance(portsmouth, pct(88), { stage })?.step).toBe('meeting_invitation');
	});
});

describe('the review: improved or the next step', () => {
	const stage: Stage = { attendance: 'close_monitoring', lateness: null };
	it('at the target in the period: celebrate and back to monitoring', () => {
		const due = attendance(lanercost, pct(88), { period: pct(90), stage });
		expect(due).toMatchObject({ step: 'review_improved', reason: { code: 'improved', after: 'close_monitoring' }, nextStage: NO_STAGE });
	});
	it('just below the target without a gain: the next step', () => {
		expect(attendance(lanercost, pct(88), { period: pct(89.9), stage })?.step).toBe('meeting_invitation');
	});
	it('a gain of exactly 2 points counts; 1.9 does not', () => {
		expect(improved(lanercost.review, pct(82), pct(80))).toBe(true);
		expect(improved(lanercost.review, pct(81.9), pct(80))).toBe(false);
		expect(improved(lanercost.review, { attended: 82, possible: 100 }, { attended: 160, possible: 200 })).toBe(true);
	});
	it('no sessions in the period is not an improvement', () => {
		expect(improved(lanercost.review, { attended: 0, possible: 0 }, pct(50))).toBe(false);
		expect(improved(lanercost.review, pct(80), { attended: 0, possible: 0 })).toBe(false);
	});
	it('the end of the ladder: nothing more is due here (the referral is the local authority process)', () => {
		expect(attendance(lanercost, pct(70), { period: pct(70), stage: { attendance: 'refer_to_la', lateness: null } })).toBeNull();
		expect(nextOnLadder(lanercost.ladder, 'refer_to_la')).toBeNull();
		expect(nextOnLadder(lanercost.ladder, 'rag_green')).toBeNull();
	});
});

describe('lateness (weekly, Flowchart 2)', () => {
	const late = (policy: GraduatedPolicy, lates: number, stage: Stage = NO_STAGE, doneAtPoint: readonly never[] = []) => stepDue(policy, { kind: 'lateness', latesInWeek: lates, stage, doneAtPoint });
	it('no lates: nothing; one late in a week: the lateness letter', () => {
		expect(late(lanercost, 0)).toBeNull();
		expect(late(lanercost, 1)).toMatchObject({ step: 'lateness_letter', owner: 'attendance_lead', reason: { code: 'lateness', lates: 1 } });
	});
	it('continuing: the formal letter from the headteacher, then a meeting, then the absence process', () => {
		expect(late(lanercost, 2, { attendance: null, lateness: 'lateness_letter' })).toMatchObject({ step: 'formal_lateness_letter', owner: 'headteacher' });
		expect(late(lanercost, 1, { attendance: null, lateness: 'formal_lateness_letter' })?.step).toBe('lateness_meeting');
		expect(late(lanercost, 1, { attendance: null, lateness: 'lateness_meeting' })).toMatchObject({ step: 'close_monitoring', reason: { code: 'lateness_into_absence' } });
		expect(late(lanercost, 1, { attendance: 'close_monitoring', lateness: 'lateness_meeting' })?.step).toBe('meeting_invitation');
	});
	it('Portsmouth starts at 3 lates in a week', () => {
		expect(late(portsmouth, 2)).toBeNull();
		expect(late(portsmouth, 3)?.step).toBe('lateness_letter');
	});
	it('Millbrook does not monitor lateness weekly', () => {
		expect(late(millbrook, 5)).toBeNull();
	});
	it('rejects a count that is not one', () => {
		expect(() => late(lanercost, -1)).toThrow(RangeError);
	});
});

describe('never twice at the same point', () => {
	it('a step already taken at this point is not due again', () => {
		expect(attendance(lanercost, pct(97), { doneAtPoint: ['rag_green'] })).toBeNull();
		expect(attendance(lanercost, pct(97), { doneAtPoint: ['rag_upper_amber'] })?.step).toBe('rag_green');
	});
});

describe('trend and the presets themselves', () => {
	it('trend in tenths of a point', () => {
		expect(trendTenths(pct(92), pct(90))).toBe(20);
		expect(trendTenths(pct(90), null)).toBeNull();
	});
	it.each(PRESET_KEYS)('%s is a valid policy', (key) => {
		expect(policyProblems(PRESETS[key])).toEqual([]);
	});
	it('finds bands out of order and a lowest band above 0', () => {
		const bad: GraduatedPolicy = { ...lanercost, bands: [lanercost.bands[1]!, lanercost.bands[0]!] };
		expect(policyProblems(bad).map((p) => p.code)).toEqual(['bands_not_descending', 'lowest_band_not_zero']);
		expect(policyProblems({ ...lanercost, bands: [] })).toEqual([{ code: 'bands_empty' }]);
		expect(policyProblems({ ...lanercost, lateness: { ...lanercost.lateness!, latesInWeek: 0 } })).toEqual([{ code: 'lates_in_week_range' }]);
	});
});

describe('monitoring points', () => {
	const terms = [
		{ name: 'Autumn 1', startsOn: '2026-09-01', endsOn: '2026-10-23' },
		{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
		{ name: 'Spring 1', startsOn: '2027-01-04', endsOn: '2027-02-12' }
	];
	it('half-termly: every ended half term, newest first, with the one before for the trend', () => {
		const { attendance } = monitoringPoints({ cadence: 'half_termly', lateness: null }, '2026-27', terms, '2027-02-13');
		expect(attendance.map((p) => p.key)).toEqual(['attendance:2026-27:Spring 1', 'attendance:2026-27:Autumn 2', 'attendance:2026-27:Autumn 1']);
		expect(attendance[0]!.previous).toEqual({ from: '2026-11-02', to: '2026-12-18' });
		expect(attendance.at(-1)!.previous).toBeNull();
	});
	it('a half term ending today is not over yet', () => {
		expect(monitoringPoints({ cadence: 'half_termly', lateness: null }, '2026-27', terms, '2026-10-23').attendance).toEqual([]);
		expect(monitoringPoints({ cadence: 'half_termly', lateness: null }, '2026-27', terms, '2026-10-24').attendance).toHaveLength(1);
	});
	it('termly: the two halves of a season make one term', () => {
		const { attendance } = monitoringPoints({ cadence: 'termly', lateness: null }, '2026-27', terms, '2026-12-19');
		expect(attendance).toEqual([{ key: 'attendance:2026-27:Autumn', kind: 'attendance', label: 'End of Autumn 2026-27', from: '2026-09-01', to: '2026-12-18', previous: null }]);
	});
	it('lateness: the last school weeks that have ended, skipping the holiday', () => {
		// Thursday 12 November 2026: last week began 2 November; the half-term holiday week (26 October) is skipped.
		const { lateness } = monitoringPoints(PRESETS.lanercost, '2026-27', terms, '2026-11-12', 3);
		expect(lateness.map((p) => [p.from, p.to])).toEqual([
			['2026-11-02', '2026-11-06'],
			['2026-10-19', '2026-10-23'],
			['2026-10-12', '2026-10-16']
		]);
		expect(monitoringPoints(PRESETS.millbrook, '2026-27', terms, '2026-11-12').lateness).toEqual([]);
	});
});
