import { describe, expect, it } from 'vitest';
import type { LeaveChangeProblem, LeaveDecisionProblem } from '../../src/lib/domain/leave-problems';
import { LOCALES } from '../../src/lib/domain/locale';
import { leaveChangeProblemText, leaveDecisionProblemText } from '../../src/lib/i18n-leave';

// One example of every code: `satisfies` makes a new code without an example fail to compile.
const CHANGE = {
	request_not_found: { code: 'request_not_found' },
	already_decided: { code: 'already_decided' },
	answer_missing: { code: 'answer_missing' },
	answer_too_long: { code: 'answer_too_long', max: 2000 },
	no_question_asked: { code: 'no_question_asked' },
	evidence_not_open: { code: 'evidence_not_open' },
	evidence_missing: { code: 'evidence_missing' },
	evidence_empty: { code: 'evidence_empty' },
	evidence_too_large: { code: 'evidence_too_large', maxMegabytes: 10 },
	evidence_wrong_type: { code: 'evidence_wrong_type' },
	evidence_heic_unreadable: { code: 'evidence_heic_unreadable' },
	evidence_not_saved: { code: 'evidence_not_saved' },
	too_many_requests: { code: 'too_many_requests', retryAfterSeconds: 2 * 3600 }
} satisfies { [C in LeaveChangeProblem['code']]: Extract<LeaveChangeProblem, { code: C }> };

const DECISION = {
	not_allowed_to_decide: { code: 'not_allowed_to_decide' },
	request_not_found: { code: 'request_not_found' },
	already_decided: { code: 'already_decided' },
	reason_missing: { code: 'reason_missing' },
	question_missing: { code: 'question_missing' },
	agreed_dates_outside_request: { code: 'agreed_dates_outside_request' },
	agreed_dates_are_whole_request: { code: 'agreed_dates_are_whole_request' },
	religious_one_day_at_a_time: { code: 'religious_one_day_at_a_time' },
	split_not_religious: { code: 'split_not_religious' },
	set_apart_missing: { code: 'set_apart_missing' },
	set_apart_not_requested: { code: 'set_apart_not_requested' }
} satisfies { [C in LeaveDecisionProblem['code']]: Extract<LeaveDecisionProblem, { code: C }> };

describe('words for what stops a change to a leave request', () => {
	it('every change problem has words in every language, each language its own', () => {
		for (const problem of Object.values(CHANGE)) {
			const english = leaveChangeProblemText(problem, 'en');
			expect(english.trim(), problem.code).not.toBe('');
			for (const locale of LOCALES.filter((l) => l !== 'en')) {
				const text = leaveChangeProblemText(problem, locale);
				expect(text.trim(), `${problem.code} ${locale}`).not.toBe('');
				expect(text, `${problem.code} ${locale}`).not.toBe(english);
			}
		}
	});

	it('the English is what families have always read, with the values in it', () => {
		expect(leaveChangeProblemText(CHANGE.answer_too_long, 'en')).toBe('Keep your answer to 2000 characters or fewer');
		expect(leaveChangeProblemText(CHANGE.evidence_too_large, 'en')).toBe('The file must be smaller than 10 MB');
		expect(leaveChangeProblemText(CHANGE.evidence_wrong_type, 'en')).toBe('The file must be a PDF, JPEG, PNG or HEIC (a photo or a scan)');
		expect(leaveChangeProblemText(CHANGE.too_many_requests, 'en')).toBe('You have sent a lot of leave requests today. Please try again in 2 hours.');
		expect(leaveChangeProblemText({ code: 'too_many_requests', retryAfterSeconds: 30 }, 'pl')).toBe('Wysłano dziś wiele wniosków o zwolnienie. Prosimy spróbować ponownie za minutę.');
		expect(leaveChangeProblemText(CHANGE.answer_too_long, 'ro')).toContain('2000');
	});

	it('every decision problem has its own English sentence for the headteacher', () => {
		const texts = Object.values(DECISION).map((p) => leaveDecisionProblemText(p));
		for (const t of texts) expect(t.trim()).not.toBe('');
		expect(new Set(texts).size).toBe(texts.length);
		expect(leaveDecisionProblemText(DECISION.not_allowed_to_decide)).toBe('Only the headteacher or their delegate can decide leave');
	});
});
