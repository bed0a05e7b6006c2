import { describe, expect, it } from 'vitest';
import {
	eligibleHouseholds,
	followUpWindow,
	groupHouseholds,
	isEligibleChild,
	messageParts,
	reportingPeriod,
	seededRandom,
	stratifiedHoldOut,
	toneChecklistFailures,
	typicalDaysMissed,
	wordCount,
	MESSAGE_WORDS_MAX,
	type ChildFigures
} from '../../src/lib/domain/days-missed';
import { studentTCdf, studentTQuantile, summarise, welchDifference } from '../../src/lib/domain/estimate';
import { daysMissedMessageText, daysNumber } from '../../src/lib/i18n-days-missed';
import { BANDS, type Band } from '../../src/lib/domain/attendance';
import { LOCALES } from '../../src/lib/domain/locale';

const child = (pupilId: string, percent: number | null, daysThisYear: number, daysLastHalfTerm = 0, band: Band | null = 'persistently_absent'): ChildFigures => ({ pupilId, firstName: pupilId.toUpperCase(), percent, band, daysThisYear, daysLastHalfTerm });

describe('eligibility', () => {
	it('is for a child below the threshold who has missed days', () => {
		expect(isEligibleChild({ percent: 94.9, daysThisYear: 3 }, 95)).toBe(true);
		expect(isEligibleChild({ percent: 95, daysThisYear: 3 }, 95)).toBe(false);
		expect(isEligibleChild({ percent: null, daysThisYear: 0 }, 95)).toBe(false);
		expect(isEligibleChild({ percent: 80, daysThisYear: 0 }, 95)).toBe(false);
	});

	it('takes a household with one eligible child, keeps its other children, and leaves out excluded households', () => {
		const households = groupHouseholds([
			{ pupilId: 'a', guardianId: 'g1', contactPriority: 1 },
			{ pupilId: 'b', guardianId: 'g1', contactPriority: 1 },
			{ pupilId: 'c', guardianId: 'g2', contactPriority: 1 },
			{ pupilId: 'd', guardianId: 'g3', contactPriority: 1 },
			{ pupilId: 'e', guardianId: 'g4', contactPriority: 1 }
		]);
		const figures = new Map([child('a', 99, 1, 0, 'excellent'), child('b', 90, 9, 4, 'at_risk'), child('c', 85, 14), child('d', 99, 1, 0, 'excellent'), child('e', 70, 30)].map((c) => [c.pupilId, c]));
		const { eligible, excluded } = eligibleHouseholds(households, figures, { thresholdPercent: 95, excludedPupilIds: new Set(['e']) });
		expect(eligible.map((h) => h.key)).toEqual(['a', 'c']);
		expect(eligible[0]!.children.map((c) => c.pupilId)).toEqual(['a', 'b']);
		// The stratum is the band of the child with the lowest attendance.
		expect(eligible[0]!.band).toBe('at_risk');
		expect(excluded).toBe(1);
	});
});

describe('household grouping', () => {
	it('puts children who share any parent together, with all their parents, whatever the order of the links', () => {
		const links = [
			{ pupilId: 'p3', guardianId: 'mum', contactPriority: 2 },
			{ pupilId: 'p1', guardianId: 'dad', contactPriority: 1 },
			{ pupilId: 'p1', guardianId: 'mum', contactPriority: 1 },
			{ pupilId: 'p2', guardianId: 'other', contactPriority: 1 },
			{ pupilId: 'p4', guardianId: 'step', contactPriority: 1 },
			{ pupilId: 'p3', guardianId: 'step', contactPriority: 1 }
		];
		const a = groupHouseholds(links);
		const b = groupHouseholds([...links].reverse());
		expect(a).toEqual(b);
		expect(a.map((h) => h.pupilIds)).toEqual([['p1', 'p3', 'p4'], ['p2']]);
		expect(a[0]!.guardianIds).toEqual(['dad', 'mum', 'step']);
		// The first to contact: lowest priority number, then id.
		expect(a[0]!.recipientGuardianId).toBe('dad');
		expect(a[0]!.key).toBe('p1');
	});
});

describe('the stratified draw', () => {
	const households = BANDS.flatMap((band, b) => Array.from({ length: 10 + b * 7 }, (_, i) => ({ key: `${band}-${String(i).padStart(3, '0')}`, band })));

	it('is reproducible from its seed and does not depend on the order of the households', () => {
		const one = stratifiedHoldOut(households, 20, 'a1b2c3');
		const two = stratifiedHoldOut([...households].reverse(), 20, 'a1b2c3');
		expect([...one.entries()].sort()).toEqual([...two.entries()].sort());
		const other = stratifiedHoldOut(households, 20, 'ffffff');
		expect([...other.entries()].sort()).not.toEqual([...one.entries()].sort());
	});

	it('holds out the chosen share within every band (to the nearest household)', () => {
		const arms = stratifiedHoldOut(households, 20, 'seed-1');
		for (const band of BANDS) {
			const mine = households.filter((h) => h.band === band);
			const held = mine.filter((h) => arms.get(h.key) === 'hold_out').length;
			expect(held).toBe(Math.round(mine.length * 0.2));
		}
		expect(arms.size).toBe(households.length);
	});

	it('gives each household about the same chance over many seeds', () => {
		const counts = new Map<string, number>();
		for (let s = 0; s < 400; s++) {
			for (const [k, arm] of stratifiedHoldOut(households.slice(0, 10), 30, `s${s}`)) if (arm === 'hold_out') counts.set(k, (counts.get(k) ?? 0) + 1);
		}
		for (const n of counts.values()) expect(n / 400).toBeGreaterThan(0.2);
		for (const n of counts.values()) expect(n / 400).toBeLessThan(0.4);
	});

	it('seeds the generator deterministically', () => {
		const r1 = seededRandom('x');
		const r2 = seededRandom('x');
		expect([r1(), r1(), r1()]).toEqual([r2(), r2(), r2()]);
	});
});

describe('the estimate', () => {
	it('matches a hand-computed Welch interval', () => {
		// a = 2,4,6,8,10: mean 6, variance 10; b = 1..5: mean 3, variance 2.5.
		// se = √(10/5 + 2.5/5) = √2.5 = 1.5811; df = 2.5² / (2²/4 + 0.5²/4) = 100/17 = 5.882;
		// t(0.975, 5.882) = 2.4588; interval 3 ± 3.8877 = (−0.888, 6.888).
		const d = welchDifference(summarise([2, 4, 6, 8, 10]), summarise([1, 2, 3, 4, 5]))!;
		expect(d.difference).toBe(3);
		expect(d.standardError).toBeCloseTo(1.5811, 4);
		expect(d.df).toBeCloseTo(100 / 17, 6);
		expect(d.low).toBeCloseTo(-0.8877, 3);
		expect(d.high).toBeCloseTo(6.8877, 3);
	});

	it('has the textbook t values', () => {
		expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
		expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
		expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 10);
		expect(studentTCdf(1.5, 3.5)).toBeCloseTo(0.8911, 4);
	});

	it('gives no interval without two values in each group or without spread', () => {
		expect(welchDifference(summarise([1]), summarise([1, 2]))).toBeNull();
		expect(welchDifference(summarise([2, 2]), summarise([2, 2]))).toBeNull();
	});
});

describe('the message', () => {
	const offer = { service: 'Family Hub', contact: 'https://example.org/family-hub' };

	it('names each child’s days missed, praises a sibling who missed none, compares kindly, offers one service', () => {
		const parts = messageParts([child('amy', 90, 9.5, 4), child('ben', 100, 0, 0)], { typicalDays: 4, earlierHalfTerms: 1, offer });
		const text = daysMissedMessageText(parts, { locale: 'en', school: 'Harbourside Primary' });
		expect(text).toBe(
			'Hello from Harbourside Primary. Days of school missed by AMY: 4 last half term, 9½ so far this school year. BEN has not missed a day of school this year. Thank you! AMY missed fewer days last half term than earlier in the year: thank you, that really helps. Days missed this year by a typical pupil at our school: 4. Every day AMY is in school helps, and each day back makes a difference. If something is making school hard, we would like to help. Family Hub can help too: https://example.org/family-hub. You can talk to us at any time. Thank you.'
		);
		expect(toneChecklistFailures(text, { offer: offer.service })).toEqual([]);
	});

	it('does not call it better when the last half term was worse than before', () => {
		const parts = messageParts([child('amy', 90, 9, 6)], { typicalDays: 4, earlierHalfTerms: 1, offer: null });
		expect(parts.map((p) => p.kind)).toEqual(['child_missed', 'compare', 'talk_to_us']);
	});

	it('passes the tone checklist in every language, within about 150 words for three children', () => {
		const parts = messageParts([child('amy', 80, 19, 7), child('ben', 85, 14.5, 5), child('cal', 90, 9, 2)], { typicalDays: 4.5, earlierHalfTerms: 2, offer });
		for (const locale of LOCALES) {
			const text = daysMissedMessageText(parts, { locale, school: 'Harbourside Primary' });
			expect(wordCount(text)).toBeLessThanOrEqual(MESSAGE_WORDS_MAX);
			expect(toneChecklistFailures(text, { offer: offer.service }), locale).toEqual([]);
			expect(text).toContain('AMY');
		}
	});

	it('flags a percentage, a threat, a missing offer and a long message', () => {
		expect(toneChecklistFailures('Attendance 90%. You may get a fine.', { offer: 'Family Hub' }).sort()).toEqual(['days_not_percent', 'no_threats', 'offers_help']);
		expect(toneChecklistFailures(Array.from({ length: 151 }, () => 'day').join(' '), { offer: null })).toEqual(['short']);
	});

	it('writes days with halves in the family’s digits', () => {
		expect(daysNumber(9.5, 'en')).toBe('9½');
		expect(daysNumber(0.5, 'pl')).toBe('½');
		expect(daysNumber(12, 'en')).toBe('12');
	});

	it('takes the median as the typical pupil', () => {
		expect(typicalDaysMissed([0, 1, 2, 10])).toBe(1.5);
		expect(typicalDaysMissed([3, 0, 9])).toBe(3);
		expect(typicalDaysMissed([])).toBe(0);
	});
});

describe('periods', () => {
	const calendar = {
		timeZone: 'Europe/London',
		terms: [
			{ name: 'Autumn 1', startsOn: '2026-09-01', endsOn: '2026-10-23' },
			{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' }
		],
		closures: []
	};
	it('reports on the last half term that has ended', () => {
		expect(reportingPeriod(calendar, '2026-11-02')).toMatchObject({ halfTerm: { name: 'Autumn 1' }, yearFrom: '2026-09-01', figuresTo: '2026-11-01', earlierHalfTerms: 0 });
		expect(reportingPeriod(calendar, '2026-10-01')).toBeNull();
	});
	it('follows up for six weeks, or to yesterday', () => {
		expect(followUpWindow('2026-11-03', '2026-11-03')).toBeNull();
		expect(followUpWindow('2026-11-03', '2026-11-10')).toEqual({ from: '2026-11-03', to: '2026-11-09', complete: false });
		expect(followUpWindow('2026-11-03', '2027-01-30')).toEqual({ from: '2026-11-03', to: '2026-12-14', complete: true });
	});
});

describe('the hold-out is for this message only', () => {
	// No other feature may act on the draw (a family is never held out of first day contact, letters
	// or support). The parent's own data download reads it only to show them which group they were in.
	it('is read by the days-missed service alone (and the demo seed that simulates its effect, and the parent\'s data download)', async () => {
		const { readdirSync, readFileSync, statSync } = await import('node:fs');
		const { join } = await import('node:path');
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) {
					if (name !== 'paraglide') walk(path);
				} else if (/\.(ts|svelte)$/.test(name)) files.push(path);
			}
		};
		walk('src');
		walk('bot');
		const readers = files.filter((f) => /daysMissedAssignments|days_missed_assignments/.test(readFileSync(f, 'utf8'))).sort();
		expect(readers).toEqual([
			'src/lib/server/demo/seed-counts.ts',
			'src/lib/server/features/accounts/my-data.ts',
			'src/lib/server/features/campaigns/days-missed.ts',
			'src/lib/server/platform/db/schema-counts.ts'
		]);
		// The download selects the draw's rows; it never writes to them or joins them to anything it sends.
		const download = readFileSync('src/lib/server/features/accounts/my-data.ts', 'utf8');
		expect(download).not.toMatch(/(insert|update|delete)\((daysMissedAssignments)/);
		expect(download).not.toMatch(/enqueue|outbox/i);
	});
});
