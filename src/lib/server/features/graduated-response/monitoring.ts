/**
 * Monitoring points: staff run one (e.g. "End of Autumn 1"), see the pupils due a step grouped
 * by step with their figures, trend and history, skip families with a reason, and confirm. Only
 * then is anything recorded or sent: each step is one row per (pupil, step, point) under a
 * unique index, inserted with "on conflict do nothing" in the transaction that queues its
 * letters, so a retry or a second member of staff confirming at the same moment sends nothing twice.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import {
	NO_STAGE,
	OWNER_LABELS,
	SKIP_REASONS,
	STEP_LABELS,
	isLetterStep,
	isStep,
	monitoringPoints,
	stepDue,
	trendTenths,
	type DueStep,
	type Figures,
	type GraduatedPolicy,
	type MonitoringPoint,
	type Stage,
	type Step
} from '../../../domain/graduated-response';
import { tallyFromCodeCounts } from '../../../domain/attendance';
import { academicYearOf, localDateOf } from '../../../domain/calendar';
import type { AttendanceCode } from '../../../domain/codes';
import { childDisplayName } from '../../../domain/pupils';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { graduatedActions, graduatedMeetings, graduatedStages, pupils, schoolTerms, schools } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { schoolGraduatedPolicy } from './policy';
import { sendStepLetters, supportForPupil } from './letters';

export interface PupilTally extends Figures {
	lates: number;
	minutesLate: number;
}

const EMPTY: PupilTally = { attended: 0, possible: 0, lates: 0, minutesLate: 0 };

/** Each pupil's attended and possible sessions, lates and minutes late between two dates (inclusive). */
export async function tallies(handle: DatabaseHandle, schoolId: string, from: string, to: string, pupilIds?: readonly string[]): Promise<Map<string, PupilTally>> {
	const rows = await handle.query<{ pupil_id: string; code: string; n: number; minutes: number }>(
		`select pupil_id::text as pupil_id, code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
		   from attendance_marks
		  where school_id = $1 and date >= $2::date and date <= $3::date ${pupilIds ? 'and pupil_id = any($4::uuid[])' : ''}
		  group by pupil_id, code`,
		pupilIds ? [schoolId, from, to, pupilIds] : [schoolId, from, to]
	);
	const counts = new Map<string, { codes: Partial<Record<AttendanceCode, number>>; minutes: number }>();
	for (const r of rows) {
		const c = counts.get(r.pupil_id) ?? { codes: {}, minutes: 0 };
		c.codes[r.code as AttendanceCode] = Number(r.n);
		c.minutes += Number(r.minutes);
		counts.set(r.pupil_id, c);
	}
	const out = new Map<string, PupilTally>();
	for (const [id, c] of counts) {
		const t = tallyFromCodeCounts(c.codes, c.minutes);
		out.set(id, { attended: t.attended, possible: t.possible, lates: t.lateBeforeClose + t.lateAfterClose, minutesLate: t.minutesLate });
	}
	return out;
}

export interface SchoolPoints {
	policy: GraduatedPolicy;
	academicYear: string;
	yearStart: string;
	attendance: (MonitoringPoint & { previous: { from: string; to: string } | null })[];
	lateness: MonitoringPoint[];
}

/** The points that can be run today at the school. */
export async function schoolMonitoringPoints(handle: DatabaseHandle, schoolId: string, today?: string): Promise<SchoolPoints> {
	const { policy } = await schoolGraduatedPolicy(handle.db, schoolId);
	const [school] = await handle.db.select({ timeZone: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	const day = today ?? localDateOf(new Date(), school?.timeZone ?? 'Europe/London');
	const academicYear = academicYearOf(day);
	const terms = await handle.db
		.select({ name: schoolTerms.name, startsOn: schoolTerms.startsOn, endsOn: schoolTerms.endsOn, academicYear: schoolTerms.academicYear })
		.from(schoolTerms)
		.where(eq(schoolTerms.schoolId, schoolId));
	// academicYearOf says '2026/27'; the school's terms name the same year their own way.
	const thisYear = terms.filter((t) => academicYearOf(t.endsOn) === academicYear);
	const points = monitoringPoints(policy, academicYear, thisYear, day);
	const yearStart = thisYear.map((t) => t.startsOn).sort()[0] ?? day;
	return { policy, academicYear, yearStart, ...points };
}

export interface DuePupil {
	pupilId: string;
	name: string;
	className: string | null;
	period: PupilTally;
	previous: PupilTally | null;
	year: PupilTally;
	trendTenths: number | null;
	due: DueStep;
	/** What was done before, oldest first. */
	history: { step: Step; label: string; pointLabel: string; status: 'taken' | 'skipped'; at: Date }[];
}

export interface PointPreview {
	point: MonitoringPoint;
	groups: { step: Step; label: string; owner: string; letter: boolean; pupils: DuePupil[] }[];
	/** Steps already recorded at this point (taken or skipped). */
	recorded: { taken: number; skipped: number };
}

/** Who is due which step at the point; records nothing. Null when the point is not one the school can run. */
export async function previewMonitoringPoint(handle: DatabaseHandle, schoolId: string, key: string, today?: string): Promise<PointPreview | null> {
	const points = await schoolMonitoringPoints(handle, schoolId, today);
	const point = [...points.attendance, ...points.lateness].find((p) => p.key === key);
	if (!point) return null;
	const roster = await handle.db
		.select({ id: pupils.id, firstName: pupils.firstName, lastName: pupils.lastName, preferredName: pupils.preferredName, className: pupils.className, yearGroup: pupils.yearGroup, leftOn: pupils.leftOn })
		.from(pupils)
		.where(eq(pupils.schoolId, schoolId));
	const current = roster.filter((p) => !p.leftOn || p.leftOn >= point.to);
	const ids = current.map((p) => p.id);
	if (ids.length === 0) return { point, groups: [], recorded: { taken: 0, skipped: 0 } };
	const previousRange = 'previous' in point ? (point as { previous: { from: string; to: string } | null }).previous : null;
	const [period, year, previous] = await Promise.all([
		tallies(handle, schoolId, point.from, point.to),
		tallies(handle, schoolId, points.yearStart, point.to),
		previousRange ? tallies(handle, schoolId, previousRange.from, previousRange.to) : Promise.resolve(null)
	]);
	const stages = new Map((await handle.db.select().from(graduatedStages).where(eq(graduatedStages.schoolId, schoolId))).map((s) => [s.pupilId, s]));
	const actions = await handle.db.select().from(graduatedActions).where(eq(graduatedActions.schoolId, schoolId)).orderBy(graduatedActions.createdAt);
	const history = new Map<string, DuePupil['history']>();
	const doneAt = new Map<string, Step[]>();
	let taken = 0;
	let skipped = 0;
	for (const a of actions) {
		if (!isStep(a.step)) continue;
		const h = history.get(a.pupilId) ?? [];
		h.push({ step: a.step, label: STEP_LABELS[a.step], pointLabel: a.pointLabel, status: a.status, at: a.createdAt });
		history.set(a.pupilId, h);
		if (a.pointKey === point.key) {
			doneAt.set(a.pupilId, [...(doneAt.get(a.pupilId) ?? []), a.step]);
			if (a.status === 'taken') taken++;
			else skipped++;
		}
	}
	const groups = new Map<Step, DuePupil[]>();
	for (const p of current) {
		const s = stages.get(p.id);
		const stage: Stage = s ? { attendance: isStep(s.attendanceStep) ? s.attendanceStep : null, lateness: isStep(s.latenessStep) ? s.latenessStep : null } : NO_STAGE;
		const pt = period.get(p.id) ?? EMPTY;
		const yt = year.get(p.id) ?? EMPTY;
		const prev = previous ? (previous.get(p.id) ?? EMPTY) : null;
		const due =
			point.kind === 'attendance'
				? yt.possible === 0
					? null
					: stepDue(points.policy, { kind: 'attendance', period: pt, previousPeriod: prev, year: yt, stage, doneAtPoint: doneAt.get(p.id) ?? [] })
				: stepDue(points.policy, { kind: 'lateness', latesInWeek: pt.lates, stage, doneAtPoint: doneAt.get(p.id) ?? [] });
		// One step per pupil per point: a pupil with a step recorded here is done for this point.
		if (!due || (doneAt.get(p.id)?.length ?? 0) > 0) continue;
		const list = groups.get(due.step) ?? [];
		list.push({ pupilId: p.id, name: childDisplayName(p), className: p.className, period: pt, previous: prev, year: yt, trendTenths: trendTenths(pt, prev), due, history: history.get(p.id) ?? [] });
		groups.set(due.step, list);
	}
	const order = (s: Step) => ['refer_to_la', 'support_plan', 'meeting_invitation', 'lateness_meeting', 'close_monitoring', 'formal_lateness_letter', 'attendance_concern', 'informal_chat', 'rag_lower_amber', 'rag_upper_amber', 'lateness_letter', 'review_improved', 'rag_green'].indexOf(s);
	return {
		point,
		groups: [...groups.entries()]
			.sort(([a], [b]) => order(a) - order(b))
			.map(([step, list]) => ({ step, label: STEP_LABELS[step], owner: OWNER_LABELS[list[0]!.due.owner], letter: isLetterStep(step), pupils: list.sort((a, b) => a.name.localeCompare(b.name)) })),
		recorded: { taken, skipped }
	};
}

export const confirmSchema = z.object({
	pointKey: z.string().min(3).max(120),
	/** Pupils staff are skipping, each with a reason. */
	skips: z
		.array(z.object({ pupilId: z.string().uuid(), reason: z.enum(SKIP_REASONS), note: z.string().trim().max(300).default('') }))
		.max(2000)
		.default([])
});
export type ConfirmInput = z.input<typeof confirmSchema>;

export interface ConfirmResult {
	taken: number;
	skipped: number;
	letters: number;
	/** Letters for families with no phone or email: the printable batch. */
	toPrint: number;
}

/**
 * Records and sends what the preview shows (recomputed here, so nothing stale is sent), each
 * pupil in their own transaction: the step row first (the unique index makes a concurrent or
 * repeated confirm a no-op), then the stage, the letters and their messages, and the audit row.
 */
export async function confirmMonitoringPoint(
	handle: DatabaseHandle,
	staff: { id: string },
	schoolId: string,
	input: ConfirmInput,
	opts: { today?: string; origin?: string; onlyPupilIds?: readonly string[] } = {}
): Promise<ConfirmResult | null> {
	const v = confirmSchema.parse(input);
	const preview = await previewMonitoringPoint(handle, schoolId, v.pointKey, opts.today);
	if (!preview) return null;
	const skips = new Map(v.skips.map((s) => [s.pupilId, s]));
	const result: ConfirmResult = { taken: 0, skipped: 0, letters: 0, toPrint: 0 };
	for (const group of preview.groups) {
		for (const p of group.pupils) {
			if (opts.onlyPupilIds && !opts.onlyPupilIds.includes(p.pupilId)) continue;
			const skip = skips.get(p.pupilId);
			const support = !skip && isLetterStep(group.step) ? await supportForPupil(handle, schoolId, p.pupilId, `${academicYearOf(preview.point.to).slice(0, 4)}-09-01`) : [];
			await handle.db.transaction(async (tx) => {
				const [row] = await tx
					.insert(graduatedActions)
					.values({
						schoolId,
						pupilId: p.pupilId,
						step: group.step,
						pointKey: preview.point.key,
						pointLabel: preview.point.label,
						status: skip ? 'skipped' : 'taken',
						owner: p.due.owner,
						skipReason: skip?.reason ?? null,
						skipNote: skip?.note || null,
						figures: { periodAttended: p.period.attended, periodPossible: p.period.possible, yearAttended: p.year.attended, yearPossible: p.year.possible, lates: p.period.lates, minutesLate: p.period.minutesLate, yearMinutesLate: p.year.minutesLate },
						reason: p.due.reason as unknown as Record<string, unknown>,
						takenBy: staff.id
					})
					.onConflictDoNothing()
					.returning({ id: graduatedActions.id });
				if (!row) return;
				if (skip) {
					result.skipped++;
					await writeAudit(tx, { actorType: 'staff', actorId: staff.id, action: 'graduated.step_skipped', schoolId, subjectType: 'pupil', subjectId: p.pupilId, details: { step: group.step, point: preview.point.key, reason: skip.reason } });
					return;
				}
				result.taken++;
				await setStage(tx, schoolId, p.pupilId, p.due.nextStage);
				const invites = group.step === 'meeting_invitation' || group.step === 'lateness_meeting';
				// The invitation says a time is to be agreed (MEETING_TO_ARRANGE); staff set it on the pupil's record.
				if (invites) await tx.insert(graduatedMeetings).values({ schoolId, pupilId: p.pupilId, actionId: row.id, status: 'to_arrange' });
				if (isLetterStep(group.step)) {
					const sent = await sendStepLetters(tx, { actionId: row.id, schoolId, pupilId: p.pupilId, step: group.step, pointKey: preview.point.key, period: preview.point, tally: { period: p.period, year: p.year }, support, origin: opts.origin });
					result.letters += sent.letters;
					result.toPrint += sent.toPrint;
				}
				await writeAudit(tx, { actorType: 'staff', actorId: staff.id, action: 'graduated.step_taken', schoolId, subjectType: 'pupil', subjectId: p.pupilId, details: { step: group.step, point: preview.point.key, action: row.id } });
			});
		}
	}
	return result;
}

export async function setStage(tx: Db, schoolId: string, pupilId: string, stage: Stage): Promise<void> {
	await tx
		.insert(graduatedStages)
		.values({ pupilId, schoolId, attendanceStep: stage.attendance, latenessStep: stage.lateness })
		.onConflictDoUpdate({ target: graduatedStages.pupilId, set: { attendanceStep: stage.attendance, latenessStep: stage.lateness, updatedAt: new Date() } });
}

/** The current stage of some pupils. */
export async function stagesOf(db: Db, pupilIds: readonly string[]): Promise<Map<string, Stage>> {
	if (pupilIds.length === 0) return new Map();
	const rows = await db.select().from(graduatedStages).where(and(inArray(graduatedStages.pupilId, [...pupilIds])));
	return new Map(rows.map((s) => [s.pupilId, { attendance: isStep(s.attendanceStep) ? s.attendanceStep : null, lateness: isStep(s.latenessStep) ? s.latenessStep : null }]));
}
