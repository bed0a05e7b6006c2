import { describe, expect, it } from 'vitest';
import { rollingWindowBounds, unauthorisedInRollingWindow, type Mark } from '../../src/lib/domain/attendance';
import {
	amountDueOn,
	assessInterventionRequest,
	canMoveIntervention,
	isValidImprovementPeriod,
	noticesWithinLookback,
	penaltyNoticeTerms,
	yearsBefore,
	type InterventionRequest
} from '../../src/lib/domain/legal-intervention';
import { calendar2026 } from './fixtures';

const window = (count: number) => ({ count, windowStart: '2026-09-07', windowEnd: '2026-11-13' });

function request(overrides: Partial<InterventionRequest> = {}): InterventionRequest {
	return {
		kind: 'penalty_notice',
		asOf: '2026-11-13',
		window: window(10),
		support: 'offered',
		earlierPenaltyNotices: [],
		...overrides
	};
}

describe('the threshold: 10 unauthorised sessions in the rolling window', () => {
	it('exactly 10 meets it; 9 does not, and the finding carries the count and the window', () => {
		expect(assessInterventionRequest(request({ window: window(10) })).allowed).toBe(true);
		const nine = assessInterventionRequest(request({ window: window(9) }));
		expect(nine.allowed).toBe(false);
		expect(nine.findings).toEqual([
			{ code: 'threshold_not_met', count: 9, threshold: 10, windowStart: '2026-09-07', windowEnd: '2026-11-13' }
		]);
	});

	it('applies to a notice to improve as well', () => {
		const r = assessInterventionRequest(request({ kind: 'notice_to_improve', improvementWeeks: 4, window: window(9) }));
		expect(r.allowed).toBe(false);
		expect(r.findings.map((f) => f.code)).toEqual(['threshold_not_met']);
	});

	it('counts any mix of G, N, O and U across the October half term (the window spans it)', () => {
		const cal = calendar2026();
		// Five sessions before half term (Autumn 1's last week) and five after it (Autumn 2).
		const marks: Mark[] = [
			{ date: '2026-10-19', session: 'AM', code: 'G' },
			{ date: '2026-10-19', session: 'PM', code: 'G' },
			{ date: '2026-10-20', session: 'AM', code: 'N' },
			{ date: '2026-10-21', session: 'AM', code: 'O' },
			{ date: '2026-10-22', session: 'AM', code: 'U' },
			{ date: '2026-11-09', session: 'AM', code: 'N' },
			{ date: '2026-11-10', session: 'AM', code: 'O' },
			{ date: '2026-11-10', session: 'PM', code: 'O' },
			{ date: '2026-11-11', session: 'AM', code: 'G' },
			{ date: '2026-11-12', session: 'AM', code: 'U' },
			// Authorised illness and a late-before-close are not counted.
			{ date: '2026-11-12', session: 'PM', code: 'I' },
			{ date: '2026-11-13', session: 'AM', code: 'L' }
		];
		const w = unauthorisedInRollingWindow(marks, cal, '2026-11-13');
		expect(w.count).toBe(10);
		expect(assessInterventionRequest(request({ window: w })).allowed).toBe(true);
	});

	it('a session just before the window starts is not counted (9 in the window)', () => {
		const cal = calendar2026();
		const { windowStart } = rollingWindowBounds(cal, '2026-11-13');
		// Ten school weeks ending with the week of 13 November skip the half-term week.
		expect(windowStart).toBe('2026-08-31');
		const later = rollingWindowBounds(cal, '2026-12-04');
		expect(later.windowStart).toBe('2026-09-21');
		const marks: Mark[] = [
			{ date: '2026-09-18', session: 'AM', code: 'G' },
			...['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'].map(
				(date) => ({ date, session: 'AM' as const, code: 'N' as const })
			)
		];
		const w = unauthorisedInRollingWindow(marks, cal, '2026-12-04');
		expect(w.count).toBe(9);
		expect(assessInterventionRequest(request({ asOf: '2026-12-04', window: w })).allowed).toBe(false);
		const onStart = unauthorisedInRollingWindow([...marks, { date: '2026-09-21', session: 'AM', code: 'G' }], cal, '2026-12-04');
		expect(onStart.count).toBe(10);
	});
});

describe('support first', () => {
	it('refuses a request where support was not offered', () => {
		const r = assessInterventionRequest(request({ support: 'not_offered' }));
		expect(r.allowed).toBe(false);
		expect(r.findings).toEqual([{ code: 'support_not_offered' }]);
	});

	it('accepts "not appropriate" only with the reason', () => {
		expect(assessInterventionRequest(request({ support: 'not_appropriate', supportNotAppropriateReason: '  ' })).findings).toEqual([
			{ code: 'support_reason_missing' }
		]);
		expect(
			assessInterventionRequest(request({ support: 'not_appropriate', supportNotAppropriateReason: 'A holiday taken in term time after leave was refused' }))
				.allowed
		).toBe(true);
	});

	it('reports every finding at once', () => {
		const r = assessInterventionRequest(request({ support: 'not_offered', window: window(3) }));
		expect(r.findings.map((f) => f.code)).toEqual(['threshold_not_met', 'support_not_offered']);
	});
});

describe('first, second and no third penalty notice within 3 years', () => {
	it('a first notice: £80 within 21 days, £160 within 28', () => {
		const r = assessInterventionRequest(request());
		expect(r).toMatchObject({
			allowed: true,
			terms: { noticeNumber: 1, reducedAmount: 80, reducedBy: '2026-12-04', fullAmount: 160, payBy: '2026-12-11' }
		});
	});

	it('a second within 3 years: £160 within 28 days and no reduced rate', () => {
		const r = assessInterventionRequest(request({ earlierPenaltyNotices: [{ issuedOn: '2025-01-10', withdrawn: false }] }));
		expect(r).toMatchObject({
			allowed: true,
			terms: { noticeNumber: 2, reducedAmount: null, reducedBy: null, fullAmount: 160, payBy: '2026-12-11' }
		});
	});

	it('no third within 3 years: the request says prosecution is considered instead', () => {
		const r = assessInterventionRequest(
			request({
				earlierPenaltyNotices: [
					{ issuedOn: '2026-03-02', withdrawn: false },
					{ issuedOn: '2024-02-05', withdrawn: false }
				]
			})
		);
		expect(r.allowed).toBe(false);
		expect(r.findings).toEqual([{ code: 'third_notice_prosecution_instead', noticesWithin3Years: 2, earliestIssuedOn: '2024-02-05' }]);
	});

	it('the 3 years: a notice issued exactly 3 years earlier still counts; one a day older does not', () => {
		const asOf = '2026-11-13';
		expect(noticesWithinLookback([{ issuedOn: '2023-11-13', withdrawn: false }], asOf)).toHaveLength(1);
		expect(noticesWithinLookback([{ issuedOn: '2023-11-12', withdrawn: false }], asOf)).toHaveLength(0);
		const older = assessInterventionRequest(
			request({
				earlierPenaltyNotices: [
					{ issuedOn: '2026-01-05', withdrawn: false },
					{ issuedOn: '2023-11-12', withdrawn: false }
				]
			})
		);
		expect(older).toMatchObject({ allowed: true, terms: { noticeNumber: 2 } });
	});

	it('withdrawn notices and notices after the day assessed do not count', () => {
		const r = assessInterventionRequest(
			request({
				earlierPenaltyNotices: [
					{ issuedOn: '2026-01-05', withdrawn: true },
					{ issuedOn: '2025-06-05', withdrawn: true },
					{ issuedOn: '2026-12-01', withdrawn: false }
				]
			})
		);
		expect(r).toMatchObject({ allowed: true, terms: { noticeNumber: 1 } });
	});

	it('a leap day three years back falls to 28 February', () => {
		expect(yearsBefore('2028-02-29', 3)).toBe('2025-02-28');
		expect(yearsBefore('2026-11-13', 3)).toBe('2023-11-13');
		expect(() => yearsBefore('2026-13-01', 3)).toThrow(RangeError);
	});
});

describe('the amount due on the day of payment', () => {
	it('first notice: £80 up to day 21, £160 on days 22 to 28, nothing payable after', () => {
		expect(amountDueOn('2026-11-13', 1, '2026-11-13')).toBe(80);
		expect(amountDueOn('2026-11-13', 1, '2026-12-04')).toBe(80);
		expect(amountDueOn('2026-11-13', 1, '2026-12-05')).toBe(160);
		expect(amountDueOn('2026-11-13', 1, '2026-12-11')).toBe(160);
		expect(amountDueOn('2026-11-13', 1, '2026-12-12')).toBeNull();
	});

	it('second notice: £160 up to day 28', () => {
		expect(amountDueOn('2026-11-13', 2, '2026-11-14')).toBe(160);
		expect(amountDueOn('2026-11-13', 2, '2026-12-11')).toBe(160);
		expect(amountDueOn('2026-11-13', 2, '2026-12-12')).toBeNull();
	});

	it('a payment dated before the notice is not a payment of it', () => {
		expect(amountDueOn('2026-11-13', 1, '2026-11-12')).toBeNull();
	});

	it('terms for a second notice end on day 28', () => {
		expect(penaltyNoticeTerms('2026-02-01', 2).payBy).toBe('2026-03-01');
	});
});

describe('notice to improve: 3 to 6 weeks', () => {
	it('accepts 3 and 6 weeks and sets the end of the period', () => {
		expect(assessInterventionRequest(request({ kind: 'notice_to_improve', improvementWeeks: 3 }))).toMatchObject({
			allowed: true,
			terms: { improvementWeeks: 3, improvementEndsOn: '2026-12-04' }
		});
		expect(assessInterventionRequest(request({ kind: 'notice_to_improve', improvementWeeks: 6 }))).toMatchObject({
			allowed: true,
			terms: { improvementEndsOn: '2026-12-25' }
		});
	});

	it('refuses 2, 7, fractions and no period', () => {
		for (const weeks of [2, 7, 4.5, undefined]) {
			const r = assessInterventionRequest(request({ kind: 'notice_to_improve', improvementWeeks: weeks }));
			expect(r.findings).toEqual([{ code: 'improvement_period_out_of_range', weeks: weeks ?? null, min: 3, max: 6 }]);
		}
		expect(isValidImprovementPeriod(null)).toBe(false);
	});

	it('is not limited by earlier penalty notices', () => {
		const r = assessInterventionRequest(
			request({
				kind: 'notice_to_improve',
				improvementWeeks: 4,
				earlierPenaltyNotices: [
					{ issuedOn: '2026-03-02', withdrawn: false },
					{ issuedOn: '2025-02-05', withdrawn: false }
				]
			})
		);
		expect(r.allowed).toBe(true);
	});
});

describe('status changes', () => {
	it('a request is issued or refused; an issued penalty notice is paid, unpaid or withdrawn', () => {
		expect(canMoveIntervention('penalty_notice', 'requested', 'issued')).toBe(true);
		expect(canMoveIntervention('penalty_notice', 'requested', 'refused')).toBe(true);
		expect(canMoveIntervention('penalty_notice', 'requested', 'paid')).toBe(false);
		expect(canMoveIntervention('penalty_notice', 'issued', 'paid')).toBe(true);
		expect(canMoveIntervention('penalty_notice', 'issued', 'unpaid')).toBe(true);
		expect(canMoveIntervention('penalty_notice', 'issued', 'withdrawn')).toBe(true);
		expect(canMoveIntervention('penalty_notice', 'issued', 'improved')).toBe(false);
		expect(canMoveIntervention('penalty_notice', 'unpaid', 'paid')).toBe(false);
		expect(canMoveIntervention('penalty_notice', 'paid', 'withdrawn')).toBe(false);
	});

	it('a notice to improve ends improved or not improved, never paid', () => {
		expect(canMoveIntervention('notice_to_improve', 'issued', 'improved')).toBe(true);
		expect(canMoveIntervention('notice_to_improve', 'issued', 'not_improved')).toBe(true);
		expect(canMoveIntervention('notice_to_improve', 'issued', 'paid')).toBe(false);
		expect(canMoveIntervention('notice_to_improve', 'refused', 'issued')).toBe(false);
	});
});
