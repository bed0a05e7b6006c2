/**
 * The words of a personal days-missed message, in the family's language (messages/*.json, keys
 * dmc_*; the translations are drafts awaiting review, see messages/REVIEW.md). The parts, and
 * which of them a household gets, come from the domain (messageParts).
 */
import { m } from './paraglide/messages';
import type { MessagePart } from './domain/days-missed';
import type { Locale } from './domain/locale';

/** Days as a number in the family's language, halves as "½" ("4½", "٤½"): the words name the unit. */
export function daysNumber(days: number, locale: Locale): string {
	const rounded = Math.round(days * 2) / 2;
	const whole = Math.floor(rounded);
	const half = rounded - whole ? '½' : '';
	return whole === 0 && half ? half : `${new Intl.NumberFormat(locale).format(whole)}${half}`;
}

function line(part: MessagePart, locale: Locale): string {
	const o = { locale };
	switch (part.kind) {
		case 'child_missed':
			return m.dmc_child({ firstName: part.firstName, lastHalfTerm: daysNumber(part.lastHalfTerm, locale), thisYear: daysNumber(part.thisYear, locale) }, o);
		case 'child_none':
			return m.dmc_child_none({ firstName: part.firstName }, o);
		case 'improved':
			return m.dmc_improved({ firstName: part.firstName }, o);
		case 'compare':
			return m.dmc_compare({ typical: daysNumber(part.typical, locale), firstName: part.firstName }, o);
		case 'offer':
			return m.dmc_offer({ service: part.service, contact: part.contact }, o);
		case 'talk_to_us':
			return m.dmc_talk({}, o);
	}
}

/** One household's message as the family reads it. */
export function daysMissedMessageText(parts: readonly MessagePart[], opts: { locale: Locale; school: string }): string {
	const o = { locale: opts.locale };
	return [m.dmc_greeting({ school: opts.school }, o), ...parts.map((p) => line(p, opts.locale)), m.dmc_signoff({}, o)].join(' ');
}
