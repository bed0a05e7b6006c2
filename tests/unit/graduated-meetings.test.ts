import { describe, expect, it } from 'vitest';
import { isBareYes, meetingForReply, parseMeetingReply, reminderDue, reminderDueAt } from '../../src/lib/domain/graduated-meetings';

describe('replies to a meeting invitation', () => {
	it.each([
		['YES', 'confirm'],
		['Yes.', 'confirm'],
		['1', 'confirm'],
		['confirm', 'confirm'],
		['I can come', 'confirm'],
		['TAK', 'confirm'],
		['Da', 'confirm'],
		['نعم', 'confirm'],
		['হ্যাঁ', 'confirm'],
		['2', 'another_time'],
		['Another time', 'another_time'],
		['ANOTHER TIME please', 'another_time'],
		['inny termin', 'another_time'],
		['altă dată', 'another_time'],
		['وقت آخر', 'another_time'],
		['অন্য সময়', 'another_time']
	] as const)('%s → %s', (text, answer) => {
		expect(parseMeetingReply(text)).toBe(answer);
	});

	it.each(['Sam is off sick today', 'yes she is still ill', '3', 'no', 'back', '', 'yes '.repeat(20)])('%s is not a meeting reply', (text) => {
		expect(parseMeetingReply(text)).toBeNull();
	});

	it('a bare YES is the one word the daily check-in shares', () => {
		expect(isBareYes('Yes')).toBe(true);
		expect(isBareYes('tak')).toBe(true);
		expect(isBareYes('1')).toBe(false);
		expect(isBareYes('confirm')).toBe(false);
	});
});

describe('the day-before reminder', () => {
	// Thu 19 Nov 2026 15:30 in London (GMT), and Thu 1 Oct 2026 15:30 (BST, 14:30Z).
	const november = new Date('2026-11-19T15:30:00Z');
	const october = new Date('2026-10-01T14:30:00Z');
	const invited = { status: 'invited' as const, startsAt: november, remindedAt: null };

	it('is due from 09:00 school time the day before, in GMT and in BST', () => {
		expect(reminderDueAt(november, 'Europe/London').toISOString()).toBe('2026-11-18T09:00:00.000Z');
		expect(reminderDueAt(october, 'Europe/London').toISOString()).toBe('2026-09-30T08:00:00.000Z');
	});

	it('goes from then until the meeting starts, once, and only for invited or confirmed meetings', () => {
		expect(reminderDue(invited, new Date('2026-11-18T08:59:00Z'), 'Europe/London')).toBe(false);
		expect(reminderDue(invited, new Date('2026-11-18T09:00:00Z'), 'Europe/London')).toBe(true);
		expect(reminderDue({ ...invited, status: 'confirmed' }, new Date('2026-11-19T10:00:00Z'), 'Europe/London')).toBe(true);
		expect(reminderDue(invited, new Date('2026-11-19T15:30:00Z'), 'Europe/London')).toBe(false);
		expect(reminderDue({ ...invited, remindedAt: new Date('2026-11-18T09:00:00Z') }, new Date('2026-11-18T10:00:00Z'), 'Europe/London')).toBe(false);
		expect(reminderDue({ ...invited, status: 'another_time' }, new Date('2026-11-18T10:00:00Z'), 'Europe/London')).toBe(false);
		expect(reminderDue({ ...invited, startsAt: null }, new Date('2026-11-18T10:00:00Z'), 'Europe/London')).toBe(false);
	});
});

describe('which meeting a text reply is about', () => {
	const at = (iso: string) => new Date(iso);
	it('the most recent invitation of the one child; a choice when two children have one', () => {
		expect(meetingForReply([])).toBeNull();
		const older = { id: 'a', pupilId: 'sam', invitedAt: at('2026-11-01T10:00:00Z') };
		const newer = { id: 'b', pupilId: 'sam', invitedAt: at('2026-11-05T10:00:00Z') };
		expect(meetingForReply([older, newer])).toEqual({ meeting: newer });
		const ella = { id: 'c', pupilId: 'ella', invitedAt: at('2026-11-03T10:00:00Z') };
		expect(meetingForReply([older, newer, ella])).toEqual({ ask: [newer, ella] });
	});
});
