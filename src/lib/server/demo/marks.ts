/**
 * Realistic, deterministic register marks for fictional pupils (demo seed and benchmark).
 *
 * Each pupil gets an attendance band and a target; the number of absent sessions is then chosen
 * so that the band computed by the domain (`bandFor`) is exactly the planned one for however many
 * sessions have elapsed, and those absences are laid out as plausible episodes: illness in runs of
 * days (`I`), single-session appointments (`M`), term-time holidays (`G`), unexplained days
 * (`O`), arriving after the register closed (`U`), exceptional leave (`C`), and the recent
 * not-yet-explained `N` marks that first-day contact is about. Present sessions are `/` (AM) and
 * `\` (PM), with some `L` late arrivals (minutes recorded) and class trips (`V`) or sports
 * fixtures (`P`).
 *
 * Pure: no I/O.
 */
import { bandFor, type Band } from '../../domain/attendance';
import type { AttendanceCode } from '../../domain/codes';
import type { IsoDate, Session } from '../../domain/calendar';
import { rngFor, type Rng } from './random';

export interface AttendanceProfile {
	band: Band;
	/** Planned attendance, 0..1. */
	target: number;
	/** Chance of an `L` on a present morning. */
	lateRate: number;
	/** Absent (`N`) on the last school day with no reason yet: the first-day-contact demo. */
	firstDayContact: boolean;
}

export interface GeneratedMark {
	date: IsoDate;
	session: Session;
	code: AttendanceCode;
	minutesLate: number | null;
}

/** A whole-class activity that counts as attended (e.g. a trip). */
export interface ClassActivity {
	date: IsoDate;
	sessions: readonly Session[];
	code: AttendanceCode;
}

/**
 * Bands for `count` pupils in a fixed mix: 1–2 severely absent, about 5% formal stage, 9%
 * persistently absent, 23% at risk, the rest excellent, shuffled deterministically.
 */
export function assignProfiles(rng: Rng, count: number): AttendanceProfile[] {
	const severe = count >= 60 ? 2 : count >= 5 ? 1 : 0;
	const formal = Math.max(count >= 5 ? 1 : 0, Math.round(count * 0.05));
	const persistent = Math.max(count >= 5 ? 1 : 0, Math.round(count * 0.09));
	const atRisk = Math.max(count >= 5 ? 1 : 0, Math.round(count * 0.23));
	const bands: Band[] = [];
	const push = (band: Band, n: number) => {
		for (let i = 0; i < n && bands.length < count; i++) bands.push(band);
	};
	push('severely_absent', severe);
	push('persistently_absent_formal', formal);
	push('persistently_absent', persistent);
	push('at_risk', atRisk);
	push('excellent', count - bands.length);
	const shuffled = rng.shuffle(bands);
	const profiles = shuffled.map((band): AttendanceProfile => {
		const target = targetFor(rng, band);
		const lateRate = rng.weighted([
			[0, 35],
			[0.02, 40],
			[0.06, 18],
			[0.15, 7]
		] as const);
		return { band, target, lateRate, firstDayContact: false };
	});
	// A handful of first-day-contact absences today, among pupils who do miss some school.
	const candidates = profiles
		.map((p, i) => ({ p, i }))
		.filter(({ p }) => p.band === 'at_risk' || p.band === 'persistently_absent' || p.band === 'persistently_absent_formal');
	const wanted = Math.min(candidates.length, Math.max(count >= 20 ? 3 : 1, Math.round(count * 0.025)));
	for (const { p } of rng.shuffle(candidates).slice(0, wanted)) p.firstDayContact = true;
	return profiles;
}

function targetFor(rng: Rng, band: Band): number {
	const between = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
	switch (band) {
		case 'excellent':
			return rng.chance(0.3) ? 1 : between(0.962, 0.995);
		case 'at_risk':
			return between(0.905, 0.955);
		case 'persistently_absent':
			return between(0.855, 0.9);
		case 'persistently_absent_formal':
			return rng.chance(0.7) ? between(0.75, 0.845) : between(0.55, 0.75);
		case 'severely_absent':
			return between(0.28, 0.48);
	}
}

/**
 * Absent sessions out of `possible` so that `bandFor(possible − absent, possible)` is `band`:
 * the value nearest `round(possible × (1 − target))` that lands in the band. When no value can
 * (too few sessions so far, e.g. on the second day of term), the rounded value is used.
 */
export function absentSessionsFor(possible: number, band: Band, target: number): number {
	const planned = Math.min(possible, Math.max(0, Math.round(possible * (1 - target))));
	if (possible === 0) return 0;
	for (let d = 0; d <= possible; d++) {
		for (const a of d === 0 ? [planned] : [planned - d, planned + d]) {
			if (a < 0 || a > possible) continue;
			if (bandFor(possible - a, possible) === band) return a;
		}
	}
	return planned;
}

type EpisodeKind = 'illness' | 'appointment' | 'holiday' | 'unexplained' | 'late_after_close' | 'exceptional';

const EPISODE_WEIGHTS: Record<Band, readonly (readonly [EpisodeKind, number])[]> = {
	excellent: [['illness', 70], ['appointment', 22], ['exceptional', 4], ['late_after_close', 4]],
	at_risk: [['illness', 64], ['appointment', 16], ['exceptional', 5], ['late_after_close', 7], ['unexplained', 4], ['holiday', 4]],
	persistently_absent: [['illness', 48], ['appointment', 10], ['holiday', 16], ['unexplained', 14], ['late_after_close', 10], ['exceptional', 2]],
	persistently_absent_formal: [['illness', 40], ['appointment', 6], ['holiday', 20], ['unexplained', 22], ['late_after_close', 12]],
	severely_absent: [['illness', 34], ['unexplained', 44], ['late_after_close', 12], ['holiday', 10]]
};

export interface GenerateOptions {
	/** Seed for this school's marks; each pupil gets an independent stream from it and `pupilKey`. */
	seed: number;
	pupilKey: string;
	profile: AttendanceProfile;
	/** Every school session to mark, in order (AM before PM). */
	sessions: readonly { date: IsoDate; session: Session }[];
	/** Activities for this pupil's class (trips, fixtures). */
	activities?: readonly ClassActivity[];
	/** How many of the last school days count as "recent" (N may still be unresolved). Default 5. */
	recentSchoolDays?: number;
}

export function generatePupilMarks(opts: GenerateOptions): GeneratedMark[] {
	const rng = rngFor(opts.seed, `marks:${opts.pupilKey}`);
	const { profile, sessions } = opts;
	const possible = sessions.length;
	const codes: (AttendanceCode | null)[] = new Array<AttendanceCode | null>(possible).fill(null);

	// Group the session indexes by day.
	const days: { date: IsoDate; idx: number[] }[] = [];
	sessions.forEach((s, i) => {
		const last = days[days.length - 1];
		if (last && last.date === s.date) last.idx.push(i);
		else days.push({ date: s.date, idx: [i] });
	});
	const recentFrom = Math.max(0, days.length - (opts.recentSchoolDays ?? 5));

	let remaining = absentSessionsFor(possible, profile.band, profile.target);

	// First-day contact: absent today with no reason yet.
	const lastDay = days[days.length - 1];
	if (profile.firstDayContact && lastDay && remaining >= lastDay.idx.length) {
		for (const i of lastDay.idx) codes[i] = 'N';
		remaining -= lastDay.idx.length;
	}

	const isFree = (i: number) => codes[i] === null;
	const dayFree = (d: number) => days[d]!.idx.every(isFree);
	const placeRun = (code: AttendanceCode, lengthDays: number, avoidRecent: boolean): number => {
		const maxStart = (avoidRecent ? recentFrom : days.length) - lengthDays;
		if (maxStart < 0) return 0;
		for (let attempt = 0; attempt < 25; attempt++) {
			const start = rng.int(0, maxStart);
			let ok = true;
			let size = 0;
			for (let d = start; d < start + lengthDays; d++) {
				if (!dayFree(d)) ok = false;
				size += days[d]!.idx.length;
			}
			if (!ok || size > remaining) continue;
			for (let d = start; d < start + lengthDays; d++) for (const i of days[d]!.idx) codes[i] = code;
			return size;
		}
		return 0;
	};
	const placeSingle = (code: AttendanceCode, session: Session | null, avoidRecent: boolean): number => {
		const end = avoidRecent ? recentFrom : days.length;
		if (end <= 0) return 0;
		for (let attempt = 0; attempt < 25; attempt++) {
			const day = days[rng.int(0, end - 1)]!;
			const i = day.idx.find((j) => session === null || sessions[j]!.session === session);
			if (i === undefined || !isFree(i)) continue;
			codes[i] = code;
			return 1;
		}
		return 0;
	};

	let stalls = 0;
	while (remaining > 0 && stalls < 40) {
		const kind = rng.weighted(EPISODE_WEIGHTS[profile.band]);
		let placed = 0;
		switch (kind) {
			case 'illness': {
				if (remaining === 1) {
					placed = placeSingle('I', 'PM', false); // sent home poorly at lunchtime
					break;
				}
				const long = profile.band === 'severely_absent' && rng.chance(0.35);
				const length = long ? rng.int(5, 10) : rng.weighted([[1, 40], [2, 30], [3, 18], [4, 7], [5, 5]] as const);
				placed = placeRun('I', Math.max(1, Math.min(length, Math.floor(remaining / 2))), false);
				break;
			}
			case 'appointment':
				placed = placeSingle('M', rng.chance(0.6) ? 'AM' : 'PM', false);
				break;
			case 'holiday':
				if (remaining >= 6) placed = placeRun('G', Math.min(Math.floor(remaining / 2), rng.int(3, 5)), true);
				break;
			case 'unexplained':
				placed = remaining >= 2 ? placeRun('O', 1, true) : placeSingle('O', null, true);
				break;
			case 'late_after_close':
				placed = placeSingle('U', 'AM', false);
				break;
			case 'exceptional':
				if (remaining >= 2) placed = placeRun('C', 1, false);
				break;
		}
		remaining -= placed;
		stalls = placed > 0 ? 0 : stalls + 1;
	}
	// Whatever could not be laid out as an episode (a crowded register): fill free sessions in order.
	const fillCode: AttendanceCode = profile.band === 'severely_absent' ? 'O' : 'I';
	for (let d = 0; d < days.length && remaining > 0; d++) {
		for (const i of days[d]!.idx) {
			if (remaining > 0 && isFree(i)) {
				codes[i] = d >= recentFrom ? 'I' : fillCode;
				remaining--;
			}
		}
	}

	const activity = new Map<string, AttendanceCode>();
	for (const a of opts.activities ?? []) for (const s of a.sessions) activity.set(`${a.date}|${s}`, a.code);

	return sessions.map((s, i): GeneratedMark => {
		const code = codes[i];
		if (code) return { date: s.date, session: s.session, code, minutesLate: null };
		const trip = activity.get(`${s.date}|${s.session}`);
		if (trip) return { date: s.date, session: s.session, code: trip, minutesLate: null };
		if (s.session === 'AM' && profile.lateRate > 0 && rng.chance(profile.lateRate)) {
			return { date: s.date, session: s.session, code: 'L', minutesLate: rng.weighted([[rng.int(2, 9), 70], [rng.int(10, 20), 25], [rng.int(21, 30), 5]] as const) };
		}
		return { date: s.date, session: s.session, code: s.session === 'AM' ? '/' : '\\', minutesLate: null };
	});
}
