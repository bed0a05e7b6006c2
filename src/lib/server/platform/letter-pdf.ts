/**
 * A letter as a PDF (made with pdf-lib), in any of the families' languages.
 *
 * The standard PDF fonts cover Latin-1 only, so a family's own names (Łukasz, Ștefan, أحمد,
 * রাহিম) came out as "?". The letter embeds Noto Sans (OFL-1.1, from the @fontsource packages:
 * Latin, Latin Extended, Arabic and Bengali), shaped by fontkit, and picks the font for each run
 * of text by which one has the glyphs. Arabic letters run right to left. Every letter the app
 * sends (the headteacher's leave decision, attendance letters, notices) is drawn here, so each
 * gets the same shaping.
 */
// @pdf-lib/fontkit's Indic shaper (Bengali) is compiled with regenerator and expects its runtime as a global.
import 'regenerator-runtime/runtime.js';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import bidiFactory from 'bidi-js';
import type { Locale } from '../../domain/locale';

const require = createRequire(import.meta.url);
const bidi = bidiFactory();

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

/** UAX #9 for one line: each character's level, the mirrored brackets, and the visual order (indices). */
function bidiOrder(line: string, rtl: boolean) {
	const levels = bidi.getEmbeddingLevels(line, rtl ? 'rtl' : 'ltr');
	const mirrored = bidi.getMirroredCharactersMap(line, levels.levels);
	const order = Array.from({ length: line.length }, (_, i) => i);
	for (const [from, to] of bidi.getReorderSegments(line, levels) as [number, number][]) order.splice(from, to - from + 1, ...order.slice(from, to + 1).reverse());
	return { levels: levels.levels, mirrored, order };
}

/** The line's characters from left to right as drawn (before shaping): what the tests check. */
export function visualOrder(line: string, rtl: boolean): string {
	const { mirrored, order } = bidiOrder(line, rtl);
	return order.map((i) => mirrored.get(i) ?? line[i]!).join('');
}

/**
 * A line in visual order, as runs to draw from left to right. The Unicode bidirectional
 * algorithm (bidi-js, UAX #9) gives each character its level, mirrors brackets inside
 * right-to-left text and reorders the line, so a date, a reference or "(2 school days)" inside
 * Arabic sits where an Arabic reader expects it. Each run is one font at one level: a
 * right-to-left run that holds Arabic letters is handed to fontkit in reading order (fontkit
 * shapes it, mirrors its brackets and lays it out right to left itself); any other run is
 * already in visual order.
 */
function visualRuns(line: string, set: FontSet, rtl: boolean): Run[] {
	const { levels, mirrored, order } = bidiOrder(line, rtl);
	const font = (ch: string) => Math.max(0, set.fonts.findIndex((f) => f.has(ch.codePointAt(0)!)));
	const groups: { font: number; level: number; indices: number[] }[] = [];
	for (const i of order) {
		const ch = mirrored.get(i) ?? line[i]!;
		const f = font(ch);
		const level = levels[i]!;
		const last = groups.at(-1);
		const step = level % 2 ? -1 : 1;
		if (last && last.font === f && last.level === level && last.indices.at(-1)! + step === i) last.indices.push(i);
		else groups.push({ font: f, level, indices: [i] });
	}
	return groups.map(({ font: f, level, indices }) => {
		const visual = indices.map((i) => mirrored.get(i) ?? line[i]!).join('');
		const shapedRtl = level % 2 === 1 && ARABIC.test(visual);
		// fontkit mirrors the brackets of a right-to-left run itself, so it gets the original ones.
		if (shapedRtl) return { text: [...indices].reverse().map((i) => line[i]!).join(''), font: f, rtl: true };
		return { text: visual, font: f, rtl: false };
	});
}

function drawLine(page: PDFPage, line: string, set: FontSet, size: number, y: number, rtl: boolean) {
	const runs = visualRuns(line, set, rtl);
	let x = rtl ? RIGHT - widthOf(runs, set, size) : LEFT;
	for (const r of runs) {
		drawRun(page, r, set, size, x, y);
		x += runWidth(r, set, size);
	}
}

/** One paragraph of a letter: drawn in order, wrapped to the page, onto a new page when full. */
export interface LetterBlock {
	text: string;
	bold?: boolean;
	/** Points; 11 when not given. */
	size?: number;
	/** Space above the block, in points. */
	before?: number;
}

export interface LetterDocument {
	title: string;
	locale: Locale;
	blocks: LetterBlock[];
}

/**
 * Bengali য়, ড়, ঢ় as their single code points. Text usually carries them as a letter plus the
 * nukta (NFC keeps them so), and fontkit's Indic shaper then sometimes leaves the vowel sign after
 * them on a dotted circle (সময়ে); the precomposed letters shape correctly.
 */
export function composeBengaliNukta(text: string): string {
	return text.replace(/\u09AF\u09BC/g, '\u09DF').replace(/\u09A1\u09BC/g, '\u09DC').replace(/\u09A2\u09BC/g, '\u09DD');
}

const TOP = 790;
const BOTTOM = 56;

export async function renderLetterPdf(letter: LetterDocument): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.registerFontkit(fontkit);
	doc.setTitle(letter.title);
	doc.setLanguage(letter.locale === 'en' ? 'en-GB' : letter.locale);
	doc.setCreator('Every Day');
	const fonts = loadFonts();
	const regular: FontSet = { fonts: fonts.regular, pdf: new Map() };
	const bold: FontSet = { fonts: fonts.bold, pdf: new Map() };
	const rtl = letter.locale === 'ar';
	letter = { ...letter, blocks: letter.blocks.map((b) => ({ ...b, text: composeBengaliNukta(b.text) })) };
	await embedNeeded(doc, regular, letter.blocks.filter((b) => !b.bold).map((b) => b.text));
	await embedNeeded(doc, bold, letter.blocks.filter((b) => b.bold).map((b) => b.text));
	let page = doc.addPage([595, 842]); // A4
	let y = TOP;
	for (const block of letter.blocks) {
		const size = block.size ?? 11;
		const set = block.bold ? bold : regular;
		y -= block.before ?? 0;
		for (const line of wrap(block.text, set, size, RIGHT - LEFT)) {
			if (y < BOTTOM) {
				page = doc.addPage([595, 842]);
				y = TOP;
			}
			drawLine(page, line, set, size, y, rtl);
			y -= size + 6;
		}
	}
	return doc.save();
}
