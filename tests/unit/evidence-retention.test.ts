import { describe, expect, it } from 'vitest';
import { DEFAULT_EVIDENCE_RETENTION_DAYS, evidenceDeletionDue, evidenceExpired, latestExpiredLastDay, parseRetentionDays } from '../../src/lib/domain/evidence-retention';

describe('evidence retention rule', () => {
	it('is 12 months by default and configurable in whole days', () => {
		expect(DEFAULT_EVIDENCE_RETENTION_DAYS).toBe(365);
		expect(parseRetentionDays(undefined)).toBe(365);
		expect(parseRetentionDays(' ')).toBe(365);
		expect(parseRetentionDays('90')).toBe(90);
		for (const bad of ['0', '-5', '1.5', 'a year', '3651']) expect(() => parseRetentionDays(bad)).toThrow(/EVIDENCE_RETENTION_DAYS/);
	});

	it('counts from the last day of leave, for decided and withdrawn requests only', () => {
		expect(evidenceDeletionDue('2026-11-24', 365)).toBe('2027-11-24');
		expect(evidenceDeletionDue('2028-02-28', 2)).toBe('2028-03-01'); // leap year
		for (const status of ['approved', 'partly_approved', 'declined', 'withdrawn']) {
			expect(evidenceExpired({ status, endsOn: '2026-11-24' }, '2027-11-23', 365)).toBe(false);
			expect(evidenceExpired({ status, endsOn: '2026-11-24' }, '2027-11-24', 365)).toBe(true);
		}
		for (const status of ['submitted', 'more_information']) expect(evidenceExpired({ status, endsOn: '2020-01-01' }, '2027-11-24', 365)).toBe(false);
	});

	it('the query bound agrees with the rule', () => {
		const today = '2027-11-24';
		const bound = latestExpiredLastDay(today, 365);
		expect(bound).toBe('2026-11-24');
		expect(evidenceExpired({ status: 'declined', endsOn: bound }, today, 365)).toBe(true);
		expect(evidenceExpired({ status: 'declined', endsOn: '2026-11-25' }, today, 365)).toBe(false);
	});
});
