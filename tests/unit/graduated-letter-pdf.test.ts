import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { composeLetter, type LetterFigures } from '../../src/lib/domain/graduated-letters';
import type { Locale } from '../../src/lib/domain/locale';
import { composeBengaliNukta } from '../../src/lib/server/platform/letter-pdf';
import { graduatedLetterBlocks, graduatedLetterFileName, graduatedLetterPdf, type StoredLetter } from '../../src/lib/server/features/graduated-response';

/*
 * A graduated letter as a PDF in each family language, with the child's own name in their own
 * letters. With LETTER_OUT=<dir> the PDFs are also written there, to render (pdftoppm) and look at.
 */
const NAMES: Record<Locale, string> = { en: 'Ella', pl: 'Łukasz', ro: 'Ștefan', ar: 'أحمد', bn: 'রাহিম' };
const FONTS: Record<Locale, string[]> = { en: ['NotoSans-Regular'], pl: ['NotoSans-Regular'], ro: ['NotoSans-Regular'], ar: ['NotoSansArabic'], bn: ['NotoSansBengali'] };

function stored(locale: Locale): StoredLetter {
	const figures: LetterFigures = {
		firstName: NAMES[locale],
		school: 'Harbourside Primary',
		period: 'Autumn 1',
		daysMissed: 12.5,
		daysMissedPeriod: 4,
		daysAttended: 32,
		daysPossible: 36,
		lates: 2,
		minutesLate: 25,
		contact: '01632 960123'
	};
	const support = [{ name: 'Family Hub', overview: 'Free help for families, from housing to health.', link: 'https://example.org/hub', contact: '01632 960999' }];
	return {
		id: '00000000-0000-4000-8000-000000000001',
		pupilId: 'p',
		guardianId: 'g',
		step: 'close_monitoring',
		delivery: 'message',
		content: composeLetter({ step: 'close_monitoring', locale, figures, support }),
		createdAt: new Date('2026-11-05T10:00:00Z'),
		readAt: null
	};
}

/** The text of every stream in the PDF (content streams are deflated). */
function streams(pdf: Uint8Array): string {
	const raw = Buffer.from(pdf).toString('latin1');
	let out = raw;
	for (const match of raw.matchAll(/stream\r?\n/g)) {
		const start = match.index! + match[0].length;
		const end = raw.indexOf('endstream', start);
		try {
			out += inflateSync(Buffer.from(raw.slice(start, end), 'latin1')).toString('latin1');
		} catch {
			// not deflated, or a font program
		}
	}
	return out;
}

describe('a graduated letter as a PDF in every family language', () => {
	for (const locale of ['en', 'pl', 'ro', 'ar', 'bn'] as const) {
		it(`${locale}: a PDF in the letter's language, with fonts for its script, never the Latin-1 standard fonts`, async () => {
			const letter = stored(locale);
			const pdf = await graduatedLetterPdf(letter, NAMES[locale]);
			if (process.env.LETTER_OUT) {
				mkdirSync(process.env.LETTER_OUT, { recursive: true });
				writeFileSync(`${process.env.LETTER_OUT}/graduated-${locale}.pdf`, pdf);
			}
			const doc = await PDFDocument.load(pdf);
			expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
			expect(doc.getTitle()).toBe(letter.content.title);
			expect(letter.content.title).toContain(NAMES[locale]);
			const text = streams(pdf);
			expect(text).toMatch(new RegExp(`/Lang\\s*\\(${locale === 'en' ? 'en-GB' : locale}\\)`));
			expect(text).not.toMatch(/\/BaseFont\s*\/Helvetica/);
			for (const font of FONTS[locale]) expect(text).toMatch(new RegExp(`/BaseFont\\s*/${font}`));
			expect(text).toContain('/ToUnicode');
		}, 30_000);
	}

	it('draws what the page shows: school, title, every paragraph, the figures and the support, headings in the letter language', () => {
		const letter = stored('ar');
		const blocks = graduatedLetterBlocks(letter, 'أحمد').map((b) => b.text);
		expect(blocks[0]).toBe('Harbourside Primary');
		expect(blocks).toContain(letter.content.title);
		for (const p of letter.content.paragraphs) expect(blocks).toContain(p);
		expect(blocks).toContain('أيام الغياب في هذا العام الدراسي: 12½ يوم');
		expect(blocks).toContain('Family Hub');
		expect(blocks.some((b) => b.includes('01632 960999') && b.includes('https://example.org/hub'))).toBe(true);
		// Headings in Arabic, not English.
		expect(blocks).not.toContain('Support that may help');
		expect(graduatedLetterFileName(letter)).toBe('letter-close-monitoring-2026-11-05.pdf');
	});

	it('Bengali য় ড় ঢ় are drawn from their single code points (fontkit left the vowel sign after the nukta form on a dotted circle)', () => {
		expect(composeBengaliNukta('সময়ে বড়ো আষাঢ়')).toBe('সম\u09DFে ব\u09DCো আষা\u09DD');
		expect(composeBengaliNukta('Ella, أحمد')).toBe('Ella, أحمد');
	});
});
