/**
 * Meetings with the parents: staff invite them (a day and time in the school's zone, a place or
 * "by phone", who will be there); each parent with parental responsibility gets a short message
 * on their channel, in their language, with the link to the meeting page and, by SMS and
 * Telegram, "reply YES or 2"; a parent confirms or asks for another time on the web or by
 * replying; a reminder goes the day before; staff record who came and the notes, and a meeting
 * the parents did not come to is still held and recorded. Every step is audited against the
 * meeting (subject 'graduated_meeting'), which is also the meeting page's history; the audit
 * keeps ids and outcomes, the words (place, notes, the parent's note) stay on the meeting.
 *
 * Messages go through the outbox with keys on (meeting, time, parent): a double submit, a retry
 * or a second worker never sends one twice. The reminder is claimed by a conditional UPDATE on
 * reminded_at first, so two sweeps at the same minute remind once.
 */
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { BY_PHONE, reminderDue, reminderDueAt, type MeetingAnswer, type MeetingStatus } from '../../../domain/graduated-meetings';
import { DEFAULT_TIME_ZONE, isValidIsoDate, localDateOf, localTimeOf, schoolOpenOn, zonedInstant } from '../../../domain/calendar';
import { canForSchool } from '../../../domain/permissions';
import { childDisplayName, childFirstName } from '../../../domain/pupils';
import { isUuid } from '../../../domain/ids';
import type { Locale } from '../../../domain/locale';
import { formatLongDate } from '../../../i18n';
import { m } from '../../../paraglide/messages';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { graduatedActions, graduatedMeetings, guardians, pupilGuardians, pupils, schools, staffUsers } from '../../platform/db/schema';
import { auditTrail, lastActorOf, writeAudit } from '../../platform/audit';
import { enqueueMessage } from '../../platform/outbox';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { enqueueGuardianMessage, publicOrigin, routeForGuardian } from '../accounts';

type StaffActor = { id: string; role: string; schoolId: string | null };

const ANSWERABLE: MeetingStatus[] = ['invited', 'confirmed', 'another_time'];

/** "Thursday 19 November 2026 at 15:30" in the parent's language and the school's zone. */
export function meetingWhenWords(startsAt: Date, timeZone: string, locale: Locale): string {
	return m.graduated_meeting_at({ date: formatLongDate(localDateOf(startsAt, timeZone), locale), time: localTimeOf(startsAt, timeZone) }, { locale });
}

export function meetingPlaceWords(place: string, locale: Locale): string {
	return place === BY_PHONE ? m.graduated_meeting_by_phone({}, { locale }) : place;
}

/**
 * The language of the place as `meetingPlaceWords` gives it: a place staff typed is in their words
 * (English), marked so on a page in another language; "by phone" is in the page's own language.
 */
export function meetingPlaceLang(place: string): 'en' | undefined {
	return place === BY_PHONE ? undefined : 'en';
}

const timeOfDay = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The invitation form. Staff pages are in English, so are the problems. */
export const inviteSchema = z
	.object({
		/** An existing meeting to (re)arrange: one to arrange, or one the parents asked to move. */
		meetingId: z.string().uuid().optional(),
		/** The step the meeting belongs to (a meeting invitation at a monitoring point). */
		actionId: z.string().uuid().optional(),
		date: z.string().refine(isValidIsoDate, 'Enter the date of the meeting'),
		time: z.string().regex(timeOfDay, 'Enter the time of the meeting, for example 15:30'),
		byPhone: z.boolean().default(false),
		place: z.string().trim().max(200, 'The place must be 200 characters or fewer').default(''),
		withWhom: z.string().trim().min(1, 'Say who from the school will be there').max(300, 'Who will be there must be 300 characters or fewer')
	})
	.superRefine((v, ctx) => {
		if (!v.byPhone && v.place === '') ctx.addIssue({ code: 'custom', path: ['place'], message: 'Enter the place of the meeting, or choose by phone' });
	});
export type InviteInput = z.input<typeof inviteSchema>;

export interface MeetingProblem {
	field: 'date' | 'time' | 'place' | 'withWhom' | 'meetingId';
	message: string;
}

export type InviteResult = { ok: true; meetingId: string; messages: number; unreachable: number } | { ok: false; problems: MeetingProblem[] } | { ok: false; notFound: true };

function problemsOf(error: z.ZodError): MeetingProblem[] {
	return error.issues.map((i) => ({ field: String(i.path[0] ?? 'date') as MeetingProblem['field'], message: i.message }));
}

/** The pupil a member of staff may arrange meetings for (their school, the graduated response permission), or null. */
export async function meetingPupil(db: Db, staff: StaffActor, pupilId: string): Promise<{ id: string; name: string } | null> {
	const pupil = await pupilForStaff(db, staff, pupilId);
	return pupil && { id: pupil.id, name: childDisplayName(pupil) };
}

async function pupilForStaff(db: Db, staff: StaffActor, pupilId: string) {
	if (!isUuid(pupilId)) return null;
	const [pupil] = await db.select().from(pupils).where(eq(pupils.id, pupilId));
	if (!pupil || !canForSchool(staff, 'graduated.manage', pupil.schoolId) || staff.role === 'la_admin') return null;
	return pupil;
}

async function schoolOf(db: Db, schoolId: string) {
	const [school] = await db.select({ name: schools.name, timeZone: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	return { name: school?.name ?? '', timeZone: school?.timeZone ?? DEFAULT_TIME_ZONE };
}

/** The parents a meeting message goes to: those with parental responsibility, as for letters. */
async function parentsOf(db: Db, pupilId: string): Promise<string[]> {
	const rows = await db
		.select({ id: pupilGuardians.guardianId })
		.from(pupilGuardians)
		.where(and(eq(pupilGuardians.pupilId, pupilId), eq(pupilGuardians.parentalResponsibility, true)))
		.orderBy(asc(pupilGuardians.contactPriority));
	return rows.map((r) => r.id);
}

/**
 * Invites the parents (or invites them again at a new time). Uses the meeting given, else the
 * pupil's meeting still to arrange or asked to be moved, else a new one. Refused (not found) for
 * a pupil outside the member of staff's school or without the graduated response permission.
 */
export async function inviteMeeting(handle: DatabaseHandle, staff: StaffActor, pupilId: string, input: InviteInput, opts: { now?: Date; origin?: string } = {}): Promise<InviteResult> {
	const now = opts.now ?? new Date();
	const pupil = await pupilForStaff(handle.db, staff, pupilId);
	if (!pupil) return { ok: false, notFound: true };
	const parsed = inviteSchema.safeParse(input);
	if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
	const v = parsed.data;
	const school = await schoolOf(handle.db, pupil.schoolId);
	const startsAt = zonedInstant(school.timeZone, v.date, v.time);
	if (startsAt.getTime() <= now.getTime()) return { ok: false, problems: [{ field: 'date', message: 'The meeting must be in the future' }] };
	if (!schoolOpenOn(await loadSchoolCalendar(handle.db, pupil.schoolId), v.date)) return { ok: false, problems: [{ field: 'date', message: 'The school is not open that day (a holiday, a training day or a weekend): choose a day it is open' }] };
	const place = v.byPhone ? BY_PHONE : v.place;
	const origin = opts.origin ?? publicOrigin();

	return handle.db.transaction(async (tx): Promise<InviteResult> => {
		// The same invitation again (a double submit, a retry): nothing changes and nothing is sent twice.
		const [same] = await tx
			.select({ id: graduatedMeetings.id })
			.from(graduatedMeetings)
			.where(
				and(
					eq(graduatedMeetings.pupilId, pupil.id),
					inArray(graduatedMeetings.status, ['invited', 'confirmed']),
					eq(graduatedMeetings.startsAt, startsAt),
					eq(graduatedMeetings.place, place),
					eq(graduatedMeetings.withWhom, v.withWhom)
				)
			);
		if (same && (!v.meetingId || v.meetingId === same.id)) return { ok: true, meetingId: same.id, messages: 0, unreachable: 0 };
		let meeting: typeof graduatedMeetings.$inferSelect | undefined;
		if (v.meetingId) {
			[meeting] = await tx
				.select()
				.from(graduatedMeetings)
				.where(and(eq(graduatedMeetings.id, v.meetingId), eq(graduatedMeetings.pupilId, pupil.id), eq(graduatedMeetings.schoolId, pupil.schoolId), ne(graduatedMeetings.status, 'held')));
			if (!meeting) return { ok: false, problems: [{ field: 'meetingId', message: 'That meeting has been recorded or is not this pupil’s' }] };
		} else {
			[meeting] = await tx
				.select()
				.from(graduatedMeetings)
				.where(and(eq(graduatedMeetings.pupilId, pupil.id), inArray(graduatedMeetings.status, ['to_arrange', 'another_time'])))
				.orderBy(desc(graduatedMeetings.createdAt))
				.limit(1);
		}
		let actionId = meeting?.actionId ?? null;
		if (v.actionId) {
			const [action] = await tx
				.select({ id: graduatedActions.id })
				.from(graduatedActions)
				.where(and(eq(graduatedActions.id, v.actionId), eq(graduatedActions.pupilId, pupil.id)));
			if (action) actionId = action.id;
		}
		// Invited inside the reminder window (e.g. today for tomorrow): the invitation is the reminder.
		const remindedAt = now.getTime() >= reminderDueAt(startsAt, school.timeZone).getTime() ? now : null;
		const values = { startsAt, place, withWhom: v.withWhom, status: 'invited' as const, actionId, invitedAt: now, repliedAt: null, replyNote: null, remindedAt };
		let id: string;
		if (meeting) {
			await tx.update(graduatedMeetings).set(values).where(eq(graduatedMeetings.id, meeting.id));
			id = meeting.id;
		} else {
			const [row] = await tx
				.insert(graduatedMeetings)
				.values({ schoolId: pupil.schoolId, pupilId: pupil.id, ...values })
				.returning({ id: graduatedMeetings.id });
			id = row!.id;
		}

		const firstName = childFirstName(pupil);
		const link = `${origin}/children/${pupil.id}/meetings/${id}`;
		let messages = 0;
		let unreachable = 0;
		for (const guardianId of await parentsOf(tx, pupil.id)) {
			const route = await routeForGuardian(tx, guardianId);
			if (!route) {
				unreachable++;
				continue;
			}
			const words = (l: Locale) => ({ school: school.name, name: firstName, when: meetingWhenWords(startsAt, school.timeZone, l), place: meetingPlaceWords(place, l), people: v.withWhom, link });
			const replies = route.channel === 'sms' || route.channel === 'telegram' || route.channel === 'whatsapp';
			const sent = await enqueueGuardianMessage(tx, {
				guardianId,
				schoolId: pupil.schoolId,
				purpose: 'graduated_meeting',
				subject: (l) => m.graduated_meeting_subject({ name: firstName }, { locale: l }),
				body: (l) => (replies ? m.graduated_meeting_invite_sms(words(l), { locale: l }) : m.graduated_meeting_invite_email(words(l), { locale: l })),
				choices: (l) => [m.graduated_meeting_can_come({}, { locale: l }), m.graduated_meeting_another({}, { locale: l })],
				idempotencyKey: `meeting:${id}:invite:${startsAt.getTime()}:${guardianId}`
			});
			if (sent) messages++;
		}
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff.id,
			action: 'graduated.meeting_invited',
			schoolId: pupil.schoolId,
			subjectType: 'graduated_meeting',
			subjectId: id,
			details: {
				pupilId: pupil.id,
				startsAt: startsAt.toISOString(),
				byPhone: v.byPhone,
				messages,
				unreachable,
				rearranged: meeting?.status === 'another_time' || meeting?.status === 'invited' || meeting?.status === 'confirmed'
			},
			at: now
		});
		return { ok: true, meetingId: id, messages, unreachable };
	});
}

export type ReplyResult = { ok: true; pupilId: string; childName: string; answer: MeetingAnswer } | { ok: false; problem: 'not_found' | 'closed' };

export const replySchema = z.object({
	answer: z.enum(['confirm', 'another_time']),
	note: z
		.string()
		.trim()
		.max(500)
		.transform((t) => t.replaceAll('\u0000', ''))
		.default('')
});

/**
 * A parent's answer to the invitation (web or a text reply). Only a parent of the pupil; only
 * while the meeting is still ahead and not recorded. A parent may change their mind.
 */
export async function parentReply(
	handle: DatabaseHandle,
	guardianId: string,
	meetingId: string,
	input: z.input<typeof replySchema>,
	opts: { now?: Date; channel?: string; origin?: string } = {}
): Promise<ReplyResult> {
	const now = opts.now ?? new Date();
	if (!isUuid(guardianId) || !isUuid(meetingId)) return { ok: false, problem: 'not_found' };
	const v = replySchema.parse(input);
	const [row] = await handle.db
		.select({ meeting: graduatedMeetings, pupil: pupils })
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(pupilGuardians, and(eq(pupilGuardians.pupilId, graduatedMeetings.pupilId), eq(pupilGuardians.guardianId, guardianId)))
		.where(eq(graduatedMeetings.id, meetingId));
	if (!row) return { ok: false, problem: 'not_found' };
	const status: MeetingStatus = v.answer === 'confirm' ? 'confirmed' : 'another_time';
	return handle.db.transaction(async (tx): Promise<ReplyResult> => {
		const updated = await tx
			.update(graduatedMeetings)
			.set({ status, repliedAt: now, replyNote: v.note || null })
			.where(and(eq(graduatedMeetings.id, meetingId), inArray(graduatedMeetings.status, ANSWERABLE), gt(graduatedMeetings.startsAt, now)))
			.returning({ id: graduatedMeetings.id });
		if (updated.length === 0) return { ok: false, problem: 'closed' };
		await writeAudit(tx, {
			actorType: 'guardian',
			actorId: guardianId,
			action: 'graduated.meeting_replied',
			schoolId: row.meeting.schoolId,
			subjectType: 'graduated_meeting',
			subjectId: meetingId,
			details: { pupilId: row.pupil.id, answer: v.answer, channel: opts.channel ?? 'web', withNote: Boolean(v.note) },
			at: now
		});
		// A family asking for another time waits on the school: whoever sent the invitation is told
		// by email at once, rather than finding it on the monitoring page some days later.
		if (v.answer === 'another_time') await tellInviter(tx, row.meeting.schoolId, meetingId, childDisplayName(row.pupil), v.note, now, opts.origin);
		return { ok: true, pupilId: row.pupil.id, childName: childFirstName(row.pupil), answer: v.answer };
	});
}

/** Emails the member of staff who last invited the parents (if still at the school) that they asked for another time. */
async function tellInviter(tx: Db, schoolId: string, meetingId: string, pupilName: string, note: string | undefined, now: Date, origin?: string) {
	const inviterId = await lastActorOf(tx, 'graduated_meeting', meetingId, 'graduated.meeting_invited');
	const [inviter] =
		inviterId && isUuid(inviterId)
			? await tx
					.select({ email: staffUsers.email })
					.from(staffUsers)
					.where(and(eq(staffUsers.id, inviterId), eq(staffUsers.schoolId, schoolId), isNull(staffUsers.disabledAt)))
			: [];
	if (!inviter) return;
	await enqueueMessage(tx, {
		channel: 'email',
		recipient: inviter.email,
		schoolId,
		purpose: 'graduated_meeting_another_time',
		subject: `Another time asked for: meeting about ${pupilName}`,
		body: `The parents of ${pupilName} asked for another time for their meeting.${note ? `\n\nTheir note: “${note}”` : ''}\n\nArrange a new time (they are sent the new invitation):\n${origin ?? publicOrigin()}/staff/graduated/meetings/${meetingId}`,
		idempotencyKey: `graduated:meeting-another-time:${meetingId}:${now.getTime()}`
	});
}

export const recordSchema = z
	.object({
		parentsCame: z.enum(['yes', 'no'], { message: 'Say whether the parents came' }),
		attended: z.string().trim().max(300, 'Who came must be 300 characters or fewer').default(''),
		notes: z.string().trim().min(1, 'Enter the notes of the meeting: what was said and agreed').max(4000, 'The notes must be 4000 characters or fewer')
	})
	.superRefine((v, ctx) => {
		if (v.parentsCame === 'yes' && v.attended === '') ctx.addIssue({ code: 'custom', path: ['attended'], message: 'Say who came' });
	});

export type RecordResult = { ok: true } | { ok: false; problems: { field: string; message: string }[] } | { ok: false; notFound: true } | { ok: false; alreadyRecorded: true };

/**
 * Records the meeting as held: who came (nobody from the family is allowed: the meeting goes
 * ahead as the policies say) and the notes. Once only: a second recording at the same moment
 * finds it held.
 */
export async function recordMeeting(handle: DatabaseHandle, staff: StaffActor, meetingId: string, input: z.input<typeof recordSchema>, opts: { now?: Date } = {}): Promise<RecordResult> {
	const now = opts.now ?? new Date();
	if (!isUuid(meetingId)) return { ok: false, notFound: true };
	const [meeting] = await handle.db.select().from(graduatedMeetings).where(eq(graduatedMeetings.id, meetingId));
	if (!meeting || !(await pupilForStaff(handle.db, staff, meeting.pupilId))) return { ok: false, notFound: true };
	const parsed = recordSchema.safeParse(input);
	if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'notes'), message: i.message })) };
	const v = parsed.data;
	return handle.db.transaction(async (tx): Promise<RecordResult> => {
		const updated = await tx
			.update(graduatedMeetings)
			.set({ status: 'held', attended: v.parentsCame === 'yes' ? v.attended : null, notes: v.notes, recordedBy: staff.id, heldAt: now })
			.where(and(eq(graduatedMeetings.id, meetingId), ne(graduatedMeetings.status, 'held')))
			.returning({ id: graduatedMeetings.id });
		if (updated.length === 0) return { ok: false, alreadyRecorded: true };
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff.id,
			action: 'graduated.meeting_held',
			schoolId: meeting.schoolId,
			subjectType: 'graduated_meeting',
			subjectId: meetingId,
			details: { pupilId: meeting.pupilId, parentsCame: v.parentsCame === 'yes' },
			at: now
		});
		return { ok: true };
	});
}

/**
 * The day-before reminders: every meeting invited or confirmed, not yet reminded, from 09:00
 * (school time) the day before until it starts. Each meeting is claimed by setting reminded_at
 * only where it is still null; the worker that wins the claim queues the messages in the same
 * transaction, so a second sweep (another instance, the same minute) sends nothing.
 */
export async function sendMeetingReminders(handle: DatabaseHandle, now: Date = new Date()): Promise<number> {
	const candidates = await handle.db
		.select({ meeting: graduatedMeetings, timeZone: schools.timeZone, schoolName: schools.name, pupil: pupils })
		.from(graduatedMeetings)
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.where(
			and(
				inArray(graduatedMeetings.status, ['invited', 'confirmed']),
				isNull(graduatedMeetings.remindedAt),
				gt(graduatedMeetings.startsAt, now),
				// Two days covers the day before in any zone; the domain rule decides.
				sql`${graduatedMeetings.startsAt} < ${new Date(now.getTime() + 2 * 86_400_000)}`
			)
		);
	let reminded = 0;
	for (const c of candidates) {
		if (!reminderDue(c.meeting, now, c.timeZone)) continue;
		const startsAt = c.meeting.startsAt!;
		await handle.db.transaction(async (tx) => {
			const claimed = await tx
				.update(graduatedMeetings)
				.set({ remindedAt: now })
				.where(and(eq(graduatedMeetings.id, c.meeting.id), isNull(graduatedMeetings.remindedAt), inArray(graduatedMeetings.status, ['invited', 'confirmed'])))
				.returning({ id: graduatedMeetings.id });
			if (claimed.length === 0) return;
			const name = childFirstName(c.pupil);
			let messages = 0;
			for (const guardianId of await parentsOf(tx, c.pupil.id)) {
				const sent = await enqueueGuardianMessage(tx, {
					guardianId,
					schoolId: c.meeting.schoolId,
					purpose: 'graduated_meeting_reminder',
					subject: (l) => m.graduated_meeting_subject({ name }, { locale: l }),
					body: (l) => m.graduated_sms_meeting_reminder({ school: c.schoolName, name, when: meetingWhenWords(startsAt, c.timeZone, l), place: meetingPlaceWords(c.meeting.place, l) }, { locale: l }),
					idempotencyKey: `meeting:${c.meeting.id}:reminder:${startsAt.getTime()}:${guardianId}`
				});
				if (sent) messages++;
			}
			await writeAudit(tx, {
				actorType: 'system',
				action: 'graduated.meeting_reminded',
				schoolId: c.meeting.schoolId,
				subjectType: 'graduated_meeting',
				subjectId: c.meeting.id,
				details: { pupilId: c.pupil.id, messages },
				at: now
			});
			reminded++;
		});
	}
	return reminded;
}

export interface MeetingView {
	id: string;
	pupilId: string;
	pupilName: string;
	firstName: string;
	status: MeetingStatus;
	startsAt: Date | null;
	/** Local date and time at the school ('2026-11-19', '15:30'). */
	date: string | null;
	time: string | null;
	timeZone: string;
	place: string;
	byPhone: boolean;
	withWhom: string;
	invitedAt: Date | null;
	repliedAt: Date | null;
	replyNote: string | null;
	remindedAt: Date | null;
	attended: string | null;
	notes: string | null;
	heldAt: Date | null;
	actionId: string | null;
	createdAt: Date;
}

function view(row: typeof graduatedMeetings.$inferSelect, pupil: typeof pupils.$inferSelect, timeZone: string): MeetingView {
	return {
		id: row.id,
		pupilId: pupil.id,
		pupilName: childDisplayName(pupil),
		firstName: childFirstName(pupil),
		status: row.status,
		startsAt: row.startsAt,
		date: row.startsAt ? localDateOf(row.startsAt, timeZone) : null,
		time: row.startsAt ? localTimeOf(row.startsAt, timeZone) : null,
		timeZone,
		place: row.place,
		byPhone: row.place === BY_PHONE,
		withWhom: row.withWhom,
		invitedAt: row.invitedAt,
		repliedAt: row.repliedAt,
		replyNote: row.replyNote,
		remindedAt: row.remindedAt,
		attended: row.attended,
		notes: row.notes,
		heldAt: row.heldAt,
		actionId: row.actionId,
		createdAt: row.createdAt
	};
}

const meetingColumns = { meeting: graduatedMeetings, pupil: pupils, timeZone: schools.timeZone };

/** A pupil's meetings for staff of the pupil's school, newest first. */
export async function meetingsForPupil(db: Db, schoolId: string, pupilId: string): Promise<MeetingView[]> {
	if (!isUuid(pupilId)) return [];
	const rows = await db
		.select(meetingColumns)
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.where(and(eq(graduatedMeetings.pupilId, pupilId), eq(graduatedMeetings.schoolId, schoolId)))
		.orderBy(desc(graduatedMeetings.createdAt));
	return rows.map((r) => view(r.meeting, r.pupil, r.timeZone));
}

/** The school's meetings still open (to arrange, invited, confirmed, asked to move), soonest first. */
export async function openMeetingsForSchool(db: Db, schoolId: string): Promise<MeetingView[]> {
	const rows = await db
		.select(meetingColumns)
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.where(and(eq(graduatedMeetings.schoolId, schoolId), ne(graduatedMeetings.status, 'held')))
		.orderBy(sql`${graduatedMeetings.startsAt} asc nulls first`, asc(graduatedMeetings.createdAt));
	return rows.map((r) => view(r.meeting, r.pupil, r.timeZone));
}

const CHANNEL_WORDS: Record<string, string> = { web: 'on the website', sms: 'by SMS', telegram: 'on Telegram', whatsapp: 'on WhatsApp' };

export interface MeetingHistoryEntry {
	at: Date;
	text: string;
}

/** One meeting for staff of its school, with its history (from the audit trail), or null. */
export async function meetingForStaff(db: Db, staff: StaffActor, meetingId: string): Promise<(MeetingView & { history: MeetingHistoryEntry[]; recordedByName: string | null }) | null> {
	if (!isUuid(meetingId)) return null;
	const [row] = await db
		.select({ ...meetingColumns, recordedByName: staffUsers.displayName })
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.leftJoin(staffUsers, eq(staffUsers.id, graduatedMeetings.recordedBy))
		.where(eq(graduatedMeetings.id, meetingId));
	if (!row || !(await pupilForStaff(db, staff, row.pupil.id))) return null;
	const audits = await auditTrail(db, 'graduated_meeting', meetingId);
	const guardianIds = [...new Set(audits.filter((a) => a.action === 'graduated.meeting_replied' && a.actorId).map((a) => a.actorId!))];
	const names = new Map(
		guardianIds.length
			? (await db.select({ id: guardians.id, firstName: guardians.firstName, lastName: guardians.lastName }).from(guardians).where(inArray(guardians.id, guardianIds))).map((g) => [
					g.id,
					`${g.firstName} ${g.lastName}`.trim()
				])
			: []
	);
	const tz = row.timeZone;
	const at = (iso: unknown) => (typeof iso === 'string' ? `${localDateOf(new Date(iso), tz)} ${localTimeOf(new Date(iso), tz)}` : '');
	const history = audits.map((a) => {
		const d = a.details as Record<string, unknown>;
		const text =
			a.action === 'graduated.meeting_invited'
				? `Parents invited for ${at(d.startsAt)}${d.byPhone ? ', by phone' : ''}: ${Number(d.messages)} ${Number(d.messages) === 1 ? 'message' : 'messages'} queued${Number(d.unreachable) ? `, ${Number(d.unreachable)} parent${Number(d.unreachable) === 1 ? '' : 's'} with no phone or email` : ''}`
				: a.action === 'graduated.meeting_replied'
					? `${names.get(a.actorId ?? '') ?? 'A parent'} ${d.answer === 'confirm' ? 'confirmed' : 'asked for another time'} (${CHANNEL_WORDS[String(d.channel)] ?? String(d.channel)})${d.withNote ? ', with a note' : ''}`
					: a.action === 'graduated.meeting_reminded'
						? `Reminder sent the day before (${Number(d.messages)} ${Number(d.messages) === 1 ? 'message' : 'messages'})`
						: a.action === 'graduated.meeting_held'
							? d.parentsCame
								? 'Meeting recorded as held'
								: 'Meeting recorded as held; the parents did not come'
							: a.action;
		return { at: a.at, text };
	});
	return { ...view(row.meeting, row.pupil, tz), history, recordedByName: row.recordedByName };
}

/** A meeting for a parent of the pupil, or null for anyone else. */
export async function meetingForGuardian(db: Db, guardianId: string, pupilId: string, meetingId: string): Promise<MeetingView | null> {
	if (!isUuid(guardianId) || !isUuid(pupilId) || !isUuid(meetingId)) return null;
	const [row] = await db
		.select(meetingColumns)
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.innerJoin(pupilGuardians, and(eq(pupilGuardians.pupilId, graduatedMeetings.pupilId), eq(pupilGuardians.guardianId, guardianId)))
		.where(and(eq(graduatedMeetings.id, meetingId), eq(graduatedMeetings.pupilId, pupilId)));
	return row ? view(row.meeting, row.pupil, row.timeZone) : null;
}

/** A parent's meetings about one child, newest first. */
export async function meetingsForGuardian(db: Db, guardianId: string, pupilId: string): Promise<MeetingView[]> {
	if (!isUuid(guardianId) || !isUuid(pupilId)) return [];
	const rows = await db
		.select(meetingColumns)
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.innerJoin(pupilGuardians, and(eq(pupilGuardians.pupilId, graduatedMeetings.pupilId), eq(pupilGuardians.guardianId, guardianId)))
		.where(eq(graduatedMeetings.pupilId, pupilId))
		.orderBy(desc(graduatedMeetings.createdAt));
	return rows.map((r) => view(r.meeting, r.pupil, r.timeZone));
}

/**
 * The meetings a parent's text reply could be about: invited, still ahead, of any of their
 * children. Confirmed ones too: the other parent may answer after the first has, and a parent
 * may change their mind ("2" after "YES").
 */
export async function invitedMeetingsForGuardian(db: Db, guardianId: string, now: Date): Promise<(MeetingView & { invitedAt: Date })[]> {
	if (!isUuid(guardianId)) return [];
	const rows = await db
		.select(meetingColumns)
		.from(graduatedMeetings)
		.innerJoin(pupils, eq(pupils.id, graduatedMeetings.pupilId))
		.innerJoin(schools, eq(schools.id, graduatedMeetings.schoolId))
		.innerJoin(pupilGuardians, and(eq(pupilGuardians.pupilId, graduatedMeetings.pupilId), eq(pupilGuardians.guardianId, guardianId)))
		.where(and(inArray(graduatedMeetings.status, ['invited', 'confirmed']), gt(graduatedMeetings.startsAt, now)))
		.orderBy(desc(graduatedMeetings.invitedAt));
	return rows.map((r) => ({ ...view(r.meeting, r.pupil, r.timeZone), invitedAt: r.meeting.invitedAt ?? r.meeting.createdAt }));
}
