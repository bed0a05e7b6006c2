import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { env } from '$env/dynamic/private';
import {
	deleteSessionCookie,
	displayIdentifier,
	hasLinkedTelegram,
	signOutGuardian,
	signOutGuardianEverywhere,
	startTelegramLink,
	telegramStartLink
} from '$lib/server/features/accounts';
import { tryAgainIn } from '$lib/domain/retry';

const botUsername = () => env.TELEGRAM_BOT_USERNAME?.trim() || 'EveryDayDemoBot';

export const load: PageServerLoad = async ({ locals }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	return {
		name: `${guardian.firstName} ${guardian.lastName}`,
		phone: guardian.phone ? displayIdentifier(guardian.phone) : null,
		email: guardian.email,
		telegramLinked: await hasLinkedTelegram(locals.database.db, guardian.id),
		botUsername: botUsername(),
		locale: locals.locale
	};
};

export const actions: Actions = {
	signOut: async ({ locals, cookies, url, getClientAddress }) => {
		await signOutGuardian(locals.database.db, { sessionId: locals.sessionId, guardianId: locals.guardian?.id ?? null, ip: getClientAddress() });
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	},
	signOutEverywhere: async ({ locals, cookies, url, getClientAddress }) => {
		if (locals.guardian) await signOutGuardianEverywhere(locals.database.db, locals.guardian.id, getClientAddress());
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	},
	linkTelegram: async ({ locals }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, '/sign-in');
		const link = await startTelegramLink(locals.database.db, guardian.id);
		if (!link.ok) {
			return fail(429, { telegramMessage: `You have made a lot of Telegram links in the last hour. ${tryAgainIn(link.retryAfterSeconds)}` });
		}
		return { telegramLink: telegramStartLink(botUsername(), link.token), expiresAt: link.expiresAt.toISOString() };
	}
};
