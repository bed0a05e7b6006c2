/**
 * The school's phone absence line as rules, with no I/O: what each keypad press means, how a
 * reference is read aloud, which of Twilio's voices speaks each language, and which day a call
 * is about. The webhook (bot/channels/voice.ts) asks these and turns the answers into TwiML.
 */
import type { AbsenceReason } from './absence';
import { isSchoolDay, nextSchoolDay, type IsoDate, type SchoolCalendar } from './calendar';
import type { Locale } from './locale';

/** The key that reaches the office's voicemail from every menu. */
export const OFFICE_KEY = '0';
/** The key that switches between English and the caller's own language. */
export const LANGUAGE_KEY = '9';
/** The key that goes back one step. */
export const BACK_KEY = '*';
/** Menus say this many children; a family with more is better served by the office. */
export const MAX_CHILDREN_ON_MENU = 7;
/** Silences or presses the line does not understand before it hands the call to voicemail. */
export const MAX_TRIES = 2;
/** Seconds the line waits for a key before it asks again. */
export const KEYPAD_TIMEOUT_SECONDS = 8;

export interface MenuChild {
	pupilId: string;
	name: string;
}

/** One option of the child menu: the key, who it means, and the name to say (null: "all of them"). */
export interface ChildOption {
	digit: string;
	pupilIds: string[];
	name: string | null;
}

/** Press 1 for the first child, 2 for the second, ... and the next number for all of them (when more than one). */
export function childOptions(children: readonly MenuChild[]): ChildOption[] {
	const listed = children.slice(0, MAX_CHILDREN_ON_MENU);
	const options: ChildOption[] = listed.map((c, i) => ({ digit: String(i + 1), pupilIds: [c.pupilId], name: c.name }));
	if (listed.length > 1) options.push({ digit: String(listed.length + 1), pupilIds: listed.map((c) => c.pupilId), name: null });
	return options;
}

/** The reason menu: 1 ill, 2 a medical or dental appointment, 3 something else. */
export const REASON_KEYS: Record<string, AbsenceReason> = { '1': 'illness', '2': 'medical_appointment', '3': 'other' };

export type MenuPress =
	| { kind: 'office' }
	| { kind: 'language' }
	| { kind: 'back' }
	| { kind: 'none' }
	| { kind: 'unknown' }
	| { kind: 'children'; pupilIds: string[] }
	| { kind: 'reason'; reason: AbsenceReason };

/** What the keys pressed at the child menu mean. */
export function childPress(digits: string | undefined, children: readonly MenuChild[]): MenuPress {
	const d = (digits ?? '').trim();
	if (d === '') return { kind: 'none' };
	if (d === OFFICE_KEY) return { kind: 'office' };
	if (d === LANGUAGE_KEY) return { kind: 'language' };
	const option = childOptions(children).find((o) => o.digit === d);
	return option ? { kind: 'children', pupilIds: option.pupilIds } : { kind: 'unknown' };
}

/** What the key pressed at the reason menu means. */
export function reasonPress(digits: string | undefined): MenuPress {
	const d = (digits ?? '').trim();
	if (d === '') return { kind: 'none' };
	if (d === OFFICE_KEY) return { kind: 'office' };
	if (d === BACK_KEY) return { kind: 'back' };
	const reason = REASON_KEYS[d];
	return reason ? { kind: 'reason', reason } : { kind: 'unknown' };
}

/** A reference read one character at a time ("K 7 Q 2 M 9"), so a voice does not say it as a word. */
export function spokenReference(reference: string): string {
	return [...reference.replace(/[^0-9a-z]/gi, '').toUpperCase()].join(', ');
}

/**
 * Twilio's voice for each language (Amazon Polly and Google voices that <Say> supports): a
 * parent hears the line in their own language where one exists. Every one of ours has one.
 */
const VOICES: Record<Locale, { language: string; voice: string }> = {
	en: { language: 'en-GB', voice: 'Polly.Amy' },
	pl: { language: 'pl-PL', voice: 'Polly.Ewa' },
	ro: { language: 'ro-RO', voice: 'Polly.Carmen' },
	ar: { language: 'arb', voice: 'Polly.Zeina' },
	bn: { language: 'bn-IN', voice: 'Google.bn-IN-Standard-A' }
};

export function voiceFor(locale: Locale): { language: string; voice: string } {
	return VOICES[locale] ?? VOICES.en;
}

/**
 * The day a call reports: today while it is a school day and the school day has not ended;
 * otherwise (an evening call, a weekend, a holiday) the next school day, which is what a parent
 * phoning then means. Null when the calendar has no school day ahead.
 */
export function dayTheCallIsAbout(cal: SchoolCalendar, today: IsoDate, localTime: string, schoolDayEnds: string): IsoDate | null {
	if (isSchoolDay(cal, today) && localTime.slice(0, 5) < schoolDayEnds.slice(0, 5)) return today;
	return nextSchoolDay(cal, today) ?? null;
}
