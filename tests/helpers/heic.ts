/**
 * A small HEIC file built box by box for the metadata tests: ftyp, a meta box (hdlr, pitm,
 * iinf, iloc and optionally idat) and an mdat with a stand-in image item followed by an EXIF
 * block carrying a GPS position and an XMP packet. Not decodable as a picture (the "image" is
 * a fixed byte pattern), but laid out as real HEIC files are, so file-type and ISOBMFF readers
 * treat it as one.
 */

const u16 = (n: number) => {
	const b = Buffer.alloc(2);
	b.writeUInt16BE(n);
	return b;
};
const u32 = (n: number) => {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(n);
	return b;
};
export const box = (type: string, ...parts: Buffer[]) => {
	const body = Buffer.concat(parts);
	return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
};
const fullBox = (type: string, version: number, ...parts: Buffer[]) => box(type, Buffer.from([version, 0, 0, 0]), ...parts);

/** A big-endian TIFF/EXIF block whose GPS IFD holds latitude 50°47'24" N. */
export function exifWithGps(): Buffer {
	const tiff = Buffer.concat([
		Buffer.from('MM\0*', 'latin1'),
		u32(8), // IFD0 at 8
		u16(1), // one entry: the GPS IFD pointer
		u16(0x8825), u16(4), u32(1), u32(26),
		u32(0), // no next IFD
		// GPS IFD at 26: GPSLatitudeRef "N", GPSLatitude at 56
		u16(2),
		u16(0x0001), u16(2), u32(2), Buffer.from('N\0\0\0', 'latin1'),
		u16(0x0002), u16(5), u32(3), u32(56),
		u32(0),
		u32(50), u32(1), u32(47), u32(1), u32(24), u32(1)
	]);
	// An Exif item starts with the offset of the TIFF header after its "Exif\0\0" prefix.
	return Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

export const XMP_PACKET = Buffer.from(
	'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="50,47.4N" exif:GPSLongitude="1,5.4W"/></rdf:RDF></x:xmpmeta>',
	'utf8'
);

/** Stand-in coded image data: a pattern the tests can check is untouched. */
export const IMAGE_DATA = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7 + 3) & 0xff));

export interface BuiltHeic {
	bytes: Buffer;
	/** Where each item's bytes are in the file. */
	image: { offset: number; length: number };
	exif: { offset: number; length: number };
	xmp: { offset: number; length: number };
}

/** `exifInIdat`: the EXIF item is stored in the meta box's idat (iloc version 1, construction method 1). */
export function buildHeic(opts: { exifInIdat?: boolean; exif?: Buffer; xmp?: Buffer } = {}): BuiltHeic {
	const exif = opts.exif ?? exifWithGps();
	const xmp = opts.xmp ?? XMP_PACKET;
	const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
	const infe = (id: number, type: string, extra = Buffer.alloc(0)) =>
		fullBox('infe', 2, u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from('\0', 'latin1'), extra);
	const iinf = fullBox('iinf', 0, u16(3), infe(1, 'hvc1'), infe(2, 'Exif'), infe(3, 'mime', Buffer.from('application/rdf+xml\0', 'latin1')));
	const hdlr = fullBox('hdlr', 0, u32(0), Buffer.from('pict', 'latin1'), u32(0), u32(0), u32(0), Buffer.from('\0', 'latin1'));
	const pitm = fullBox('pitm', 0, u16(1));
	// iloc version 1: offset_size 4, length_size 4, base_offset_size 0, index_size 0.
	const entry = (id: number, method: number, offset: number, length: number) => Buffer.concat([u16(id), u16(method), u16(0), u16(1), u32(offset), u32(length)]);
	const makeMeta = (imageAt: number, exifAt: number, xmpAt: number) =>
		fullBox(
			'meta',
			0,
			hdlr,
			pitm,
			iinf,
			fullBox('iloc', 1, u16(0x4400), u16(3), entry(1, 0, imageAt, IMAGE_DATA.length), entry(2, opts.exifInIdat ? 1 : 0, exifAt, exif.length), entry(3, 0, xmpAt, xmp.length)),
			...(opts.exifInIdat ? [box('idat', exif)] : [])
		);
	const metaSize = makeMeta(0, 0, 0).length;
	const mdatData = ftyp.length + metaSize + 8;
	const imageAt = mdatData;
	const exifAt = opts.exifInIdat ? 0 : imageAt + IMAGE_DATA.length;
	const xmpAt = imageAt + IMAGE_DATA.length + (opts.exifInIdat ? 0 : exif.length);
	const meta = makeMeta(imageAt, exifAt, xmpAt);
	const mdat = box('mdat', IMAGE_DATA, ...(opts.exifInIdat ? [] : [exif]), xmp);
	const bytes = Buffer.concat([ftyp, meta, mdat]);
	const exifFileOffset = opts.exifInIdat ? ftyp.length + meta.length - exif.length : exifAt;
	return { bytes, image: { offset: imageAt, length: IMAGE_DATA.length }, exif: { offset: exifFileOffset, length: exif.length }, xmp: { offset: xmpAt, length: xmp.length } };
}
