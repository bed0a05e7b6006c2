import { describe, expect, it } from 'vitest';
import directory from '../../src/lib/server/features/support/portsmouth.json';
import {
	categoriesFor,
	contactKind,
	fitsWhatWasSaid,
	mentionsAny,
	offeredToFamily,
	reachableInOneTap,
	type SupportAudience,
	type SupportCategory
} from '../../src/lib/domain/signposting';
import { contactHref, telHref } from '../../src/lib/server/features/support/directory';

type Entry = (typeof directory.services)[number] & { topics?: string[] };
const services = directory.services as Entry[];

/** What a family would be offered for their words, as signpostsFor decides it. */
function suggestedFor(text: string, reason?: 'illness' | 'mental_health'): string[] {
	const categories = categoriesFor({ text, reason });
	return services
		.filter((s) => offeredToFamily({ audience: s.audience as SupportAudience, minAge: s.minAge, maxAge: s.maxAge }, undefined, '2026-12-03'))
		.filter((s) => reachableInOneTap(s))
		.filter((s) => fitsWhatWasSaid({ category: s.category as SupportCategory, topics: s.topics }, { categories, text }))
		.map((s) => s.name);
}

describe('a suggestion fits what the family said', () => {
	it('a cough does not bring up the Vision and Hearing Team or the therapy service', () => {
		const vision = services.find((s) => s.name === 'Vision and Hearing Team')!;
		const therapy = services.find((s) => s.name === 'Children’s Therapy Service')!;
		for (const text of ['He has a cough', 'a bad cold and a cough', 'she is poorly with a temperature']) {
			const said = { categories: categoriesFor({ text, reason: 'illness' }), text };
			expect(said.categories).toContain('illness');
			expect(fitsWhatWasSaid({ category: 'illness', topics: vision.topics }, said), text).toBe(false);
			expect(fitsWhatWasSaid({ category: 'illness', topics: therapy.topics }, said), text).toBe(false);
		}
	});

	it('a reason alone (illness, no words) brings up no specialist service', () => {
		const said = { categories: categoriesFor({ reason: 'illness' }), text: null };
		for (const s of services.filter((x) => (x as Entry).topics)) {
			expect(fitsWhatWasSaid({ category: s.category as SupportCategory, topics: s.topics }, said), s.name).toBe(false);
		}
	});

	it('naming what a specialist service is for brings it up, whatever category the words point to', () => {
		const vision = services.find((s) => s.name === 'Vision and Hearing Team')!;
		const therapy = services.find((s) => s.name === 'Children’s Therapy Service')!;
		const hearing = 'She is deaf in one ear and her hearing aid broke';
		expect(fitsWhatWasSaid({ category: 'illness', topics: vision.topics }, { categories: categoriesFor({ text: hearing }), text: hearing })).toBe(true);
		// "speech" points to special needs; the therapy service is listed under illness.
		const speech = 'waiting for speech and language help';
		expect(categoriesFor({ text: speech })).not.toContain('illness');
		expect(fitsWhatWasSaid({ category: 'illness', topics: therapy.topics }, { categories: categoriesFor({ text: speech }), text: speech })).toBe(true);
	});

	it('a service without topics fits any words of its category, and none of another', () => {
		expect(fitsWhatWasSaid({ category: 'transport', topics: null }, { categories: ['transport'], text: 'the bus' })).toBe(true);
		expect(fitsWhatWasSaid({ category: 'transport', topics: [] }, { categories: ['illness'], text: 'a cough' })).toBe(false);
	});

	it('matches topics on whole words', () => {
		expect(mentionsAny('his eyesight is getting worse', ['eyesight'])).toBe(true);
		expect(mentionsAny('we went sightseeing', ['sight'])).toBe(false);
		expect(mentionsAny('anything', [])).toBe(false);
	});

	it('offers a family with a coughing child nothing that cannot help with a cough', () => {
		const offered = suggestedFor('He has a cough', 'illness');
		expect(offered).not.toContain('Vision and Hearing Team');
		expect(offered).not.toContain('Children’s Therapy Service');
		expect(suggestedFor('he is anxious about school')).toContain('Kooth');
		expect(suggestedFor('the bus did not come')).toEqual(['School transport and travel']);
	});
});

describe('every suggestion is one tap away', () => {
	it('knows an email address and a phone number from other words', () => {
		expect(contactKind('neurodiversity0-19enquiries@portsmouthcc.gov.uk')).toBe('email');
		expect(contactKind('023 9284 1419')).toBe('phone');
		expect(contactKind('+44 23 9284 1419')).toBe('phone');
		expect(contactKind('Ask at reception')).toBeNull();
		expect(contactKind('12')).toBeNull();
		expect(contactKind(null)).toBeNull();
	});

	it('a service with neither a web address nor a contact is not reachable; either one is', () => {
		expect(reachableInOneTap({ link: null, contact: null })).toBe(false);
		expect(reachableInOneTap({ link: null, contact: 'the Local Offer' })).toBe(false);
		expect(reachableInOneTap({ link: 'https://www.kooth.com/', contact: null })).toBe(true);
		expect(reachableInOneTap({ link: null, contact: 'team@example.org' })).toBe(true);
		expect(reachableInOneTap({ link: null, contact: '023 9284 1419' })).toBe(true);
	});

	it('the bundled directory’s dead ends (footnotes 5, 6 and 8, which the source gives no way to reach) are never suggested', () => {
		const deadEnds = services.filter((s) => !reachableInOneTap(s)).map((s) => s.ref);
		expect(deadEnds.sort()).toEqual([5, 6, 8]);
		for (const text of ['cough', 'hearing aid', 'is she too ill for school', 'immunisations']) {
			const offered = suggestedFor(text, 'illness');
			expect(offered).not.toContain('Portsmouth School Nursing Service');
			expect(offered).not.toContain('Vision and Hearing Team');
			expect(offered).not.toContain('Can a child go to school/nursery today?');
		}
	});

	it('a phone number becomes a tel: link in E.164, an email a mailto: link', () => {
		expect(telHref('023 9284 1419')).toBe('tel:+442392841419');
		expect(telHref('(023) 9284-1419')).toBe('tel:+442392841419');
		expect(telHref('+44 23 9284 1419')).toBe('tel:+442392841419');
		expect(telHref('07700 900547')).toBe('tel:+447700900547');
		expect(telHref('not a number')).toBeNull();
		expect(telHref(null)).toBeNull();
		expect(contactHref('team@example.org')).toBe('mailto:team@example.org');
		expect(contactHref('023 9284 1419')).toBe('tel:+442392841419');
		expect(contactHref('Ask at reception')).toBeNull();
	});
});
