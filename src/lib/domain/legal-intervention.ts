/**
 * Notices to improve and penalty notices (docs/domain-rules.md §7; the DfE's National
 * Framework for penalty notices, in force from 19 August 2024, in "Working together to improve
 * school attendance", August 2024).
 *
 * A school asks the local authority for a notice for one parent and one child; these rules say
 * whether the request meets the Framework, what the notice would be (a first or a second penalty
 * notice, and its amounts) and, when no notice may be issued, why. The local authority decides.
 * The threshold, the rolling window and the amounts live in `attendance.ts` (PENALTY_NOTICE,
 * unauthorisedInRollingWindow, penaltyNoticeAmount) so the parent's own view and these rules can
 * never disagree.
 *
 * Pure: no I/O.
 */
import { PENALTY_NOTICE, penaltyNoticeAmount, type RollingWindowResult } from './attendance';
import { addDays, compareDates, daysBetween, isValidIsoDate, type IsoDate } from './calendar';

export const INTERVENTION_KINDS = ['notice_to_improve', 'penalty_notice'] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];

/**
 * Whether the family was offered support first. The Framework expects support before any notice
 * unless support is not appropriate (its example: a holiday taken in term time), and then the
 * school must say why.
 */
export const SUPPORT_STATES = ['offered', 'not_appropriate', 'not_offered'] as const;
export type SupportState = (typeof SUPPORT_STATES)[number];

/** An earlier penalty notice to the same parent for the same child. */
export interface EarlierNotice {
	issuedOn: IsoDate;
	/** A withdrawn notice is treated as never issued. */
	withdrawn: boolean;
}

export interface InterventionRequest {
	kind: InterventionKind;
	/** The day the request is assessed (the day the notice would be issued). */
	asOf: IsoDate;
	/** Unauthorised sessions in the rolling window ending `asOf` (from unauthorisedInRollingWindow). */
	window: Pick<RollingWindowResult, 'count' | 'windowStart' | 'windowEnd'>;
	support: SupportState;
	/** Why support is not appropriate (required when support = 'not_appropriate'). */
	supportNotAppropriateReason?: string;
	/** Penalty notices to this parent for this child, ever (older ones are ignored here). */
	earlierPenaltyNotices: readonly EarlierNotice[];
	/** For a notice to improve: the weeks the parent is given to improve. */
	improvementWeeks?: number;
}

/** What stops a request (codes with their values; words live in the i18n modules). */
export type InterventionFinding =
	| { code: 'threshold_not_met'; count: number; threshold: number; windowStart: IsoDate; windowEnd: IsoDate }
	| { code: 'support_not_offered' }
	| { code: 'support_reason_missing' }
	| { code: 'third_notice_prosecution_instead'; noticesWithin3Years: number; earliestIssuedOn: IsoDate }
	| { code: 'improvement_period_out_of_range'; weeks: number | null; min: number; max: number };

export interface PenaltyNoticeTerms {
	/** 1 = a first notice within 3 years, 2 = a second. */
	noticeNumber: 1 | 2;
	/** The amount if paid by `reducedBy` (first notices only; a second has no reduced rate). */
	reducedAmount: number | null;
	reducedBy: IsoDate | null;
	fullAmount: number;
	payBy: IsoDate;
}

export interface NoticeToImproveTerms {
	improvementWeeks: number;
	improvementEndsOn: IsoDate;
}

export type InterventionAssessment =
	| { allowed: true; kind: 'penalty_notice'; terms: PenaltyNoticeTerms; findings: [] }
	| { allowed: true; kind: 'notice_to_improve'; terms: NoticeToImproveTerms; findings: [] }
	| { allowed: false; kind: InterventionKind; findings: InterventionFinding[] };

/** The years over which earlier notices count (a second within 3 years; no third within 3). */
export const NOTICE_LOOKBACK_YEARS = PENALTY_NOTICE.maxNoticesWithinYears.years;

/** The same calendar day `years` earlier (29 February falls back to 28 February). */
export function yearsBefore(date: IsoDate, years: number): IsoDate {
	assertDate(date);
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const target = new Date(Date.UTC(y - years, m - 1, d));
	if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
	return target.toISOString().slice(0, 10);
}

/**
 * Earlier, not withdrawn penalty notices issued within the 3 years before `asOf`: on or after
 * the same day three years earlier is within; the day before it is not.
 */
export function noticesWithinLookback(earlier: readonly EarlierNotice[], asOf: IsoDate): EarlierNotice[] {
	const from = yearsBefore(asOf, NOTICE_LOOKBACK_YEARS);
	return earlier
		.filter((n) => !n.withdrawn && compareDates(n.issuedOn, from) >= 0 && compareDates(n.issuedOn, asOf) <= 0)
		.sort((a, b) => compareDates(a.issuedOn, b.issuedOn));
}

/** The amounts and dates of a penalty notice issued on `issuedOn` as the `noticeNumber`th within 3 years. */
export function penaltyNoticeTerms(issuedOn: IsoDate, noticeNumber: 1 | 2): PenaltyNoticeTerms {
	assertDate(issuedOn);
	if (noticeNumber === 1) {
		return {
			noticeNumber,
			reducedAmount: PENALTY_NOTICE.first.amountPaidWithin21Days,
			reducedBy: addDays(issuedOn, PENALTY_NOTICE.first.reducedPeriodDays),
			fullAmount: PENALTY_NOTICE.first.amountPaidWithin28Days,
			payBy: addDays(issuedOn, PENALTY_NOTICE.first.fullPeriodDays)
		};
	}
	return {
		noticeNumber,
		reducedAmount: null,
		reducedBy: null,
		fullAmount: PENALTY_NOTICE.second.amount,
		payBy: addDays(issuedOn, PENALTY_NOTICE.second.paymentPeriodDays)
	};
}

/**
 * The amount due for a payment on `paidOn` of a notice issued on `issuedOn`; null when the
 * payment period is over (the local authority then considers prosecution) or `paidOn` is
 * before the notice was issued.
 */
export function amountDueOn(issuedOn: IsoDate, noticeNumber: 1 | 2, paidOn: IsoDate): number | null {
	assertDate(issuedOn);
	assertDate(paidOn);
	if (compareDates(paidOn, issuedOn) < 0) return null;
	return penaltyNoticeAmount(noticeNumber - 1, daysBetween(issuedOn, paidOn));
}

/** Whether a notice to improve may give this many weeks (whole weeks, 3 to 6). */
export function isValidImprovementPeriod(weeks: number | null | undefined): weeks is number {
	const { min, max } = PENALTY_NOTICE.noticeToImproveWeeks;
	return typeof weeks === 'number' && Number.isInteger(weeks) && weeks >= min && weeks <= max;
}

/**
 * Checks a request against the National Framework. Every finding is reported (not just the
 * first), so the school sees everything to put right at once.
 */
export function assessInterventionRequest(request: InterventionRequest): InterventionAssessment {
	assertDate(request.asOf);
	const findings: InterventionFinding[] = [];

	if (request.window.count < PENALTY_NOTICE.thresholdSessions) {
		findings.push({
			code: 'threshold_not_met',
			count: request.window.count,
			threshold: PENALTY_NOTICE.thresholdSessions,
			windowStart: request.window.windowStart,
			windowEnd: request.window.windowEnd
		});
	}
	if (request.support === 'not_offered') findings.push({ code: 'support_not_offered' });
	if (request.support === 'not_appropriate' && !request.supportNotAppropriateReason?.trim()) {
		findings.push({ code: 'support_reason_missing' });
	}

	if (request.kind === 'notice_to_improve') {
		const { min, max } = PENALTY_NOTICE.noticeToImproveWeeks;
		if (!isValidImprovementPeriod(request.improvementWeeks)) {
			findings.push({ code: 'improvement_period_out_of_range', weeks: request.improvementWeeks ?? null, min, max });
		}
		if (findings.length > 0) return { allowed: false, kind: request.kind, findings };
		const weeks = request.improvementWeeks as number;
		return {
			allowed: true,
			kind: 'notice_to_improve',
			terms: { improvementWeeks: weeks, improvementEndsOn: addDays(request.asOf, weeks * 7) },
			findings: []
		};
	}

	const within = noticesWithinLookback(request.earlierPenaltyNotices, request.asOf);
	if (within.length >= PENALTY_NOTICE.maxNoticesWithinYears.notices) {
		findings.push({ code: 'third_notice_prosecution_instead', noticesWithin3Years: within.length, earliestIssuedOn: within[0]!.issuedOn });
	}
	if (findings.length > 0) return { allowed: false, kind: request.kind, findings };
	return {
		allowed: true,
		kind: 'penalty_notice',
		terms: penaltyNoticeTerms(request.asOf, within.length === 0 ? 1 : 2),
		findings: []
	};
}

/** Where a notice stands. */
export const INTERVENTION_STATUSES = [
	/** The school asked; the local authority has not decided. */
	'requested',
	/** The local authority declined to issue (or the rules refused it). */
	'refused',
	/** Issued and running (a notice to improve's period, or a penalty notice's payment period). */
	'issued',
	'paid',
	/** The payment period ended without payment. */
	'unpaid',
	'withdrawn',
	/** A notice to improve whose period ended with attendance improved. */
	'improved',
	/** A notice to improve whose period ended without enough improvement. */
	'not_improved'
] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

/** Which status changes the local authority may make. */
const NEXT: Readonly<Record<InterventionStatus, readonly InterventionStatus[]>> = {
	requested: ['issued', 'refused'],
	refused: [],
	issued: ['paid', 'unpaid', 'withdrawn', 'improved', 'not_improved'],
	paid: [],
	unpaid: ['withdrawn'],
	withdrawn: [],
	improved: [],
	not_improved: []
};

/** May a notice of this kind go from `from` to `to`? */
export function canMoveIntervention(kind: InterventionKind, from: InterventionStatus, to: InterventionStatus): boolean {
	if (!NEXT[from].includes(to)) return false;
	if (kind === 'notice_to_improve') return !['paid', 'unpaid'].includes(to);
	return !['improved', 'not_improved'].includes(to);
}

function assertDate(date: IsoDate): void {
	if (!isValidIsoDate(date)) throw new RangeError(`Not a date: ${date}`);
}
