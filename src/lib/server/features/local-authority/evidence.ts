/**
 * The evidence a referral carries, assembled automatically when the school sends it: a list of
 * sections, each built by one source from what the school already holds. The list is snapshotted
 * into the referral, so the LA officer reads what the school sent.
 *
 * Adding a section (the school's letters, meetings, support plan and its reviews, from the
 * graduated response): add its shape to `EvidenceSection` and a source to `EVIDENCE_SOURCES`.
 * Nothing else changes: the referral stores whatever sections the sources return, and the
 * referral page shows each kind it knows.
 */
import { tallyFromCodeCounts, attendancePercent, unauthorisedInRollingWindow, type Mark } from '../../../domain/attendance';
import { localDateOf, type IsoDate } from '../../../domain/calendar';
import { isAttendanceCode, type AttendanceCode } from '../../../domain/codes';
import type { DatabaseHandle } from '../../platform/db/engine';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { pupilRecord } from '../graduated-response';

export type { EvidenceSection, HalfTermFigures } from '../../../domain/referral-evidence';
import type { EvidenceSection } from '../../../domain/referral-evidence';

export type EvidenceKind = EvidenceSection['kind'];

export interface EvidenceContext {
	schoolId: string;
	pupilId: string;
	/** The school's today, in its time zone. */
	today: IsoDate;
}

export interface EvidenceSource {
	kind: EvidenceKind;
	build(handle: DatabaseHandle, ctx: EvidenceContext): Promise<EvidenceSection>;
}

const figuresByHalfTerm: EvidenceSource = {
	kind: 'figures_by_half_term',
	async build(handle, { schoolId, pupilId, today }) {
		const rows = await handle.query<{ name: string; starts_on: string; ends_on: string; code: string | null; n: number }>(
			`select t.name, t.starts_on::text as starts_on, t.ends_on::text as ends_on, m.code, count(m.code)::int as n
			   from school_terms t
			   left join attendance_marks m
			     on m.pupil_id = $2 and m.school_id = t.school_id and m.date between t.starts_on and t.ends_on
			  where t.school_id = $1 and t.starts_on <= $3::date
			  group by t.name, t.starts_on, t.ends_on, m.code
			  order by t.starts_on`,
			[schoolId, pupilId, today]
		);
		const byTerm = new Map<string, { name: string; startsOn: string; endsOn: string; counts: Partial<Record<AttendanceCode, number>> }>();
		for (const r of rows) {
			const term = byTerm.get(r.starts_on) ?? { name: r.name, startsOn: r.starts_on, endsOn: r.ends_on, counts: {} };
			byTerm.set(r.starts_on, term);
			if (r.code && isAttendanceCode(r.code)) term.counts[r.code] = Number(r.n);
		}
		// The last year and a bit: the terms a referral is about, not a pupil's whole career.
		const halfTerms = [...byTerm.values()].slice(-9).map((t) => {
			const tally = tallyFromCodeCounts(t.counts);
			return {
				name: t.name,
				startsOn: t.startsOn,
				endsOn: t.endsOn,
				possible: tally.possible,
				attended: tally.attended,
				authorised: tally.authorisedAbsence,
				unauthorised: tally.unauthorisedAbsence,
				percent: attendancePercent(tally.attended, tally.possible)
			};
		});
		return { kind: 'figures_by_half_term', halfTerms };
	}
};

const unauthorisedWindow: EvidenceSource = {
	kind: 'unauthorised_window',
	async build(handle, { schoolId, pupilId, today }) {
		const window = await pupilRollingWindow(handle, schoolId, pupilId, today);
		return { kind: 'unauthorised_window', count: window.count, windowStart: window.windowStart, windowEnd: window.windowEnd };
	}
};

const absenceReports: EvidenceSource = {
	kind: 'absence_reports',
	async build(handle, { pupilId }) {
		const rows = await handle.query<{
			reference: string;
			reason: string;
			starts_on: string;
			ends_on: string | null;
			status: string;
			channel: string;
			submitted_at: Date | string;
		}>(
			`select reference, reason, starts_on::text as starts_on, ends_on::text as ends_on, status, channel, submitted_at
			   from absence_reports where pupil_id = $1 order by starts_on desc limit 50`,
			[pupilId]
		);
		return {
			kind: 'absence_reports',
			reports: rows.map((r) => ({
				reference: r.reference,
				reason: r.reason,
				startsOn: r.starts_on,
				endsOn: r.ends_on,
				status: r.status,
				channel: r.channel,
				submittedAt: new Date(r.submitted_at).toISOString()
			}))
		};
	}
};

const firstDayContacts: EvidenceSource = {
	kind: 'first_day_contacts',
	async build(handle, { pupilId }) {
		const rows = await handle.query<{ date: string; recipients: number; sent_by: string | null }>(
			`select date::text as date, recipients, sent_by::text as sent_by from first_day_contacts where pupil_id = $1 order by date desc limit 100`,
			[pupilId]
		);
		return { kind: 'first_day_contacts', contacts: rows.map((r) => ({ date: r.date, recipients: Number(r.recipients), automatic: r.sent_by === null })) };
	}
};

const leaveRequests: EvidenceSource = {
	kind: 'leave_requests',
	async build(handle, { pupilId }) {
		const rows = await handle.query<{ reference: string; type: string; starts_on: string; ends_on: string; school_days: number; status: string }>(
			`select r.reference, r.type, r.starts_on::text as starts_on, r.ends_on::text as ends_on, r.school_days, r.status::text as status
			   from leave_requests r join leave_request_pupils p on p.request_id = r.id
			  where p.pupil_id = $1 order by r.starts_on desc limit 50`,
			[pupilId]
		);
		return {
			kind: 'leave_requests',
			requests: rows.map((r) => ({ reference: r.reference, type: r.type, startsOn: r.starts_on, endsOn: r.ends_on, schoolDays: Number(r.school_days), status: r.status }))
		};
	}
};

/** In the order the referral shows them. */
/** The school's own process: reports and first day contacts are their own sections above, so only what the school did. */
const GRADUATED_KINDS = new Set(['step', 'skipped', 'letter', 'meeting', 'plan', 'review']);
const graduatedResponse: EvidenceSource = {
	kind: 'graduated_response',
	async build(handle, { pupilId }) {
		const record = await pupilRecord(handle, pupilId);
		return {
			kind: 'graduated_response',
			stage: record?.stageLabel ?? 'Not started',
			nextStep: record?.nextStep?.label ?? null,
			events: (record?.events ?? [])
				.filter((e) => GRADUATED_KINDS.has(e.kind))
				.map((e) => ({ date: e.at.toISOString().slice(0, 10), kind: e.kind, title: e.title, detail: e.detail }))
		};
	}
};

export const EVIDENCE_SOURCES: readonly EvidenceSource[] = [figuresByHalfTerm, unauthorisedWindow, absenceReports, firstDayContacts, leaveRequests, graduatedResponse];

/** Every section for one pupil, in order. */
export async function assembleEvidence(handle: DatabaseHandle, ctx: EvidenceContext): Promise<EvidenceSection[]> {
	const sections: EvidenceSection[] = [];
	for (const source of EVIDENCE_SOURCES) sections.push(await source.build(handle, ctx));
	return sections;
}

/** The school's today in its own time zone. */
export async function schoolToday(handle: DatabaseHandle, schoolId: string): Promise<IsoDate> {
	const cal = await loadSchoolCalendar(handle.db, schoolId);
	return localDateOf(new Date(), cal.timeZone);
}

/** The penalty-notice rolling window for one pupil up to `asOf` (marks loaded from the window's first day). */
export async function pupilRollingWindow(handle: DatabaseHandle, schoolId: string, pupilId: string, asOf: IsoDate) {
	const cal = await loadSchoolCalendar(handle.db, schoolId);
	// Ten school weeks never reach back more than a year and a half, holidays included.
	const rows = await handle.query<{ date: string; session: 'AM' | 'PM'; code: string }>(
		`select date::text as date, session::text as session, code from attendance_marks
		  where pupil_id = $1 and school_id = $2 and date <= $3::date and date >= ($3::date - 550)`,
		[pupilId, schoolId, asOf]
	);
	const marks: Mark[] = rows.filter((r) => isAttendanceCode(r.code)).map((r) => ({ date: r.date, session: r.session, code: r.code as AttendanceCode }));
	return unauthorisedInRollingWindow(marks, cal, asOf);
}
