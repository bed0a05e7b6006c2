/**
 * Every Day Counts messages (issue 9, DESIGN §9): templates, merge fields, and the SMS cost of a
 * message. Personal figures (a child's attendance, days missed) are positive or neutral in tone:
 * the evidence is that a personal count of days missed, sent kindly, reduces absence.
 *
 * Pure: no I/O.
 */
import { smsSegments } from './bot-intents';
import { DEFAULT_TIME_ZONE, isValidIsoDate, localDateOf, localTimeOf, zonedInstant } from './calendar';

export const CAMPAIGN_TEMPLATES = [
	{ key: 'every_day_counts', title: 'Every day counts', body: 'Every day in school counts. Thank you for helping {firstName} to be here, on time, every day.' },
	{ key: 'positive', title: 'Well done', body: '{firstName} has been in school {attendance} of the time this year. Thank you, and well done!' },
	{ key: 'days_missed', title: 'Half-term summary', body: 'This year so far {firstName} has missed {daysMissed} of school. Every day back makes a difference. If something is making school hard, please talk to us.' },
	{ key: 'term_dates', title: 'Term dates reminder', body: 'A reminder that school starts again on Monday. We look forward to seeing {firstName} there.' }
] as const;

export const MERGE_FIELDS = ['firstName', 'attendance', 'daysMissed'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** Fills {firstName}, {attendance}, {daysMissed}; an unknown {field} is left as written so staff see it in the preview. */
export function renderMessage(body: string, values: Record<MergeField, string>): string {
	return body.replace(/\{(\w+)\}/g, (whole, name: string) => ((MERGE_FIELDS as readonly string[]).includes(name) ? values[name as MergeField] : whole));
}

/** Merge fields used in a body that are not known: shown to staff as an error. */
export function unknownMergeFields(body: string): string[] {
	return [...body.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((f) => !(MERGE_FIELDS as readonly string[]).includes(f));
}

/** The SMS cost of sending `texts` (each its own message), at `pencePerSegment`. */
export function smsCostEstimate(texts: readonly string[], pencePerSegment: number): { segments: number; pence: number } {
	const segments = texts.reduce((n, t) => n + smsSegments(t).segments, 0);
	return { segments, pence: Math.round(segments * pencePerSegment * 100) / 100 };
}

/** How far ahead staff may schedule a message: about a school term. */
export const SEND_LATER_MAX_DAYS = 90;

export type SendLaterResult = { ok: true; at: Date } | { ok: false; field: 'sendDate' | 'sendTime'; message: string };

/**
 * "Send later": a date (YYYY-MM-DD) and a time (HH:MM) as staff read them on a clock in the
 * school's zone (Europe/London), turned into the real instant. It must be in the future and at
 * most {@link SEND_LATER_MAX_DAYS} days ahead; a time skipped when the clocks go forward is refused.
 */
export function parseSendLater(date: string, time: string, now: Date, timeZone = DEFAULT_TIME_ZONE): SendLaterResult {
	const d = date.trim();
	const t = time.trim();
	if (!d) return { ok: false, field: 'sendDate', message: 'Enter the date to send it' };
	if (!isValidIsoDate(d)) return { ok: false, field: 'sendDate', message: 'Enter a real date, for example 27/03/2027' };
	if (!t) return { ok: false, field: 'sendTime', message: 'Enter the time to send it' };
	if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) return { ok: false, field: 'sendTime', message: 'Enter a time on the 24-hour clock, for example 09:30 or 17:45' };
	const at = zonedInstant(timeZone, d, t);
	if (localTimeOf(at, timeZone) !== t || localDateOf(at, timeZone) !== d) {
		return { ok: false, field: 'sendTime', message: 'That time does not exist on that day because the clocks go forward; choose another time' };
	}
	if (at.getTime() <= now.getTime()) return { ok: false, field: 'sendDate', message: 'The date and time to send it must be in the future' };
	if (at.getTime() > now.getTime() + SEND_LATER_MAX_DAYS * 86_400_000) {
		return { ok: false, field: 'sendDate', message: `You can schedule a message up to ${SEND_LATER_MAX_DAYS} days ahead` };
	}
	return { ok: true, at };
}
