/** The reports of one school day, as the staff board shows them. */
import { isUuid } from '../../../domain/ids';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { partDayFromRow, type AbsenceReason, type PartDay, type Reporter } from '../../../domain/absence';
import { type IsoDate, type Session } from '../../../domain/calendar';
import type { DatabaseHandle } from '../../platform/db/engine';
import { absenceReportAdditions, absenceReportSessions, absenceReports, guardians, pupilGuardians, pupils } from '../../platform/db/schema';
import type { AbsenceChannel, AbsenceStatus } from './report-input';
import type { PupilPlace } from '../../../domain/pupils';
import { pupilPlaceColumns } from '../../platform/db/columns';

export interface BoardReport extends PupilPlace {
	reportId: string;
	reference: string;
	reason: AbsenceReason;
	details: string;
	status: AbsenceStatus;
	channel: AbsenceChannel;
	submittedAt: Date;
	startsOn: IsoDate;
	endsOn: IsoDate | null;
	/** This day's sessions covered by the report (none for a part day that misses no session). */
	sessions: { session: Session; suggestedCode: string; late: boolean }[];
	/** Any of this day's sessions was reported after its register closed. */
	late: boolean;
	/** Part of the day, with its local times ('HH:MM'), or null for whole sessions. */
	partDay: PartDay | null;
	/** Who reported, and how they are linked to the child (staff see this, as they would on the phone). */
	reporter: Reporter | null;
	/** Each time the child was reported again for these days (added to this report), oldest first. */
	history: { channel: AbsenceChannel; receivedAt: Date; reason: AbsenceReason; details: string; sessionsAdded: number }[];
}

/** The reports covering `date` at a school, by class then name. Withdrawn reports are left out unless asked for. */
export async function reportsForSchoolDay(
	handle: DatabaseHandle,
	schoolId: string,
	date: IsoDate,
	opts: { includeWithdrawn?: boolean } = {}
): Promise<BoardReport[]> {
	if (!isUuid(schoolId)) return [];
	const columns = {
		reportId: absenceReports.id,
		reference: absenceReports.reference,
		...pupilPlaceColumns,
		reason: absenceReports.reason,
		details: absenceReports.details,
		status: absenceReports.status,
		channel: absenceReports.channel,
		submittedAt: absenceReports.submittedAt,
		startsOn: absenceReports.startsOn,
		endsOn: absenceReports.endsOn,
		partDayKind: absenceReports.partDay,
		arrivesBy: absenceReports.arrivesBy,
		leavesAt: absenceReports.leavesAt,
		returnsAt: absenceReports.returnsAt,
		reporterFirstName: guardians.firstName,
		reporterLastName: guardians.lastName,
		relationship: pupilGuardians.relationship,
		livesWith: pupilGuardians.livesWith,
		parentalResponsibility: pupilGuardians.parentalResponsibility
	};
	const notWithdrawn = opts.includeWithdrawn ? undefined : ne(absenceReports.status, 'withdrawn');
	const reporterLink = and(eq(pupilGuardians.guardianId, absenceReports.guardianId), eq(pupilGuardians.pupilId, absenceReports.pupilId));
	const withSessions = await handle.db
		.select({ ...columns, session: absenceReportSessions.session, suggestedCode: absenceReportSessions.suggestedCode, late: absenceReportSessions.late })
		.from(absenceReportSessions)
		.innerJoin(absenceReports, eq(absenceReports.id, absenceReportSessions.reportId))
		.innerJoin(pupils, eq(pupils.id, absenceReportSessions.pupilId))
		.leftJoin(guardians, eq(guardians.id, absenceReports.guardianId))
		.leftJoin(pupilGuardians, reporterLink)
		.where(and(eq(absenceReportSessions.schoolId, schoolId), eq(absenceReportSessions.date, date), notWithdrawn))
		.orderBy(asc(absenceReportSessions.session));
	// A part day that misses no session (present at registration) still belongs on the board.
	const partDaysOnly = await handle.db
		.select(columns)
		.from(absenceReports)
		.innerJoin(pupils, eq(pupils.id, absenceReports.pupilId))
		.leftJoin(guardians, eq(guardians.id, absenceReports.guardianId))
		.leftJoin(pupilGuardians, reporterLink)
		.where(
			and(
				eq(absenceReports.schoolId, schoolId),
				eq(absenceReports.startsOn, date),
				sql`${absenceReports.partDay} is not null`,
				sql`not exists (select 1 from ${absenceReportSessions} where ${absenceReportSessions.reportId} = ${absenceReports.id})`,
				notWithdrawn
			)
		);
	const rows = [...withSessions, ...partDaysOnly.map((r) => ({ ...r, session: null, suggestedCode: null, late: null }))].sort(
		(a, b) =>
			a.yearGroup - b.yearGroup ||
			(a.className ?? '').localeCompare(b.className ?? '') ||
			a.lastName.localeCompare(b.lastName) ||
			a.firstName.localeCompare(b.firstName) ||
			a.submittedAt.getTime() - b.submittedAt.getTime() ||
			(a.session ?? '').localeCompare(b.session ?? '')
	);
	const byReport = new Map<string, BoardReport>();
	for (const r of rows) {
		let b = byReport.get(r.reportId);
		if (!b) {
			const {
				session: _s,
				suggestedCode: _c,
				late: _l,
				partDayKind,
				arrivesBy,
				leavesAt,
				returnsAt,
				reporterFirstName,
				reporterLastName,
				relationship,
				livesWith,
				parentalResponsibility,
				...rest
			} = r;
			b = {
				...rest,
				sessions: [],
				history: [],
				late: false,
				partDay: partDayFromRow({ partDay: partDayKind, arrivesBy, leavesAt, returnsAt }),
				reporter:
					reporterFirstName !== null
						? {
								name: `${reporterFirstName} ${reporterLastName ?? ''}`.trim(),
								relationship: relationship ?? null,
								livesWith: livesWith ?? null,
								parentalResponsibility: parentalResponsibility ?? null
							}
						: null
			};
			byReport.set(r.reportId, b);
		}
		if (r.session) {
			b.sessions.push({ session: r.session, suggestedCode: r.suggestedCode!, late: r.late! });
			b.late ||= r.late!;
		}
	}
	if (byReport.size > 0) {
		const additions = await handle.db
			.select({
				reportId: absenceReportAdditions.reportId,
				channel: absenceReportAdditions.channel,
				receivedAt: absenceReportAdditions.receivedAt,
				reason: absenceReportAdditions.reason,
				details: absenceReportAdditions.details,
				sessionsAdded: absenceReportAdditions.sessionsAdded
			})
			.from(absenceReportAdditions)
			.where(inArray(absenceReportAdditions.reportId, [...byReport.keys()]))
			.orderBy(asc(absenceReportAdditions.receivedAt));
		// The reason was checked against the reasons when the sending was stored.
		for (const { reportId, ...a } of additions) byReport.get(reportId)!.history.push({ ...a, reason: a.reason as AbsenceReason });
	}
	return [...byReport.values()];
}
