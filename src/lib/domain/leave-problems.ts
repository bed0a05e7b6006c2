/**
 * What can stop a change to a leave request, as codes with their values. The words, in every
 * language, English included, are chosen at the edge (src/lib/i18n-leave.ts) from the message
 * files: a family reads them in their language, staff in English.
 */

/** A family's change: answering the school's question, adding a document, withdrawing, asking. */
export type LeaveChangeProblem =
	| { code: 'request_not_found' }
	| { code: 'already_decided' }
	| { code: 'answer_missing' }
	| { code: 'answer_too_long'; max: number }
	| { code: 'no_question_asked' }
	| { code: 'evidence_not_open' }
	| { code: 'evidence_missing' }
	| { code: 'evidence_empty' }
	| { code: 'evidence_too_large'; maxMegabytes: number }
	| { code: 'evidence_wrong_type' }
	| { code: 'evidence_heic_unreadable' }
	| { code: 'evidence_not_saved' }
	| { code: 'too_many_requests'; retryAfterSeconds: number };

/** The headteacher's decision. */
export type LeaveDecisionProblem =
	| { code: 'not_allowed_to_decide' }
	| { code: 'request_not_found' }
	| { code: 'already_decided' }
	| { code: 'reason_missing' }
	| { code: 'question_missing' }
	| { code: 'agreed_dates_outside_request' }
	| { code: 'agreed_dates_are_whole_request' }
	| { code: 'religious_one_day_at_a_time' }
	| { code: 'split_not_religious' }
	| { code: 'set_apart_missing' }
	| { code: 'set_apart_not_requested' };

/** The longest answer a family may give to the school's question. */
export const MAX_LEAVE_ANSWER_CHARACTERS = 2000;
