import { describe, expect, it } from 'vitest';
import { buildRoster, largeSchoolClasses, makeUpn, upnFor } from '../../src/lib/server/demo/people';

describe('UPNs for schools bigger than 999 pupils a year', () => {
	it('keeps the first 999 serials in the given establishment, as before', () => {
		expect(upnFor('9002', 2026, 1)).toBe(makeUpn('851', '9002', 2026, 1));
		expect(upnFor('9002', 2026, 999)).toBe(makeUpn('851', '9002', 2026, 999));
	});

	it('carries on in the next establishment number instead of throwing', () => {
		expect(upnFor('9002', 2026, 1000)).toBe(makeUpn('851', '9003', 2026, 1));
		expect(upnFor('9002', 2026, 2998)).toBe(makeUpn('851', '9005', 2026, 1));
		expect(upnFor('9999', 2026, 1000)).toBe(makeUpn('851', '0000', 2026, 1));
	});

	it('refuses a serial that is not a positive whole number', () => {
		expect(() => upnFor('9002', 2026, 0)).toThrow(RangeError);
	});

	it('builds a 20,000-pupil roster with a unique, well-formed UPN each', () => {
		const roster = buildRoster({ seed: 7, classes: largeSchoolClasses(20_000), academicYearStart: 2026, establishment: '9002', withGuardians: false });
		expect(roster.pupils).toHaveLength(20_000);
		const upns = new Set(roster.pupils.map((p) => p.misId));
		expect(upns.size).toBe(20_000);
		for (const upn of upns) expect(upn).toMatch(/^[A-Z]\d{12}$/);
	});
});
