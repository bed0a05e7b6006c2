/**
 * A parent's "download my data" (UK GDPR right of access): everything Every Day holds about
 * them and that they may see about their children, as one JSON document. Only their own
 * records: their guardian row, their children (through their own links), reports about those
 * children, the messages we sent them, their linked Telegram accounts, the school's letters to
 * them, their own comments on their children's plans of support, the local authority's notices
 * to them, and whether their household was in the message or
 * the comparison group of a days-missed run (the draw is about them, so they may see it). Other
 * guardians' contact details are never included.
 */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import {
	absenceReports,
	attendanceMarks,
	daysMissedAssignments,
	daysMissedRuns,
	graduatedLetters,
	graduatedPlanComments,
	graduatedPlans,
	guardians,
	laInterventions,
	outboundMessages,
	telegramAccounts
} from '../../platform/db/schema';
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
	const letters = await db
		.select({ pupilId: graduatedLetters.pupilId, step: graduatedLetters.step, language: graduatedLetters.locale, delivery: graduatedLetters.delivery, sentAt: graduatedLetters.createdAt, readAt: graduatedLetters.readAt })
		.from(graduatedLetters)
		.where(eq(graduatedLetters.guardianId, guardianId))
		.orderBy(desc(graduatedLetters.createdAt));
	const planComments = await db
		.select({ pupilId: graduatedPlans.pupilId, at: graduatedPlanComments.createdAt, text: graduatedPlanComments.text })
		.from(graduatedPlanComments)
		.innerJoin(graduatedPlans, eq(graduatedPlans.id, graduatedPlanComments.planId))
		.where(eq(graduatedPlanComments.guardianId, guardianId))
		.orderBy(asc(graduatedPlanComments.createdAt));
	const notices = await db
		.select({
			pupilId: laInterventions.pupilId,
			reference: laInterventions.reference,
			kind: laInterventions.kind,
			status: laInterventions.status,
			issuedOn: laInterventions.issuedOn,
			improvementEndsOn: laInterventions.improvementEndsOn,
			reducedAmount: laInterventions.reducedAmount,
			reducedBy: laInterventions.reducedBy,
			fullAmount: laInterventions.fullAmount,
			payBy: laInterventions.payBy,
			paidOn: laInterventions.paidOn
		})
		.from(laInterventions)
		.where(eq(laInterventions.guardianId, guardianId))
		.orderBy(desc(laInterventions.requestedAt));
	// A household's row lists every guardian in it: only the run, the group and this guardian's
	// own children's figures are exported, never the other guardians' ids.
	const studyRows = await db
		.select({ periodName: daysMissedRuns.periodName, periodFrom: daysMissedRuns.periodFrom, arm: daysMissedAssignments.arm, band: daysMissedAssignments.band, children: daysMissedAssignments.children })
		.from(daysMissedAssignments)
		.innerJoin(daysMissedRuns, eq(daysMissedRuns.id, daysMissedAssignments.runId))
		.where(sql`${daysMissedAssignments.guardianIds} @> ${JSON.stringify([guardianId])}::jsonb`)
		.orderBy(asc(daysMissedRuns.periodFrom));
	const mine = new Set(pupilIds);
	const nameOf = new Map(children.map((c) => [c.pupilId, `${c.firstName} ${c.lastName}`]));
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
		messagesSentToYou: messages,
		lettersFromSchool: letters.filter((l) => mine.has(l.pupilId)).map(({ pupilId, ...l }) => ({ child: nameOf.get(pupilId) ?? null, ...l })),
		yourCommentsOnPlansOfSupport: planComments.filter((c) => mine.has(c.pupilId)).map(({ pupilId, ...c }) => ({ child: nameOf.get(pupilId) ?? null, ...c })),
		noticesFromTheLocalAuthority: notices.filter((n) => mine.has(n.pupilId)).map(({ pupilId, ...n }) => ({ child: nameOf.get(pupilId) ?? null, ...n })),
		daysMissedMessages: studyRows.map((r) => ({
			halfTerm: r.periodName,
			from: r.periodFrom,
			group: r.arm === 'hold_out' ? 'comparison (not sent that message)' : 'sent the message',
			band: r.band,
			children: r.children.filter((c) => mine.has(c.pupilId)).map((c) => ({ child: nameOf.get(c.pupilId) ?? c.firstName, daysMissedLastHalfTerm: c.daysLastHalfTerm, daysMissedThisYear: c.daysThisYear }))
		}))
	};
}
