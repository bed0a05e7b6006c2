import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { applyRoster, parseRosterCsv, previewRoster, recentRosterImports, MAX_ROSTER_BYTES, type RosterPlan } from '$lib/server/features/register-import';
import { contactRequestsForSchool, schoolToday } from '$lib/server/features/schools';
import { displayIdentifier } from '$lib/server/features/accounts';
import { rosterErrorMessages } from '$lib/i18n-staff-problems';

const LIST_LIMIT = 100;

async function fileText(form: FormData, file: string, hidden: string): Promise<string> {
	const f = form.get(file);
	if (f instanceof File && f.size > 0) return f.size > MAX_ROSTER_BYTES ? '' : await f.text();
	const h = form.get(hidden);
	return typeof h === 'string' ? h : '';
}

/** The plan with its lists capped, for the page. */
function view(plan: RosterPlan) {
	const cap = <T>(l: T[]) => ({ items: l.slice(0, LIST_LIMIT), more: Math.max(0, l.length - LIST_LIMIT) });
	return {
		pupilsAdded: cap(plan.pupilsAdded),
		pupilsUpdated: cap(plan.pupilsUpdated),
		pupilsLeft: cap(plan.pupilsLeft),
		pupilsRejoined: cap(plan.pupilsRejoined),
		pupilsUnchanged: plan.pupilsUnchanged,
		guardiansAdded: cap(plan.guardiansAdded),
		guardiansUpdated: cap(plan.guardiansUpdated),
		guardiansMatched: cap(plan.guardiansMatched),
		linksAdded: plan.linksAdded,
		linksChanged: plan.linksChanged,
		linksRemoved: plan.linksRemoved
	};
}

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const [imports, requests] = await Promise.all([recentRosterImports(handle, staff.schoolId), contactRequestsForSchool(handle, staff.schoolId)]);
	return {
		imports: imports.map((i) => ({ id: i.id, status: i.status, finishedAt: i.finishedAt.toISOString().slice(0, 16).replace('T', ' '), summary: i.summary, errorCount: i.errors.length, source: i.source })),
		requests: requests.map((r) => ({
			id: r.id,
			name: `${r.firstName} ${r.lastName}`,
			status: r.status,
			asked: [r.phone && `phone ${displayIdentifier(r.phone)}`, r.email && `email ${r.email}`, r.preferredLanguage && `language ${r.preferredLanguage}`].filter(Boolean).join(', '),
			createdAt: r.createdAt.toISOString().slice(0, 10)
		}))
	};
};

export const actions: Actions = {
	preview: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const pupils = await fileText(form, 'pupils', 'pupilsCsv');
		const guardians = await fileText(form, 'guardians', 'guardiansCsv');
		if (!pupils || !guardians) return fail(400, { missing: !pupils ? 'pupils' : 'guardians' });
		const roster = parseRosterCsv({ pupils, guardians });
		const plan = await previewRoster(locals.database, staff.schoolId, roster, await schoolToday(locals.database.db, staff.schoolId));
		if (plan.errors.length) return fail(422, { errors: rosterErrorMessages(plan.errors.slice(0, 500)), errorCount: plan.errors.length });
		return { preview: view(plan), pupilsCsv: pupils, guardiansCsv: guardians };
	},
	apply: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const pupils = await fileText(form, 'pupils', 'pupilsCsv');
		const guardians = await fileText(form, 'guardians', 'guardiansCsv');
		if (!pupils || !guardians) return fail(400, { missing: !pupils ? 'pupils' : 'guardians' });
		const result = await applyRoster(locals.database, {
			schoolId: staff.schoolId,
			roster: parseRosterCsv({ pupils, guardians }),
			today: await schoolToday(locals.database.db, staff.schoolId),
			importedBy: staff.id,
			actorType: 'staff',
			source: 'csv_import'
		});
		if (result.status === 'rejected') return fail(422, { errors: rosterErrorMessages(result.errors.slice(0, 500)), errorCount: result.errors.length });
		return { applied: result.summary };
	}
};
