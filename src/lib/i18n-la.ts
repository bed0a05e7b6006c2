/**
 * Words for the local authority's pages and the school's referral and notice pages (staff pages:
 * English). The services return codes (features/local-authority); this is where they become
 * sentences.
 */
import type { InterventionFinding, InterventionKind, InterventionStatus, SupportState } from './domain/legal-intervention';
import type { StatutoryNotificationReason } from './domain/statutory-notifications';
import { longDate } from './domain/absence';

export const REFERRAL_STATUS_LABELS: Readonly<Record<'submitted' | 'question' | 'returned' | 'accepted', string>> = {
	submitted: 'Waiting for the local authority',
	question: 'The local authority asked a question',
	returned: 'Returned to the school',
	accepted: 'Accepted by the local authority'
};

export const INTERVENTION_KIND_LABELS: Readonly<Record<InterventionKind, string>> = {
	notice_to_improve: 'Notice to improve',
	penalty_notice: 'Penalty notice'
};

export const INTERVENTION_STATUS_LABELS: Readonly<Record<InterventionStatus, string>> = {
	requested: 'Requested, waiting for the local authority',
	refused: 'Refused',
	issued: 'Issued',
	paid: 'Paid',
	unpaid: 'Not paid in time',
	withdrawn: 'Withdrawn',
	improved: 'Attendance improved',
	not_improved: 'Attendance did not improve enough'
};

export const SUPPORT_LABELS: Readonly<Record<SupportState, string>> = {
	offered: 'Support was offered',
	not_appropriate: 'Support is not appropriate',
	not_offered: 'Support has not been offered'
};

export const STATUTORY_REASON_LABELS: Readonly<Record<StatutoryNotificationReason, string>> = {
	continuous_unauthorised_absence: 'Absent without authorisation for 10 school days or more in a row',
	irregular_attendance: 'Fails to attend regularly (the agreed criteria: persistent absence)'
};

/** One rules finding as a sentence for staff. */
export function interventionFindingText(f: InterventionFinding): string {
	switch (f.code) {
		case 'threshold_not_met':
			return `The threshold is not met: ${f.count} unauthorised sessions between ${longDate(f.windowStart)} and ${longDate(f.windowEnd)}, and the National Framework needs ${f.threshold} within 10 school weeks.`;
		case 'support_not_offered':
			return 'Support must be offered first, unless it is not appropriate (say why).';
		case 'support_reason_missing':
			return 'Say why support is not appropriate.';
		case 'third_notice_prosecution_instead':
			return `No penalty notice can be issued: this parent has had ${f.noticesWithin3Years} for this child within 3 years (the first on ${longDate(f.earliestIssuedOn)}). The local authority will consider prosecution instead.`;
		case 'improvement_period_out_of_range':
			return `A notice to improve gives between ${f.min} and ${f.max} weeks; enter a whole number of weeks in that range.`;
	}
}

type ReferralProblemLike =
	| { code: 'not_permitted' }
	| { code: 'not_found' }
	| { code: 'text_required'; field: 'summary' | 'body' }
	| { code: 'text_too_long'; field: 'summary' | 'body'; max: number }
	| { code: 'already_referred'; reference: string }
	| { code: 'wrong_status'; status: string };

export function referralProblemText(p: ReferralProblemLike): string {
	switch (p.code) {
		case 'not_permitted':
			return 'You do not have permission to do this.';
		case 'not_found':
			return 'That referral or pupil was not found.';
		case 'text_required':
			return p.field === 'summary' ? 'Say why you are referring the pupil now.' : 'Enter the text.';
		case 'text_too_long':
			return `The text must be ${p.max} characters or fewer.`;
		case 'already_referred':
			return `This pupil already has an open referral (${p.reference}).`;
		case 'wrong_status':
			return `This cannot be done now: the referral is ${REFERRAL_STATUS_LABELS[p.status as keyof typeof REFERRAL_STATUS_LABELS]?.toLowerCase() ?? p.status}.`;
	}
}

type InterventionProblemLike =
	| { code: 'not_permitted' }
	| { code: 'not_found' }
	| { code: 'invalid_input'; field: string }
	| { code: 'rules'; findings: InterventionFinding[] }
	| { code: 'wrong_status'; status: InterventionStatus }
	| { code: 'payment_period_over'; payBy: string }
	| { code: 'period_not_over'; endsOn: string };

const FIELD_WORDS: Record<string, string> = {
	kind: 'Choose a notice to improve or a penalty notice.',
	support: 'Say whether support was offered.',
	guardianId: 'Choose the parent the notice is for.',
	paidOn: 'Enter the date it was paid (today or earlier).',
	note: 'Enter the reason (2000 characters or fewer).',
	outcome: 'Choose the outcome.'
};

/** Every sentence for a problem (the rules can give several). */
export function interventionProblemTexts(p: InterventionProblemLike): string[] {
	switch (p.code) {
		case 'not_permitted':
			return ['You do not have permission to do this.'];
		case 'not_found':
			return ['That pupil or notice was not found.'];
		case 'invalid_input':
			return [FIELD_WORDS[p.field] ?? 'Check your answers.'];
		case 'rules':
			return p.findings.map(interventionFindingText);
		case 'wrong_status':
			return [`This cannot be done now: the notice is ${INTERVENTION_STATUS_LABELS[p.status].toLowerCase()}.`];
		case 'payment_period_over':
			return [`The payment period ended on ${longDate(p.payBy)}; record it as not paid.`];
		case 'period_not_over':
			return [`Wait until ${longDate(p.endsOn)}: the period has not ended.`];
	}
}

/** "72.4%" or "–". */
export function percentText(p: number | null): string {
	return p === null ? '–' : `${p.toFixed(1)}%`;
}

/** "+1.2 points", "−0.4 points" or "–". */
export function trendText(t: number | null): string {
	if (t === null) return '–';
	const r = Math.round(t * 10) / 10;
	return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(1)} points`;
}
