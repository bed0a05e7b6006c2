/**
 * The benchmark's fictional school: `pupils` pupils on the demo 2026/27 calendar, with a whole
 * year of marks written as an MIS-style CSV (one row per pupil per day: UPN, Date, AM, PM and
 * minutes late), built with the same deterministic generators as the demo seed.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { schoolSessionsBetween } from '../../src/lib/domain/calendar';
import { demoCalendar, DEMO_TERMS } from '../../src/lib/server/demo/calendar';
import { assignProfiles, generatePupilMarks } from '../../src/lib/server/demo/marks';
import { buildRoster, largeSchoolClasses, type Roster } from '../../src/lib/server/demo/people';
import { createRng } from '../../src/lib/server/demo/random';

export const BENCH_SCHOOL = { urn: '999002', slug: 'benchmark-bay', name: 'Benchmark Bay Primary (fictional)' } as const;
export const YEAR_FROM = DEMO_TERMS[0]!.startsOn;
export const YEAR_TO = DEMO_TERMS[DEMO_TERMS.length - 1]!.endsOn;

const SEED = 20270721;

export interface BenchData {
	roster: Roster;
	csvPath: string;
	csvBytes: number;
	rows: number;
	marks: number;
}

function ukDate(iso: string): string {
	return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

export async function generateBenchData(pupils: number, csvPath: string): Promise<BenchData> {
	const roster = buildRoster({
		seed: SEED,
		classes: largeSchoolClasses(pupils),
		academicYearStart: 2026,
		establishment: '9002',
		withGuardians: false
	});
	const sessions = schoolSessionsBetween(demoCalendar(), YEAR_FROM, YEAR_TO);
	const profiles = assignProfiles(createRng(SEED), roster.pupils.length);

	const out = fs.createWriteStream(csvPath);
	const write = async (chunk: string) => {
		if (!out.write(chunk)) await once(out, 'drain');
	};
	await write('UPN,Date,AM,PM,Minutes Late AM,Minutes Late PM\r\n');
	let rows = 0;
	let marks = 0;
	for (const pupil of roster.pupils) {
		const generated = generatePupilMarks({ seed: SEED, pupilKey: pupil.misId, profile: profiles[pupil.key]!, sessions });
		const lines: string[] = [];
		for (let i = 0; i < generated.length; ) {
			const am = generated[i]!;
			const pm = generated[i + 1];
			if (am.session === 'AM' && pm && pm.date === am.date && pm.session === 'PM') {
				lines.push(`${pupil.misId},${ukDate(am.date)},${am.code},${pm.code},${am.minutesLate ?? ''},${pm.minutesLate ?? ''}`);
				i += 2;
				marks += 2;
			} else {
				// A half-day closure: only one session that day.
				const [amCode, pmCode, amLate, pmLate] =
					am.session === 'AM' ? [am.code, '', am.minutesLate, null] : ['', am.code, null, am.minutesLate];
				lines.push(`${pupil.misId},${ukDate(am.date)},${amCode},${pmCode},${amLate ?? ''},${pmLate ?? ''}`);
				i += 1;
				marks += 1;
			}
		}
		rows += lines.length;
		await write(lines.join('\r\n') + '\r\n');
	}
	out.end();
	await once(out, 'finish');
	return { roster, csvPath, csvBytes: fs.statSync(csvPath).size, rows, marks };
}
