/**
 * The headteacher's decision as a letter (PDF, made with pdf-lib), in the family's language.
 *
 * The standard PDF fonts cover Latin-1 only, so a family's own names (Łukasz, Ștefan, أحمد,
 * রাহিম) came out as "?". The letter embeds Noto Sans (OFL-1.1, from the @fontsource packages:
 * Latin, Latin Extended, Arabic and Bengali), shaped by fontkit, and picks the font for each run
 * of text by which one has the glyphs. Arabic paragraphs run right to left.
 */
// @pdf-lib/fontkit's Indic shaper (Bengali) is compiled with regenerator and expects its runtime as a global.
import { DEFAULT_TIME_ZONE, localDateOf } from '../../../domain/calendar';
import 'regenerator-runtime/runtime.js';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Locale } from '../../../domain/locale';
import { formatLongDate, joinNames } from '../../../i18n';
import { leaveDatesLabel, leaveStatusLabel, leaveTypeLabel } from '../../../i18n-leave';
import { m } from '../../../paraglide/messages';
import type { LeaveView } from './requests';

const require = createRequire(import.meta.url);

/** In the order tried for each character: the first font with a glyph for it draws it. */
const FONT_FILES = {
	regular: [
		'@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff',
		'@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff',
		'@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff',
		'@fontsource/noto-sans-bengali/files/noto-sans-bengali-bengali-400-normal.woff'
	],
	bold: [
		'@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff',
		'@fontsource/noto-sans/files/noto-sans-latin-ext-700-normal.woff',
		'@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff',
		'@fontsource/noto-sans-bengali/files/noto-sans-bengali-bengali-700-normal.woff'
	]
} as const;

/**
 * A WOFF file as the plain TrueType/OpenType font it wraps (a PDF embeds sfnt fonts, not WOFF):
 * each table inflated (zlib) when compressed, and the table directory rebuilt.
 */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
	const src = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
	if (src.toString('latin1', 0, 4) !== 'wOFF') throw new Error('Not a WOFF font');
	const flavor = src.readUInt32BE(4);
	const numTables = src.readUInt16BE(12);
	const tables: { tag: number; checksum: number; data: Buffer }[] = [];
	for (let i = 0; i < numTables; i++) {
		const e = 44 + i * 20;
		const offset = src.readUInt32BE(e + 4);
		const compLength = src.readUInt32BE(e + 8);
		const origLength = src.readUInt32BE(e + 12);
		const raw = src.subarray(offset, offset + compLength);
		tables.push({ tag: src.readUInt32BE(e), checksum: src.readUInt32BE(e + 16), data: compLength < origLength ? inflateSync(raw) : Buffer.from(raw) });
	}
	const entrySelector = Math.floor(Math.log2(numTables));
	const searchRange = 2 ** entrySelector * 16;
	let offset = 12 + numTables * 16;
	const size = offset + tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), 0);
	const out = Buffer.alloc(size);
	out.writeUInt32BE(flavor, 0);
	out.writeUInt16BE(numTables, 4);
	out.writeUInt16BE(searchRange, 6);
	out.writeUInt16BE(entrySelector, 8);
	out.writeUInt16BE(numTables * 16 - searchRange, 10);
	tables.forEach((t, i) => {
		const e = 12 + i * 16;
		out.writeUInt32BE(t.tag, e);
		out.writeUInt32BE(t.checksum, e + 4);
		out.writeUInt32BE(offset, e + 8);
		out.writeUInt32BE(t.data.length, e + 12);
		t.data.copy(out, offset);
		offset += (t.data.length + 3) & ~3;
	});
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The parts of a fontkit font the letter uses. */
interface Face {
	unitsPerEm: number;
	hasGlyphForCodePoint(cp: number): boolean;
	layout(text: string): {
		glyphs: { path: { scale(sx: number, sy: number): { toSVG(): string } } }[];
		positions: { xAdvance: number; xOffset: number; yOffset: number }[];
	};
}

interface LoadedFont {
	bytes: Uint8Array;
	face: Face;
	has: (codePoint: number) => boolean;
}

let loaded: { regular: LoadedFont[]; bold: LoadedFont[] } | undefined;
/** Read and parsed once per process. */
function loadFonts() {
	const load = (file: string): LoadedFont => {
		const bytes = woffToSfnt(readFileSync(require.resolve(file)));
		const face = fontkit.create(Buffer.from(bytes)) as unknown as Face;
		return { bytes, face, has: (cp) => face.hasGlyphForCodePoint(cp) };
	};
	loaded ??= { regular: FONT_FILES.regular.map(load), bold: FONT_FILES.bold.map(load) };
	return loaded;
}

interface FontSet {
	fonts: LoadedFont[];
	/** Filled by {@link embedNeeded}: only the fonts the letter's text uses are embedded. */
	pdf: Map<number, PDFFont>;
}

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
const STRONG_LTR = /[A-Za-z0-9\u00c0-\u024f\u0980-\u09ff]/;

interface Run {
	text: string;
	/** Index into the set's fonts. */
	font: number;
	rtl: boolean;
}

/**
 * Splits a line into runs, each drawn in one font and one direction: every character in the
 * first font that has a glyph for it. Spaces and punctuation stay with the run they follow
 * (when its font has them), so words are never split from their font.
 */
function runsOf(line: string, set: FontSet): Run[] {
	const runs: Run[] = [];
	for (const ch of line) {
		const cp = ch.codePointAt(0)!;
		const neutral = !ARABIC.test(ch) && !STRONG_LTR.test(ch);
		const last = runs.at(-1);
		if (neutral && last && set.fonts[last.font]!.has(cp)) {
			last.text += ch;
			continue;
		}
		let i = set.fonts.findIndex((f) => f.has(cp));
		if (i < 0) i = 0; // no font has it: the Latin font's missing-glyph box, never a silent "?"
		const rtl = ARABIC.test(ch);
		if (last && last.font === i && (neutral || last.rtl === rtl)) last.text += ch;
		else runs.push({ text: ch, font: i, rtl });
	}
	return runs;
}

async function embedNeeded(doc: PDFDocument, set: FontSet, texts: string[]) {
	const needed = new Set(texts.flatMap((t) => runsOf(t, set).map((r) => r.font)));
	for (const i of [...needed].sort()) {
		// Whole fonts (each file is one script's subset already, 16–80 KB): pdf-lib's subsetting
		// loses the shaped Arabic and Bengali forms.
		if (!set.pdf.has(i)) set.pdf.set(i, await doc.embedFont(set.fonts[i]!.bytes, { subset: false }));
	}
}

/** The run's width at `size` points, from fontkit's shaping (its advances and positioning). */
function runWidth(r: Run, set: FontSet, size: number): number {
	const face = set.fonts[r.font]!.face;
	return face.layout(r.text).positions.reduce((w, p) => w + p.xAdvance, 0) * (size / face.unitsPerEm);
}

function widthOf(runs: Run[], set: FontSet, size: number): number {
	return runs.reduce((w, r) => w + runWidth(r, set, size), 0);
}

/** Splits a paragraph into lines that fit `maxWidth`, at spaces. */
function wrap(text: string, set: FontSet, size: number, maxWidth: number): string[] {
	const lines: string[] = [];
	for (const para of text.split('\n')) {
		let line = '';
		for (const word of para.split(/\s+/)) {
			const candidate = line ? `${line} ${word}` : word;
			if (line && widthOf(runsOf(candidate, set), set, size) > maxWidth) {
				lines.push(line);
				line = word;
			} else line = candidate;
		}
		lines.push(line);
	}
	return lines;
}

const LEFT = 56;
const RIGHT = 595 - 56;
const INK = rgb(0.04, 0.05, 0.05);

/**
 * Draws a run at (x, y). The glyphs are drawn as outlines from fontkit's shaping — Arabic joining
 * forms, Bengali conjuncts and vowel signs, mark positions — because pdf-lib's own text drawing
 * does not place shaped glyphs correctly. The same text is also written invisibly in the embedded
 * font, so it can be searched, copied and read aloud from the PDF.
 */
function drawRun(page: PDFPage, r: Run, set: FontSet, size: number, x: number, y: number) {
	const face = set.fonts[r.font]!.face;
	const scale = size / face.unitsPerEm;
	const { glyphs, positions } = face.layout(r.text);
	let pen = 0;
	glyphs.forEach((g, i) => {
		const p = positions[i]!;
		// pdf-lib draws SVG paths with y pointing down; font outlines have y pointing up.
		const path = g.path.scale(1, -1).toSVG();
		if (path) page.drawSvgPath(path, { x: x + (pen + p.xOffset) * scale, y: y + p.yOffset * scale, scale, color: INK, borderWidth: 0 });
		pen += p.xAdvance;
	});
	page.drawText(r.text, { x, y, size, font: set.pdf.get(r.font)!, opacity: 0 });
}

function drawLine(page: PDFPage, line: string, set: FontSet, size: number, y: number, rtl: boolean) {
	const runs = runsOf(line, set);
	if (!rtl) {
		let x = LEFT;
		for (const r of runs) {
			drawRun(page, r, set, size, x, y);
			x += runWidth(r, set, size);
		}
		return;
	}
	// Right to left: the first run at the right margin, each next run to its left. Within an
	// Arabic run fontkit puts the shaped glyphs in visual order; a Latin run (a reference, a date
	// in Latin digits) reads left to right inside it.
	let x = RIGHT;
	for (const run of runs) {
		const r = { ...run, text: run.text.trim() };
		if (!r.text) continue;
		x -= runWidth(r, set, size);
		drawRun(page, r, set, size, x, y);
		x -= runWidth({ ...r, text: ' ' }, set, size);
	}
}

/** `timeZone`: the school's, so the letter is dated on the school's calendar day. */
export async function leaveDecisionLetter(request: LeaveView, schoolName: string, date: Date = new Date(), locale: Locale = 'en', timeZone: string = DEFAULT_TIME_ZONE): Promise<Uint8Array> {
	const o = { locale };
	const agreed = request.agreedDays
		? joinNames(request.agreedDays.map((d) => formatLongDate(d.date, locale)), locale)
		: request.approvedFrom && request.approvedTo
			? leaveDatesLabel(request.approvedFrom, request.approvedTo, locale)
			: null;
	// What the letter says, in order: [text, bold, size, space before].
	const blocks: LetterBlock[] = [
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
	return letterPdf(m.letter_heading({ reference: request.reference }, { locale }), locale, blocks);
}

/** A paragraph of a letter: its text, bold or not, font size and space before it (points). */
export type LetterBlock = [text: string, bold: boolean, size: number, spaceBefore: number];

/** A one-page A4 letter of paragraphs, in any of the families' languages (also the local authority's notices). */
export async function letterPdf(title: string, locale: Locale, blocks: readonly LetterBlock[]): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.registerFontkit(fontkit);
	doc.setTitle(title);
	doc.setLanguage(locale === 'en' ? 'en-GB' : locale);
	doc.setCreator('Every Day');
	const fonts = loadFonts();
	const regular: FontSet = { fonts: fonts.regular, pdf: new Map() };
	const bold: FontSet = { fonts: fonts.bold, pdf: new Map() };
	const page = doc.addPage([595, 842]); // A4
	const rtl = locale === 'ar';
	await embedNeeded(doc, regular, blocks.filter((b) => !b[1]).map((b) => b[0]));
	await embedNeeded(doc, bold, blocks.filter((b) => b[1]).map((b) => b[0]));
	let y = 790;
	for (const [text, isBold, size, before] of blocks) {
		y -= before;
		const set = isBold ? bold : regular;
		for (const line of wrap(text, set, size, RIGHT - LEFT)) {
			drawLine(page, line, set, size, y, rtl);
			y -= size + 6;
		}
	}
	return doc.save();
}
