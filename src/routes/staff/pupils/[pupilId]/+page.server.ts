import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { can, requireSchoolStaff, staffCanSeePupil } from '$lib/server/features/accounts';
import { latestReferralForPupil } from '$lib/server/features/local-authority';
import { REFERRAL_STATUS_LABELS } from '$lib/i18n-la';
import { staffPupilFigures } from '$lib/server/features/attendance';
import { meetingsForPupil, plansForPupil, pupilRecord } from '$lib/server/features/graduated-response';
import { MEETING_STATUS_LABELS } from '$lib/domain/graduated-meetings';
import { childDisplayName, yearGroupLabel } from '$lib/domain/pupils';
import {
	attendancePercent,
	BAND_INFO,
	bandFor,
	daysFromSessions,
	formatDays,
	formatPercent,
	isPersistentAbsence,
	isSevereAbsence,
	missedSessions
} from '$lib/domain/attendance';
import { CODE_MEANINGS, type AttendanceCode } from '$lib/domain/codes';

/** "Changed from N to I by J. Smith (Attendance officer)": who and what role, as far as the MIS said. */
function amendmentWords(a: { previousCode: string; newCode: string; byName: string | null; byRole: string | null }): string {
	const who = a.byName ? ` by ${a.byName}${a.byRole ? ` (${a.byRole})` : ''}` : a.byRole ? ` by the ${a.byRole.toLowerCase()}` : '';
	return `Changed from ${a.previousCode} to ${a.newCode}${who}`;
}

/** One pupil's figures. A pupil of another school is "not found" (404), so ids reveal nothing. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	if (!(await staffCanSeePupil(handle.db, staff, params.pupilId))) error(404, 'Page not found');

	const figures = await staffPupilFigures(handle, staff.schoolId, params.pupilId, staff.id);
	if (!figures) error(404, 'Page not found');
	const { pupil, range, tally, markNotes } = figures;
	const { from, to } = range;
	const band = bandFor(tally.attended, tally.possible);
	const referral = await latestReferralForPupil(handle, staff, pupil.id);
	const record = await pupilRecord(handle, params.pupilId);
	const missed = missedSessions(tally);
	const canManage = can(staff, 'graduated.manage');
	const plans = await plansForPupil(handle.db, pupil.id);
	const activePlan = plans.find((p) => p.status === 'active');

	return {
		localAuthority: {
			canRefer: can(staff, 'la.refer'),
			referral: referral ? { id: referral.id, reference: referral.reference, status: REFERRAL_STATUS_LABELS[referral.status] } : null
		},
		plans: {
			canManage: can(staff, 'graduated.manage'),
			active: activePlan ? { id: activePlan.id, reviewOn: activePlan.reviewOn } : null,
			past: plans.filter((p) => p.status !== 'active').map((p) => ({ id: p.id, reviewedAt: p.reviewedAt?.toISOString().slice(0, 10) ?? '', improved: p.status === 'improved' }))
		},
		record: record && {
			stageLabel: record.stageLabel,
			nextStep: record.nextStep,
			halfTerms: record.halfTerms,
			events: record.events.map((e, i) => ({
				key: `${i}`,
				date: e.at.toISOString().slice(0, 10),
				kind: e.kind,
				title: e.title,
				detail: e.detail,
				href:
					e.kind === 'letter' && e.ref
						? `/staff/graduated/letters/${e.ref}`
						: e.kind === 'meeting' && e.ref && canManage
							? `/staff/graduated/meetings/${e.ref}`
							: (e.kind === 'plan' || e.kind === 'review') && e.ref && canManage
								? `/staff/graduated/plans/${e.ref}`
								: null
			}))
		},
		meetings: {
			canManage,
			list: canManage
				? (await meetingsForPupil(handle.db, staff.schoolId, pupil.id)).map((mt) => ({ id: mt.id, status: mt.status, statusLabel: MEETING_STATUS_LABELS[mt.status], when: mt.date ? `${mt.date} ${mt.time}` : 'Time to be agreed' }))
				: []
		},
		pupil: {
			id: pupil.id,
			name: childDisplayName(pupil),
			misId: pupil.misId,
			yearGroup: yearGroupLabel(pupil.yearGroup),
			className: pupil.className
		},
		range: { from, to },
		figures: {
			percent: formatPercent(attendancePercent(tally.attended, tally.possible)),
			band,
			bandLabel: band ? BAND_INFO[band].staffLabel : 'No sessions yet',
			staffNextSteps: band ? BAND_INFO[band].staffNextSteps : [],
			possible: tally.possible,
			attended: tally.attended,
			authorised: tally.authorisedAbsence,
			unauthorised: tally.unauthorisedAbsence,
			missedDays: formatDays(daysFromSessions(missed)),
			lateBeforeClose: tally.lateBeforeClose,
			lateAfterClose: tally.lateAfterClose,
			minutesLate: tally.minutesLate,
			persistent: isPersistentAbsence(tally),
			severe: isSevereAbsence(tally)
		},
		// Each changed or described mark, with who changed it and why it is what it is.
		markNotes: markNotes.map((n) => ({
			key: `${n.date}-${n.session}`,
			date: n.date,
			session: n.session,
			code: n.code,
			meaning: CODE_MEANINGS[n.code as AttendanceCode]?.staff ?? '',
			detail: n.codeDetail,
			changes: n.amendments.map(amendmentWords)
		})),
		codes: Object.entries(tally.byCode)
			.filter(([, n]) => (n ?? 0) > 0)
			.map(([code, n]) => ({ code, n: n ?? 0, meaning: CODE_MEANINGS[code as AttendanceCode]?.staff ?? '' }))
	};
};
