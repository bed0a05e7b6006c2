/**
 * Meetings of the graduated response: the rules that need no database. How a parent's text
 * reply ("YES", "2", "tak", "another time") reads, and when the day-before reminder is due.
 *
 * Pure: no I/O.
 */
import { addDays, localDateOf, zonedInstant, type IsoDate } from './calendar';

export type MeetingAnswer = 'confirm' | 'another_time';

export const MEETING_STATUSES = ['to_arrange', 'invited', 'confirmed', 'another_time', 'held'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** The statuses as staff see them. */
export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
	to_arrange: 'To arrange',
	invited: 'Parents invited, no reply yet',
	confirmed: 'Confirmed by the parents',
	another_time: 'The parents asked for another time',
	held: 'Held'
};

/** The place of a meeting held on the phone (stored as the place; each page words it in its language). */
export const BY_PHONE = 'by phone';

/** The local time the day-before reminders go out: the morning, so a parent can still change plans. */
export const REMINDER_TIME = '09:00';

function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[.!,;:?'"’)(]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The words as `fold` leaves them, so a reply and the list compare alike (Bengali and Arabic letters decompose too). */
function foldedSet(words: string[]): Set<string> {
	return new Set(words.map(fold));
}

// The words the invitation asks for in each language (YES / TAK / DA / نعم / হ্যাঁ), "1" (the
// first Telegram button), and a few plain ways of saying it. Only whole replies count: a
// sentence about an absence that happens to contain "yes" is not an answer to the meeting.
const CONFIRM = foldedSet([
	'yes', 'y', 'yeah', 'yep', 'yes please', 'yes thanks', 'yes thank you', '1', 'confirm', 'confirmed', 'i confirm', 'i can come', 'i will come', 'we can come', 'we will come', 'see you then',
	'tak', 'potwierdzam', 'przyjde', 'przyjdziemy', 'moge przyjsc',
	'da', 'confirmam', 'vin', 'venim', 'pot veni',
	'نعم', 'ايوه', 'اوكي', 'اؤكد', 'أؤكد', 'سآتي', 'ساتي',
	'হ্যাঁ', 'হাঁ', 'জি', 'নিশ্চিত', 'আসব', 'haan', 'ha', 'ji'
]);
const ANOTHER = foldedSet([
	'2', 'another time', 'another time please', 'other time', 'different time', 'another day', 'cant come', 'can not come', 'cannot come', 'i cant come', 'i cannot come', 'we cant come', 'we cannot come', 'not that time', 'another', 'reschedule', 'change the time',
	'inny termin', 'inny termin prosze', 'inna godzina', 'nie moge', 'nie mozemy',
	'alta data', 'alta ora', 'alt moment', 'nu pot', 'nu putem',
	'وقت آخر', 'وقت اخر', 'موعد آخر', 'موعد اخر', 'لا أستطيع', 'لا استطيع',
	'অন্য সময়', 'অন্য সময়', 'অন্য দিন', 'আসতে পারব না', 'onno somoy'
]);

/**
 * A clear reply to a meeting invitation, or null for anything else (which then goes to the
 * absence conversation as before).
 */
export function parseMeetingReply(text: string): MeetingAnswer | null {
	const t = fold(text);
	if (!t || t.length > 40) return null;
	if (CONFIRM.has(t)) return 'confirm';
	if (ANOTHER.has(t)) return 'another_time';
	return null;
}

const BARE_YES = foldedSet(['yes', 'y', 'yeah', 'yep', 'tak', 'da', 'نعم', 'ايوه', 'হ্যাঁ', 'হাঁ', 'জি', 'haan', 'ha', 'ji']);

/** Replies that mean the same as the daily check-in's "YES" (still off): ambiguous when both are open. */
export function isBareYes(text: string): boolean {
	return BARE_YES.has(fold(text));
}

/** When the reminder for a meeting is due: 09:00 local time on the calendar day before it. */
export function reminderDueAt(startsAt: Date, timeZone: string): Date {
	const meetingDay: IsoDate = localDateOf(startsAt, timeZone);
	return zonedInstant(timeZone, addDays(meetingDay, -1), REMINDER_TIME);
}

/**
 * Whether a reminder should go now: from 09:00 the day before the meeting until the meeting
 * starts, for a meeting the parents were invited to (or confirmed) and not yet reminded of.
 */
export function reminderDue(meeting: { status: MeetingStatus; startsAt: Date | null; remindedAt: Date | null }, now: Date, timeZone: string): boolean {
	if (!meeting.startsAt || meeting.remindedAt) return false;
	if (meeting.status !== 'invited' && meeting.status !== 'confirmed') return false;
	return now.getTime() >= reminderDueAt(meeting.startsAt, timeZone).getTime() && now.getTime() < meeting.startsAt.getTime();
}

/** Which meeting a reply attaches to: the most recent invitation of each child; more than one child → ask. */
export function meetingForReply<T extends { pupilId: string; invitedAt: Date }>(invited: readonly T[]): { meeting: T } | { ask: T[] } | null {
	if (invited.length === 0) return null;
	const latestByChild = new Map<string, T>();
	for (const m of invited) {
		const seen = latestByChild.get(m.pupilId);
		if (!seen || m.invitedAt.getTime() > seen.invitedAt.getTime()) latestByChild.set(m.pupilId, m);
	}
	const list = [...latestByChild.values()].sort((a, b) => b.invitedAt.getTime() - a.invitedAt.getTime());
	return list.length === 1 ? { meeting: list[0]! } : { ask: list };
}
