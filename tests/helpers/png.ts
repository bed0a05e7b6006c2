/** A tiny valid 1×1 PNG for upload tests, optionally with extra chunks (e.g. a tEXt with "location" metadata). */
import zlib from 'node:zlib';

/** One PNG chunk: length, type, data and CRC (also used by scripts/make-icons.ts). */
export function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(body) >>> 0);
	return Buffer.concat([len, body, crc]);
}

export function tinyPng(extra: Buffer[] = []): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(1, 0);
	ihdr.writeUInt32BE(1, 4);
	ihdr[8] = 8;
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		...extra,
		pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 0]))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}
