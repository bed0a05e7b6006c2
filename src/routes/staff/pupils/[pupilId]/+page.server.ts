import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { writeAudit } from '$lib/server/audit';
import { pupils } from '$lib/server/db/schema';
import { requireSchoolStaff, staffCanSeePupil } from '$lib/server/auth/access';
import { resolveSummaryRange } from '$lib/server/attendance-summary';
import {
	attendancePercent,
	BAND_INFO,
	bandFor,
	daysFromSessions,
	formatDays,
	formatPercent,
	isPersistentAbsence,
	isSevereAbsence,
	missedSessions,
	tallyFromCodeCounts
} from '$lib/domain/attendance';
import { CODE_MEANINGS, type AttendanceCode } from '$lib/domain/codes';

/** One pupil's figures. A pupil of another school is "not found" (404), so ids reveal nothing. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requireSchoolStaff(locals);
	const handle = await getDatabase();
	if (!(await staffCanSeePupil(handle.db, staff, params.pupilId))) error(404, 'Page not found');

	const [pupil] = await handle.db.select().from(pupils).where(eq(pupils.id, params.pupilId));
	if (!pupil || pupil.schoolId !== staff.schoolId) error(404, 'Page not found');
	// Who looked at which child's record, for the school's data-protection questions.
	await writeAudit(handle.db, { actorType: 'staff', actorId: staff.id, action: 'pupil.viewed', schoolId: staff.schoolId, subjectType: 'pupil', subjectId: pupil.id });

	const { from, to } = await resolveSummaryRange(handle, staff.schoolId);
	const rows = await handle.query<{ code: string; n: number; minutes: number }>(
		`select code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
		   from attendance_marks
		  where school_id = $1 and pupil_id = $2 and date >= $3::date and date <= $4::date
		  group by code`,
		[staff.schoolId, pupil.id, from, to]
	);
	const counts: Partial<Record<AttendanceCode, number>> = {};
	let minutes = 0;
	for (const r of rows) {
		counts[r.code as AttendanceCode] = Number(r.n);
		minutes += Number(r.minutes);
	}
	const tally = tallyFromCodeCounts(counts, minutes);
	const band = bandFor(tally.attended, tally.possible);
	const missed = missedSessions(tally);

	return {
		pupil: {
			name: `${pupil.preferredName ?? pupil.firstName} ${pupil.lastName}`,
			misId: pupil.misId,
			yearGroup: pupil.yearGroup === 0 ? 'Reception' : pupil.yearGroup < 0 ? 'Nursery' : `Year ${pupil.yearGroup}`,
			className: pupil.className
		},
		range: { from, to },
		figures: {
			percent: formatPercent(attendancePercent(tally.attended, tally.possible)),
			band,
			bandLabel: band ? BAND_INFO[band].staffLabel : 'No sessions yet',
			staffNextSteps: band ? BAND_INFO[band].staffNextSteps : [],
			possible: tally.possible,
			attended: tally.attended,
			authorised: tally.authorisedAbsence,
			unauthorised: tally.unauthorisedAbsence,
			missedDays: formatDays(daysFromSessions(missed)),
			lateBeforeClose: tally.lateBeforeClose,
			lateAfterClose: tally.lateAfterClose,
			minutesLate: tally.minutesLate,
			persistent: isPersistentAbsence(tally),
			severe: isSevereAbsence(tally)
		},
		codes: Object.entries(tally.byCode)
			.filter(([, n]) => (n ?? 0) > 0)
			.map(([code, n]) => ({ code, n: n ?? 0, meaning: CODE_MEANINGS[code as AttendanceCode]?.staff ?? '' }))
	};
};
