import { describe, expect, it } from 'vitest';
import { LEAVE_STATUS_LABELS, LEAVE_TYPES, LEAVE_TYPE_LABELS, type LeaveStatus } from '../../src/lib/domain/leave';
import { leaveDatesLabel, leaveStatusLabel, leaveTypeLabel } from '../../src/lib/i18n-leave';

const STATUSES = Object.keys(LEAVE_STATUS_LABELS) as LeaveStatus[];

describe('leave labels in parents\' languages', () => {
	it('English is exactly the wording staff pages and letters use', () => {
		for (const s of STATUSES) expect(leaveStatusLabel(s, 'en')).toBe(LEAVE_STATUS_LABELS[s]);
		for (const t of LEAVE_TYPES) expect(leaveTypeLabel(t, 'en')).toBe(LEAVE_TYPE_LABELS[t]);
	});

	it('every status and type has its own wording in every other language', () => {
		for (const locale of ['pl', 'ro', 'ar', 'bn'] as const) {
			const statuses = STATUSES.map((s) => leaveStatusLabel(s, locale));
			const types = LEAVE_TYPES.map((t) => leaveTypeLabel(t, locale));
			expect(new Set(statuses).size, locale).toBe(STATUSES.length);
			expect(new Set(types).size, locale).toBe(LEAVE_TYPES.length);
			for (const [i, s] of STATUSES.entries()) expect(statuses[i], `${locale} ${s}`).not.toBe(LEAVE_STATUS_LABELS[s]);
		}
		expect(leaveStatusLabel('approved', 'pl')).toBe('Zgoda udzielona');
		expect(leaveTypeLabel('religious_observance', 'ro')).toBe('Sărbătoare religioasă');
	});

	it('a type stored by an older version is shown as stored', () => {
		expect(leaveTypeLabel('holiday', 'pl')).toBe('holiday');
	});

	it('dates: one day, or a range, in the language', () => {
		expect(leaveDatesLabel('2026-11-23', '2026-11-23', 'en')).toBe('Monday 23 November 2026');
		expect(leaveDatesLabel('2026-11-23', '2026-11-24', 'en')).toBe('Monday 23 November 2026 to Tuesday 24 November 2026');
		expect(leaveDatesLabel('2026-11-23', '2026-11-24', 'pl')).toBe('poniedziałek, 23 listopada 2026 – wtorek, 24 listopada 2026');
		expect(leaveDatesLabel('2026-11-23', '2026-11-23', 'ar')).toContain('23');
	});
});
