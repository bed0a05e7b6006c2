/**
 * A graduated-response letter as a PDF, in the language it was written in: the same data the
 * letter page shows (title, paragraphs, figures, support), drawn by the shared letter renderer,
 * which embeds Noto Sans for every family's script, shapes Arabic and Bengali and runs Arabic
 * right to left.
 */
import { eq } from 'drizzle-orm';
import type { Locale } from '../../../domain/locale';
import { childFirstName } from '../../../domain/pupils';
import { formatLongDate } from '../../../i18n';
import { m } from '../../../paraglide/messages';
import type { Db } from '../../platform/db/engine';
import { pupils } from '../../platform/db/schema';
import { renderLetterPdf, type LetterBlock } from '../../platform/letter-pdf';
import type { StoredLetter } from './letters';

/** The letter's blocks, headings in the letter's language (like the page). */
export function graduatedLetterBlocks(letter: StoredLetter, childName: string): LetterBlock[] {
	const c = letter.content;
	const locale = c.locale as Locale;
	const o = { locale };
	const blocks: LetterBlock[] = [
		{ text: c.school, bold: true, size: 16 },
		{ text: formatLongDate(letter.createdAt.toISOString().slice(0, 10), locale), before: 6 },
		{ text: c.title, bold: true, size: 14, before: 14 },
		...c.paragraphs.map((text) => ({ text, before: 8 })),
		{ text: m.graduated_letter_figures({ name: childName }, o), bold: true, size: 13, before: 16 },
		...c.figures.map((f) => ({ text: `${f.label}: ${f.value}`, before: 4 }))
	];
	if (c.support.length > 0) {
		blocks.push({ text: m.graduated_letter_support({}, o), bold: true, size: 13, before: 16 });
		for (const s of c.support) {
			blocks.push({ text: s.name, bold: true, before: 8 });
			blocks.push({ text: [s.overview, s.contact, s.link].filter(Boolean).join(' · '), before: 2 });
		}
	}
	return blocks;
}

export async function graduatedLetterPdf(letter: StoredLetter, childName: string): Promise<Uint8Array> {
	return renderLetterPdf({ title: letter.content.title, locale: letter.content.locale as Locale, blocks: graduatedLetterBlocks(letter, childName) });
}

/** The name the letter's headings use: the name the child goes by. */
export async function letterChildName(db: Db, pupilId: string): Promise<string> {
	const [p] = await db.select({ firstName: pupils.firstName, preferredName: pupils.preferredName }).from(pupils).where(eq(pupils.id, pupilId));
	return p ? childFirstName(p) : '';
}

/** A file name for the download: the step and the day, no names (it may sit in a shared downloads folder). */
export function graduatedLetterFileName(letter: StoredLetter): string {
	return `letter-${letter.step.replace(/_/g, '-')}-${letter.createdAt.toISOString().slice(0, 10)}.pdf`;
}
