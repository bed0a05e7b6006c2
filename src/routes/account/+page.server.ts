import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	deleteSessionCookie,
	displayIdentifier,
	hasLinkedTelegram,
	signOutGuardian,
	signOutGuardianEverywhere,
	startTelegramLink,
	telegramBotUsername,
	telegramStartLink
} from '$lib/server/features/accounts';
import { waitText } from '$lib/i18n-problems';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { contactRequestsOfGuardian, requestContactChange } from '$lib/server/features/schools';
import { LOCALES, LOCALE_NAMES } from '$lib/domain/locale';
import { signInThenBackTo } from '$lib/domain/return-to';
import { guardianNotices } from '$lib/server/features/local-authority';
import { contactChoices, setPreferredChannel } from '$lib/server/features/whatsapp';

export const load: PageServerLoad = async ({ locals, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	const waiting = (await contactRequestsOfGuardian(locals.database, guardian.id)).find((r) => r.status === 'open');
	return {
		contactRequestWaitingSince: waiting ? waiting.createdAt.toISOString().slice(0, 10) : null,
		languages: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
		name: `${guardian.firstName} ${guardian.lastName}`,
		phone: guardian.phone ? displayIdentifier(guardian.phone) : null,
		email: guardian.email,
		telegramLinked: await hasLinkedTelegram(locals.database.db, guardian.id),
		notices: (await guardianNotices(locals.database, guardian.id)).map((n) => ({ reference: n.reference, kind: n.kind, name: n.pupilFirstName })),
		contact: await contactChoices(locals.database.db, guardian.id),
		botUsername: telegramBotUsername(),
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
		const result = await requestContactChange(locals.database, guardian.id, values);
		if (!result.ok) return fail(400, { changeError: result.code, changeField: result.field, changeValues: values });
		return { changeSent: true };
	},
	/** How the school contacts the parent: one of the channels they can be reached on. */
	contactChannel: async ({ locals, request }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, '/sign-in');
		const channel = String((await request.formData()).get('channel') ?? '').slice(0, 20);
		if (!(await setPreferredChannel(locals.database.db, guardian.id, channel))) return fail(400, { channelError: true });
		return { channelSaved: true };
	},
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
			return fail(429, { telegramMessage: m.account_telegram_too_many_links({ wait: waitText(link.retryAfterSeconds, { locale: getLocale() }) }) });
		}
		return { telegramLink: telegramStartLink(telegramBotUsername(), link.token), expiresAt: link.expiresAt.toISOString() };
	}
};
