import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { reportConfirmations } from '$lib/server/features/absence';
import { mayAskForMedicalEvidence, normaliseReference } from '$lib/domain/absence';
import { formatLongDate, joinNames } from '$lib/i18n';
import { academicYearOf, calendarPublishedFor } from '$lib/domain/calendar';
import { loadSchoolCalendar } from '$lib/server/features/school-day';
import { m } from '$lib/paraglide/messages';
import { ILLNESS_GUIDANCE_SOURCES } from '$lib/domain/signposting';
import { signpostsFor } from '$lib/server/features/support';
import { childFirstName } from '$lib/domain/pupils';
import { signInThenBackTo } from '$lib/domain/return-to';

export const load: PageServerLoad = async ({ locals, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	const refs = [
		...new Set(
			(url.searchParams.get('refs') ?? '')
				.split(',')
				.slice(0, 20)
				.map((r) => normaliseReference(r))
				.filter((r): r is string => r !== null)
		)
	];
	// The children already reported for that day: this sending was added to their earlier report.
	const again = new Set((url.searchParams.get('again') ?? '').split(',').slice(0, 20).map((r) => normaliseReference(r)));
	const handle = locals.database;
	const rows = await reportConfirmations(handle, guardian.id, refs);
	// Unknown is not closed: a report for a year whose dates are not published yet is kept, and said so.
	const calendars = new Map<string, Awaited<ReturnType<typeof loadSchoolCalendar>>>();
	for (const id of new Set(rows.map((r) => r.schoolId))) calendars.set(id, await loadSchoolCalendar(handle.db, id));
	const reports = rows.map((r) => {
			const firstName = childFirstName(r);
			let dates: string;
			if (r.endsOn === null) dates = m.dates_open_ended({ date: formatLongDate(r.startsOn) });
			else if (r.endsOn === r.startsOn) dates = formatLongDate(r.startsOn);
			else dates = m.dates_range({ from: formatLongDate(r.startsOn), to: formatLongDate(r.endsOn) });
			return {
				reference: r.reference,
				firstName,
				name: `${firstName} ${r.lastName}`,
				schoolName: r.schoolName,
				dates,
				late: r.late,
				alreadyReported: again.has(r.reference),
				notAbsent: r.partDay !== null && r.schoolDays === 0,
				unpublishedYear: calendarPublishedFor(calendars.get(r.schoolId)!, r.startsOn) ? null : academicYearOf(r.startsOn),
				medicalEvidence: mayAskForMedicalEvidence(r.reason, r.schoolDays, r.medicalEvidenceAfterDays),
				unwell: r.reason === 'illness' || r.reason === 'mental_health'
			};
		});
	// Support where it helps (docs/domain-rules.md §8): for illness and worries, and whatever the parent's words point to.
	const first = rows[0];
	const signposts = first
		? await signpostsFor(handle, {
				reason: first.reason,
				text: rows.map((r) => r.details).join(' '),
				schoolIds: [...new Set(rows.map((r) => r.schoolId))],
				guardianId: guardian.id
			})
		: null;
	const againNames = reports.filter((r) => r.alreadyReported).map((r) => r.firstName);
	return {
		reports,
		alreadyReported: againNames.length > 0 ? m.report_again_web({ children: joinNames(againNames) }) : null,
		support:
			signposts && (signposts.services.length > 0 || signposts.illness.length > 0)
				? {
						services: signposts.services,
						illness: signposts.illness.map((g) => ({ key: g.key, name: g.name, stayOff: g.stayOff, advice: g.advice })),
						sources: ILLNESS_GUIDANCE_SOURCES.map((x) => ({ ...x }))
					}
				: null
	};
};
