/**
 * A parent's language choice: saved on their guardian record when they are signed in,
 * so bot replies and messages follow it too. The school's MIS import sets the first value.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { LOCALES, type Locale } from '../../../domain/locale';
import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db/engine';
import { guardians } from '../../platform/db/schema';

export const languageChoiceSchema = z.object({
	locale: z.enum(LOCALES),
	/** Where to go back to: a path on this site only (never another site). */
	returnTo: z
		.string()
		.regex(/^\/(?![/\\])[^\s]*$/)
		.max(500)
		.catch('/')
		.default('/')
});
export type LanguageChoice = z.infer<typeof languageChoiceSchema>;

/** Parses the chooser form; a missing or unknown language is an error, a bad return path becomes '/'. */
export function parseLanguageChoice(form: FormData): { ok: true; choice: LanguageChoice } | { ok: false } {
	const parsed = languageChoiceSchema.safeParse({
		locale: form.get('locale') ?? undefined,
		returnTo: form.get('returnTo') ?? undefined
	});
	return parsed.success ? { ok: true, choice: parsed.data } : { ok: false };
}

/** Saves the guardian's preferred language (for pages, texts, Telegram and notifications). */
export async function setGuardianLanguage(db: Db, guardianId: string, locale: Locale, ip: string | null = null): Promise<void> {
	const [row] = await db.update(guardians).set({ preferredLanguage: locale }).where(eq(guardians.id, guardianId)).returning({ id: guardians.id });
	if (!row) throw new Error('Guardian not found');
	await writeAudit(db, { actorType: 'guardian', actorId: guardianId, action: 'guardian.language_changed', details: { locale }, ip });
}
