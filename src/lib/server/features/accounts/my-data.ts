/**
 * A parent's "download my data" (UK GDPR right of access): everything Every Day holds about
 * them and that they may see about their children, as one JSON document. Only their own
 * records: their guardian row, their children (through their own links), reports about those
 * children, the messages we sent them, and their linked Telegram accounts. Other guardians'
 * contact details are never included.
 */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { absenceReports, attendanceMarks, guardians, outboundMessages, telegramAccounts } from '../../platform/db/schema';
import { childrenOfGuardian } from '../attendance';

export async function guardianDataExport(handle: DatabaseHandle, guardianId: string, now: Date = new Date()) {
	const db = handle.db;
	const [me] = await db
		.select({
			firstName: guardians.firstName,
			lastName: guardians.lastName,
			phone: guardians.phone,
			email: guardians.email,
			preferredLanguage: guardians.preferredLanguage,
			preferredChannel: guardians.preferredChannel
		})
		.from(guardians)
		.where(eq(guardians.id, guardianId));
	if (!me) return null;
	const children = await childrenOfGuardian(db, guardianId);
	const pupilIds = children.map((c) => c.pupilId);
	const reports =
		pupilIds.length === 0
			? []
			: await db
					.select({
						reference: absenceReports.reference,
						pupilId: absenceReports.pupilId,
						reason: absenceReports.reason,
						details: absenceReports.details,
						startsOn: absenceReports.startsOn,
						endsOn: absenceReports.endsOn,
						status: absenceReports.status,
						channel: absenceReports.channel,
						submittedAt: absenceReports.submittedAt,
						late: absenceReports.late
					})
					.from(absenceReports)
					.where(inArray(absenceReports.pupilId, pupilIds))
					.orderBy(desc(absenceReports.submittedAt));
	const marks =
		pupilIds.length === 0
			? []
			: await db
					.select({
						pupilId: attendanceMarks.pupilId,
						date: attendanceMarks.date,
						session: attendanceMarks.session,
						code: attendanceMarks.code,
						minutesLate: attendanceMarks.minutesLate
					})
					.from(attendanceMarks)
					.where(inArray(attendanceMarks.pupilId, pupilIds))
					.orderBy(asc(attendanceMarks.date), asc(attendanceMarks.session));
	const messages = await db
		.select({
			channel: outboundMessages.channel,
			recipient: outboundMessages.recipient,
			purpose: outboundMessages.purpose,
			body: outboundMessages.body,
			status: outboundMessages.status,
			createdAt: outboundMessages.createdAt
		})
		.from(outboundMessages)
		.where(eq(outboundMessages.guardianId, guardianId))
		.orderBy(desc(outboundMessages.createdAt));
	const telegram = await db
		.select({ linkedVia: telegramAccounts.linkedVia, linkedAt: telegramAccounts.linkedAt })
		.from(telegramAccounts)
		.where(eq(telegramAccounts.guardianId, guardianId));
	// Sign-in codes are one-time secrets: only their use is recorded, never exported.
	return {
		exportedAt: now.toISOString(),
		you: me,
		telegram,
		children: children.map((c) => ({
			name: `${c.firstName} ${c.lastName}`,
			preferredName: c.preferredName,
			school: c.schoolName,
			yearGroup: c.yearGroup,
			className: c.className,
			relationship: c.relationship,
			absenceReports: reports.filter((r) => r.pupilId === c.pupilId).map(({ pupilId: _p, ...r }) => r),
			attendanceMarks: marks.filter((m) => m.pupilId === c.pupilId).map(({ pupilId: _p, ...m }) => m)
		})),
		messagesSentToYou: messages
	};
}
