/** How a parent's absence report reads on their pages: plain words, no codes. */
import { ABSENCE_REASON_LABELS, longDate } from '../domain/absence';
import type { GuardianReport } from './absence-reports';

const STATUS_FOR_PARENTS = {
	open: 'Sent to the school',
	acknowledged: 'Seen by the school',
	withdrawn: 'Withdrawn'
} as const;

export function reportDates(r: Pick<GuardianReport, 'startsOn' | 'endsOn' | 'coversThrough'>): string {
	if (r.endsOn === null) {
		return r.coversThrough === r.startsOn
			? `From ${longDate(r.startsOn)}, until you tell us they are back`
			: `From ${longDate(r.startsOn)} (reported off up to ${longDate(r.coversThrough)}), until you tell us they are back`;
	}
	return r.endsOn === r.startsOn ? longDate(r.startsOn) : `${longDate(r.startsOn)} to ${longDate(r.endsOn)}`;
}

export function describeReport(r: GuardianReport) {
	return {
		reportId: r.reportId,
		reference: r.reference,
		childName: r.childName,
		schoolName: r.schoolName,
		reason: r.reason,
		reasonLabel: ABSENCE_REASON_LABELS[r.reason],
		details: r.details,
		dates: reportDates(r),
		openEnded: r.endsOn === null && r.status !== 'withdrawn',
		status: r.status,
		statusLabel: STATUS_FOR_PARENTS[r.status],
		late: r.late
	};
}
