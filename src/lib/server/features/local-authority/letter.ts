/**
 * The notice as a letter to the parent, in their language: the same paragraphs for the printable
 * page and the PDF (drawn by the shared letter renderer, with fonts and shaping for every family's script).
 */
import type { Locale } from '../../../domain/locale';
import { formatLongDate } from '../../../i18n';
import { m } from '../../../paraglide/messages';
import { renderLetterPdf, type LetterBlock } from '../../platform/letter-pdf';
import type { InterventionView } from './interventions';

export interface NoticeLetter {
	title: string;
	paragraphs: { text: string; strong: boolean }[];
}

/** The letter's paragraphs. Only an issued (or later) notice has one. */
export function noticeLetter(notice: InterventionView, locale: Locale, childName: string): NoticeLetter | null {
	if (!notice.issuedOn) return null;
	const o = { locale };
	const title = notice.kind === 'notice_to_improve' ? m.la_notice_kind_notice_to_improve({}, o) : m.la_notice_kind_penalty_notice({}, o);
	const p: { text: string; strong: boolean }[] = [
		{ text: title, strong: true },
		{ text: m.la_notice_reference({ reference: notice.reference }, o), strong: false },
		{ text: m.la_notice_letter_issued({ date: formatLongDate(notice.issuedOn, locale) }, o), strong: false },
		{ text: m.la_notice_letter_to({ guardian: notice.guardianName }, o), strong: false },
		{ text: m.la_notice_letter_about({ name: childName, school: notice.schoolName }, o), strong: false }
	];
	if (notice.kind === 'notice_to_improve' && notice.improvementEndsOn) {
		p.push({ text: m.la_notice_improve_until({ name: childName, until: formatLongDate(notice.improvementEndsOn, locale) }, o), strong: true });
		p.push({ text: m.la_notice_improve_explained({}, o), strong: false });
	} else if (notice.fullAmount !== null && notice.payBy) {
		p.push({
			text:
				notice.reducedAmount !== null && notice.reducedBy
					? m.la_notice_amounts({ reduced: `£${notice.reducedAmount}`, reducedBy: formatLongDate(notice.reducedBy, locale), full: `£${notice.fullAmount}`, payBy: formatLongDate(notice.payBy, locale) }, o)
					: m.la_notice_amount_second({ full: `£${notice.fullAmount}`, payBy: formatLongDate(notice.payBy, locale) }, o),
			strong: true
		});
		p.push({ text: m.la_notice_how_to_pay({ reference: notice.reference }, o), strong: false });
	}
	if (notice.paidOn && notice.amountPaid !== null) p.push({ text: m.la_notice_paid_on({ amount: `£${notice.amountPaid}`, date: formatLongDate(notice.paidOn, locale) }, o), strong: false });
	p.push({ text: m.la_notice_support({}, o), strong: false });
	return { title, paragraphs: p };
}

/** The same letter as a PDF. */
export async function noticeLetterPdf(letter: NoticeLetter, locale: Locale): Promise<Uint8Array> {
	const blocks: LetterBlock[] = letter.paragraphs.map((p, i) => ({ text: p.text, bold: p.strong, size: i === 0 ? 16 : 11, before: i === 0 ? 0 : 8 }));
	return renderLetterPdf({ title: letter.title, locale, blocks });
}
