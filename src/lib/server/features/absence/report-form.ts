/**
 * The parent's "report an absence" answers, from the web form (no JavaScript), from the JSON
 * API the page and service worker use when a report was queued offline, into one call to
 * `submitAbsenceReport`. Both paths give the same errors, anchored to the form's fields.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MAX_DETAILS_LENGTH, isAbsenceReason, type PartDay, type ReportAnswers } from '../../../domain/absence';
import { DEFAULT_TIME_ZONE, localDateOf } from '../../../domain/calendar';
import { fieldError, type FieldError, type SubmittedReport } from './report-input';
import { submitAbsenceReport } from './submit';
import type { DatabaseHandle } from '../../platform/db/engine';
import { pupils, schools } from '../../platform/db/schema';
import { eq } from 'drizzle-orm';

export const WHEN_OPTIONS = ['today', 'day', 'range', 'ufn'] as const;
export type When = (typeof WHEN_OPTIONS)[number];

/** The raw answers, as typed (kept to refill the form after an error). */
export type ReportFormValues = ReportAnswers;

export const PART_OPTIONS = ['all', 'am', 'pm', 'late', 'early', 'appointment'] as const;

/** The JSON body of POST /api/reports: the same fields as the form, bounded. */
export const reportFormJson = z.object({
	pupilIds: z.array(z.string().max(64)).max(20).default([]),
	when: z.string().max(10).default(''),
	date: z.string().max(20).default(''),
	from: z.string().max(20).default(''),
	to: z.string().max(20).default(''),
	reason: z.string().max(40).default(''),
	details: z.string().max(2000).default(''),
	part: z.string().max(12).default(''),
	arrivesBy: z.string().max(8).default(''),
	leavesAt: z.string().max(8).default(''),
	apptLeavesAt: z.string().max(8).default(''),
	apptReturnsAt: z.string().max(8).default(''),
	idempotencyKey: z.string().trim().min(8).max(200)
});

export function valuesFromFormData(form: FormData): ReportFormValues {
	const text = (name: string, max = 1000) => String(form.get(name) ?? '').slice(0, max);
	return {
		pupilIds: form
			.getAll('pupilId')
			.map((v) => String(v))
			.slice(0, 20),
		when: text('when', 10),
		date: text('date', 20).trim(),
		from: text('from', 20).trim(),
		to: text('to', 20).trim(),
		reason: text('reason', 40),
		details: text('details', 2000),
		part: text('part', 12),
		arrivesBy: text('arrivesBy', 8).trim(),
		leavesAt: text('leavesAt', 8).trim(),
		apptLeavesAt: text('apptLeavesAt', 8).trim(),
		apptReturnsAt: text('apptReturnsAt', 8).trim(),
		idempotencyKey: text('idempotencyKey', 200) || randomUUID()
	};
}

/** Which form field an error belongs to (the error summary links there). */
export function fieldAnchor(field: string, when: string): string {
	switch (field) {
		case 'pupilIds':
		case 'reason':
		case 'details':
		case 'to':
		case 'when':
		case 'part':
			return field;
		case 'sessions':
			return 'part';
		case 'from':
			return when === 'day' ? 'date' : when === 'range' ? 'from' : 'when';
		default:
			return 'when';
	}
}

export type ReportFormResult =
	| { ok: true; reports: SubmittedReport[] }
	| { ok: false; errors: FieldError[]; retryAfterSeconds?: number };

/**
 * Checks the answers, then stores the report(s). Errors are anchored to form fields. The
 * report is committed before this returns ok.
 */
export async function submitReportForm(
	handle: DatabaseHandle,
	guardianId: string,
	values: ReportFormValues,
	channel: 'web' = 'web',
	now: Date = new Date()
): Promise<ReportFormResult> {
	const errors: FieldError[] = [];
	if (values.pupilIds.length === 0) errors.push(fieldError('pupilIds', { code: 'choose_who' }));
	const when = (WHEN_OPTIONS as readonly string[]).includes(values.when) ? (values.when as When) : null;
	if (!when) errors.push(fieldError('when', { code: 'choose_when' }));
	if (when === 'day' && !values.date) errors.push(fieldError('from', { code: 'enter_date' }));
	if (when === 'range') {
		if (!values.from) errors.push(fieldError('from', { code: 'enter_first_day' }));
		if (!values.to) errors.push(fieldError('to', { code: 'enter_last_day' }));
	}
	if (!isAbsenceReason(values.reason)) errors.push(fieldError('reason', { code: 'choose_why' }));
	const details = values.details.trim();
	if (values.reason === 'other' && !details) errors.push(fieldError('details', { code: 'tell_reason' }));
	if (details.length > MAX_DETAILS_LENGTH) {
		errors.push(fieldError('details', { code: 'details_too_long', max: MAX_DETAILS_LENGTH }));
	}
	const part = values.part && (PART_OPTIONS as readonly string[]).includes(values.part) ? values.part : 'all';
	const partDay = partDayFrom(part, values);
	if (part !== 'all' && part !== 'am' && part !== 'pm' && !partDay) {
		errors.push(fieldError('part', { code: part === 'late' ? 'time_in' : part === 'early' || !values.apptLeavesAt ? 'time_leave' : 'time_back' }));
	}
	if (part !== 'all' && (when === 'range' || when === 'ufn')) {
		errors.push(fieldError('part', { code: 'part_one_day' }));
	}
	const anchored = (errs: FieldError[]) => errs.map((e) => ({ ...e, field: fieldAnchor(e.field, values.when) }));
	if (errors.length > 0 || !when || !isAbsenceReason(values.reason)) return { ok: false, errors: anchored(errors) };

	// "From today" is today on the child's school's clock (a day the parent chose needs no clock).
	const [school] = when !== 'day' && when !== 'range' && values.pupilIds.length
		? await handle.db.select({ timeZone: schools.timeZone }).from(pupils).innerJoin(schools, eq(schools.id, pupils.schoolId)).where(eq(pupils.id, values.pupilIds[0]!)).limit(1)
		: [];
	const today = localDateOf(now, school?.timeZone ?? DEFAULT_TIME_ZONE);
	const from = when === 'day' ? values.date : when === 'range' ? values.from : today;
	const result = await submitAbsenceReport(handle, {
		guardianId,
		pupilIds: values.pupilIds,
		reason: values.reason,
		details: details || undefined,
		from,
		to: when === 'range' ? values.to : null,
		untilFurtherNotice: when === 'ufn',
		sessions: part === 'am' ? 'AM' : part === 'pm' ? 'PM' : 'BOTH',
		partDay,
		channel,
		idempotencyKey: values.idempotencyKey,
		now
	});
	if ('errors' in result) return { ok: false, errors: anchored(result.errors), retryAfterSeconds: result.retryAfterSeconds };
	return { ok: true, reports: result.reports };
}

/**
 * Where the parent is sent after a report: its confirmation, which also says which children were
 * already reported for that day (this sending was added to their earlier report).
 */
export function confirmationPath(reports: SubmittedReport[]): string {
	const again = reports.filter((r) => r.alreadyReported).map((r) => r.reference);
	return `/report/done?refs=${reports.map((r) => r.reference).join(',')}${again.length ? `&again=${again.join(',')}` : ''}`;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The part day the answers describe, or null (whole sessions, or a time missing or not a time). */
function partDayFrom(part: string, v: ReportFormValues): PartDay | null {
	const time = (t: string | undefined) => (t && HHMM.test(t) ? t : null);
	const [arrivesBy, leavesAt, apptLeavesAt, apptReturnsAt] = [time(v.arrivesBy), time(v.leavesAt), time(v.apptLeavesAt), time(v.apptReturnsAt)];
	if (part === 'late') return arrivesBy ? { kind: 'late_arrival', arrivesBy } : null;
	if (part === 'early') return leavesAt ? { kind: 'leaving_early', leavesAt } : null;
	if (part === 'appointment') return apptLeavesAt && apptReturnsAt ? { kind: 'appointment', leavesAt: apptLeavesAt, returnsAt: apptReturnsAt } : null;
	return null;
}
