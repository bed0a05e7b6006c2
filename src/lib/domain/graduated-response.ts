/**
 * The school's graduated response (docs/domain-rules.md §4, the reference policies): the policy
 * as data (monitoring points, thresholds, the step each triggers and who owns it), presets taken
 * from the reference documents, and the rule that decides, for one pupil at one monitoring
 * point, which step is due — or none.
 *
 * Thresholds are decided with exact integer arithmetic (attended × 1000 against tenths of a
 * percent × possible), never by comparing rounded percentages: "96–99.9 green, 94–95.9 upper
 * amber" means 96 and above is green and anything below 96 (95.95 included) is not, as the
 * policies' own words say ("a letter home when attendance is below 96%").
 *
 * Pure: no I/O.
 */

/** Every step the ladder knows. Letters are sent to families; the others are staff tasks the record keeps. */
export const STEPS = [
	'rag_green',
	'rag_upper_amber',
	'rag_lower_amber',
	'informal_chat',
	'attendance_concern',
	'close_monitoring',
	'meeting_invitation',
	'support_plan',
	'refer_to_la',
	'lateness_letter',
	'formal_lateness_letter',
	'lateness_meeting',
	'review_improved'
] as const;
export type Step = (typeof STEPS)[number];

/** Steps that send the family a letter (the others are recorded tasks for staff). */
export const LETTER_STEPS = [
	'rag_green',
	'rag_upper_amber',
	'rag_lower_amber',
	'attendance_concern',
	'close_monitoring',
	'meeting_invitation',
	'lateness_letter',
	'formal_lateness_letter',
	'lateness_meeting',
	'review_improved'
] as const satisfies readonly Step[];
export type LetterStep = (typeof LETTER_STEPS)[number];

export function isLetterStep(step: Step): step is LetterStep {
	return (LETTER_STEPS as readonly Step[]).includes(step);
}

export function isStep(value: unknown): value is Step {
	return typeof value === 'string' && (STEPS as readonly string[]).includes(value);
}

/** Who does a step (the policies' "responsibility" column). */
export const OWNERS = ['attendance_lead', 'headteacher', 'class_teacher'] as const;
export type Owner = (typeof OWNERS)[number];

export const OWNER_LABELS: Readonly<Record<Owner, string>> = {
	attendance_lead: 'Senior attendance champion',
	headteacher: 'Headteacher',
	class_teacher: 'Class teacher'
};

export const STEP_LABELS: Readonly<Record<Step, string>> = {
	rag_green: 'Green letter (celebrates)',
	rag_upper_amber: 'Upper amber letter and invitation',
	rag_lower_amber: 'Lower amber letter and invitation',
	informal_chat: 'Informal chat with the parent',
	attendance_concern: 'Attendance concern letter and offer of support',
	close_monitoring: 'Close monitoring letter',
	meeting_invitation: 'Meeting invitation',
	support_plan: 'Plan of support with a review date',
	refer_to_la: 'Refer to the local authority',
	lateness_letter: 'Lateness letter',
	formal_lateness_letter: 'Formal lateness letter from the headteacher',
	lateness_meeting: 'Lateness meeting invitation',
	review_improved: 'Improved: celebrate and back to monitoring'
};

/** The steps a pupil climbs while attendance does not improve; the last one ends the ladder. */
export type Ladder = readonly Step[];

/** A lower bound on attendance: `percent` itself belongs to the band when `inclusive`. */
export interface Bound {
	percent: number;
	inclusive: boolean;
}

export interface Band {
	key: string;
	label: string;
	/** The band holds attendance at or above (inclusive) / above (not inclusive) this; the lowest band has 0 inclusive. */
	from: Bound;
	/** What the band calls for at a monitoring point (null: nothing, keep monitoring). */
	step: Step | null;
	owner: Owner;
	/** A RAG colour for the family's letter and the staff list. */
	colour: 'green' | 'amber' | 'red';
}

export const ATTENDANCE_CADENCES = ['termly', 'half_termly'] as const;
export type AttendanceCadence = (typeof ATTENDANCE_CADENCES)[number];

export interface LatenessPolicy {
	/** Lates in one week that start the lateness process (Lanercost: 1 or 2 in a week). */
	latesInWeek: number;
	/** The lateness ladder, from the first letter onwards; after its last step the pupil joins the absence ladder. */
	ladder: readonly Step[];
	owners: Partial<Record<Step, Owner>>;
}

export interface ReviewRule {
	/** Attendance in the monitored period at or above this counts as improved. */
	targetPercent: number;
	/** Or a gain of at least this many percentage points on the previous period. */
	minGainPoints: number;
}

export interface GraduatedPolicy {
	preset: PresetKey | 'custom';
	name: string;
	/** Where the policy's words come from. */
	source: string;
	cadence: AttendanceCadence;
	/** Highest band first; the last band starts at 0 inclusive. */
	bands: readonly Band[];
	/** Steps climbed when attendance does not improve, in order (the last one ends the ladder). */
	ladder: Ladder;
	ladderOwners: Partial<Record<Step, Owner>>;
	review: ReviewRule;
	/** null: lateness is not monitored weekly. */
	lateness: LatenessPolicy | null;
}

export const PRESET_KEYS = ['lanercost', 'millbrook', 'portsmouth'] as const;
export type PresetKey = (typeof PRESET_KEYS)[number];

const at = (percent: number): Bound => ({ percent, inclusive: true });
const above = (percent: number): Bound => ({ percent, inclusive: false });

/**
 * The presets, as the reference documents write them:
 * Lanercost's Flowchart 1 (100 / 96–99.9 green, 94–95.9 upper amber, 90–93.9 lower amber, below
 * 90 close monitoring, then a meeting, a plan of support with a review date, then the local
 * authority) and Flowchart 2 (1–2 late arrivals in a week: a lateness letter; continuing: a
 * formal letter from the headteacher; persisting: a meeting; then the absence process);
 * Millbrook's stages (below 92%: the class teacher's informal chat; then the attendance team's
 * offer of support; a formal letter; a parenting contract; a referral to the county);
 * Portsmouth's bands (§4: 96 and above excellent, above 90 at risk, above 85 persistently absent,
 * above 50 the formal stage, 50 and below severely absent).
 */
export const PRESETS: Readonly<Record<PresetKey, GraduatedPolicy>> = {
	lanercost: {
		preset: 'lanercost',
		name: 'Lanercost flowcharts',
		source: 'Lanercost Primary attendance policy, Flowchart 1 (absences) and Flowchart 2 (lateness)',
		cadence: 'termly',
		bands: [
			{ key: 'green', label: 'Green (96% and above)', from: at(96), step: 'rag_green', owner: 'attendance_lead', colour: 'green' },
			{ key: 'upper_amber', label: 'Upper amber (94–95.9%)', from: at(94), step: 'rag_upper_amber', owner: 'attendance_lead', colour: 'amber' },
			{ key: 'lower_amber', label: 'Lower amber (90–93.9%)', from: at(90), step: 'rag_lower_amber', owner: 'attendance_lead', colour: 'amber' },
			{ key: 'red', label: 'Red (below 90%)', from: at(0), step: 'close_monitoring', owner: 'attendance_lead', colour: 'red' }
		],
		ladder: ['close_monitoring', 'meeting_invitation', 'support_plan', 'refer_to_la'],
		ladderOwners: { close_monitoring: 'attendance_lead', meeting_invitation: 'headteacher', support_plan: 'attendance_lead', refer_to_la: 'headteacher' },
		review: { targetPercent: 90, minGainPoints: 2 },
		lateness: {
			latesInWeek: 1,
			ladder: ['lateness_letter', 'formal_lateness_letter', 'lateness_meeting'],
			owners: { lateness_letter: 'attendance_lead', formal_lateness_letter: 'headteacher', lateness_meeting: 'headteacher' }
		}
	},
	millbrook: {
		preset: 'millbrook',
		name: 'Millbrook stages',
		source: 'Millbrook Primary attendance policy, stages 1 to 5',
		cadence: 'half_termly',
		bands: [
			{ key: 'on_track', label: '92% and above', from: at(92), step: null, owner: 'class_teacher', colour: 'green' },
			{ key: 'stage', label: 'Below 92%', from: at(0), step: 'informal_chat', owner: 'class_teacher', colour: 'amber' }
		],
		ladder: ['informal_chat', 'attendance_concern', 'close_monitoring', 'support_plan', 'refer_to_la'],
		ladderOwners: { informal_chat: 'class_teacher', attendance_concern: 'attendance_lead', close_monitoring: 'attendance_lead', support_plan: 'headteacher', refer_to_la: 'headteacher' },
		review: { targetPercent: 92, minGainPoints: 2 },
		lateness: null
	},
	portsmouth: {
		preset: 'portsmouth',
		name: 'Portsmouth bands',
		source: 'Portsmouth City Council, Supporting school attendance, §4 graduated response',
		cadence: 'half_termly',
		bands: [
			{ key: 'excellent', label: 'Excellent (96% and above)', from: at(96), step: 'rag_green', owner: 'attendance_lead', colour: 'green' },
			{ key: 'at_risk', label: 'At risk (above 90% to below 96%)', from: above(90), step: 'attendance_concern', owner: 'attendance_lead', colour: 'amber' },
			{ key: 'persistently_absent', label: 'Persistently absent (above 85% to 90%)', from: above(85), step: 'close_monitoring', owner: 'attendance_lead', colour: 'red' },
			{ key: 'formal', label: 'Persistently absent, formal stage (above 50% to 85%)', from: above(50), step: 'support_plan', owner: 'headteacher', colour: 'red' },
			{ key: 'severely_absent', label: 'Severely absent (50% and below)', from: at(0), step: 'refer_to_la', owner: 'headteacher', colour: 'red' }
		],
		ladder: ['close_monitoring', 'meeting_invitation', 'support_plan', 'refer_to_la'],
		ladderOwners: { close_monitoring: 'attendance_lead', meeting_invitation: 'attendance_lead', support_plan: 'attendance_lead', refer_to_la: 'headteacher' },
		review: { targetPercent: 90, minGainPoints: 2 },
		lateness: {
			latesInWeek: 3,
			ladder: ['lateness_letter', 'formal_lateness_letter', 'lateness_meeting'],
			owners: { lateness_letter: 'attendance_lead', formal_lateness_letter: 'headteacher', lateness_meeting: 'attendance_lead' }
		}
	}
};

export const DEFAULT_PRESET: PresetKey = 'lanercost';

export interface Figures {
	attended: number;
	possible: number;
}

function assertFigures(f: Figures, label: string): void {
	if (!Number.isSafeInteger(f.attended) || !Number.isSafeInteger(f.possible) || f.attended < 0 || f.possible < 0 || f.attended > f.possible) {
		throw new RangeError(`${label}: attended ${f.attended} of ${f.possible} is not a tally`);
	}
}

/** Tenths of a percent, so 95.9 is compared exactly (959). */
function tenths(percent: number): number {
	return Math.round(percent * 10);
}

/** Is attendance `f` at or above (inclusive) / above the bound? Exact. */
export function meetsBound(f: Figures, bound: Bound): boolean {
	const lhs = f.attended * 1000;
	const rhs = tenths(bound.percent) * f.possible;
	return bound.inclusive ? lhs >= rhs : lhs > rhs;
}

/** The band attendance `f` falls in (null when there are no possible sessions). */
export function bandOf(policy: Pick<GraduatedPolicy, 'bands'>, f: Figures): Band | null {
	assertFigures(f, 'Figures');
	if (f.possible === 0) return null;
	for (const band of policy.bands) if (meetsBound(f, band.from)) return band;
	return policy.bands.at(-1) ?? null;
}

/** Where the pupil stands: the last step taken on each ladder (null: not on it). */
export interface Stage {
	attendance: Step | null;
	lateness: Step | null;
}

export const NO_STAGE: Stage = { attendance: null, lateness: null };

export interface AttendancePointInput {
	kind: 'attendance';
	/** The monitored period (the term or half term just ended). */
	period: Figures;
	/** The previous period's figures, for "improved" (null: none). */
	previousPeriod: Figures | null;
	/** The school year so far. */
	year: Figures;
	stage: Stage;
	/** Steps already taken for this pupil at this monitoring point. */
	doneAtPoint: readonly Step[];
}

export interface LatenessPointInput {
	kind: 'lateness';
	latesInWeek: number;
	stage: Stage;
	doneAtPoint: readonly Step[];
}

export type PointInput = AttendancePointInput | LatenessPointInput;

export type DueReason =
	| { code: 'band'; band: string }
	| { code: 'not_improved'; after: Step }
	| { code: 'improved'; after: Step }
	| { code: 'lateness'; lates: number }
	| { code: 'lateness_continues'; after: Step }
	| { code: 'lateness_into_absence'; after: Step };

export interface DueStep {
	step: Step;
	owner: Owner;
	reason: DueReason;
	/** The stage the pupil will be at once the step is taken. */
	nextStage: Stage;
}

function ownerOf(policy: GraduatedPolicy, step: Step, fallback: Owner = 'attendance_lead'): Owner {
	return policy.ladderOwners[step] ?? policy.lateness?.owners[step] ?? policy.bands.find((b) => b.step === step)?.owner ?? fallback;
}

/** Percentage points × 10 (exact to a tenth): (attended / possible) × 1000, floored. */
function perMille(f: Figures): number {
	return Math.floor((f.attended * 1000) / f.possible);
}

/**
 * Has the period improved? At or above the review target, or a gain of at least
 * `minGainPoints` on the previous period. No sessions in the period: not improved (nothing to show).
 */
export function improved(review: ReviewRule, period: Figures, previous: Figures | null): boolean {
	assertFigures(period, 'Period');
	if (period.possible === 0) return false;
	if (meetsBound(period, at(review.targetPercent))) return true;
	if (!previous || previous.possible === 0) return false;
	assertFigures(previous, 'Previous period');
	// attended/possible - prevAttended/prevPossible >= gain/100, cross-multiplied so it is exact.
	const lhs = (period.attended * previous.possible - previous.attended * period.possible) * 1000;
	return lhs >= tenths(review.minGainPoints) * period.possible * previous.possible;
}

/** The step after `step` on `ladder` (null at its end, or when `step` is not on it). */
export function nextOnLadder(ladder: readonly Step[], step: Step): Step | null {
	const i = ladder.indexOf(step);
	return i >= 0 && i + 1 < ladder.length ? ladder[i + 1]! : null;
}

/**
 * The step due for one pupil at one monitoring point, or null.
 *
 * Attendance points: a pupil on the ladder is reviewed first — improved in the period means
 * "celebrate and back to monitoring"; not improved means the next step on the ladder, or the
 * band's own step when that is further up (a sharp fall skips ahead, never back). At the end of
 * the ladder nothing more is due: the referral is the local authority's process. A pupil not on
 * the ladder gets their band's step (a RAG letter, or the ladder's entry).
 *
 * Lateness points (weekly): lates in the week at or above the policy's number start the
 * lateness ladder, and each further week with lates climbs it; after its last step the pupil
 * joins the absence ladder. A week without lates does nothing (the record shows it).
 *
 * A step already taken at this point is never due again, so a second run sends nothing twice.
 */
export function stepDue(policy: GraduatedPolicy, input: PointInput): DueStep | null {
	const due = input.kind === 'attendance' ? attendanceStep(policy, input) : latenessStep(policy, input);
	if (!due || input.doneAtPoint.includes(due.step)) return null;
	return due;
}

function attendanceStep(policy: GraduatedPolicy, input: AttendancePointInput): DueStep | null {
	assertFigures(input.year, 'Year');
	const band = bandOf(policy, input.year);
	const current = input.stage.attendance;
	const onLadder = current !== null && policy.ladder.includes(current);
	if (onLadder) {
		if (improved(policy.review, input.period, input.previousPeriod)) {
			return { step: 'review_improved', owner: ownerOf(policy, current), reason: { code: 'improved', after: current }, nextStage: { ...input.stage, attendance: null } };
		}
		const next = nextOnLadder(policy.ladder, current);
		const bandStep = band?.step ?? null;
		const bandIndex = bandStep ? policy.ladder.indexOf(bandStep) : -1;
		const reached = Math.max(next ? policy.ladder.indexOf(next) : -1, policy.ladder.indexOf(current));
		const step = bandIndex > reached ? bandStep! : next;
		if (!step) return null;
		return { step, owner: ownerOf(policy, step), reason: { code: 'not_improved', after: current }, nextStage: { ...input.stage, attendance: step } };
	}
	if (!band || !band.step) return null;
	const entersLadder = policy.ladder.includes(band.step);
	return {
		step: band.step,
		owner: entersLadder ? ownerOf(policy, band.step, band.owner) : band.owner,
		reason: { code: 'band', band: band.key },
		nextStage: entersLadder ? { ...input.stage, attendance: band.step } : input.stage
	};
}

function latenessStep(policy: GraduatedPolicy, input: LatenessPointInput): DueStep | null {
	const lateness = policy.lateness;
	if (!lateness || lateness.ladder.length === 0) return null;
	if (!Number.isSafeInteger(input.latesInWeek) || input.latesInWeek < 0) throw new RangeError(`Lates in a week must be a whole number, got ${input.latesInWeek}`);
	if (input.latesInWeek < lateness.latesInWeek) return null;
	const current = input.stage.lateness;
	if (current === null || !lateness.ladder.includes(current)) {
		const first = lateness.ladder[0]!;
		return { step: first, owner: lateness.owners[first] ?? 'attendance_lead', reason: { code: 'lateness', lates: input.latesInWeek }, nextStage: { ...input.stage, lateness: first } };
	}
	const next = nextOnLadder(lateness.ladder, current);
	if (next) {
		return { step: next, owner: lateness.owners[next] ?? 'attendance_lead', reason: { code: 'lateness_continues', after: current }, nextStage: { ...input.stage, lateness: next } };
	}
	// The lateness ladder is done: the absence process takes over, at its entry or its next step.
	const absence = input.stage.attendance;
	const step = absence && policy.ladder.includes(absence) ? nextOnLadder(policy.ladder, absence) : (policy.ladder[0] ?? null);
	if (!step) return null;
	return { step, owner: ownerOf(policy, step), reason: { code: 'lateness_into_absence', after: current }, nextStage: { attendance: step, lateness: current } };
}

/** The skip reasons staff pick from (any other reason is typed as "other"). */
export const SKIP_REASONS = ['bereavement', 'long_term_illness', 'already_in_touch', 'other'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export const SKIP_REASON_LABELS: Readonly<Record<SkipReason, string>> = {
	bereavement: 'Bereavement',
	long_term_illness: 'Long-term illness',
	already_in_touch: 'Already in touch with the family',
	other: 'Another reason'
};

/** A monitoring point: its key names the period, so a point is run once however often the page is opened. */
export interface MonitoringPoint {
	key: string;
	kind: 'attendance' | 'lateness';
	label: string;
	from: string;
	to: string;
}

/** 'attendance:2026-27:Autumn 1' or 'lateness:2026-W46' (ISO week of its Monday). */
export function pointKey(kind: 'attendance' | 'lateness', id: string): string {
	return `${kind}:${id}`;
}

/** Trend between two periods in tenths of a percentage point (positive: better); null without both. */
export function trendTenths(period: Figures, previous: Figures | null): number | null {
	if (!previous || previous.possible === 0 || period.possible === 0) return null;
	return perMille(period) - perMille(previous);
}

/** A policy from stored JSON, or the default preset when it is missing or malformed. */
export function policyOrDefault(value: unknown): GraduatedPolicy {
	if (value && typeof value === 'object' && 'preset' in value && 'bands' in value && Array.isArray((value as GraduatedPolicy).bands)) {
		return value as GraduatedPolicy;
	}
	return PRESETS[DEFAULT_PRESET];
}

/** What is wrong with an edited policy: codes with their values (words in i18n-staff-problems). */
export type PolicyProblem =
	| { code: 'bands_empty' }
	| { code: 'bands_not_descending'; band: string }
	| { code: 'lowest_band_not_zero' }
	| { code: 'band_percent_range'; band: string }
	| { code: 'ladder_empty' }
	| { code: 'review_target_range' }
	| { code: 'lates_in_week_range' };

/** Checks an edited policy's shape: bands descending, the lowest from 0, percentages 0–100. */
export function policyProblems(policy: GraduatedPolicy): PolicyProblem[] {
	const problems: PolicyProblem[] = [];
	if (policy.bands.length === 0) return [{ code: 'bands_empty' }];
	policy.bands.forEach((b, i) => {
		if (!(b.from.percent >= 0 && b.from.percent <= 100)) problems.push({ code: 'band_percent_range', band: b.key });
		const prev = policy.bands[i - 1];
		if (prev && tenths(b.from.percent) >= tenths(prev.from.percent) && !(tenths(b.from.percent) === tenths(prev.from.percent) && prev.from.inclusive === false && b.from.inclusive)) {
			problems.push({ code: 'bands_not_descending', band: b.key });
		}
	});
	const lowest = policy.bands.at(-1)!;
	if (lowest.from.percent !== 0 || !lowest.from.inclusive) problems.push({ code: 'lowest_band_not_zero' });
	if (policy.ladder.length === 0) problems.push({ code: 'ladder_empty' });
	if (!(policy.review.targetPercent > 0 && policy.review.targetPercent <= 100)) problems.push({ code: 'review_target_range' });
	if (policy.lateness && !(Number.isSafeInteger(policy.lateness.latesInWeek) && policy.lateness.latesInWeek >= 1 && policy.lateness.latesInWeek <= 10)) problems.push({ code: 'lates_in_week_range' });
	return problems;
}

export interface TermDates {
	name: string;
	startsOn: string;
	endsOn: string;
}

function addIsoDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/**
 * The monitoring points that can be run on `today`: each half term (or term: the two halves
 * that share a season's name) that has ended, newest first, with the period before it for the
 * trend; and, when lateness is monitored, the last `weeks` school weeks (Monday to Friday)
 * that have ended and fall in a term.
 */
export function monitoringPoints(
	policy: Pick<GraduatedPolicy, 'cadence' | 'lateness'>,
	academicYear: string,
	terms: readonly TermDates[],
	today: string,
	weeks = 4
): { attendance: (MonitoringPoint & { previous: { from: string; to: string } | null })[]; lateness: MonitoringPoint[] } {
	const sorted = [...terms].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
	let periods: { name: string; from: string; to: string }[];
	if (policy.cadence === 'half_termly') {
		periods = sorted.map((t) => ({ name: t.name, from: t.startsOn, to: t.endsOn }));
	} else {
		periods = [];
		for (const t of sorted) {
			const season = t.name.split(' ')[0] ?? t.name;
			const last = periods.at(-1);
			if (last && last.name === season) last.to = t.endsOn;
			else periods.push({ name: season, from: t.startsOn, to: t.endsOn });
		}
	}
	const attendance = periods
		.map((p, i) => ({
			key: pointKey('attendance', `${academicYear}:${p.name}`),
			kind: 'attendance' as const,
			label: `End of ${p.name} ${academicYear}`,
			from: p.from,
			to: p.to,
			previous: i > 0 ? { from: periods[i - 1]!.from, to: periods[i - 1]!.to } : null
		}))
		.filter((p) => p.to < today)
		.reverse();
	const lateness: MonitoringPoint[] = [];
	if (policy.lateness) {
		// The Monday of the week before today's week, then back week by week.
		const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
		let monday = addIsoDays(today, -((dow + 6) % 7) - 7);
		for (let guard = 0; lateness.length < weeks && guard < 26; guard++, monday = addIsoDays(monday, -7)) {
			const friday = addIsoDays(monday, 4);
			const inTerm = sorted.some((t) => t.startsOn <= friday && t.endsOn >= monday);
			if (!inTerm) continue;
			lateness.push({ key: pointKey('lateness', monday), kind: 'lateness', label: `Week beginning ${monday}`, from: monday, to: friday });
		}
	}
	return { attendance, lateness };
}
