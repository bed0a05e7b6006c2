/**
 * The common case of a sending, stored in one statement: the parent's rate limit counted and,
 * when it allows, every child's new report with its session rows and its audit row.
 *
 * Why one statement: at the morning peak each report paid for BEGIN, the rate limit, three
 * inserts and COMMIT as six round trips, and on the app's side each one costs building the query,
 * a socket write and parsing the answer. A single statement is atomic on its own (all of it is
 * committed, or none), so the guarantees are those of the transaction it replaces: the report is
 * durable before the answer, the idempotency key still never stores a second report (on conflict
 * nothing is written for that child, and its sessions and audit row join on what was written),
 * and a refused attempt stores nothing but its count.
 *
 * Only for children with nothing stored yet for these days; a retry, an addition to an earlier
 * report and every refusal take the transaction in submit.ts.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PartDay } from '../../../domain/absence';
import type { Session } from '../../../domain/calendar';
import type { DatabaseHandle } from '../../platform/db/engine';
import { limitParts } from '../../platform/limits';
import { rateLimitUpsert, type RateLimitResult } from '../../platform/rate-limit';
import type { AbsenceChannel } from './report-input';

export interface NewReport {
	pupilId: string;
	schoolId: string;
	reference: string;
	idempotencyKey: string;
	startsOn: string;
	endsOn: string | null;
	coversThrough: string;
	late: boolean;
	sessions: { date: string; session: Session; late: boolean }[];
}

export interface NewReportsInput {
	guardianId: string;
	reason: string;
	details: string;
	sessions: 'AM' | 'PM' | 'BOTH';
	partDay: PartDay | null;
	channel: AbsenceChannel;
	suggestedCode: string;
	now: Date;
	reports: NewReport[];
}

const p = (name: string) => sql.placeholder(name);

/**
 * Built once: every value is a placeholder, so PostgreSQL can keep the parsed statement for each
 * connection and the app does not rebuild the text on every report. Arrays travel as text[]
 * where PGlite cannot serialise the column's own type (an enum).
 */
const statement = (() => {
	const query = new PgDialect().sqlToQuery(sql`
		with lim as (${rateLimitUpsert({ key: p('limitKey'), now: p('now'), cutoff: p('cutoff') })}),
		r as (
			insert into absence_reports (reference, school_id, pupil_id, guardian_id, reason, details, starts_on, ends_on, covers_through,
				sessions, part_day, arrives_by, leaves_at, returns_at, channel, idempotency_key, submitted_at, late, updated_at)
			select c.reference, c.school_id, c.pupil_id, ${p('guardianId')}::uuid, ${p('reason')}, ${p('details')}, c.starts_on, c.ends_on, c.covers_through,
				${p('sessions')}, ${p('partDay')}, ${p('arrivesBy')}::time, ${p('leavesAt')}::time, ${p('returnsAt')}::time,
				${p('channel')}, c.idempotency_key, ${p('now')}::timestamptz, c.late, ${p('now')}::timestamptz
			from unnest(${p('references')}::text[], ${p('schoolIds')}::uuid[], ${p('pupilIds')}::uuid[], ${p('startsOn')}::date[],
				${p('endsOn')}::date[], ${p('coversThrough')}::date[], ${p('keys')}::text[], ${p('late')}::boolean[])
				as c(reference, school_id, pupil_id, starts_on, ends_on, covers_through, idempotency_key, late)
			where (select hits from lim) <= ${p('limit')}::int
			on conflict (idempotency_key) do nothing
			returning id, reference, school_id, pupil_id, late
		),
		s as (
			insert into absence_report_sessions (report_id, date, session, school_id, pupil_id, suggested_code, late)
			select r.id, x.date, x.session::register_session, r.school_id, r.pupil_id, ${p('suggestedCode')}, x.late
			from unnest(${p('sessionPupilIds')}::uuid[], ${p('sessionDates')}::date[], ${p('sessionNames')}::text[], ${p('sessionLate')}::boolean[])
				as x(pupil_id, date, session, late)
			join r on r.pupil_id = x.pupil_id
		),
		a as (
			insert into audit_log (actor_type, actor_id, action, school_id, subject_type, subject_id, details, at)
			select 'guardian', ${p('guardianId')}::text, 'absence_report.submitted', r.school_id, 'absence_report', r.id::text,
				jsonb_build_object('reference', r.reference, 'channel', ${p('channel')}::text, 'sessions', n.sessions, 'late', r.late), ${p('now')}::timestamptz
			from r join unnest(${p('pupilIds')}::uuid[], ${p('sessionCounts')}::int[]) as n(pupil_id, sessions) on n.pupil_id = r.pupil_id
		)
		select lim.hits, lim.window_started_at, r.id, r.reference, r.pupil_id from lim left join r on true
	`);
	return { text: query.sql, names: query.params.map((x) => (x as { name: string }).name) };
})();

/** The limit's verdict, and the reports written (a child whose key was stored meanwhile is missing). */
export async function insertNewReports(handle: DatabaseHandle, input: NewReportsInput): Promise<{ limit: RateLimitResult; written: { reportId: string; reference: string; pupilId: string }[] }> {
	const limit = limitParts('reportsPerGuardian', input.guardianId, input.now);
	const r = input.reports;
	const part = input.partDay;
	const sessionRows = r.flatMap((c) => c.sessions.map((s) => ({ pupilId: c.pupilId, ...s })));
	const values: Record<string, unknown> = {
		limitKey: limit.key,
		limit: limit.limit,
		cutoff: limit.cutoff,
		now: input.now.toISOString(),
		guardianId: input.guardianId,
		reason: input.reason,
		details: input.details,
		sessions: input.sessions,
		partDay: part?.kind ?? null,
		arrivesBy: part?.kind === 'late_arrival' ? part.arrivesBy : null,
		leavesAt: part && part.kind !== 'late_arrival' ? part.leavesAt : null,
		returnsAt: part?.kind === 'appointment' ? part.returnsAt : null,
		channel: input.channel,
		suggestedCode: input.suggestedCode,
		references: r.map((c) => c.reference),
		schoolIds: r.map((c) => c.schoolId),
		pupilIds: r.map((c) => c.pupilId),
		startsOn: r.map((c) => c.startsOn),
		endsOn: r.map((c) => c.endsOn),
		coversThrough: r.map((c) => c.coversThrough),
		keys: r.map((c) => c.idempotencyKey),
		late: r.map((c) => c.late),
		sessionCounts: r.map((c) => c.sessions.length),
		sessionPupilIds: sessionRows.map((s) => s.pupilId),
		sessionDates: sessionRows.map((s) => s.date),
		sessionNames: sessionRows.map((s) => s.session),
		sessionLate: sessionRows.map((s) => s.late)
	};
	const rows = await handle.prepared<{ hits: number; window_started_at: string | Date; id: string | null; reference: string | null; pupil_id: string | null }>(
		'absence_reports_new',
		statement.text,
		statement.names.map((name) => values[name])
	);
	return {
		limit: limit.outcome(rows[0]!),
		written: rows.filter((w) => w.id !== null).map((w) => ({ reportId: w.id!, reference: w.reference!, pupilId: w.pupil_id! }))
	};
}
