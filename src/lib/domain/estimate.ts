/**
 * The difference between two groups' means with a confidence interval: Welch's two-sample t
 * interval (unequal variances, Welch–Satterthwaite degrees of freedom), the standard method when
 * the groups differ in size, as a hold-out and the messaged group do.
 *
 * Pure: no I/O.
 */

/** Fewer than this many households in either group: the page says so instead of a figure. */
export const MIN_PER_GROUP = 10;

export interface GroupSummary {
	n: number;
	mean: number;
	/** Sample variance (n − 1); 0 for a single value. */
	variance: number;
}

export function summarise(values: readonly number[]): GroupSummary {
	const n = values.length;
	if (n === 0) return { n: 0, mean: NaN, variance: NaN };
	const mean = values.reduce((a, b) => a + b, 0) / n;
	const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
	return { n, mean, variance };
}

/** ln Γ(x) (Lanczos, g = 7): enough for the t distribution to many decimal places. */
function logGamma(x: number): number {
	const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
	if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
	x -= 1;
	let a = c[0]!;
	const t = x + 7.5;
	for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
	return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised incomplete beta function I_x(a, b), by its continued fraction (Lentz). */
function incompleteBeta(x: number, a: number, b: number): number {
	if (x <= 0) return 0;
	if (x >= 1) return 1;
	if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
	const front = Math.exp(Math.log(x) * a + Math.log(1 - x) * b - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
	const tiny = 1e-300;
	let f = 1;
	let c = 1;
	let d = 0;
	for (let i = 0; i <= 400; i++) {
		const m = Math.floor(i / 2);
		const numerator = i === 0 ? 1 : i % 2 === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + numerator * d;
		if (Math.abs(d) < tiny) d = tiny;
		d = 1 / d;
		c = 1 + numerator / c;
		if (Math.abs(c) < tiny) c = tiny;
		const cd = c * d;
		f *= cd;
		if (Math.abs(1 - cd) < 1e-14) break;
	}
	return front * (f - 1);
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df need not be whole). */
export function studentTCdf(t: number, df: number): number {
	const x = df / (df + t * t);
	const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
	return t >= 0 ? 1 - tail : tail;
}

/** The t value with P(T ≤ t) = p, by bisection on the distribution function. */
export function studentTQuantile(p: number, df: number): number {
	let lo = -1000;
	let hi = 1000;
	for (let i = 0; i < 200; i++) {
		const mid = (lo + hi) / 2;
		if (studentTCdf(mid, df) < p) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}

export interface Difference {
	/** mean(a) − mean(b). */
	difference: number;
	low: number;
	high: number;
	standardError: number;
	df: number;
	/** The chosen confidence level, e.g. 0.95. */
	level: number;
}

/**
 * Welch's interval for mean(a) − mean(b). Null when either group has fewer than two values
 * or both have no spread (there is then no interval to give).
 */
export function welchDifference(a: GroupSummary, b: GroupSummary, level = 0.95): Difference | null {
	if (a.n < 2 || b.n < 2) return null;
	const va = a.variance / a.n;
	const vb = b.variance / b.n;
	const se = Math.sqrt(va + vb);
	if (!(se > 0)) return null;
	const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
	const t = studentTQuantile(1 - (1 - level) / 2, df);
	const difference = a.mean - b.mean;
	return { difference, low: difference - t * se, high: difference + t * se, standardError: se, df, level };
}
