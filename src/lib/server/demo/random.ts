/**
 * A small seeded PRNG (sfc32 seeded through splitmix32) so the demo data and the benchmark are
 * reproducible: the same seed always gives the same school. Never Math.random.
 */

export interface Rng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [lo, hi], both inclusive. */
	int(lo: number, hi: number): number;
	/** True with probability p. */
	chance(p: number): boolean;
	pick<T>(items: readonly T[]): T;
	/** Picks by weight; weights need not sum to 1. */
	weighted<T>(items: readonly (readonly [T, number])[]): T;
	/** A shuffled copy (Fisher–Yates). */
	shuffle<T>(items: readonly T[]): T[];
	/** An independent generator derived from this one and a label (stable sub-streams). */
	fork(label: string | number): Rng;
}

function splitmix32(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x9e3779b9) >>> 0;
		let z = s;
		z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
		z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
		return (z ^ (z >>> 16)) >>> 0;
	};
}

function hashLabel(label: string | number): number {
	// FNV-1a, 32-bit.
	let h = 0x811c9dc5;
	for (const ch of String(label)) {
		h ^= ch.codePointAt(0)!;
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

export function createRng(seed: number): Rng {
	const init = splitmix32(seed);
	let a = init();
	let b = init();
	let c = init();
	let d = init();
	const nextU32 = (): number => {
		const t = (((a + b) >>> 0) + d) >>> 0;
		d = (d + 1) >>> 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) >>> 0;
		c = ((c << 21) | (c >>> 11)) >>> 0;
		c = (c + t) >>> 0;
		return t;
	};
	for (let i = 0; i < 12; i++) nextU32();

	const rng: Rng = {
		next: () => nextU32() / 4294967296,
		int(lo, hi) {
			if (hi < lo) throw new RangeError(`int(${lo}, ${hi})`);
			return lo + Math.floor(rng.next() * (hi - lo + 1));
		},
		chance: (p) => rng.next() < p,
		pick(items) {
			if (items.length === 0) throw new RangeError('pick from an empty list');
			return items[Math.floor(rng.next() * items.length)]!;
		},
		weighted(items) {
			const total = items.reduce((s, [, w]) => s + w, 0);
			let r = rng.next() * total;
			for (const [item, w] of items) {
				r -= w;
				if (r < 0) return item;
			}
			return items[items.length - 1]![0];
		},
		shuffle(items) {
			const out = [...items];
			for (let i = out.length - 1; i > 0; i--) {
				const j = Math.floor(rng.next() * (i + 1));
				[out[i], out[j]] = [out[j]!, out[i]!];
			}
			return out;
		},
		fork(label) {
			return createRng((nextU32() ^ hashLabel(label)) >>> 0);
		}
	};
	return rng;
}

/** A stable sub-generator for `label` that does not depend on how much `seed`'s stream was used. */
export function rngFor(seed: number, label: string | number): Rng {
	return createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ hashLabel(label)) >>> 0);
}
