/**
 * How long leave evidence is kept (data retention): the documents of a request that
 * was decided or withdrawn are deleted a set number of days after the leave's last day. Open
 * requests keep theirs, however old: the headteacher still needs them to decide.
 */
import { addDays, type IsoDate } from './calendar';
import type { LeaveStatus } from './leave';

/** 12 months, unless EVIDENCE_RETENTION_DAYS says otherwise. */
export const DEFAULT_EVIDENCE_RETENTION_DAYS = 365;

/** Statuses after which nobody needs the documents to make a decision any more. */
export const FINISHED_LEAVE_STATUSES = ['approved', 'partly_approved', 'declined', 'withdrawn'] as const satisfies readonly LeaveStatus[];

/** The day a request's documents become due for deletion. */
export function evidenceDeletionDue(lastDayOfLeave: IsoDate, retentionDays: number): IsoDate {
	return addDays(lastDayOfLeave, retentionDays);
}

/** Whether a request's documents should be deleted on `today`. */
export function evidenceExpired(request: { status: string; endsOn: IsoDate }, today: IsoDate, retentionDays: number): boolean {
	return (FINISHED_LEAVE_STATUSES as readonly string[]).includes(request.status) && evidenceDeletionDue(request.endsOn, retentionDays) <= today;
}

/** The latest last day of leave whose documents are due on `today` (for the database query). */
export function latestExpiredLastDay(today: IsoDate, retentionDays: number): IsoDate {
	return addDays(today, -retentionDays);
}

/** EVIDENCE_RETENTION_DAYS: a whole number of days from 1 to 3650; anything else is a configuration error. */
export function parseRetentionDays(value: string | undefined): number {
	const text = value?.trim();
	if (!text) return DEFAULT_EVIDENCE_RETENTION_DAYS;
	if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 3650) throw new Error('EVIDENCE_RETENTION_DAYS must be a whole number of days from 1 to 3650.');
	return Number(text);
}
