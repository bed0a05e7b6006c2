/**
 * Personal days-missed messages with a randomised hold-out (docs/domain-rules.md §9,
 * docs/days-missed-messages.md): who is eligible, households (siblings together), the stratified
 * draw of who is held out of one run, and what one household's message says.
 *
 * Pure: no I/O. The words are in the message files (src/lib/i18n-days-missed.ts).
 */
import { BANDS, type Band } from './attendance';
import { academicYearBounds, addDays, compareDates, type IsoDate, type SchoolCalendar, type Term } from './calendar';

/** A school's default: families whose child is below this attendance this year are eligible. */
export const DEFAULT_THRESHOLD_PERCENT = 95;
/** A school's default share of eligible households held out of a run. */
export const DEFAULT_HOLD_OUT_PERCENT = 20;
/** Limits staff may choose: a hold-out of half or more would withhold the message from most families. */
export const HOLD_OUT_PERCENT_MAX = 50;
export const THRESHOLD_PERCENT_MIN = 50;
export const THRESHOLD_PERCENT_MAX = 100;
/** The message is kept short enough to be read on a phone: at most about this many words. */
export const MESSAGE_WORDS_MAX = 150;

export const EXCLUSION_REASONS = ['bereavement', 'long_term_illness', 'safeguarding', 'other'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
export const EXCLUSION_REASON_LABELS: Readonly<Record<ExclusionReason, string>> = {
	bereavement: 'Bereavement',
	long_term_illness: 'Long-term illness',
	safeguarding: 'Safeguarding advice',
	other: 'Other reason'
};

/** One child's figures as the run sees them. */
export interface ChildFigures {
	pupilId: string;
	firstName: string;
	/** Attendance this school year, 0–100; null with no possible sessions yet. */
	percent: number | null;
	band: Band | null;
	/** Days missed in the last completed half term (halves allowed). */
	daysLastHalfTerm: number;
	/** Days missed so far this school year (halves allowed). */
	daysThisYear: number;
}

/** A parent–child link with parental responsibility. */
export interface FamilyLink {
	pupilId: string;
	guardianId: string;
	/** 1 = first to contact. */
	contactPriority: number;
}

/** Children who share a parent or carer, with those parents: one message, one draw. */
export interface Household {
	/** Stable: the smallest of its pupils' ids (the service uses their MIS ids). */
	key: string;
	pupilIds: string[];
	guardianIds: string[];
	/** Who the one message goes to: the first to contact (lowest priority number, then id). */
	recipientGuardianId: string;
}

/**
 * Groups parent–child links into households: children linked through any shared parent or carer
 * are one household (so siblings are messaged together and drawn together), with all their
 * parents. Ordered by key, so the result does not depend on the order of the links.
 */
export function groupHouseholds(links: readonly FamilyLink[]): Household[] {
	const parent = new Map<string, string>();
	const find = (x: string): string => {
		let root = x;
		while (parent.get(root) !== root) root = parent.get(root)!;
		let node = x;
		while (node !== root) {
			const next = parent.get(node)!;
			parent.set(node, root);
			node = next;
		}
		return root;
	};
	const add = (x: string) => {
		if (!parent.has(x)) parent.set(x, x);
	};
	const union = (a: string, b: string) => {
		const ra = find(a);
		const rb = find(b);
		if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
	};
	for (const l of links) {
		add(`p:${l.pupilId}`);
		add(`g:${l.guardianId}`);
		union(`p:${l.pupilId}`, `g:${l.guardianId}`);
	}
	const groups = new Map<string, { pupils: Set<string>; guardians: Map<string, number> }>();
	for (const l of links) {
		const root = find(`p:${l.pupilId}`);
		const g = groups.get(root) ?? { pupils: new Set(), guardians: new Map() };
		g.pupils.add(l.pupilId);
		g.guardians.set(l.guardianId, Math.min(g.guardians.get(l.guardianId) ?? Infinity, l.contactPriority));
		groups.set(root, g);
	}
	return [...groups.values()]
		.map((g) => {
			const pupilIds = [...g.pupils].sort();
			const guardianIds = [...g.guardians.keys()].sort();
			const recipientGuardianId = [...g.guardians.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
			return { key: pupilIds[0]!, pupilIds, guardianIds, recipientGuardianId };
		})
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A child the message is about: attendance below the threshold this year, with days actually missed. */
export function isEligibleChild(child: Pick<ChildFigures, 'percent' | 'daysThisYear'>, thresholdPercent: number): boolean {
	return child.percent !== null && child.percent < thresholdPercent && child.daysThisYear > 0;
}

export interface EligibleHousehold extends Household {
	/** Every child of the household at this school, eligible or not (a sibling who is in every day is praised). */
	children: ChildFigures[];
	/** The stratum of the draw: the band of the household's child with the lowest attendance. */
	band: Band;
}

export type IneligibleReason = 'excluded' | 'above_threshold';

/**
 * Which households a run is for: those with at least one eligible child, and none of whose
 * children staff excluded (an exclusion covers the whole household: a bereaved family gets no
 * message about any child). `figures` has the school's children; children at other schools are
 * left out of the message.
 */
export function eligibleHouseholds(
	households: readonly Household[],
	figures: ReadonlyMap<string, ChildFigures>,
	opts: { thresholdPercent: number; excludedPupilIds: ReadonlySet<string> }
): { eligible: EligibleHousehold[]; excluded: number } {
	const eligible: EligibleHousehold[] = [];
	let excluded = 0;
	for (const h of households) {
		const children = h.pupilIds.map((id) => figures.get(id)).filter((c): c is ChildFigures => Boolean(c));
		if (!children.some((c) => isEligibleChild(c, opts.thresholdPercent))) continue;
		if (h.pupilIds.some((id) => opts.excludedPupilIds.has(id))) {
			excluded++;
			continue;
		}
		const lowest = children.filter((c) => c.percent !== null).sort((a, b) => a.percent! - b.percent!)[0]!;
		eligible.push({ ...h, children, band: lowest.band ?? BANDS[BANDS.length - 1]! });
	}
	return { eligible, excluded };
}

/** The half term a run reports on: the latest one of this school year that ended before today. */
export interface ReportingPeriod {
	halfTerm: Term;
	/** The school year's first day. */
	yearFrom: IsoDate;
	/** "This year" counts up to the day before the run. */
	figuresTo: IsoDate;
	/** Half terms of this year before the reported one. */
	earlierHalfTerms: number;
}

export function reportingPeriod(calendar: SchoolCalendar, today: IsoDate): ReportingPeriod | null {
	const year = academicYearBounds(calendar, today);
	const ended = calendar.terms
		.filter((t) => compareDates(t.startsOn, year.startsOn) >= 0 && compareDates(t.endsOn, today) < 0)
		.sort((a, b) => compareDates(a.startsOn, b.startsOn));
	const halfTerm = ended.at(-1);
	if (!halfTerm) return null;
	return { halfTerm, yearFrom: year.startsOn, figuresTo: addDays(today, -1), earlierHalfTerms: ended.length - 1 };
}

/** The results count the days missed in the six weeks from the day the messages went. */
export const FOLLOW_UP_DAYS = 42;

/** The follow-up window of a run sent on `sentOn`: six weeks, or up to yesterday if sooner; null before it starts. */
export function followUpWindow(sentOn: IsoDate, today: IsoDate): { from: IsoDate; to: IsoDate; complete: boolean } | null {
	const end = addDays(sentOn, FOLLOW_UP_DAYS - 1);
	const yesterday = addDays(today, -1);
	const to = compareDates(end, yesterday) <= 0 ? end : yesterday;
	if (compareDates(to, sentOn) < 0) return null;
	return { from: sentOn, to, complete: to === end };
}

// ---------------------------------------------------------------------------------------------
// The draw
// ---------------------------------------------------------------------------------------------

/** A 32-bit seed from a text seed (cyrb53's mixing, folded to 32 bits). */
function hashSeed(seed: string): number {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < seed.length; i++) {
		const ch = seed.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (h1 ^ h2) >>> 0;
}

/** mulberry32: a small, well-known generator; the same seed always gives the same sequence. */
export function seededRandom(seed: string): () => number {
	let a = hashSeed(seed);
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export type Arm = 'message' | 'hold_out';

/**
 * The randomised hold-out, stratified by band: within each band the households are put in key
 * order, shuffled (Fisher–Yates) with the run's seed, and the first round(n × share) are held
 * out. So the draw is reproducible from the seed and the list, and each band is held out in the
 * chosen share (to the nearest household). Bands are drawn in a fixed order from one sequence.
 */
export function stratifiedHoldOut(
	households: readonly { key: string; band: Band }[],
	holdOutPercent: number,
	seed: string
): Map<string, Arm> {
	const random = seededRandom(seed);
	const arms = new Map<string, Arm>();
	for (const band of BANDS) {
		const keys = households
			.filter((h) => h.band === band)
			.map((h) => h.key)
			.sort();
		for (let i = keys.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[keys[i], keys[j]] = [keys[j]!, keys[i]!];
		}
		const held = Math.round((keys.length * holdOutPercent) / 100);
		keys.forEach((k, i) => arms.set(k, i < held ? 'hold_out' : 'message'));
	}
	return arms;
}

/** A fresh seed for a run: recorded with it, so the draw can be checked and repeated. */
export function newSeed(randomBytes: Uint8Array): string {
	return [...randomBytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------------------------------------
// The message: what it says (the words are in the message files)
// ---------------------------------------------------------------------------------------------

/** The "typical pupil": the median days missed this year over the school's pupils with sessions. */
export function typicalDaysMissed(daysThisYear: readonly number[]): number {
	if (daysThisYear.length === 0) return 0;
	const sorted = [...daysThisYear].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
	return Math.round(median * 2) / 2;
}

export type MessagePart =
	| { kind: 'child_missed'; firstName: string; lastHalfTerm: number; thisYear: number }
	| { kind: 'child_none'; firstName: string }
	| { kind: 'improved'; firstName: string }
	| { kind: 'compare'; typical: number; firstName: string }
	| { kind: 'offer'; service: string; contact: string }
	| { kind: 'talk_to_us' };

/**
 * The parts of one household's message, in order: a line per child (days missed last half term
 * and this year, or praise for a child who has missed none); praise when the last half term was
 * better than the year's earlier half terms on average; one encouraging comparison with the
 * school's typical pupil; one practical offer from the directory; and an invitation to talk.
 */
export function messageParts(
	children: readonly Pick<ChildFigures, 'firstName' | 'daysLastHalfTerm' | 'daysThisYear'>[],
	opts: { typicalDays: number; earlierHalfTerms: number; offer: { service: string; contact: string } | null }
): MessagePart[] {
	const parts: MessagePart[] = children.map((c) =>
		c.daysThisYear > 0 ? { kind: 'child_missed', firstName: c.firstName, lastHalfTerm: c.daysLastHalfTerm, thisYear: c.daysThisYear } : { kind: 'child_none', firstName: c.firstName }
	);
	for (const c of children) {
		const earlier = c.daysThisYear - c.daysLastHalfTerm;
		if (opts.earlierHalfTerms > 0 && earlier > 0 && c.daysLastHalfTerm < earlier / opts.earlierHalfTerms) parts.push({ kind: 'improved', firstName: c.firstName });
	}
	const most = [...children].sort((a, b) => b.daysThisYear - a.daysThisYear)[0];
	if (most && most.daysThisYear > 0) parts.push({ kind: 'compare', typical: opts.typicalDays, firstName: most.firstName });
	if (opts.offer) parts.push({ kind: 'offer', ...opts.offer });
	parts.push({ kind: 'talk_to_us' });
	return parts;
}

/** Words in a message as a reader counts them (a run of non-space characters is a word). */
export function wordCount(text: string): number {
	return text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export type ToneCheck = 'short' | 'days_not_percent' | 'no_threats' | 'offers_help';

// Words of consequence the first message must not use (support before consequences).
const THREATS = /\b(fine[ds]?|penalt\w*|prosecut\w*|court|legal\w*|sanction\w*|kar[aąy]\w*|amend\w*|sąd\w*|instanț\w*)\b|غرام|محكم|জরিমানা|আদালত/iu;

/**
 * The tone checklist (docs/tone-checklist.md, "Days-missed messages") as far as it can be
 * checked mechanically: at most about 150 words, days not percentages, no words of penalty,
 * and an offer of help. Returns the checks the text fails.
 */
export function toneChecklistFailures(text: string, opts: { offer: string | null }): ToneCheck[] {
	const failures: ToneCheck[] = [];
	if (wordCount(text) > MESSAGE_WORDS_MAX) failures.push('short');
	if (/[%٪]/u.test(text)) failures.push('days_not_percent');
	if (THREATS.test(text)) failures.push('no_threats');
	if (opts.offer && !text.includes(opts.offer)) failures.push('offers_help');
	return failures;
}
