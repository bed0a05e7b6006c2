import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { leaveDecisionLetter } from '../../src/lib/server/features/leave/letter';
import type { LeaveView } from '../../src/lib/server/features/leave/requests';

/*
 * The decision letter in each language, with a family's own names in their own letters. With
 * LETTER_OUT=<dir> the PDFs are also written there, to render (pdftoppm) and look at.
 */
const NAMES = { en: ['Ella Brown'], pl: ['Łukasz Żółkiewski', 'Zośka Wiśniewska'], ro: ['Ștefan Țurcanu'], ar: ['أحمد الحسن'], bn: ['রাহিম চৌধুরী'] } as const;
const NOTES = {
	en: 'One day is agreed for the funeral.',
	pl: 'Zgadzam się na jeden dzień: pogrzeb babci w Łodzi.',
	ro: 'Este aprobată o zi, pentru înmormântarea din Iași.',
	ar: 'نوافق على يوم واحد فقط للجنازة.',
	bn: 'শুধু জানাজার দিনটি মঞ্জুর করা হলো।'
} as const;
/** Fonts a letter in this language must embed (subset names end with the family). */
const FONTS = { en: ['NotoSans-Regular'], pl: ['NotoSans-Regular'], ro: ['NotoSans-Regular'], ar: ['NotoSansArabic'], bn: ['NotoSansBengali'] } as const;

function view(locale: keyof typeof NAMES): LeaveView {
	return {
		id: 'x',
		reference: 'LABC-234',
		schoolId: 's',
		type: 'exceptional',
		typeLabel: '',
		reason: 'r',
		dates: '',
		startsOn: '2026-11-23',
		endsOn: '2026-11-24',
		schoolDays: 2,
		status: 'partly_approved',
		statusLabel: '',
		question: null,
		answer: null,
		approvedFrom: '2026-11-23',
		approvedTo: '2026-11-23',
		approvedDates: '',
		agreedDays: null,
		decisionNote: NOTES[locale],
		decidedAt: null,
		evidenceDeletedOn: null,
		createdAt: new Date(),
		children: NAMES[locale].map((name) => ({ pupilId: 'p', name })),
		evidence: []
	} as unknown as LeaveView;
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

describe('the decision letter in every language the app speaks', () => {
	for (const locale of ['en', 'pl', 'ro', 'ar', 'bn'] as const) {
		it(`${locale}: embeds fonts that cover the family's names, never the Latin-1 standard fonts`, async () => {
			const pdf = await leaveDecisionLetter(view(locale), 'Harbourside Primary', new Date('2026-11-05T10:00:00Z'), locale);
			if (process.env.LETTER_OUT) {
				mkdirSync(process.env.LETTER_OUT, { recursive: true });
				writeFileSync(`${process.env.LETTER_OUT}/letter-${locale}.pdf`, pdf);
			}
			const text = streams(pdf);
			expect(text.slice(0, 5)).toBe('%PDF-');
			expect(text).not.toMatch(/\/BaseFont\s*\/Helvetica/);
			for (const font of FONTS[locale]) expect(text).toMatch(new RegExp(`/BaseFont\\s*/${font}`));
			// A ToUnicode map is embedded, so the names can be found and copied from the PDF.
			expect(text).toContain('/ToUnicode');
			if (locale === 'pl' || locale === 'ro') {
				expect(text).toMatch(/\/BaseFont\s*\/NotoSans-Regular/);
				expect((text.match(/\/BaseFont\s*\/NotoSans-Regular/g) ?? []).length).toBeGreaterThanOrEqual(2); // Latin and Latin Extended
			}
		}, 30_000);
	}
});
