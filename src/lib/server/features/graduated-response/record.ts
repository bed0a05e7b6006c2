/**
 * A pupil's attendance record for staff: one story in time order — figures by half term,
 * absence reports and their reasons, first day contacts, the graduated response's steps,
 * letters, meetings, plans and reviews — with the current stage and the next step. The local
 * authority's referral reuses it as its evidence.
 */
import { asc, eq } from 'drizzle-orm';
import { nextOnLadder, OWNER_LABELS, STEP_LABELS, isStep, NO_STAGE, SKIP_REASON_LABELS, type Stage, type Step, type SkipReason } from '../../../domain/graduated-response';
import { attendancePercent, daysFromSessions, formatDays, formatPercent } from '../../../domain/attendance';
import { childDisplayName } from '../../../domain/pupils';
import type { DatabaseHandle } from '../../platform/db/engine';
import { absenceReports, firstDayContacts, graduatedActions, graduatedLetters, graduatedMeetings, graduatedPlans, pupils, schoolTerms, schools } from '../../platform/db/schema';
import { DEFAULT_TIME_ZONE, localDateOf, localTimeOf } from '../../../domain/calendar';
import { BY_PHONE } from '../../../domain/graduated-meetings';
import { schoolGraduatedPolicy } from './policy';
import { planComments } from './plans';
import { stagesOf, tallies } from './monitoring';
import type { LetterContent } from '../../../domain/graduated-letters';
import { BARRIER_LABELS, splitBarriers } from '../../../domain/support-plans';

export interface HalfTermFigures {
	name: string;
	academicYear: string;
	from: string;
	to: string;
	attended: number;
	possible: number;
	daysMissed: string;
	percent: string;
	lates: number;
	minutesLate: number;
}

export type RecordEventKind = 'report' | 'first_day_contact' | 'step' | 'skipped' | 'letter' | 'meeting' | 'plan' | 'review';

export interface RecordEvent {
	at: Date;
	kind: RecordEventKind;
	title: string;
	detail: string;
	/** A letter's or plan's id, for a link. */
	ref?: string;
}

export interface PupilRecord {
	pupil: { id: string; schoolId: string; name: string; yearGroup: number; className: string | null; misId: string };
	stage: Stage;
	stageLabel: string;
	nextStep: { step: Step; label: string; owner: string } | null;
	halfTerms: HalfTermFigures[];
	/** Oldest first. */
	events: RecordEvent[];
}

const dateAt = (d: string) => new Date(`${d}T12:00:00Z`);

/** The pupil's record, or null when there is no such pupil. Callers check that staff may see the pupil. */
export async function pupilRecord(handle: DatabaseHandle, pupilId: string): Promise<PupilRecord | null> {
	const db = handle.db;
	const [pupil] = await db.select().from(pupils).where(eq(pupils.id, pupilId));
	if (!pupil) return null;
	const schoolId = pupil.schoolId;
	const { policy } = await schoolGraduatedPolicy(db, schoolId);
	const stage = (await stagesOf(db, [pupilId])).get(pupilId) ?? NO_STAGE;

	const terms = await db.select().from(schoolTerms).where(eq(schoolTerms.schoolId, schoolId)).orderBy(asc(schoolTerms.startsOn));
	const halfTerms: HalfTermFigures[] = [];
	for (const t of terms) {
		const tally = (await tallies(handle, schoolId, t.startsOn, t.endsOn, [pupilId])).get(pupilId);
		if (!tally || tally.possible === 0) continue;
		halfTerms.push({
			name: t.name,
			academicYear: t.academicYear,
			from: t.startsOn,
			to: t.endsOn,
			attended: tally.attended,
			possible: tally.possible,
			daysMissed: formatDays(daysFromSessions(tally.possible - tally.attended)),
			percent: formatPercent(attendancePercent(tally.attended, tally.possible)),
			lates: tally.lates,
			minutesLate: tally.minutesLate
		});
	}

	const events: RecordEvent[] = [];
	for (const r of await db.select().from(absenceReports).where(eq(absenceReports.pupilId, pupilId))) {
		events.push({ at: r.submittedAt, kind: 'report', title: `Absence reported (${r.reason.replaceAll('_', ' ')})`, detail: `${r.startsOn}${r.endsOn && r.endsOn !== r.startsOn ? ` to ${r.endsOn}` : ''}${r.details ? `: ${r.details}` : ''}${r.status === 'withdrawn' ? ' (withdrawn)' : ''}` });
	}
	for (const c of await db.select().from(firstDayContacts).where(eq(firstDayContacts.pupilId, pupilId))) {
		events.push({ at: c.sentAt, kind: 'first_day_contact', title: 'First day contact', detail: `Absent with no reason on ${c.date}; ${c.recipients} ${c.recipients === 1 ? 'parent' : 'parents'} messaged${c.sentBy ? ' by staff' : ' automatically'}` });
	}
	for (const a of await db.select().from(graduatedActions).where(eq(graduatedActions.pupilId, pupilId))) {
		const label = isStep(a.step) ? STEP_LABELS[a.step] : a.step;
		if (a.status === 'skipped') {
			events.push({ at: a.createdAt, kind: 'skipped', title: `Skipped: ${label}`, detail: `${a.pointLabel}. ${SKIP_REASON_LABELS[a.skipReason as SkipReason] ?? 'Reason not given'}${a.skipNote ? `: ${a.skipNote}` : ''}` });
		} else {
			const f = a.figures;
			const figures = f.yearPossible ? ` Year so far: ${formatDays(daysFromSessions((f.yearPossible ?? 0) - (f.yearAttended ?? 0)))} missed (${formatPercent(attendancePercent(f.yearAttended ?? 0, f.yearPossible ?? 0))}).` : '';
			events.push({ at: a.createdAt, kind: 'step', title: label, detail: `${a.pointLabel}. Owner: ${OWNER_LABELS[a.owner as keyof typeof OWNER_LABELS] ?? a.owner}.${figures}` });
		}
	}
	for (const l of await db.select().from(graduatedLetters).where(eq(graduatedLetters.pupilId, pupilId))) {
		const content = l.content as unknown as LetterContent;
		events.push({ at: l.createdAt, kind: 'letter', title: `Letter: ${content.title}`, detail: `${l.delivery === 'print' ? 'For the printed batch' : 'Sent by message with a link'} (${l.locale})${l.readAt ? `; read ${l.readAt.toISOString().slice(0, 10)}` : ''}`, ref: l.id });
	}
	const [school] = await db.select({ timeZone: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	const tz = school?.timeZone ?? DEFAULT_TIME_ZONE;
	for (const mt of await db.select().from(graduatedMeetings).where(eq(graduatedMeetings.pupilId, pupilId))) {
		const when = mt.startsAt ? `${localDateOf(mt.startsAt, tz)} ${localTimeOf(mt.startsAt, tz)}` : 'time to be agreed';
		const where = mt.place === BY_PHONE ? ', by phone' : mt.place ? `, ${mt.place}` : '';
		const detail = `${when}${where}${mt.withWhom ? `, with ${mt.withWhom}` : ''}`;
		if (!mt.invitedAt) events.push({ at: mt.createdAt, kind: 'meeting', title: mt.status === 'held' ? 'Meeting' : 'Meeting to arrange', detail, ref: mt.id });
		else events.push({ at: mt.invitedAt, kind: 'meeting', title: 'Parents invited to a meeting', detail, ref: mt.id });
		if (mt.repliedAt && (mt.status === 'confirmed' || mt.status === 'another_time' || mt.status === 'held')) {
			// A held meeting keeps the reply's time but not its answer; the answer is in the meeting's history.
			const title = mt.status === 'confirmed' ? 'Parent confirmed the meeting' : mt.status === 'another_time' ? 'Parent asked for another time' : 'Parent replied to the invitation';
			events.push({ at: mt.repliedAt, kind: 'meeting', title, detail: mt.replyNote ? `“${mt.replyNote}”` : '', ref: mt.id });
		}
		if (mt.remindedAt && mt.invitedAt && mt.remindedAt.getTime() > mt.invitedAt.getTime()) events.push({ at: mt.remindedAt, kind: 'meeting', title: 'Reminder of the meeting sent', detail: when, ref: mt.id });
		if (mt.status === 'held' && mt.heldAt) events.push({ at: mt.heldAt, kind: 'meeting', title: 'Meeting held', detail: `${mt.attended ? `Came: ${mt.attended}` : 'The parents did not come; the meeting went ahead'}${mt.notes ? `. Notes: ${mt.notes}` : ''}`, ref: mt.id });
	}
	const plans = await db.select().from(graduatedPlans).where(eq(graduatedPlans.pupilId, pupilId));
	const comments = await planComments(db, plans.map((p) => p.id));
	for (const p of plans) {
		const { fixed, other } = splitBarriers(p.barriers);
		const barriers = [...fixed.map((b) => BARRIER_LABELS[b]), ...other].join(', ') || 'none recorded';
		const counts = (['school', 'family', 'service'] as const).map((who) => `${p.actions.filter((a) => a.who === who).length} for the ${who === 'service' ? 'services' : who}`).join(', ');
		events.push({ at: p.createdAt, kind: 'plan', title: 'Plan of support agreed', detail: `Barriers: ${barriers}. Actions: ${counts}. Review on ${p.reviewOn}.${p.childView ? ` The child's view: ${p.childView}` : ''}`, ref: p.id });
		for (const a of p.actions) if (a.who === 'family' && a.doneAt) events.push({ at: new Date(a.doneAt), kind: 'plan', title: "Parent marked their action done", detail: a.text, ref: p.id });
		for (const c of comments.get(p.id) ?? []) events.push({ at: c.at, kind: 'plan', title: "Parent's comment on the plan", detail: c.text, ref: p.id });
		if (p.reviewReminderAt && !p.reviewedAt) events.push({ at: p.reviewReminderAt, kind: 'plan', title: 'Review due: staff reminded', detail: `Review on ${p.reviewOn}`, ref: p.id });
		if (p.reviewedAt) events.push({ at: p.reviewedAt, kind: 'review', title: p.status === 'improved' ? 'Review: improved' : 'Review: not improved', detail: p.reviewNotes ?? '', ref: p.id });
	}
	for (const r of halfTerms) events.push({ at: dateAt(r.to), kind: 'step', title: `Figures for ${r.name}`, detail: `${r.daysMissed} missed (${r.percent}); ${r.lates} late` });
	events.sort((a, b) => a.at.getTime() - b.at.getTime());

	const current = stage.attendance ?? stage.lateness;
	const next = stage.attendance ? nextOnLadder(policy.ladder, stage.attendance) : stage.lateness ? (nextOnLadder(policy.lateness?.ladder ?? [], stage.lateness) ?? policy.ladder[0] ?? null) : null;
	return {
		pupil: { id: pupil.id, schoolId, name: childDisplayName(pupil), yearGroup: pupil.yearGroup, className: pupil.className, misId: pupil.misId },
		stage,
		stageLabel: current ? STEP_LABELS[current] : 'Monitoring (no step under way)',
		nextStep: next ? { step: next, label: STEP_LABELS[next], owner: OWNER_LABELS[policy.ladderOwners[next] ?? policy.lateness?.owners[next] ?? 'attendance_lead'] } : null,
		halfTerms,
		events
	};
}
