/**
 * Removes EXIF (with any GPS position) and XMP from a HEIC/HEIF photo before it is stored.
 *
 * Why hand-written: the maintained JavaScript EXIF libraries (exifr, exifreader, exif-parser)
 * only read HEIC, and exif-be-gone / exifremove handle JPEG and PNG only; the one tool that
 * writes HEIC (ExifTool, via exiftool-vendored) needs a Perl runtime and a child process per
 * upload on every app instance. The job here is small and well defined, so it is done in place.
 *
 * HEIC is ISOBMFF: the file-level `meta` box lists items in `iinf` (one `infe` each, with an
 * item_type: 'Exif', or 'mime' with a content type such as XMP's application/rdf+xml) and says
 * where each item's bytes are in `iloc` (extents in the file, or in the `meta` box's `idat`).
 * We overwrite the bytes of every Exif, mime and uri item with zeros. Nothing moves, so every
 * offset in the file stays valid and the image items are byte for byte as they were; the
 * metadata items are left as empty blocks that readers ignore. XMP in a top-level `uuid` box
 * (some writers do this) is zeroed too.
 *
 * Anything we cannot account for exactly (truncated boxes, extents outside the file, items
 * stored by reference or in another file) throws HeicMetadataError: the upload is refused rather
 * than stored with its metadata.
 */

export class HeicMetadataError extends Error {}

const XMP_UUID = Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex');
/** Item types that carry metadata rather than image data. */
const METADATA_ITEM_TYPES = new Set(['Exif', 'mime', 'uri ']);

interface Box {
	type: string;
	/** Offset of the box's first byte. */
	start: number;
	/** Offset of the first byte after the header (and after the uuid, for 'uuid' boxes). */
	content: number;
	/** Offset of the first byte after the box. */
	end: number;
}

function fail(why: string): never {
	throw new HeicMetadataError(`HEIC: ${why}`);
}

class Reader {
	constructor(
		private readonly buf: Buffer,
		public pos: number,
		private readonly limit: number
	) {}
	need(n: number) {
		if (this.pos + n > this.limit) fail('a box ends early');
	}
	u8() {
		this.need(1);
		return this.buf[this.pos++]!;
	}
	u16() {
		this.need(2);
		const v = this.buf.readUInt16BE(this.pos);
		this.pos += 2;
		return v;
	}
	u32() {
		this.need(4);
		const v = this.buf.readUInt32BE(this.pos);
		this.pos += 4;
		return v;
	}
	/** An unsigned integer of 0, 4 or 8 bytes (the iloc field sizes). */
	uint(size: number): number {
		if (size === 0) return 0;
		if (size === 4) return this.u32();
		if (size === 8) {
			this.need(8);
			const v = this.buf.readBigUInt64BE(this.pos);
			this.pos += 8;
			if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('an offset is too large');
			return Number(v);
		}
		return fail(`an iloc field has an unsupported size (${size})`);
	}
	fourcc() {
		this.need(4);
		const v = this.buf.toString('latin1', this.pos, this.pos + 4);
		this.pos += 4;
		return v;
	}
	/** A null-terminated UTF-8 string. */
	cstring() {
		const zero = this.buf.indexOf(0, this.pos);
		if (zero < 0 || zero >= this.limit) fail('a name is not terminated');
		const v = this.buf.toString('utf8', this.pos, zero);
		this.pos = zero + 1;
		return v;
	}
}

/** The boxes directly inside [from, to). */
function childBoxes(buf: Buffer, from: number, to: number): Box[] {
	const boxes: Box[] = [];
	let pos = from;
	while (pos < to) {
		if (pos + 8 > to) fail('a box header is cut off');
		let size = buf.readUInt32BE(pos);
		const type = buf.toString('latin1', pos + 4, pos + 8);
		let header = 8;
		if (size === 1) {
			if (pos + 16 > to) fail('a box header is cut off');
			const large = buf.readBigUInt64BE(pos + 8);
			if (large > BigInt(Number.MAX_SAFE_INTEGER)) fail('a box is too large');
			size = Number(large);
			header = 16;
		} else if (size === 0) {
			size = to - pos; // "to the end of the enclosing space"
		}
		if (type === 'uuid') header += 16;
		if (size < header || pos + size > to) fail(`the ${JSON.stringify(type)} box has an impossible size`);
		boxes.push({ type, start: pos, content: pos + header, end: pos + size });
		pos += size;
	}
	return boxes;
}

const only = (boxes: Box[], type: string, where: string): Box | undefined => {
	const found = boxes.filter((b) => b.type === type);
	if (found.length > 1) fail(`more than one ${type} box in ${where}`);
	return found[0];
};

/** item_ID → item_type for every entry of iinf. */
function readItemTypes(buf: Buffer, iinf: Box): Map<number, string> {
	const r = new Reader(buf, iinf.content, iinf.end);
	const version = r.u8();
	r.pos += 3; // flags
	const count = version === 0 ? r.u16() : r.u32();
	const entries = childBoxes(buf, r.pos, iinf.end).filter((b) => b.type === 'infe');
	if (entries.length !== count) fail('iinf lists a different number of items than it holds');
	const types = new Map<number, string>();
	for (const infe of entries) {
		const e = new Reader(buf, infe.content, infe.end);
		const v = e.u8();
		e.pos += 3;
		if (v < 2) {
			// Versions 0 and 1 have no item_type (HEIF images need version 2 or later): treat them as metadata, so they cannot hide any.
			const id = e.u16();
			types.set(id, 'mime');
			continue;
		}
		const id = v === 2 ? e.u16() : e.u32();
		e.u16(); // item_protection_index
		const type = e.fourcc();
		if (types.has(id)) fail(`item ${id} is listed twice`);
		types.set(id, type);
	}
	return types;
}

interface Extent {
	offset: number;
	length: number;
}
interface Location {
	constructionMethod: number;
	dataReferenceIndex: number;
	extents: Extent[];
}

function readLocations(buf: Buffer, iloc: Box): Map<number, Location> {
	const r = new Reader(buf, iloc.content, iloc.end);
	const version = r.u8();
	r.pos += 3;
	if (version > 2) fail(`iloc version ${version} is not known`);
	const sizes = r.u16();
	const offsetSize = sizes >> 12;
	const lengthSize = (sizes >> 8) & 0xf;
	const baseOffsetSize = (sizes >> 4) & 0xf;
	const indexSize = version === 0 ? 0 : sizes & 0xf;
	const count = version < 2 ? r.u16() : r.u32();
	const locations = new Map<number, Location>();
	for (let i = 0; i < count; i++) {
		const id = version < 2 ? r.u16() : r.u32();
		const constructionMethod = version === 0 ? 0 : r.u16() & 0xf;
		const dataReferenceIndex = r.u16();
		const baseOffset = r.uint(baseOffsetSize);
		const extentCount = r.u16();
		const extents: Extent[] = [];
		for (let x = 0; x < extentCount; x++) {
			if (indexSize > 0) r.uint(indexSize);
			const offset = r.uint(offsetSize);
			const length = r.uint(lengthSize);
			extents.push({ offset: baseOffset + offset, length });
		}
		if (locations.has(id)) fail(`item ${id} has two locations`);
		locations.set(id, { constructionMethod, dataReferenceIndex, extents });
	}
	return locations;
}

/** A copy of the HEIC with its EXIF and XMP bytes zeroed; throws HeicMetadataError when it cannot be sure. */
export function stripHeicMetadata(input: Uint8Array): Uint8Array {
	const buf = Buffer.from(input); // a copy: the caller's bytes are never changed
	const top = childBoxes(buf, 0, buf.length);
	if (top[0]?.type !== 'ftyp') fail('the file does not start with ftyp');
	for (const box of top) {
		if (box.type === 'uuid' && buf.subarray(box.content - 16, box.content).equals(XMP_UUID)) {
			buf.fill(0, box.content, box.end);
		}
	}
	const meta = only(top, 'meta', 'the file');
	if (!meta) fail('there is no meta box');
	// meta is a FullBox: version and flags before its children.
	const inMeta = childBoxes(buf, meta.content + 4, meta.end);
	const iinf = only(inMeta, 'iinf', 'meta');
	const iloc = only(inMeta, 'iloc', 'meta');
	const idat = only(inMeta, 'idat', 'meta');
	if (!iinf || !iloc) fail('meta has no item list or no item locations');
	const types = readItemTypes(buf, iinf);
	const locations = readLocations(buf, iloc);
	for (const [id, type] of types) {
		if (!METADATA_ITEM_TYPES.has(type)) continue;
		const where = locations.get(id);
		if (!where) fail(`metadata item ${id} has no location`);
		if (where.dataReferenceIndex !== 0) fail(`metadata item ${id} is in another file`);
		let base: number;
		let limit: number;
		if (where.constructionMethod === 0) {
			base = 0;
			limit = buf.length;
		} else if (where.constructionMethod === 1) {
			if (!idat) fail(`metadata item ${id} is in idat, but there is no idat`);
			base = idat.content;
			limit = idat.end;
		} else {
			fail(`metadata item ${id} is built from other items`);
		}
		for (const extent of where.extents) {
			// Length 0 means "the rest of the data": never guess how much that is.
			if (extent.length === 0) fail(`metadata item ${id} has an open-ended extent`);
			const from = base + extent.offset;
			const to = from + extent.length;
			if (to > limit) fail(`metadata item ${id} lies outside the file`);
			buf.fill(0, from, to);
		}
	}
	return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
