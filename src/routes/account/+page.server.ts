import { fail, redirect } from '@sveltejs/kit';
import { count, eq } from 'drizzle-orm';
import { takeLimit, tryAgainIn } from '$lib/server/platform/limits';
import type { Actions, PageServerLoad } from './$types';
import { env } from '$env/dynamic/private';
import { telegramAccounts } from '$lib/server/platform/db/schema';
import { deleteSessionCookie, invalidateAllSessions, invalidateSession } from '$lib/server/features/accounts';
import { createTelegramLinkToken, telegramStartLink } from '$lib/server/features/accounts';
import { displayIdentifier } from '$lib/server/features/accounts';
import { writeAudit } from '$lib/server/platform/audit';

const botUsername = () => env.TELEGRAM_BOT_USERNAME?.trim() || 'EveryDayDemoBot';

export const load: PageServerLoad = async ({ locals }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	const { db } = locals.database;
	const [linked] = await db
		.select({ n: count() })
		.from(telegramAccounts)
		.where(eq(telegramAccounts.guardianId, guardian.id));
	return {
		name: `${guardian.firstName} ${guardian.lastName}`,
		phone: guardian.phone ? displayIdentifier(guardian.phone) : null,
		email: guardian.email,
		telegramLinked: Number(linked?.n ?? 0) > 0,
		botUsername: botUsername(),
		locale: locals.locale
	};
};

export const actions: Actions = {
	signOut: async ({ locals, cookies, url, getClientAddress }) => {
		const { db } = locals.database;
		if (locals.sessionId) await invalidateSession(db, locals.sessionId);
		if (locals.guardian) {
			await writeAudit(db, { actorType: 'guardian', actorId: locals.guardian.id, action: 'guardian.sign_out', ip: getClientAddress() });
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	},
	signOutEverywhere: async ({ locals, cookies, url, getClientAddress }) => {
		const { db } = locals.database;
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
		const { db } = locals.database;
		const limit = await takeLimit(db, 'telegramLinkCodesPerGuardian', guardian.id);
		if (!limit.allowed) {
			return fail(429, { telegramMessage: `You have made a lot of Telegram links in the last hour. ${tryAgainIn(limit.retryAfterSeconds)}` });
		}
		const { token, expiresAt } = await createTelegramLinkToken(db, guardian.id);
		return { telegramLink: telegramStartLink(botUsername(), token), expiresAt: expiresAt.toISOString() };
	}
};
