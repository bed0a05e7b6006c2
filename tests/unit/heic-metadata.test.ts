import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { fileTypeFromBuffer } from 'file-type';
import { HeicMetadataError, stripHeicMetadata } from '../../src/lib/server/features/leave/heic-metadata';
import { checkEvidence } from '../../src/lib/server/features/leave/evidence';
import { IMAGE_DATA, XMP_PACKET, box, buildHeic, exifWithGps } from '../helpers/heic';

const slice = (b: Uint8Array, at: { offset: number; length: number }) => Buffer.from(b).subarray(at.offset, at.offset + at.length);
const gpsLatitude = Buffer.from([0, 0, 0, 50, 0, 0, 0, 1, 0, 0, 0, 47, 0, 0, 0, 1, 0, 0, 0, 24, 0, 0, 0, 1]);

describe('HEIC metadata removal', () => {
	it('the constructed file is HEIC and carries the EXIF GPS block and the XMP position', async () => {
		const heic = buildHeic();
		expect(await fileTypeFromBuffer(heic.bytes)).toEqual({ ext: 'heic', mime: 'image/heic' });
		expect(slice(heic.bytes, heic.exif).equals(exifWithGps())).toBe(true);
		expect(heic.bytes.includes(gpsLatitude)).toBe(true);
		expect(heic.bytes.includes(Buffer.from('GPSLatitude'))).toBe(true);
	});

	it('zeroes the EXIF (with GPS) and XMP items and leaves everything else byte for byte', async () => {
		const heic = buildHeic();
		const out = Buffer.from(stripHeicMetadata(heic.bytes));
		expect(out.length).toBe(heic.bytes.length);
		expect(await fileTypeFromBuffer(out)).toEqual({ ext: 'heic', mime: 'image/heic' });
		expect(out.includes(gpsLatitude)).toBe(false);
		expect(out.includes(Buffer.from('Exif\0\0MM', 'latin1'))).toBe(false);
		expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
		expect(slice(out, heic.exif).every((b) => b === 0)).toBe(true);
		expect(slice(out, heic.xmp).every((b) => b === 0)).toBe(true);
		expect(slice(out, heic.image).equals(IMAGE_DATA)).toBe(true);
		// Every byte outside the two metadata items is unchanged (so the boxes and offsets are too).
		for (let i = 0; i < out.length; i++) {
			const inMetadata = (i >= heic.exif.offset && i < heic.exif.offset + heic.exif.length) || (i >= heic.xmp.offset && i < heic.xmp.offset + heic.xmp.length);
			if (!inMetadata && out[i] !== heic.bytes[i]) throw new Error(`byte ${i} changed`);
		}
		// The caller's buffer is not modified.
		expect(slice(heic.bytes, heic.exif).equals(exifWithGps())).toBe(true);
	});

	it('finds EXIF stored in the meta box (idat, construction method 1)', () => {
		const heic = buildHeic({ exifInIdat: true });
		expect(slice(heic.bytes, heic.exif).equals(exifWithGps())).toBe(true);
		const out = Buffer.from(stripHeicMetadata(heic.bytes));
		expect(out.includes(gpsLatitude)).toBe(false);
		expect(slice(out, heic.exif).every((b) => b === 0)).toBe(true);
		expect(slice(out, heic.image).equals(IMAGE_DATA)).toBe(true);
	});

	it('zeroes XMP held in a top-level uuid box', () => {
		const heic = buildHeic();
		const uuidBox = box('uuid', Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'), XMP_PACKET);
		const out = Buffer.from(stripHeicMetadata(Buffer.concat([heic.bytes, uuidBox])));
		expect(out.includes(Buffer.from('GPSLongitude'))).toBe(false);
		expect(out.subarray(out.length - XMP_PACKET.length).every((b) => b === 0)).toBe(true);
	});

	it('refuses malformed files instead of passing their metadata through', () => {
		const good = buildHeic().bytes;
		// Cut off inside the mdat: the box claims more bytes than there are.
		expect(() => stripHeicMetadata(good.subarray(0, good.length - 10))).toThrow(HeicMetadataError);
		// The EXIF extent points past the end of the file.
		const outside = buildHeic();
		const at = outside.bytes.indexOf(Buffer.from([0, 2, 0, 0, 0, 0, 0, 1])); // iloc entry for item 2
		outside.bytes.writeUInt32BE(outside.bytes.length + 100, at + 8);
		expect(() => stripHeicMetadata(outside.bytes)).toThrow(/outside the file/);
		// No meta box at all.
		const ftypOnly = good.subarray(0, good.readUInt32BE(0));
		expect(() => stripHeicMetadata(ftypOnly)).toThrow(/no meta box/);
		// An impossible box size.
		const broken = Buffer.from(good);
		broken.writeUInt32BE(3, broken.readUInt32BE(0));
		expect(() => stripHeicMetadata(broken)).toThrow(HeicMetadataError);
	});

	it('evidence upload: a HEIC is stored without its location; a broken one gets a clear error', async () => {
		const heic = buildHeic();
		const checked = await checkEvidence(heic.bytes);
		expect(checked.ok).toBe(true);
		if (!checked.ok) return;
		expect(checked.mimeType).toBe('image/heic');
		expect(Buffer.from(checked.bytes).includes(gpsLatitude)).toBe(false);
		expect(slice(checked.bytes, heic.image).equals(IMAGE_DATA)).toBe(true);

		const cut = heic.bytes.subarray(0, heic.bytes.length - 10);
		expect(await checkEvidence(cut)).toEqual({ ok: false, problem: { code: 'evidence_heic_unreadable' } });
	});
});

describe('HEIC metadata removal on a file written by libheif', () => {
	const real = fs.readFileSync(new URL('../fixtures/evidence/gradient-with-gps.heic', import.meta.url));
	const tiff = real.indexOf(Buffer.from('MM\0*', 'latin1'));

	it('removes the GPS position and changes nothing outside the Exif item', async () => {
		expect(await fileTypeFromBuffer(real)).toEqual({ ext: 'heic', mime: 'image/heic' });
		expect(tiff).toBeGreaterThan(0);
		expect(real.includes(gpsLatitude)).toBe(true);
		const out = Buffer.from(stripHeicMetadata(real));
		expect(out.length).toBe(real.length);
		expect(await fileTypeFromBuffer(out)).toEqual({ ext: 'heic', mime: 'image/heic' });
		expect(out.includes(gpsLatitude)).toBe(false);
		expect(out.includes(Buffer.from('MM\0*', 'latin1'))).toBe(false);
		// The Exif item is a 4-byte header offset and the 80-byte TIFF block; nothing else may change.
		const changed: number[] = [];
		for (let i = 0; i < out.length; i++) if (out[i] !== real[i]) changed.push(i);
		expect(changed.length).toBeGreaterThan(0);
		expect(changed.every((i) => i >= tiff - 4 && i < tiff + 80)).toBe(true);
	});
});
