/**
 * Draws the app icons (static/icons/icon-192.png, icon-512.png, maskable): the Every Day green
 * square with a white tick. Plain PNG encoding with zlib, so no image tools are needed.
 * Run `npx tsx scripts/make-icons.ts` after changing the design; the PNGs are committed.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { pngChunk } from '../tests/helpers/png';

function png(size: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
	const raw = Buffer.alloc((size * 3 + 1) * size);
	for (let y = 0; y < size; y++) {
		raw[y * (size * 3 + 1)] = 0;
		for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 3 + 1) + 1 + x * 3);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8;
	ihdr[9] = 2;
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Distance from point p to the segment a–b. */
function dist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
	const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
	return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

function icon(size: number, inset: number): Buffer {
	const green: [number, number, number] = [0, 112, 60];
	const white: [number, number, number] = [255, 255, 255];
	const s = (v: number) => inset + v * (size - 2 * inset);
	const width = size * 0.09;
	return png(size, (x, y) => {
		const onTick = dist(x, y, s(0.22), s(0.52), s(0.42), s(0.72)) < width || dist(x, y, s(0.42), s(0.72), s(0.8), s(0.3)) < width;
		return onTick ? white : green;
	});
}

fs.mkdirSync('static/icons', { recursive: true });
fs.writeFileSync('static/icons/icon-192.png', icon(192, 0));
fs.writeFileSync('static/icons/icon-512.png', icon(512, 0));
fs.writeFileSync('static/icons/icon-maskable-512.png', icon(512, 512 * 0.12));
console.log('wrote static/icons/*.png');
