import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { can } from '$lib/domain/permissions';
import { requirePermission } from '$lib/server/features/accounts';
import { firstDayContactTime, setFirstDayContactTime } from '$lib/server/features/school-day';
import { createMisApiToken, misApiTokenStatus, revokeMisApiToken, schoolSettings, settingsFromForm, updateSchoolSettings, KEY_STAGES } from '$lib/server/features/schools';
import { LOCALES, LOCALE_NAMES } from '$lib/domain/locale';
import { schoolVoiceNumber, setSchoolVoiceNumber } from '$lib/server/features/phone-line';
import { schoolMessaging, setSchoolMessaging } from '$lib/server/features/whatsapp';
import { firstDayContactProblemText, schoolProblemText } from '$lib/i18n-staff-problems';

/** Who may change how the school chases unexplained absences, and its register times. */

const formatTime = (d: Date | null, timeZone: string) =>
	d ? d.toLocaleString('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }) : null;

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requirePermission(locals, 'settings.manage');
	const handle = locals.database;
	const isHead = can(staff, 'mis-tokens.manage');
	const token = isHead ? await misApiTokenStatus(handle, staff.schoolId) : null;
	const school = (await schoolSettings(handle, staff.schoolId))!;
	return {
		firstDayContactAt: await firstDayContactTime(handle, staff.schoolId),
		voiceNumber: await schoolVoiceNumber(handle.db, staff.schoolId),
		messaging: await schoolMessaging(handle.db, staff.schoolId),
		school,
		keyStages: [...KEY_STAGES],
		languages: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
		misToken: token && { active: token.active, createdAt: formatTime(token.createdAt, school.timeZone), lastUsedAt: formatTime(token.lastUsedAt, school.timeZone) }
	};
};

export const actions: Actions = {
	firstDayContact: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'settings.manage');
		const form = await request.formData();
		const automatic = form.get('automatic') === 'yes';
		const time = String(form.get('time') ?? '').trim().slice(0, 10);
		const result = await setFirstDayContactTime(locals.database, {
			schoolId: staff.schoolId,
			staffUserId: staff.id,
			time: automatic ? time : null
		});
		if (!result.ok) return fail(400, { message: firstDayContactProblemText(result.problem), time, automatic });
		return { saved: true };
	},
	school: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'settings.manage');
		const form = await request.formData();
		const result = await updateSchoolSettings(locals.database, staff, staff.schoolId, settingsFromForm(form));
		if (!result.ok) {
			const errors = result.errors.map((e) => ({ field: e.field.replace(/^pmRegisterByKeyStage\.(\w+).*$/, 'pm_$1'), message: schoolProblemText(e) }));
			return fail(400, { schoolErrors: errors, values: Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v).slice(0, 300)])) });
		}
		return { schoolSaved: true };
	},
	/** The phone absence line's number (Twilio Voice): calls to it are answered for this school. */
	voiceNumber: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'settings.manage');
		const value = String((await request.formData()).get('voiceNumber') ?? '').slice(0, 40);
		const result = await setSchoolVoiceNumber(locals.database.db, staff, value);
		if (!result.ok) {
			return fail(400, {
				voiceNumberError: result.code === 'taken' ? 'Another school already uses this number for its phone line.' : 'Enter the phone line number, like 023 9200 0000 or +44 23 9200 0000.',
				voiceNumberValue: value
			});
		}
		return { voiceNumberSaved: true };
	},
	/** The school's own numbers for texts and WhatsApp, and whether families may choose WhatsApp. */
	messaging: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'settings.manage');
		const form = await request.formData();
		const values = {
			smsNumber: String(form.get('smsNumber') ?? '').slice(0, 40),
			whatsappNumber: String(form.get('whatsappNumber') ?? '').slice(0, 40),
			whatsappEnabled: form.get('whatsappEnabled') === 'yes'
		};
		const result = await setSchoolMessaging(locals.database.db, staff, values);
		if (!result.ok) {
			const what = result.field === 'smsNumber' ? 'the number families text' : 'the WhatsApp number';
			return fail(400, { messagingError: { field: result.field, message: `Enter ${what} like 023 9200 0000 or +44 23 9200 0000, or leave it empty.` }, messagingValues: values });
		}
		return { messagingSaved: true };
	},
	issueToken: async ({ locals }) => {
		const staff = requirePermission(locals, 'mis-tokens.manage');
		// Shown once, in this response only: it is stored hashed and cannot be shown again.
		return { newToken: await createMisApiToken(locals.database, staff.schoolId, staff.id) };
	},
	revokeToken: async ({ locals }) => {
		const staff = requirePermission(locals, 'mis-tokens.manage');
		await revokeMisApiToken(locals.database, staff.schoolId, staff.id);
		return { tokenRevoked: true };
	}
};
