/**
 * A school joins: the local-authority admin creates it with its settings and invites its first
 * member of staff in the same transaction (the invitation email goes through the outbox, so a
 * school is never created without its invitation, nor an invitation sent for a school that
 * rolled back). Staff later edit the settings that are theirs.
 */
import { can, canForSchool } from '../../../domain/permissions';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { schools, type School, type StaffUser } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { LOCALES } from '../../../domain/locale';
import { DEFAULT_TIME_ZONE } from '../../../domain/calendar';
import { createInvitationInTx, type InvitationEmailContext } from './invitations';
import { problemFromIssue, type FieldError, type SETTINGS_CODES } from './problems';

export const SCHOOL_PHASES = ['nursery', 'primary', 'middle', 'secondary', 'all_through', 'special', 'alternative_provision'] as const;
export type SchoolPhase = (typeof SCHOOL_PHASES)[number];
export const PHASE_LABELS: Readonly<Record<SchoolPhase, string>> = {
	nursery: 'Nursery',
	primary: 'Primary',
	middle: 'Middle',
	secondary: 'Secondary',
	all_through: 'All-through',
	special: 'Special school',
	alternative_provision: 'Alternative provision'
};
export const KEY_STAGES = ['EYFS', 'KS1', 'KS2', 'KS3', 'KS4', 'KS5'] as const;
export type KeyStage = (typeof KEY_STAGES)[number];

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A time field; its code names which time it is (the words say "Enter when the morning register opens as a 24-hour time..."). */
const time = (code: (typeof SETTINGS_CODES)[number]) => z.string().trim().regex(TIME_RE, code);

function validTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The settings staff may change (register times, notice, contact time, languages, contact details). */
export const schoolSettingsSchema = z
	.object({
		amRegisterOpens: time('time_am_opens'),
		amRegisterCloses: time('time_am_closes'),
		pmRegisterOpens: time('time_pm_opens'),
		pmRegisterCloses: time('time_pm_closes'),
		/** Left out (undefined) = unchanged (a new school: 15:15). */
		schoolDayEnds: time('time_day_ends').optional(),
		pmRegisterByKeyStage: z
			.partialRecord(z.enum(KEY_STAGES), z.object({ opens: time('time_key_stage_pm_opens'), closes: time('time_key_stage_pm_closes') }))
			.default({}),
		lessonsPerDay: z.coerce.number({ error: 'lessons_missing' }).int('lessons_not_whole').min(1, 'lessons_too_few').max(12, 'lessons_too_many'),
		leaveNoticeDays: z.coerce.number({ error: 'notice_missing' }).int('notice_not_whole').min(0, 'notice_negative').max(90, 'notice_too_long'),
		/** Left out (undefined) = unchanged; the settings page has its own form for it. */
		firstDayContactAt: z.union([time('time_first_day_contact'), z.literal('').transform(() => null), z.null()]).optional(),
		languages: z.array(z.enum(LOCALES)).default(['en']).transform((l) => [...new Set(['en', ...l])]),
		phone: z.string().trim().max(40, 'phone_too_long').optional().transform((v) => v || null),
		email: z.union([z.email('school_email').max(254), z.literal('')]).optional().transform((v) => v || null)
	})
	.superRefine((v, ctx) => {
		const check = (opens: string, closes: string, path: string, code: 'am_closes_before_opens' | 'pm_closes_before_opens') => {
			if (TIME_RE.test(opens) && TIME_RE.test(closes) && minutes(closes) <= minutes(opens)) {
				ctx.addIssue({ code: 'custom', path: [path], message: code });
			}
		};
		check(v.amRegisterOpens, v.amRegisterCloses, 'amRegisterCloses', 'am_closes_before_opens');
		check(v.pmRegisterOpens, v.pmRegisterCloses, 'pmRegisterCloses', 'pm_closes_before_opens');
		if (v.schoolDayEnds && TIME_RE.test(v.pmRegisterCloses) && minutes(v.schoolDayEnds) <= minutes(v.pmRegisterCloses)) {
			ctx.addIssue({ code: 'custom', path: ['schoolDayEnds'], message: 'day_ends_before_pm_closes' });
		}
		if (TIME_RE.test(v.amRegisterCloses) && TIME_RE.test(v.pmRegisterOpens) && minutes(v.pmRegisterOpens) <= minutes(v.amRegisterCloses)) {
			ctx.addIssue({ code: 'custom', path: ['pmRegisterOpens'], message: 'pm_opens_before_am_closes' });
		}
		for (const [ks, t] of Object.entries(v.pmRegisterByKeyStage)) {
			if (t && minutes(t.closes) <= minutes(t.opens)) {
				ctx.addIssue({ code: 'custom', path: [`pm_${ks}`], message: 'key_stage_pm_closes_before_opens', params: { keyStage: ks } });
			}
		}
		if (v.firstDayContactAt && TIME_RE.test(v.amRegisterCloses) && minutes(v.firstDayContactAt) <= minutes(v.amRegisterCloses)) {
			ctx.addIssue({ code: 'custom', path: ['firstDayContactAt'], message: 'first_day_contact_before_am_closes' });
		}
	});

/** What the LA sets when it adds a school: who the school is, and its first settings. */
export const newSchoolSchema = z.object({
	name: z.string().trim().min(3, 'school_name_missing').max(120, 'school_name_too_long'),
	urn: z.string().trim().regex(/^\d{6}$/, 'school_urn'),
	phase: z.enum(SCHOOL_PHASES, { error: 'school_phase' }),
	timeZone: z.string().trim().default(DEFAULT_TIME_ZONE).refine(validTimeZone, 'school_time_zone'),
	settings: schoolSettingsSchema,
	firstStaff: z.object({
		displayName: z.string().trim().min(2, 'first_staff_name').max(120),
		email: z.email('first_staff_email').max(254),
		role: z.enum(['headteacher', 'school_admin']).default('headteacher')
	})
});
export type NewSchoolInput = z.input<typeof newSchoolSchema>;

export function fieldErrors(error: z.ZodError): FieldError[] {
	return error.issues.map((i) => ({
		field: i.path.filter((p) => p !== 'settings').map(String).join('.') || 'form',
		...problemFromIssue(i)
	}));
}

export function slugify(name: string): string {
	return (
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/&/g, ' and ')
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'school'
	);
}

async function freeSlug(db: Db, name: string): Promise<string> {
	const base = slugify(name);
	const taken = new Set(
		(await db.select({ slug: schools.slug }).from(schools).where(sql`${schools.slug} = ${base} or ${schools.slug} like ${base + '-%'}`)).map((r) => r.slug)
	);
	if (!taken.has(base)) return base;
	for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

const withSeconds = (t: string) => (t.length === 5 ? `${t}:00` : t);

export type CreateSchoolResult =
	| { ok: true; school: School; invitationId: string }
	| { ok: false; errors: FieldError[] };

/** The LA admin adds a school and invites its first member of staff, all or nothing. */
export async function createSchool(
	handle: DatabaseHandle,
	actor: Pick<StaffUser, 'id' | 'role'>,
	input: NewSchoolInput,
	email: InvitationEmailContext,
	now: Date = new Date()
): Promise<CreateSchoolResult> {
	if (!can(actor, 'schools.add')) return { ok: false, errors: [{ field: 'form', code: 'only_la_adds_schools' }] };
	const parsed = newSchoolSchema.safeParse(input);
	if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
	const v = parsed.data;
	const [dup] = await handle.db.select({ id: schools.id }).from(schools).where(eq(schools.urn, v.urn));
	if (dup) return { ok: false, errors: [{ field: 'urn', code: 'urn_taken' }] };
	try {
		return await handle.db.transaction(async (tx) => {
			const s = v.settings;
			const [school] = await tx
				.insert(schools)
				.values({
					urn: v.urn,
					slug: await freeSlug(tx, v.name),
					name: v.name,
					phase: v.phase,
					timeZone: v.timeZone,
					amRegisterOpens: withSeconds(s.amRegisterOpens),
					amRegisterCloses: withSeconds(s.amRegisterCloses),
					reportingCutoff: withSeconds(s.amRegisterCloses),
					pmRegisterOpens: withSeconds(s.pmRegisterOpens),
					pmRegisterCloses: withSeconds(s.pmRegisterCloses),
					...(s.schoolDayEnds ? { schoolDayEnds: withSeconds(s.schoolDayEnds) } : {}),
					pmRegisterByKeyStage: s.pmRegisterByKeyStage,
					lessonsPerDay: s.lessonsPerDay,
					leaveNoticeDays: s.leaveNoticeDays,
					firstDayContactAt: s.firstDayContactAt ? withSeconds(s.firstDayContactAt) : null,
					languages: s.languages,
					phone: s.phone,
					email: s.email
				})
				.returning();
			await writeAudit(tx, { actorType: 'staff', actorId: actor.id, action: 'school.created', schoolId: school!.id, subjectType: 'school', subjectId: school!.id, details: { urn: v.urn, phase: v.phase }, at: now });
			const invitation = await createInvitationInTx(tx, { schoolId: school!.id, schoolName: school!.name, invitedBy: actor.id, ...v.firstStaff }, email, now);
			if (!invitation.ok) throw new InvitationRefused(invitation.errors);
			return { ok: true as const, school: school!, invitationId: invitation.invitationId };
		});
	} catch (err) {
		if (err instanceof InvitationRefused) return { ok: false, errors: err.errors.map((e) => ({ ...e, field: `firstStaff.${e.field}` })) };
		throw err;
	}
}

class InvitationRefused extends Error {
	constructor(readonly errors: FieldError[]) {
		super('invitation refused');
	}
}

export interface SchoolSettingsView {
	id: string;
	name: string;
	urn: string;
	phase: string;
	timeZone: string;
	amRegisterOpens: string;
	amRegisterCloses: string;
	pmRegisterOpens: string;
	pmRegisterCloses: string;
	schoolDayEnds: string;
	pmRegisterByKeyStage: Partial<Record<string, { opens: string; closes: string }>>;
	lessonsPerDay: number;
	leaveNoticeDays: number;
	firstDayContactAt: string | null;
	languages: string[];
	phone: string | null;
	email: string | null;
}

const hhmm = (t: string) => t.slice(0, 5);

export async function schoolSettings(handle: DatabaseHandle, schoolId: string): Promise<SchoolSettingsView | null> {
	const [s] = await handle.db.select().from(schools).where(eq(schools.id, schoolId));
	if (!s) return null;
	return {
		id: s.id,
		name: s.name,
		urn: s.urn,
		phase: s.phase,
		timeZone: s.timeZone,
		amRegisterOpens: hhmm(s.amRegisterOpens),
		amRegisterCloses: hhmm(s.amRegisterCloses),
		pmRegisterOpens: hhmm(s.pmRegisterOpens),
		pmRegisterCloses: hhmm(s.pmRegisterCloses),
		schoolDayEnds: hhmm(s.schoolDayEnds),
		pmRegisterByKeyStage: s.pmRegisterByKeyStage,
		lessonsPerDay: s.lessonsPerDay,
		leaveNoticeDays: s.leaveNoticeDays,
		firstDayContactAt: s.firstDayContactAt ? hhmm(s.firstDayContactAt) : null,
		languages: s.languages,
		phone: s.phone,
		email: s.email
	};
}

export type SettingsInput = z.input<typeof schoolSettingsSchema>;

/** Staff change their school's own settings (never its name, URN or phase: those are the LA's). */
export async function updateSchoolSettings(
	handle: DatabaseHandle,
	actor: Pick<StaffUser, 'id' | 'role' | 'schoolId'>,
	schoolId: string,
	input: SettingsInput
): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
	const allowed = canForSchool(actor, 'school.setup', schoolId);
	if (!allowed) return { ok: false, errors: [{ field: 'form', code: 'settings_not_allowed' }] };
	const parsed = schoolSettingsSchema.safeParse(input);
	if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
	const s = parsed.data;
	await handle.db.transaction(async (tx) => {
		await tx
			.update(schools)
			.set({
				amRegisterOpens: withSeconds(s.amRegisterOpens),
				amRegisterCloses: withSeconds(s.amRegisterCloses),
				reportingCutoff: withSeconds(s.amRegisterCloses),
				pmRegisterOpens: withSeconds(s.pmRegisterOpens),
				pmRegisterCloses: withSeconds(s.pmRegisterCloses),
				...(s.schoolDayEnds ? { schoolDayEnds: withSeconds(s.schoolDayEnds) } : {}),
				pmRegisterByKeyStage: s.pmRegisterByKeyStage,
				lessonsPerDay: s.lessonsPerDay,
				leaveNoticeDays: s.leaveNoticeDays,
				...(s.firstDayContactAt !== undefined ? { firstDayContactAt: s.firstDayContactAt ? withSeconds(s.firstDayContactAt) : null } : {}),
				languages: s.languages,
				phone: s.phone,
				email: s.email,
				updatedAt: new Date()
			})
			.where(eq(schools.id, schoolId));
		await writeAudit(tx, { actorType: 'staff', actorId: actor.id, action: 'school.settings_changed', schoolId, subjectType: 'school', subjectId: schoolId });
	});
	return { ok: true };
}

/** Form fields (flat, as a browser posts them) to the settings shape. */
export function settingsFromForm(form: FormData): SettingsInput {
	const str = (k: string) => String(form.get(k) ?? '').trim();
	const byKs: Record<string, { opens: string; closes: string }> = {};
	for (const ks of KEY_STAGES) {
		const opens = str(`pm_${ks}_opens`);
		const closes = str(`pm_${ks}_closes`);
		if (opens || closes) byKs[ks] = { opens, closes };
	}
	return {
		amRegisterOpens: str('amRegisterOpens'),
		amRegisterCloses: str('amRegisterCloses'),
		pmRegisterOpens: str('pmRegisterOpens'),
		pmRegisterCloses: str('pmRegisterCloses'),
		...(form.has('schoolDayEnds') ? { schoolDayEnds: str('schoolDayEnds') } : {}),
		pmRegisterByKeyStage: byKs,
		lessonsPerDay: str('lessonsPerDay') as unknown as number,
		leaveNoticeDays: str('leaveNoticeDays') as unknown as number,
		...(form.has('firstDayContactAt') ? { firstDayContactAt: str('firstDayContactAt') } : {}),
		languages: form.getAll('languages').map(String) as SettingsInput['languages'],
		phone: str('phone'),
		email: str('email')
	};
}
