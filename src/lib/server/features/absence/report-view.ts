/** How a parent's absence report reads on their pages: plain words, no codes. */
import { formatLongDate as longDate, reasonLabel } from '../../../i18n';
import { m } from '../../../paraglide/messages';
import type { GuardianReport } from './guardian-reports';

// In the request's language (parents' pages only use this).
const STATUS_FOR_PARENTS = {
	open: m.status_open,
	acknowledged: m.status_acknowledged,
	withdrawn: m.status_withdrawn
} as const;

export function reportDates(r: Pick<GuardianReport, 'startsOn' | 'endsOn' | 'coversThrough'>): string {
	if (r.endsOn === null) {
		return r.coversThrough === r.startsOn
			? m.dates_open_ended({ date: longDate(r.startsOn) })
			: m.dates_open_ended_through({ date: longDate(r.startsOn), through: longDate(r.coversThrough) });
	}
	return r.endsOn === r.startsOn ? longDate(r.startsOn) : m.dates_range({ from: longDate(r.startsOn), to: longDate(r.endsOn) });
}

export function describeReport(r: GuardianReport) {
	return {
		reportId: r.reportId,
		reference: r.reference,
		childName: r.childName,
		schoolName: r.schoolName,
		reason: r.reason,
		reasonLabel: reasonLabel(r.reason),
		details: r.details,
		dates: reportDates(r),
		openEnded: r.endsOn === null && r.status !== 'withdrawn',
		status: r.status,
		statusLabel: STATUS_FOR_PARENTS[r.status](),
		late: r.late
	};
}
