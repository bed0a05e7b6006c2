/** The school's escalation policy and its edited letter templates: read (the default preset when unset) and saved by the attendance lead. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ATTENDANCE_CADENCES, PRESETS, PRESET_KEYS, policyOrDefault, policyProblems, type GraduatedPolicy, type PolicyProblem, type PresetKey } from '../../../domain/graduated-response';
import { toneProblems, type LetterTemplate, type TemplateOverrides, type ToneProblem } from '../../../domain/graduated-letters';
import { LETTER_STEPS } from '../../../domain/graduated-response';
import { can } from '../../../domain/permissions';
import type { Db } from '../../platform/db/engine';
import { graduatedPolicies } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';

export interface SchoolPolicy {
	policy: GraduatedPolicy;
	templates: TemplateOverrides;
	/** False while the school runs on the default preset without having chosen. */
	chosen: boolean;
}

export async function schoolGraduatedPolicy(db: Db, schoolId: string): Promise<SchoolPolicy> {
	const [row] = await db.select().from(graduatedPolicies).where(eq(graduatedPolicies.schoolId, schoolId));
	return { policy: policyOrDefault(row?.policy), templates: (row?.templates ?? {}) as TemplateOverrides, chosen: Boolean(row) };
}

const withoutNul = z.string().transform((t) => t.replaceAll('\u0000', ''));

/** The settings form: a preset, then what the school changes in it. */
export const policyInputSchema = z.object({
	preset: z.enum(PRESET_KEYS as unknown as [PresetKey, ...PresetKey[]]),
	cadence: z.enum(ATTENDANCE_CADENCES),
	/** Each band's lower bound by band key (the preset's bands, their percentages edited). */
	bandPercents: z.record(z.string(), z.coerce.number().min(0).max(100)).default({}),
	reviewTarget: z.coerce.number().min(1).max(100).optional(),
	latesInWeek: z.coerce.number().int().min(1).max(10).optional()
});
export type PolicyInput = z.input<typeof policyInputSchema>;

export type SavePolicyResult = { ok: true } | { ok: false; problems: PolicyProblem[] } | { ok: false; forbidden: true };

/** Builds the policy from a preset and the school's changes, checks it and saves it. */
export async function saveGraduatedPolicy(db: Db, staff: { id: string; role: string }, schoolId: string, input: PolicyInput): Promise<SavePolicyResult> {
	if (!can(staff, 'graduated.manage')) return { ok: false, forbidden: true };
	const v = policyInputSchema.parse(input);
	const base = PRESETS[v.preset];
	const policy: GraduatedPolicy = {
		...base,
		cadence: v.cadence,
		bands: base.bands.map((b, i) => (i < base.bands.length - 1 && v.bandPercents[b.key] !== undefined ? { ...b, from: { ...b.from, percent: v.bandPercents[b.key]! } } : b)),
		review: { ...base.review, targetPercent: v.reviewTarget ?? base.review.targetPercent },
		lateness: base.lateness ? { ...base.lateness, latesInWeek: v.latesInWeek ?? base.lateness.latesInWeek } : null
	};
	const edited = JSON.stringify(policy) !== JSON.stringify(base);
	if (edited) policy.preset = 'custom';
	const problems = policyProblems(policy);
	if (problems.length) return { ok: false, problems };
	// Keep which preset it came from, so the form shows it again.
	const stored = { ...policy, basedOn: v.preset };
	await db
		.insert(graduatedPolicies)
		.values({ schoolId, policy: stored, updatedBy: staff.id })
		.onConflictDoUpdate({ target: graduatedPolicies.schoolId, set: { policy: stored, updatedBy: staff.id, updatedAt: new Date() } });
	await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'graduated.policy_saved', schoolId, subjectType: 'school', subjectId: schoolId, details: { preset: v.preset, custom: edited } });
	return { ok: true };
}

const templateSchema = z.object({
	title: withoutNul.pipe(z.string().trim().min(3).max(120)),
	paragraphs: z.array(withoutNul.pipe(z.string().trim().max(1200))).transform((ps) => ps.filter((p) => p.length > 0)).pipe(z.array(z.string()).min(1).max(8))
});

export type SaveTemplateResult = { ok: true } | { ok: false; tone: ToneProblem[] } | { ok: false; invalid: true } | { ok: false; forbidden: true };

/**
 * Saves the school's English version of one letter, after the tone checklist: a template that
 * fails it is not saved (the problems say what to change). `reset` goes back to the default.
 */
export async function saveLetterTemplate(db: Db, staff: { id: string; role: string }, schoolId: string, step: string, input: { title: string; paragraphs: string[] } | 'reset'): Promise<SaveTemplateResult> {
	if (!can(staff, 'graduated.manage')) return { ok: false, forbidden: true };
	const letterStep = LETTER_STEPS.find((s) => s === step);
	if (!letterStep) return { ok: false, invalid: true };
	const current = await schoolGraduatedPolicy(db, schoolId);
	const templates: Record<string, LetterTemplate> = { ...current.templates };
	if (input === 'reset') delete templates[letterStep];
	else {
		const parsed = templateSchema.safeParse(input);
		if (!parsed.success) return { ok: false, invalid: true };
		const tone = toneProblems(letterStep, parsed.data);
		if (tone.length) return { ok: false, tone };
		templates[letterStep] = parsed.data;
	}
	const plain = templates as Record<string, { title: string; paragraphs: string[] }>;
	await db
		.insert(graduatedPolicies)
		.values({ schoolId, policy: current.policy as unknown as Record<string, unknown>, templates: plain, updatedBy: staff.id })
		.onConflictDoUpdate({ target: graduatedPolicies.schoolId, set: { templates: plain, updatedBy: staff.id, updatedAt: new Date() } });
	await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'graduated.template_saved', schoolId, subjectType: 'school', subjectId: schoolId, details: { step: letterStep, reset: input === 'reset' } });
	return { ok: true };
}
