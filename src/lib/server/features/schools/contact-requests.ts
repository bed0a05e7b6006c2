/**
 * A parent asks the school to change their phone, email or preferred language. The MIS stays
 * the record of who to contact, so the request goes to each school the parent has a child at;
 * the school updates its MIS, and the next roster import that carries the new details marks the
 * request confirmed (register-import/roster).
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseHandle } from '../../platform/db/engine';
import { contactChangeRequests, guardians, pupilGuardians, pupils } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { normalisePhone } from '../accounts';
import { LOCALES } from '../../../domain/locale';

const requestSchema = z
	.object({
		phone: z.string().trim().max(30).optional(),
		email: z.union([z.email().max(254), z.literal('')]).optional(),
		preferredLanguage: z.union([z.enum(LOCALES), z.literal('')]).optional()
	})
	.transform((v) => ({ phone: v.phone ? normalisePhone(v.phone) ?? 'bad' : null, email: v.email ? v.email.toLowerCase() : null, preferredLanguage: v.preferredLanguage || null }));

export type ContactRequestResult =
	| { ok: true; schools: number }
	| { ok: false; field: string; code: 'empty' | 'phone' | 'email' | 'no_school' };

export async function requestContactChange(
	handle: DatabaseHandle,
	guardianId: string,
	input: { phone?: string; email?: string; preferredLanguage?: string }
): Promise<ContactRequestResult> {
	const parsed = requestSchema.safeParse(input);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? 'email');
		return { ok: false, field, code: field === 'phone' ? 'phone' : 'email' };
	}
	const v = parsed.data;
	if (v.phone === 'bad') return { ok: false, field: 'phone', code: 'phone' };
	if (!v.phone && !v.email && !v.preferredLanguage) return { ok: false, field: 'phone', code: 'empty' };
	const schoolIds = [
		...new Set(
			(
				await handle.db
					.select({ schoolId: pupils.schoolId })
					.from(pupilGuardians)
					.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
					.where(and(eq(pupilGuardians.guardianId, guardianId), isNull(pupils.leftOn)))
			).map((r) => r.schoolId)
		)
	];
	if (schoolIds.length === 0) return { ok: false, field: 'phone', code: 'no_school' };
	await handle.db.transaction(async (tx) => {
		for (const schoolId of schoolIds) {
			// A new request replaces one still waiting at the same school.
			await tx
				.update(contactChangeRequests)
				.set({ status: 'withdrawn', resolvedAt: new Date() })
				.where(and(eq(contactChangeRequests.guardianId, guardianId), eq(contactChangeRequests.schoolId, schoolId), eq(contactChangeRequests.status, 'open')));
			const [row] = await tx.insert(contactChangeRequests).values({ guardianId, schoolId, phone: v.phone, email: v.email, preferredLanguage: v.preferredLanguage }).returning({ id: contactChangeRequests.id });
			await writeAudit(tx, { actorType: 'guardian', actorId: guardianId, action: 'guardian.contact_change_requested', schoolId, subjectType: 'contact_change_request', subjectId: row!.id });
		}
	});
	return { ok: true, schools: schoolIds.length };
}

/** The school's view: open and recently confirmed requests, with who asked. */
export async function contactRequestsForSchool(handle: DatabaseHandle, schoolId: string) {
	return handle.db
		.select({
			id: contactChangeRequests.id,
			status: contactChangeRequests.status,
			phone: contactChangeRequests.phone,
			email: contactChangeRequests.email,
			preferredLanguage: contactChangeRequests.preferredLanguage,
			createdAt: contactChangeRequests.createdAt,
			resolvedAt: contactChangeRequests.resolvedAt,
			firstName: guardians.firstName,
			lastName: guardians.lastName,
			currentPhone: guardians.phone,
			currentEmail: guardians.email,
			currentLanguage: guardians.preferredLanguage
		})
		.from(contactChangeRequests)
		.innerJoin(guardians, eq(guardians.id, contactChangeRequests.guardianId))
		.where(eq(contactChangeRequests.schoolId, schoolId))
		.orderBy(desc(contactChangeRequests.createdAt))
		.limit(200);
}

/** The parent's own requests (to show "waiting for the school"). */
export async function contactRequestsOfGuardian(handle: DatabaseHandle, guardianId: string) {
	return handle.db
		.select({ id: contactChangeRequests.id, status: contactChangeRequests.status, phone: contactChangeRequests.phone, email: contactChangeRequests.email, preferredLanguage: contactChangeRequests.preferredLanguage, createdAt: contactChangeRequests.createdAt })
		.from(contactChangeRequests)
		.where(eq(contactChangeRequests.guardianId, guardianId))
		.orderBy(desc(contactChangeRequests.createdAt))
		.limit(20);
}
