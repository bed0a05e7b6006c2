/**
 * Letters of the graduated response: composed from the school's template in each parent's
 * language (a reviewed draft where one exists, else English), kept as data with the pupil's
 * record, and announced on the parent's channel by a short message with the link to the letter
 * page. A parent we cannot reach gets a letter marked for the printable batch instead. Messages
 * go through the outbox with a key on (pupil, step, point, parent): never twice.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { composeLetter, type LetterContent, type LetterSupport } from '../../../domain/graduated-letters';
import { type LetterStep, type MonitoringPoint } from '../../../domain/graduated-response';
import { daysFromSessions } from '../../../domain/attendance';
import { BARRIER_CATEGORIES, categoriesFor, isSupportCategory, type Barrier, type SupportCategory } from '../../../domain/signposting';
import { chooseMessageLocale, type Locale } from '../../../domain/locale';
import { childFirstName } from '../../../domain/pupils';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { absenceReports, graduatedLetters, graduatedPlans, guardians, pupilGuardians, pupils, schools } from '../../platform/db/schema';
import { enqueueGuardianMessage, publicOrigin, routeForGuardian } from '../accounts';
import { findServices } from '../support';
import { m } from '../../../paraglide/messages';
import { schoolGraduatedPolicy } from './policy';
import type { PupilTally } from './monitoring';

const CELEBRATES: readonly LetterStep[] = ['rag_green', 'review_improved'];
const INVITES: readonly LetterStep[] = ['meeting_invitation', 'lateness_meeting'];

/**
 * Up to three services from the school's directory for what the family has told us: the
 * reasons in their absence reports this year and the barriers in a plan of support; general
 * family support when they have told us nothing.
 */
export async function supportForPupil(handle: DatabaseHandle, schoolId: string, pupilId: string, since: string): Promise<LetterSupport[]> {
	const [school] = await handle.db.select({ directory: schools.supportDirectory }).from(schools).where(eq(schools.id, schoolId));
	const reports = await handle.db
		.select({ reason: absenceReports.reason, details: absenceReports.details, startsOn: absenceReports.startsOn })
		.from(absenceReports)
		.where(and(eq(absenceReports.pupilId, pupilId), eq(absenceReports.schoolId, schoolId)));
	const categories = new Set<SupportCategory>();
	for (const r of reports.filter((r) => r.startsOn >= since)) for (const c of categoriesFor({ reason: r.reason as never, text: r.details })) categories.add(c);
	const plans = await handle.db.select({ barriers: graduatedPlans.barriers }).from(graduatedPlans).where(eq(graduatedPlans.pupilId, pupilId));
	for (const p of plans) for (const b of p.barriers) for (const c of BARRIER_CATEGORIES[b as Barrier] ?? []) if (isSupportCategory(c)) categories.add(c);
	if (categories.size === 0) categories.add('general');
	const [pupil] = await handle.db.select({ dateOfBirth: pupils.dateOfBirth, yearGroup: pupils.yearGroup }).from(pupils).where(eq(pupils.id, pupilId));
	const services = await findServices(handle, {
		directory: school?.directory,
		categories: [...categories],
		for: { family: true, children: pupil ? [{ dateOfBirth: pupil.dateOfBirth, yearGroup: pupil.yearGroup }] : [] }
	});
	return services.slice(0, 3).map((s) => ({ name: s.name, overview: s.overview, link: s.link, contact: s.contact }));
}

export interface StepLetterInput {
	actionId: string;
	schoolId: string;
	pupilId: string;
	step: LetterStep;
	pointKey: string;
	period: Pick<MonitoringPoint, 'label' | 'kind'> & { name?: string };
	tally: { period: PupilTally; year: PupilTally };
	support: readonly LetterSupport[];
	meeting?: string;
	origin?: string;
}

/** The period's name as a letter says it: "Autumn 1" from "End of Autumn 1 2026/27", "the week beginning ..." for lateness. */
function periodWords(label: string): string {
	return label.replace(/^End of /, '').replace(/ \d{4}\/\d{2}$/, '');
}

/** Composes, keeps and announces the step's letter to every parent with parental responsibility. */
export async function sendStepLetters(tx: Db, input: StepLetterInput): Promise<{ letters: number; toPrint: number }> {
	const [pupil] = await tx.select().from(pupils).where(eq(pupils.id, input.pupilId));
	const [school] = await tx.select({ name: schools.name, phone: schools.phone, email: schools.email }).from(schools).where(eq(schools.id, input.schoolId));
	if (!pupil || !school) return { letters: 0, toPrint: 0 };
	const { templates } = await schoolGraduatedPolicy(tx, input.schoolId);
	const parents = await tx
		.select({ guardianId: pupilGuardians.guardianId, preferredLanguage: guardians.preferredLanguage })
		.from(pupilGuardians)
		.innerJoin(guardians, eq(guardians.id, pupilGuardians.guardianId))
		.where(and(eq(pupilGuardians.pupilId, pupil.id), eq(pupilGuardians.parentalResponsibility, true)))
		.orderBy(asc(pupilGuardians.contactPriority));
	const firstName = childFirstName(pupil);
	const { period, year } = input.tally;
	const figures = {
		firstName,
		school: school.name,
		period: periodWords(input.period.label),
		daysMissed: daysFromSessions(year.possible - year.attended),
		daysMissedPeriod: daysFromSessions(period.possible - period.attended),
		daysAttended: daysFromSessions(period.attended),
		daysPossible: daysFromSessions(period.possible),
		lates: period.lates,
		minutesLate: INVITES.includes(input.step) || input.step === 'formal_lateness_letter' ? year.minutesLate : period.minutesLate,
		contact: school.phone ?? school.email ?? school.name,
		meeting: input.meeting
	};
	let letters = 0;
	let toPrint = 0;
	const origin = input.origin ?? publicOrigin();
	for (const parent of parents) {
		const locale: Locale = chooseMessageLocale({ guardianPreference: parent.preferredLanguage });
		const content = composeLetter({ step: input.step, locale, figures, support: input.support, overrides: templates });
		const route = await routeForGuardian(tx, parent.guardianId);
		const [letter] = await tx
			.insert(graduatedLetters)
			.values({ actionId: input.actionId, schoolId: input.schoolId, pupilId: pupil.id, guardianId: parent.guardianId, step: input.step, locale: content.locale, content: content as unknown as Record<string, unknown>, delivery: route ? 'message' : 'print' })
			.onConflictDoNothing()
			.returning({ id: graduatedLetters.id });
		if (!letter) continue;
		letters++;
		if (!route) {
			toPrint++;
			continue;
		}
		const link = `${origin}/children/${pupil.id}/letters/${letter.id}`;
		const words = { school: school.name, name: firstName, link };
		await enqueueGuardianMessage(tx, {
			guardianId: parent.guardianId,
			schoolId: input.schoolId,
			purpose: 'graduated_letter',
			body: (l) => (CELEBRATES.includes(input.step) ? m.graduated_sms_celebrate(words, { locale: l }) : INVITES.includes(input.step) ? m.graduated_sms_meeting(words, { locale: l }) : m.graduated_sms_letter(words, { locale: l })),
			idempotencyKey: `graduated:${pupil.id}:${input.step}:${input.pointKey}:${parent.guardianId}`
		});
	}
	// A pupil with no parent on record still gets a letter in the printable batch (to the school's address book).
	if (parents.length === 0) {
		const content = composeLetter({ step: input.step, locale: 'en', figures, support: input.support, overrides: templates });
		const inserted = await tx
			.insert(graduatedLetters)
			.values({ actionId: input.actionId, schoolId: input.schoolId, pupilId: pupil.id, guardianId: null, step: input.step, locale: 'en', content: content as unknown as Record<string, unknown>, delivery: 'print' })
			.onConflictDoNothing()
			.returning({ id: graduatedLetters.id });
		letters += inserted.length;
		toPrint += inserted.length;
	}
	return { letters, toPrint };
}

export interface StoredLetter {
	id: string;
	pupilId: string;
	guardianId: string | null;
	step: string;
	delivery: 'message' | 'print';
	content: LetterContent;
	createdAt: Date;
	readAt: Date | null;
}

function asStored(r: typeof graduatedLetters.$inferSelect): StoredLetter {
	return { id: r.id, pupilId: r.pupilId, guardianId: r.guardianId, step: r.step, delivery: r.delivery, content: r.content as unknown as LetterContent, createdAt: r.createdAt, readAt: r.readAt };
}

/**
 * A letter for the parent it was written to (null for anyone else: the page answers "not
 * found"). The first reading is recorded, for the pupil's record.
 */
export async function letterForGuardian(db: Db, guardianId: string, pupilId: string, letterId: string): Promise<StoredLetter | null> {
	const [row] = await db
		.select()
		.from(graduatedLetters)
		.where(and(eq(graduatedLetters.id, letterId), eq(graduatedLetters.pupilId, pupilId), eq(graduatedLetters.guardianId, guardianId)));
	if (!row) return null;
	if (!row.readAt) await db.update(graduatedLetters).set({ readAt: new Date() }).where(eq(graduatedLetters.id, row.id));
	return asStored(row);
}

/** A parent's letters about one child, newest first. */
export async function lettersForGuardian(db: Db, guardianId: string, pupilId: string): Promise<StoredLetter[]> {
	const rows = await db
		.select()
		.from(graduatedLetters)
		.where(and(eq(graduatedLetters.guardianId, guardianId), eq(graduatedLetters.pupilId, pupilId)))
		.orderBy(desc(graduatedLetters.createdAt));
	return rows.map(asStored);
}

/** A letter of the school's, for staff (print, the record). */
export async function letterForSchool(db: Db, schoolId: string, letterId: string): Promise<StoredLetter | null> {
	const [row] = await db.select().from(graduatedLetters).where(and(eq(graduatedLetters.id, letterId), eq(graduatedLetters.schoolId, schoolId)));
	return row ? asStored(row) : null;
}

/** The printable batch of a monitoring point: letters for families we cannot reach by phone or email. */
export async function printBatch(handle: DatabaseHandle, schoolId: string, pointKey: string): Promise<StoredLetter[]> {
	const rows = await handle.query<{ id: string }>(
		`select l.id::text as id from graduated_letters l join graduated_actions a on a.id = l.action_id
		  where l.school_id = $1 and a.point_key = $2 and l.delivery = 'print' order by l.created_at, l.id`,
		[schoolId, pointKey]
	);
	if (rows.length === 0) return [];
	const letters = await handle.db.select().from(graduatedLetters).where(inArray(graduatedLetters.id, rows.map((r) => r.id)));
	return letters.map(asStored);
}
