import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { childAttendanceOverview, childrenOfGuardian } from '$lib/server/features/attendance';
import { yearGroupText } from '$lib/i18n-labels';
import { childFirstName, childDisplayName } from '$lib/domain/pupils';
import { signInThenBackTo } from '$lib/domain/return-to';

export const load: PageServerLoad = async ({ locals, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	const handle = locals.database;
	const children = await childrenOfGuardian(handle.db, guardian.id);
	const overviews = await Promise.all(children.map((c) => childAttendanceOverview(handle, guardian.id, c.pupilId)));
	return {
		children: children.map((c, i) => {
			const o = overviews[i];
			return {
				pupilId: c.pupilId,
				name: childDisplayName(c),
				firstName: childFirstName(c),
				schoolName: c.schoolName,
				year: yearGroupText(c.yearGroup),
				className: c.className,
				percentText: o?.percentText ?? '—',
				daysMissed: o?.daysMissed ?? 0,
				parentLabel: o?.parentLabel ?? null
			};
		})
	};
};
