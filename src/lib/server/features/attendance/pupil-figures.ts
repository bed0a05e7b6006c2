/** One pupil's figures for their school's staff (every view audited): their marks this school year as counted by the domain rules. */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { pupils, type Pupil } from '../../platform/db/schema';
import { resolveSummaryRange } from './school-summary';
import { writeAudit } from '../../platform/audit';
import { tallyFromCodeCounts, type Tally } from '../../../domain/attendance';
import type { AttendanceCode } from '../../../domain/codes';

export interface StaffPupilFigures {
	pupil: Pupil;
	range: { from: string; to: string };
	tally: Tally;
}

/** Null for a pupil of another school: callers answer "not found", so ids reveal nothing. */
export async function staffPupilFigures(handle: DatabaseHandle, schoolId: string, pupilId: string, viewedBy: string): Promise<StaffPupilFigures | null> {
	const [pupil] = await handle.db.select().from(pupils).where(eq(pupils.id, pupilId));
	if (!pupil || pupil.schoolId !== schoolId) return null;
	// Who looked at which child's record, for the school's data-protection questions.
	await writeAudit(handle.db, { actorType: 'staff', actorId: viewedBy, action: 'pupil.viewed', schoolId, subjectType: 'pupil', subjectId: pupil.id });
	const { from, to } = await resolveSummaryRange(handle, schoolId);
	const rows = await handle.query<{ code: string; n: number; minutes: number }>(
		`select code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
		   from attendance_marks
		  where school_id = $1 and pupil_id = $2 and date >= $3::date and date <= $4::date
		  group by code`,
		[schoolId, pupil.id, from, to]
	);
	const counts: Partial<Record<AttendanceCode, number>> = {};
	let minutes = 0;
	for (const r of rows) {
		counts[r.code as AttendanceCode] = Number(r.n);
		minutes += Number(r.minutes);
	}
	return { pupil, range: { from, to }, tally: tallyFromCodeCounts(counts, minutes) };
}
