/** One pupil's figures for their school's staff (every view audited): their marks this school year as counted by the domain rules. */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { pupils, type Pupil } from '../../platform/db/schema';
import { resolveSummaryRange } from './school-summary';
import { writeAudit } from '../../platform/audit';
import { tallyFromCodeCounts, type Tally } from '../../../domain/attendance';
import type { AttendanceCode } from '../../../domain/codes';

export interface MarkAmendmentNote {
	previousCode: string;
	newCode: string;
	/** Who the MIS says made the change and their role; null when it did not say. */
	byName: string | null;
	byRole: string | null;
	at: Date;
}

/** A mark staff should see the story of: it was changed, or the MIS described it (B/K/P/V/Y). */
export interface MarkNote {
	date: string;
	session: 'AM' | 'PM';
	code: string;
	codeDetail: string | null;
	/** Oldest first. */
	amendments: MarkAmendmentNote[];
}

export interface StaffPupilFigures {
	pupil: Pupil;
	range: { from: string; to: string };
	tally: Tally;
	/** Newest first. */
	markNotes: MarkNote[];
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
	return { pupil, range: { from, to }, tally: tallyFromCodeCounts(counts, minutes), markNotes: await markNotes(handle, schoolId, pupil.id, from, to) };
}

/** The pupil's marks in the range that were amended or carry a detail, with their amendments. */
async function markNotes(handle: DatabaseHandle, schoolId: string, pupilId: string, from: string, to: string): Promise<MarkNote[]> {
	const rows = await handle.query<{
		date: string;
		session: 'AM' | 'PM';
		code: string;
		code_detail: string | null;
		previous_code: string | null;
		new_code: string | null;
		amended_by_name: string | null;
		amended_by_role: string | null;
		amended_at: Date | string | null;
	}>(
		`select to_char(m.date, 'YYYY-MM-DD') as date, m.session::text as session, m.code, m.code_detail,
		        a.previous_code, a.new_code, a.amended_by_name, a.amended_by_role, a.amended_at
		   from attendance_marks m
		   left join attendance_mark_amendments a
		     on a.pupil_id = m.pupil_id and a.date = m.date and a.session = m.session and a.school_id = m.school_id
		  where m.school_id = $1 and m.pupil_id = $2 and m.date >= $3::date and m.date <= $4::date
		    and (m.code_detail is not null or a.id is not null)
		  order by m.date desc, m.session desc, a.amended_at asc, a.id asc`,
		[schoolId, pupilId, from, to]
	);
	const notes: MarkNote[] = [];
	for (const r of rows) {
		let note = notes.at(-1);
		if (!note || note.date !== r.date || note.session !== r.session) {
			note = { date: r.date, session: r.session, code: r.code, codeDetail: r.code_detail, amendments: [] };
			notes.push(note);
		}
		if (r.previous_code !== null && r.new_code !== null && r.amended_at !== null) {
			note.amendments.push({ previousCode: r.previous_code, newCode: r.new_code, byName: r.amended_by_name, byRole: r.amended_by_role, at: new Date(r.amended_at) });
		}
	}
	return notes;
}
