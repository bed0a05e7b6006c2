/** The headteacher's decision as a letter (PDF), in the family's language: drawn by the shared letter renderer. */
import { DEFAULT_TIME_ZONE, localDateOf } from '../../../domain/calendar';
import type { Locale } from '../../../domain/locale';
import { formatLongDate, joinNames } from '../../../i18n';
import { leaveDatesLabel, leaveStatusLabel, leaveTypeLabel } from '../../../i18n-leave';
import { m } from '../../../paraglide/messages';
import { renderLetterPdf } from '../../platform/letter-pdf';
import type { LeaveView } from './requests';

/** `timeZone`: the school's, so the letter is dated on the school's calendar day. */
export async function leaveDecisionLetter(request: LeaveView, schoolName: string, date: Date = new Date(), locale: Locale = 'en', timeZone: string = DEFAULT_TIME_ZONE): Promise<Uint8Array> {
	const o = { locale };
	const agreed = request.agreedDays
		? joinNames(request.agreedDays.map((d) => formatLongDate(d.date, locale)), locale)
		: request.approvedFrom && request.approvedTo
			? leaveDatesLabel(request.approvedFrom, request.approvedTo, locale)
			: null;
	// What the letter says, in order: [text, bold, size, space before].
	const blocks: [string, boolean, number, number][] = [
		[schoolName, true, 16, 0],
		[formatLongDate(localDateOf(date, timeZone), locale), false, 11, 8],
		[m.letter_heading({ reference: request.reference }, o), true, 13, 10],
		[m.letter_for({ names: joinNames(request.children.map((c) => c.name), locale) }, o), false, 11, 0],
		[m.letter_dates({ dates: leaveDatesLabel(request.startsOn, request.endsOn, locale), days: request.schoolDays }, o), false, 11, 0],
		[m.letter_type({ type: leaveTypeLabel(request.type, locale) }, o), false, 11, 0],
		[m.letter_decision({ status: leaveStatusLabel(request.status, locale) }, o), true, 13, 10]
	];
	if (agreed) blocks.push([m.letter_agreed({ dates: agreed }, o), false, 11, 0]);
	// The headteacher's own words, as written.
	if (request.decisionNote) blocks.push([m.letter_head_reason({ note: request.decisionNote }, o), false, 11, 0]);
	let gap = 10;
	if (request.status === 'declined' || request.status === 'partly_approved') {
		blocks.push([m.letter_not_agreed_days({}, o), false, 11, gap]);
		gap = 4;
	}
	if (request.status === 'approved' || request.status === 'partly_approved') blocks.push([m.letter_agreed_days({}, o), false, 11, gap]);
	blocks.push([m.letter_signature({}, o), true, 11, 20], [schoolName, false, 11, 0]);

	return renderLetterPdf({
		title: m.letter_heading({ reference: request.reference }, o),
		locale,
		blocks: blocks.map(([text, bold, size, before]) => ({ text, bold, size, before }))
	});
}
