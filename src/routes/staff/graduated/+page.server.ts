import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { confirmMonitoringPoint, openMeetingsForSchool, previewMonitoringPoint, pupilsAwaitingPlan, reviewsDue, schoolMonitoringPoints, type DuePupil } from '$lib/server/features/graduated-response';
import { MEETING_STATUS_LABELS } from '$lib/domain/graduated-meetings';
import { SKIP_REASONS, SKIP_REASON_LABELS, type SkipReason } from '$lib/domain/graduated-response';
import { attendancePercent, daysFromSessions, formatDays, formatPercent } from '$lib/domain/attendance';

const days = (attended: number, possible: number) => formatDays(daysFromSessions(possible - attended));

function row(p: DuePupil) {
	return {
		pupilId: p.pupilId,
		name: p.name,
		className: p.className,
		periodMissed: days(p.period.attended, p.period.possible),
		periodPercent: formatPercent(attendancePercent(p.period.attended, p.period.possible)),
		yearMissed: days(p.year.attended, p.year.possible),
		yearPercent: formatPercent(attendancePercent(p.year.attended, p.year.possible)),
		lates: p.period.lates,
		minutesLate: p.period.minutesLate,
		trend: p.trendTenths === null ? 'No earlier period' : p.trendTenths === 0 ? 'No change' : `${p.trendTenths > 0 ? 'Up' : 'Down'} ${(Math.abs(p.trendTenths) / 10).toFixed(1)} points`,
		history: p.history.map((h) => `${h.pointLabel}: ${h.status === 'skipped' ? 'skipped ' : ''}${h.label}`)
	};
}

/** The monitoring page: pick a point, see who is due which step, skip with a reason, confirm. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	const points = await schoolMonitoringPoints(locals.database, staff.schoolId);
	const key = url.searchParams.get('point');
	const preview = key ? await previewMonitoringPoint(locals.database, staff.schoolId, key) : null;
	if (key && !preview) error(404, 'Page not found');
	const done = url.searchParams.get('done');
	return {
		reviewsDue: key ? [] : await reviewsDue(locals.database.db, staff.schoolId),
		awaitingPlan: key ? [] : await pupilsAwaitingPlan(locals.database, staff.schoolId),
		policyName: points.policy.name,
		attendancePoints: points.attendance.map((p) => ({ key: p.key, label: p.label, from: p.from, to: p.to })),
		latenessPoints: points.lateness.map((p) => ({ key: p.key, label: p.label, from: p.from, to: p.to })),
		preview: preview
			? {
					point: preview.point,
					recorded: preview.recorded,
					groups: preview.groups.map((g) => ({ step: g.step, label: g.label, owner: g.owner, letter: g.letter, pupils: g.pupils.map(row) }))
				}
			: null,
		done: done ? (done.split(',').map(Number) as [number, number, number, number]) : null,
		skipReasons: SKIP_REASONS.map((r) => ({ value: r, label: SKIP_REASON_LABELS[r] })),
		// Meetings not yet held: those to arrange (a meeting step was confirmed) first, then by time.
		meetings: preview
			? []
			: (await openMeetingsForSchool(locals.database.db, staff.schoolId)).map((mt) => ({
					id: mt.id,
					pupilId: mt.pupilId,
					pupilName: mt.pupilName,
					status: mt.status,
					statusLabel: MEETING_STATUS_LABELS[mt.status],
					when: mt.date ? `${mt.date} ${mt.time}` : null
				}))
	};
};

export const actions: Actions = {
	confirm: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const pointKey = String(form.get('point') ?? '').slice(0, 120);
		const skips: { pupilId: string; reason: SkipReason; note: string }[] = [];
		for (const [name, value] of form.entries()) {
			const m = /^skip-([0-9a-f-]{36})$/.exec(name);
			const reason = String(value);
			if (!m || !(SKIP_REASONS as readonly string[]).includes(reason)) continue;
			skips.push({ pupilId: m[1]!, reason: reason as SkipReason, note: String(form.get(`note-${m[1]}`) ?? '').slice(0, 300) });
		}
		const result = await confirmMonitoringPoint(locals.database, staff, staff.schoolId, { pointKey, skips });
		if (!result) return fail(400, { error: 'That monitoring point cannot be run.' });
		redirect(303, `/staff/graduated?point=${encodeURIComponent(pointKey)}&done=${result.taken},${result.skipped},${result.letters},${result.toPrint}`);
	}
};
