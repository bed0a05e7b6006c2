import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import directory from '../../src/lib/server/features/support/portsmouth.json';
import {
	BARRIERS,
	BARRIER_CATEGORIES,
	ILLNESS_GUIDE,
	SUPPORT_CATEGORIES,
	categoriesFor,
	categoriesForReason,
	categoriesForText,
	SUPPORT_AUDIENCES,
	ageInYears,
	ageRangeWords,
	childAgeSpan,
	illnessGuidanceFor,
	isSupportCategory,
	offeredToFamily,
	type ServiceReach
} from '../../src/lib/domain/signposting';
import { ABSENCE_REASONS } from '../../src/lib/domain/absence';

// The footnotes at the end of Portsmouth City Council's guidance on supporting school attendance, copied
// byte for byte from 'PARs Persistent absence reviews' to the end, so the test needs nothing
// outside the repository.
const REFERENCE = path.resolve(__dirname, '../fixtures/reference/portsmouth-footnotes.txt');

/** The footnote links at the end of the Portsmouth guidance: number → URL (wrapped lines joined). */
function footnoteLinks(): Map<number, string> {
	const text = fs.readFileSync(REFERENCE, 'utf8');
	const tail = text.slice(text.lastIndexOf('PARs Persistent absence reviews'));
	const links = new Map<number, string>();
	let current: number | null = null;
	for (const raw of tail.split('\n')) {
		const line = raw.trim();
		const m = /^(\d{1,2}) (https?:\/\/\S.*)$/.exec(line);
		if (m) {
			current = Number(m[1]);
			links.set(current, m[2]!.trim());
		} else if (current !== null && line && !/^\d/.test(line)) {
			links.set(current, links.get(current)! + line);
		} else if (!line) {
			// a blank line ends a footnote
		}
	}
	return links;
}

describe('the Portsmouth directory data', () => {
	const services = directory.services;
	const links = footnoteLinks();

	it('has every service of the source, each in a known category', () => {
		expect(services).toHaveLength(30);
		const refs = services.map((s) => s.ref).filter((r): r is number => r !== null);
		expect(refs.sort((a, b) => a - b)).toEqual(Array.from({ length: 29 }, (_, i) => i + 5));
		for (const s of services) {
			expect(isSupportCategory(s.category), s.name).toBe(true);
			expect(s.name.length).toBeGreaterThan(2);
			expect(s.overview.length).toBeGreaterThan(10);
			expect(s.source.length).toBeGreaterThan(2);
		}
		expect(links.size).toBeGreaterThanOrEqual(29);
	});

	it('links each service exactly as the source does', () => {
		for (const s of services.filter((x) => x.ref !== null && x.link !== null)) {
			expect(s.link, `${s.name} (footnote ${s.ref})`).toBe(links.get(s.ref!));
		}
	});

	it('invents no link for footnotes 5, 6 and 8, which have none in the source', () => {
		for (const ref of [5, 6, 8]) {
			expect(links.has(ref)).toBe(false);
			const s = services.find((x) => x.ref === ref)!;
			expect(s.link).toBeNull();
			expect(s.source).toMatch(/Local Offer|Healthier Together/);
		}
	});

	it('gives the Neurodiversity Team’s email as its contact', () => {
		const s = services.find((x) => x.name === 'The Neurodiversity Team')!;
		expect(s.contact).toBe('neurodiversity0-19enquiries@portsmouthcc.gov.uk');
		expect(s.link).toBeNull();
	});
});

describe('barriers and categories', () => {
	it('maps every barrier of the personal attendance plan to categories', () => {
		expect(BARRIERS).toHaveLength(9);
		for (const b of BARRIERS) {
			expect(BARRIER_CATEGORIES[b].length).toBeGreaterThan(0);
			for (const c of BARRIER_CATEGORIES[b]) expect(SUPPORT_CATEGORIES).toContain(c);
		}
		expect(BARRIER_CATEGORIES.emotionally_based_school_avoidance).toEqual(['mental_health', 'semh_in_school']);
		expect(BARRIER_CATEGORIES.transport).toEqual(['transport']);
	});

	it('maps every reason a parent can give', () => {
		for (const r of ABSENCE_REASONS) expect(Array.isArray(categoriesForReason(r))).toBe(true);
		expect(categoriesForReason('illness')).toEqual(['illness']);
		expect(categoriesForReason('mental_health')).toEqual(['mental_health', 'semh_in_school']);
		expect(categoriesForReason('bereavement')).toEqual(['general', 'mental_health']);
		expect(categoriesForReason('religious_observance')).toEqual([]);
	});
});

describe('matching what parents write', () => {
	const table: [string, string[]][] = [
		['Sam is off sick today', ['illness']],
		['she has a temperature and a cough', ['illness']],
		['Ella is really anxious about school', ['mental_health']],
		['he refuses to go, he says he is being bullied', ['mental_health', 'semh_in_school']],
		['The bus didn’t come', ['transport']],
		['our car broke down', ['transport']],
		['Business trip with dad', []],
		['I am his carer and I am poorly', ['illness', 'young_carers']],
		['he looks after my mum', ['young_carers']],
		['No school shoes that fit', ['uniform']],
		['He has ADHD and had a meltdown', ['neurodiversity']],
		['We are waiting for an EHCP', ['sen']],
		['Need an interpreter please', ['eal']],
		['I think he is involved with a gang', ['exploitation']],
		['Her grandad died', ['general']],
		['ANXIETY', ['mental_health']],
		['', []],
		['Dzień dobry', []]
	];
	it.each(table)('%s', (text, expected) => {
		expect(categoriesForText(text)).toEqual(expected);
	});

	it('combines the reason and the words, without duplicates, in directory order', () => {
		expect(categoriesFor({ reason: 'illness', text: 'anxious and sick' })).toEqual(['illness', 'mental_health']);
		expect(categoriesFor({ reason: 'other', text: 'the bus' })).toEqual(['transport']);
		expect(categoriesFor({})).toEqual([]);
	});
});

describe('illness guidance', () => {
	it('has sourced advice for common illnesses', () => {
		expect(ILLNESS_GUIDE.length).toBeGreaterThanOrEqual(15);
		for (const g of ILLNESS_GUIDE) expect(g.advice).toMatch(/^(Keep them off|They can go to school)/);
	});

	it('finds the illness from the parent’s words', () => {
		expect(illnessGuidanceFor('Sam has been sick twice in the night').map((g) => g.key)).toEqual(['vomiting_diarrhoea']);
		expect(illnessGuidanceFor('chickenpox spots everywhere').map((g) => g.key)).toEqual(['chickenpox']);
		expect(illnessGuidanceFor('a high temperature').map((g) => g.key)).toEqual(['high_temperature']);
		expect(illnessGuidanceFor('she has cold sores').map((g) => g.key)).toEqual(['cold_sores']);
		expect(illnessGuidanceFor('just a cold').map((g) => g.key)).toEqual(['cough_cold']);
		expect(illnessGuidanceFor('broken arm')).toEqual([]);
	});

	it('says when to stay off and when school is fine', () => {
		const byKey = new Map(ILLNESS_GUIDE.map((g) => [g.key, g]));
		expect(byKey.get('vomiting_diarrhoea')!.advice).toContain('48 hours');
		expect(byKey.get('vomiting_diarrhoea')!.stayOff).toBe(true);
		expect(byKey.get('conjunctivitis')!.stayOff).toBe(false);
		expect(byKey.get('head_lice')!.stayOff).toBe(false);
	});
});

describe('who a service is for', () => {
	const on = '2026-12-03';
	const youngPeople: ServiceReach = { audience: 'children_young_people', minAge: 11, maxAge: 25 };
	const anyone: ServiceReach = { audience: 'families', minAge: null, maxAge: null };
	const staffOnly: ServiceReach = { audience: 'professionals', minAge: null, maxAge: null };
	const bornAged = (years: number) => `${2026 - years}-06-01`;

	it('counts whole years, the birthday counting on the day', () => {
		expect(ageInYears('2015-12-03', on)).toBe(11);
		expect(ageInYears('2015-12-04', on)).toBe(10);
		expect(ageInYears('2016-02-29', '2027-02-28')).toBe(10);
		expect(ageInYears('2016-02-29', '2027-03-01')).toBe(11);
	});

	it('offers an 11–25 service to a child of 11, not of 10', () => {
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: bornAged(10), yearGroup: 6 }], on)).toBe(false);
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: bornAged(11), yearGroup: 6 }], on)).toBe(true);
		// The day before and the day of the 11th birthday.
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: '2015-12-04', yearGroup: 6 }], on)).toBe(false);
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: '2015-12-03', yearGroup: 6 }], on)).toBe(true);
		// Both ends are included; 26 is past it.
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: bornAged(25), yearGroup: 13 }], on)).toBe(true);
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: bornAged(26), yearGroup: 13 }], on)).toBe(false);
	});

	it('offers it when any one of the family’s children fits', () => {
		const family = [
			{ dateOfBirth: bornAged(6), yearGroup: 1 },
			{ dateOfBirth: bornAged(12), yearGroup: 7 }
		];
		expect(offeredToFamily(youngPeople, family, on)).toBe(true);
		expect(offeredToFamily(youngPeople, family.slice(0, 1), on)).toBe(false);
		expect(offeredToFamily(youngPeople, [], on)).toBe(false);
	});

	it('uses the year group when the date of birth is not known (Reception = 4 to 5, Year N = N+4 to N+5)', () => {
		expect(childAgeSpan({ dateOfBirth: null, yearGroup: 0 }, on)).toEqual({ min: 4, max: 5 });
		expect(childAgeSpan({ dateOfBirth: null, yearGroup: 6 }, on)).toEqual({ min: 10, max: 11 });
		expect(childAgeSpan({ dateOfBirth: '2015-12-03', yearGroup: 6 }, on)).toEqual({ min: 11, max: 11 });
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: null, yearGroup: 5 }], on)).toBe(false);
		// Year 6 children are 10 or 11: they may be old enough.
		expect(offeredToFamily(youngPeople, [{ dateOfBirth: null, yearGroup: 6 }], on)).toBe(true);
		const fiveAndOver: ServiceReach = { audience: 'children_young_people', minAge: 5, maxAge: null };
		expect(offeredToFamily(fiveAndOver, [{ dateOfBirth: null, yearGroup: 0 }], on)).toBe(true);
		expect(offeredToFamily(fiveAndOver, [{ dateOfBirth: null, yearGroup: -1 }], on)).toBe(false);
		const underFives: ServiceReach = { audience: 'families', minAge: null, maxAge: 4 };
		expect(offeredToFamily(underFives, [{ dateOfBirth: null, yearGroup: 0 }], on)).toBe(true);
		expect(offeredToFamily(underFives, [{ dateOfBirth: null, yearGroup: 1 }], on)).toBe(false);
	});

	it('never offers a professionals-only service, whoever the family is', () => {
		expect(offeredToFamily(staffOnly, undefined, on)).toBe(false);
		expect(offeredToFamily(staffOnly, [{ dateOfBirth: bornAged(12), yearGroup: 7 }], on)).toBe(false);
		expect(offeredToFamily({ ...staffOnly, minAge: 11, maxAge: 25 }, [{ dateOfBirth: bornAged(12), yearGroup: 7 }], on)).toBe(false);
	});

	it('offers every family service to a visitor we know nothing about, and an open service to every family', () => {
		expect(offeredToFamily(youngPeople, undefined, on)).toBe(true);
		expect(offeredToFamily(anyone, [], on)).toBe(true);
		expect(offeredToFamily(anyone, [{ dateOfBirth: null, yearGroup: 0 }], on)).toBe(true);
	});

	it('says the ages in words', () => {
		expect(ageRangeWords(11, 25)).toBe('For ages 11 to 25');
		expect(ageRangeWords(5, null)).toBe('For ages 5 and over');
		expect(ageRangeWords(null, 4)).toBe('For ages up to 4');
		expect(ageRangeWords(null, null)).toBeNull();
	});

	it('takes the Portsmouth ages and audiences from what the guidance says', () => {
		const byName = new Map(directory.services.map((s) => [s.name, s]));
		expect(byName.get('Kooth')).toMatchObject({ audience: 'children_young_people', minAge: 11, maxAge: 25 });
		expect(byName.get('Young Carers Team')).toMatchObject({ minAge: 5, maxAge: 25 });
		expect(byName.get('Portsmouth educational psychology service')).toMatchObject({ minAge: 0, maxAge: 25 });
		expect(byName.get('Inclusion Outreach Service')!.audience).toBe('professionals');
		for (const s of directory.services) {
			expect(SUPPORT_AUDIENCES, s.name).toContain(s.audience);
			if (s.minAge !== null && s.maxAge !== null) expect(s.minAge, s.name).toBeLessThanOrEqual(s.maxAge);
			// An age range only where the overview gives one: never guessed.
			if (s.minAge !== null || s.maxAge !== null) expect(s.overview, s.name).toMatch(/aged? \d+–\d+|from \d+–\d+|\d+–\d+/);
		}
	});
});
