/**
 * What a school must tell the local authority about a pupil's absence (README "Statutory
 * notifications" gives the sources): a pupil absent without the school's permission for a
 * continuous period of 10 school days or more, and a pupil who fails to attend regularly by the
 * criteria the school and the local authority agreed (The School Attendance (Pupil
 * Registration) (England) Regulations 2024; "Working together to improve school attendance",
 * DfE, August 2024). Every Day shows these to the LA officer directly, so the school's duty is
 * met by the data it already sends.
 *
 * Pure: no I/O.
 */
import { isPersistentAbsence, isSevereAbsence, type Mark, type Tally } from './attendance';
import { compareDates, type IsoDate } from './calendar';
import { countsAsAttended, isAttendanceCode, isPossibleSession, isUnauthorisedAbsence } from './codes';

/** School days of continuous unauthorised absence that the local authority must be told of. */
export const CONTINUOUS_ABSENCE_SCHOOL_DAYS = 10;

export interface ContinuousAbsence {
	/** School days in the run. */
	days: number;
	from: IsoDate;
	to: IsoDate;
}

/**
 * The longest run of consecutive register days on which every possible session was an
 * unauthorised absence (G, N, O, U). A day with any session attended or authorised ends the run;
 * a day with no possible session (a "not possible" code such as X or Y) neither ends nor extends
 * it, as the pupil was not expected in school. Days with no marks at all are not register days
 * and are skipped. Null when there is no such day.
 */
export function longestContinuousUnauthorisedAbsence(marks: readonly Mark[]): ContinuousAbsence | null {
	const byDay = new Map<IsoDate, Mark[]>();
	for (const m of marks) {
		const list = byDay.get(m.date);
		if (list) list.push(m);
		else byDay.set(m.date, [m]);
	}
	const days = [...byDay.keys()].sort(compareDates);
	let best: ContinuousAbsence | null = null;
	let run: ContinuousAbsence | null = null;
	for (const day of days) {
		const possible = byDay.get(day)!.filter((m) => isAttendanceCode(m.code) && isPossibleSession(m.code));
		if (possible.length === 0) continue;
		const allUnauthorised = possible.every((m) => isUnauthorisedAbsence(m.code) && !countsAsAttended(m.code));
		if (!allUnauthorised) {
			run = null;
			continue;
		}
		run = run ? { days: run.days + 1, from: run.from, to: day } : { days: 1, from: day, to: day };
		if (!best || run.days > best.days) best = { ...run };
	}
	return best;
}

/** Whether a run of continuous unauthorised absence must be notified (10 school days or more). */
export function mustNotifyContinuousAbsence(run: ContinuousAbsence | null): boolean {
	return run !== null && run.days >= CONTINUOUS_ABSENCE_SCHOOL_DAYS;
}

/**
 * The criteria the local authority agreed with its schools for "fails to attend regularly".
 * Portsmouth's default: persistent absence (missing 10% or more of possible sessions) over at
 * least `minimumPossibleSessions`, so a pupil who joined last week is not listed on two missed
 * sessions.
 */
export interface IrregularAttendanceCriteria {
	level: 'persistent' | 'severe';
	minimumPossibleSessions: number;
}

export const DEFAULT_IRREGULAR_ATTENDANCE_CRITERIA: IrregularAttendanceCriteria = { level: 'persistent', minimumPossibleSessions: 20 };

/** Whether a pupil's figures meet the agreed criteria. */
export function meetsIrregularAttendanceCriteria(
	tally: Pick<Tally, 'possible' | 'attended'>,
	criteria: IrregularAttendanceCriteria = DEFAULT_IRREGULAR_ATTENDANCE_CRITERIA
): boolean {
	if (tally.possible < criteria.minimumPossibleSessions) return false;
	return criteria.level === 'severe' ? isSevereAbsence(tally) : isPersistentAbsence(tally);
}

export type StatutoryNotificationReason = 'continuous_unauthorised_absence' | 'irregular_attendance';

/** Why a pupil appears for the local authority (both reasons may apply). */
export function statutoryNotificationReasons(
	marks: readonly Mark[],
	tally: Pick<Tally, 'possible' | 'attended'>,
	criteria: IrregularAttendanceCriteria = DEFAULT_IRREGULAR_ATTENDANCE_CRITERIA
): { reasons: StatutoryNotificationReason[]; continuous: ContinuousAbsence | null } {
	const continuous = longestContinuousUnauthorisedAbsence(marks);
	const reasons: StatutoryNotificationReason[] = [];
	if (mustNotifyContinuousAbsence(continuous)) reasons.push('continuous_unauthorised_absence');
	if (meetsIrregularAttendanceCriteria(tally, criteria)) reasons.push('irregular_attendance');
	return { reasons, continuous };
}
