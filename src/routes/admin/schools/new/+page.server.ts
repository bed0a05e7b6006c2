import { DEFAULT_TIME_ZONE } from '$lib/domain/calendar';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { configuredOrigin, requireStaff, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';
import { createSchool, settingsFromForm, PHASE_LABELS, SCHOOL_PHASES, KEY_STAGES } from '$lib/server/features/schools';
import { LOCALES, LOCALE_NAMES } from '$lib/domain/locale';
import { schoolProblemText } from '$lib/i18n-staff-problems';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, ['la_admin']);
	return {
		staffUser: { displayName: staff.displayName, roleLabel: STAFF_ROLE_LABELS[staff.role], schoolName: null },
		phases: SCHOOL_PHASES.map((p) => ({ value: p, label: PHASE_LABELS[p] })),
		keyStages: [...KEY_STAGES],
		languages: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))
	};
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const staff = requireStaff(locals, ['la_admin']);
		const form = await request.formData();
		const str = (k: string) => String(form.get(k) ?? '').trim();
		const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v).slice(0, 300)]));
		const result = await createSchool(
			locals.database,
			staff,
			{
				name: str('name'),
				urn: str('urn'),
				phase: str('phase') as never,
				timeZone: str('timeZone') || DEFAULT_TIME_ZONE,
				settings: settingsFromForm(form),
				firstStaff: { displayName: str('staffName'), email: str('staffEmail'), role: (str('staffRole') || 'headteacher') as 'headteacher' }
			},
			{ origin: configuredOrigin() ?? url.origin }
		);
		if (!result.ok) {
			const errors = result.errors.map((e) => ({ field: e.field.replace('firstStaff.displayName', 'staffName').replace('firstStaff.email', 'staffEmail').replace('firstStaff.role', 'staffRole').replace(/^pmRegisterByKeyStage\.(\w+).*$/, 'pm_$1'), message: schoolProblemText(e) }));
			return fail(400, { errors, values, languages: form.getAll('languages').map(String) });
		}
		redirect(303, `/admin?added=${encodeURIComponent(result.school.slug)}`);
	}
};
