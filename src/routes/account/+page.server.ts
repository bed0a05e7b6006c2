import { fail, redirect } from '@sveltejs/kit';
import { count, eq } from 'drizzle-orm';
import { takeLimit, tryAgainIn } from '$lib/server/auth/limits';
import type { Actions, PageServerLoad } from './$types';
import { env } from '$env/dynamic/private';
import { getDatabase } from '$lib/server/db';
import { telegramAccounts } from '$lib/server/db/schema';
import { deleteSessionCookie, invalidateAllSessions, invalidateSession } from '$lib/server/auth/sessions';
import { createTelegramLinkToken, telegramStartLink } from '$lib/server/telegram-linking';
import { displayIdentifier } from '$lib/server/identifiers';
import { writeAudit } from '$lib/server/audit';
import { contactRequestsOfGuardian, requestContactChange } from '$lib/server/features/schools';
import { LOCALES, LOCALE_NAMES } from '$lib/domain/locale';

const botUsername = () => env.TELEGRAM_BOT_USERNAME?.trim() || 'EveryDayDemoBot';

export const load: PageServerLoad = async ({ locals }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	const { db } = await getDatabase();
	const [linked] = await db
		.select({ n: count() })
		.from(telegramAccounts)
		.where(eq(telegramAccounts.guardianId, guardian.id));
	const waiting = (await contactRequestsOfGuardian(await getDatabase(), guardian.id)).find((r) => r.status === 'open');
	return {
		contactRequestWaitingSince: waiting ? waiting.createdAt.toISOString().slice(0, 10) : null,
		languages: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
		name: `${guardian.firstName} ${guardian.lastName}`,
		phone: guardian.phone ? displayIdentifier(guardian.phone) : null,
		email: guardian.email,
		telegramLinked: Number(linked?.n ?? 0) > 0,
		botUsername: botUsername(),
		locale: locals.locale
	};
};

export const actions: Actions = {
	changeDetails: async ({ locals, request }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, '/sign-in');
		const form = await request.formData();
		const values = {
			phone: String(form.get('newPhone') ?? '').trim().slice(0, 30),
			email: String(form.get('newEmail') ?? '').trim().slice(0, 254),
			preferredLanguage: String(form.get('newLanguage') ?? '').trim().slice(0, 10)
		};
		const result = await requestContactChange(await getDatabase(), guardian.id, values);
		if (!result.ok) return fail(400, { changeError: result.code, changeField: result.field, changeValues: values });
		return { changeSent: true };
	},
	signOut: async ({ locals, cookies, url, getClientAddress }) => {
		const { db } = await getDatabase();
		if (locals.sessionId) await invalidateSession(db, locals.sessionId);
		if (locals.guardian) {
			await writeAudit(db, { actorType: 'guardian', actorId: locals.guardian.id, action: 'guardian.sign_out', ip: getClientAddress() });
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	},
	signOutEverywhere: async ({ locals, cookies, url, getClientAddress }) => {
		const { db } = await getDatabase();
		if (locals.guardian) {
			await invalidateAllSessions(db, { kind: 'guardian', guardianId: locals.guardian.id });
			await writeAudit(db, {
				actorType: 'guardian',
				actorId: locals.guardian.id,
				action: 'guardian.sign_out_everywhere',
				ip: getClientAddress()
			});
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	},
	linkTelegram: async ({ locals }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, '/sign-in');
		const { db } = await getDatabase();
		const limit = await takeLimit(db, 'telegramLinkCodesPerGuardian', guardian.id);
		if (!limit.allowed) {
			return fail(429, { telegramMessage: `You have made a lot of Telegram links in the last hour. ${tryAgainIn(limit.retryAfterSeconds)}` });
		}
		const { token, expiresAt } = await createTelegramLinkToken(db, guardian.id);
		return { telegramLink: telegramStartLink(botUsername(), token), expiresAt: expiresAt.toISOString() };
	}
};
