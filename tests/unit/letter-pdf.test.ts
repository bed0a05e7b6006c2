import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { renderLetterPdf, visualOrder, type LetterBlock } from '../../src/lib/server/platform/letter-pdf';

/*
 * The shared letter renderer: a long letter flows onto further pages instead of running off the
 * bottom of the first, in every script. With LETTER_OUT=<dir> the PDFs are also written there,
 * to render (pdftoppm) and look at.
 */
const PARAGRAPH = {
	en: 'Ella has missed 9 days of learning this term. We would like to help: our attendance lead can meet you, and the Early Help team can support the whole family.',
	ar: 'فاتت إيلا 9 أيام من التعلم هذا الفصل. نود أن نساعد: يمكن لمسؤول الحضور لقاؤك، ويمكن لفريق الدعم المبكر مساعدة العائلة كلها.',
	bn: 'এই টার্মে এলা ৯ দিনের শেখা হারিয়েছে। আমরা সাহায্য করতে চাই: আমাদের উপস্থিতি প্রধান আপনার সাথে দেখা করতে পারেন।'
} as const;

async function pagesOf(pdf: Uint8Array) {
	return (await PDFDocument.load(pdf)).getPageCount();
}

describe('renderLetterPdf', () => {
	for (const locale of ['en', 'ar', 'bn'] as const) {
		it(`${locale}: a short letter is one page; a long one flows onto more pages`, async () => {
			const heading: LetterBlock = { text: 'Harbourside Primary', bold: true, size: 16 };
			const short = await renderLetterPdf({ title: 'Letter', locale, blocks: [heading, { text: PARAGRAPH[locale], before: 10 }] });
			expect(await pagesOf(short)).toBe(1);
			const long = await renderLetterPdf({ title: 'Letter', locale, blocks: [heading, ...Array.from({ length: 40 }, () => ({ text: PARAGRAPH[locale], before: 8 }))] });
			const pages = await pagesOf(long);
			expect(pages).toBeGreaterThanOrEqual(3);
			expect(pages).toBeLessThanOrEqual(8);
			if (process.env.LETTER_OUT) {
				mkdirSync(process.env.LETTER_OUT, { recursive: true });
				writeFileSync(`${process.env.LETTER_OUT}/long-${locale}.pdf`, long);
			}
		}, 30_000);
	}

	it('sets the title and language the PDF announces to screen readers', async () => {
		const pdf = await PDFDocument.load(await renderLetterPdf({ title: 'Attendance letter', locale: 'ar', blocks: [{ text: PARAGRAPH.ar }] }), { updateMetadata: false });
		expect(pdf.getTitle()).toBe('Attendance letter');
		expect(pdf.getCreator()).toBe('Every Day');
	});
});

describe('visualOrder: Unicode bidirectional text in a right-to-left letter', () => {
	it('puts a number inside Arabic where an Arabic reader expects it and mirrors the brackets', () => {
		// Logical: "reason (example) 2026"; drawn left to right: the year, then the bracketed word, then the first word.
		expect(visualOrder('ظروف (مثل) 2026', true)).toBe('2026 (لثم) فورظ');
	});

	it('keeps a Latin reference in reading order inside Arabic', () => {
		expect(visualOrder('طلب LABC-234', true)).toBe('LABC-234 بلط');
	});

	it('leaves left-to-right text as it is, brackets included', () => {
		expect(visualOrder('Ella (Year 3) missed 2 days', false)).toBe('Ella (Year 3) missed 2 days');
	});
});
