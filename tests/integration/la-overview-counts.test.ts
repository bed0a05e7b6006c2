import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import { createTestSchool } from '../fixtures/register/school';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { crossSchoolFigures } from '../../src/lib/server/features/local-authority';
import { isPersistentAbsence, isSevereAbsence } from '../../src/lib/domain/attendance';

/**
 * The view across schools counts persistent and severe absence in SQL: those counts must agree
 * with the domain's own rules at every boundary (exactly 10% and 50% missed, just under, no
 * possible sessions), by half term and over the year.
 */
describe(`the view across schools counts as the attendance rules do (${testEngine})`, () => {
	let handle: DatabaseHandle;
	// [possible, attended] per pupil for Autumn 1 and Autumn 2.
	const figures: [number, number][][] = [
		[[70, 63], [70, 70]], // exactly 10% missed in Autumn 1; 5% over the year
		[[70, 64], [70, 64]], // just under 10%
		[[70, 35], [70, 36]], // exactly 50%, then just under
		[[70, 34], [0, 0]], // over 50%; no possible sessions in Autumn 2
		[[0, 0], [0, 0]], // on roll with no possible sessions at all
		[[71, 63], [69, 63]] // 11.3% then 8.7%: 10% missed over the year (14 of 140)
	];
	const misIds = figures.map((_, i) => `P${i}`);

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'la-counts', urn: '470001', misIds });
		for (const [i, terms] of figures.entries()) {
			for (const [t, [possible, attended]] of terms.entries()) {
				await handle.query(
					`insert into la_attendance_rollup (pupil_id, school_id, academic_year, term_name, term_starts_on, possible, attended) values ($1, $2, '2026/27', $3, $4, $5, $6)`,
					[school.pupils.get(misIds[i]!)!, school.id, t === 0 ? 'Autumn 1' : 'Autumn 2', t === 0 ? '2026-09-03' : '2026-11-02', possible, attended]
				);
			}
		}
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('by half term and over the year', async () => {
		const view = await crossSchoolFigures(handle, '2026/27');
		const school = view.schools.find((s) => s.halfTerms.length > 0)!;
		const expected = (pick: (terms: [number, number][]) => { possible: number; attended: number }) => {
			const tallies = figures.map(pick);
			return {
				pupils: tallies.length,
				possible: tallies.reduce((n, t) => n + t.possible, 0),
				attended: tallies.reduce((n, t) => n + t.attended, 0),
				persistent: tallies.filter(isPersistentAbsence).length,
				severe: tallies.filter(isSevereAbsence).length
			};
		};
		const term = (t: number) => (terms: [number, number][]) => ({ possible: terms[t]![0], attended: terms[t]![1] });
		const year = (terms: [number, number][]) => ({ possible: terms[0]![0] + terms[1]![0], attended: terms[0]![1] + terms[1]![1] });
		expect(school.halfTerms[0]).toMatchObject(expected(term(0)));
		expect(school.halfTerms[1]).toMatchObject(expected(term(1)));
		expect(school.year).toMatchObject(expected(year));
		// The boundaries are in the data: some pupils are on each side of each line.
		expect(school.halfTerms[0]).toMatchObject({ persistent: 4, severe: 2 });
		expect(school.year).toMatchObject({ persistent: 3, severe: 1 });
		expect(view.totals.year).toMatchObject(expected(year));
	});
});
