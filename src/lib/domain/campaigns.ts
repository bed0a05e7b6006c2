/**
 * Every Day Counts messages (issue 9, DESIGN §9): templates, merge fields, and the SMS cost of a
 * message. Personal figures (a child's attendance, days missed) are positive or neutral in tone:
 * the evidence is that a personal count of days missed, sent kindly, reduces absence.
 *
 * Pure: no I/O.
 */
import { smsSegments } from './bot-intents';

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
