import { describe, expect, it } from 'vitest';
import { problemFromCode, type ReportProblem } from '../../src/lib/domain/report-problems';
import { fieldProblemText, reportProblemMessages, reportProblemText } from '../../src/lib/i18n-problems';
import { LOCALES } from '../../src/lib/domain/locale';

// One of each problem, with values where the code has them.
const EVERY_PROBLEM: ReportProblem[] = [
	...(['choose_who', 'choose_when', 'enter_date', 'enter_first_day', 'enter_last_day', 'choose_why', 'choose_reason', 'tell_reason',
		'choose_sessions', 'real_date', 'date_in_past', 'last_before_first', 'school_closed', 'no_morning', 'no_afternoon', 'child_not_found',
		'report_not_found', 'report_acknowledged', 'report_withdrawn', 'report_has_end', 'report_unreadable', 'time_in', 'time_leave',
		'time_back', 'back_after_leave', 'part_one_day'] as const).map((code) => problemFromCode(code)!),
	{ code: 'details_too_long', max: 500 },
	{ code: 'not_term_time', date: '2026-10-28' },
	{ code: 'too_far_ahead', days: 60 },
	{ code: 'too_many_reports', retryAfterSeconds: 600 }
];

describe('report problems: codes in, sentences from the message files', () => {
	it('every code a schema can carry names a problem, and other strings do not', () => {
		for (const p of EVERY_PROBLEM.filter((p) => !('max' in p || 'date' in p || 'days' in p || 'retryAfterSeconds' in p))) {
			expect(problemFromCode(p.code)).toEqual({ code: p.code });
		}
		expect(problemFromCode('Choose a reason.')).toBeNull();
		expect(problemFromCode('details_too_long')).toBeNull();
	});

	it('the English is the wording the English pages have always shown', () => {
		expect(reportProblemText({ code: 'choose_who' }, 'en')).toBe('Choose who is off school');
		expect(reportProblemText({ code: 'not_term_time', date: '2026-10-28' }, 'en')).toBe('Wednesday 28 October 2026 is not in term time.');
		expect(reportProblemText({ code: 'too_far_ahead', days: 3 }, 'en')).toMatch(/^You can report up to 3 school days ahead\./);
		expect(reportProblemText({ code: 'too_many_reports', retryAfterSeconds: 600 }, 'en')).toBe(
			'You have sent a lot of reports in the last hour. Please try again in 10 minutes. If it is urgent, please phone the school.'
		);
		expect(reportProblemText({ code: 'too_many_reports', retryAfterSeconds: 30 }, 'en')).toMatch(/in a minute\./);
		expect(reportProblemText({ code: 'too_many_reports', retryAfterSeconds: 3 * 3600 }, 'en')).toMatch(/in 3 hours\./);
	});

	it('every problem has its own sentence in every language, with its values in it', () => {
		for (const locale of LOCALES) {
			const texts = EVERY_PROBLEM.map((p) => reportProblemText(p, locale));
			for (const t of texts) expect(t.trim().length).toBeGreaterThan(5);
			expect(reportProblemText({ code: 'details_too_long', max: 500 }, locale)).toMatch(/500|৫০০/);
			if (locale !== 'en') {
				// Not the English fallback: the language's own words.
				expect(reportProblemText({ code: 'choose_who' }, locale)).not.toBe(reportProblemText({ code: 'choose_who' }, 'en'));
				expect(reportProblemText({ code: 'not_term_time', date: '2026-10-28' }, locale)).not.toMatch(/October/);
			}
		}
	});

	it('a problem with one of several children names that child first', () => {
		expect(fieldProblemText({ field: 'from', child: 'Amira', code: 'date_in_past' }, 'en')).toMatch(/^Amira: The date is in the past\./);
		expect(reportProblemMessages([{ field: 'reason', code: 'choose_why' }], 'pl')).toEqual([
			{ field: 'reason', message: reportProblemText({ code: 'choose_why' }, 'pl') }
		]);
	});
});
