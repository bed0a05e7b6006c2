/**
 * The parent's "report an absence" answers, from the web form (no JavaScript), from the JSON
 * API the page and service worker use when a report was queued offline, into one call to
 * `submitAbsenceReport`. Both paths give the same errors, anchored to the form's fields.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MAX_DETAILS_LENGTH, isAbsenceReason } from '../../../domain/absence';
import { localDateOf } from '../../../domain/calendar';
import { submitAbsenceReport, type FieldError, type SubmittedReport } from './reports';
import type { DatabaseHandle } from '../../platform/db/engine';

export const WHEN_OPTIONS = ['today', 'day', 'range', 'ufn'] as const;
export type When = (typeof WHEN_OPTIONS)[number];

/** Every parent report is timed in the school's zone; all schools in the deployment are in England. */
const SCHOOL_TIME_ZONE = 'Europe/London';

/** The raw answers, as typed (kept to refill the form after an error). */
export interface ReportFormValues {
	pupilIds: string[];
	when: string;
	date: string;
	from: string;
	to: string;
	reason: string;
	details: string;
	idempotencyKey: string;
}

/** The JSON body of POST /api/reports: the same fields as the form, bounded. */
export const reportFormJson = z.object({
	pupilIds: z.array(z.string().max(64)).max(20).default([]),
	when: z.string().max(10).default(''),
	date: z.string().max(20).default(''),
	from: z.string().max(20).default(''),
	to: z.string().max(20).default(''),
	reason: z.string().max(40).default(''),
	details: z.string().max(2000).default(''),
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
			return field;
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
	if (values.pupilIds.length === 0) errors.push({ field: 'pupilIds', message: 'Choose who is off school' });
	const when = (WHEN_OPTIONS as readonly string[]).includes(values.when) ? (values.when as When) : null;
	if (!when) errors.push({ field: 'when', message: 'Choose when they will be off' });
	if (when === 'day' && !values.date) errors.push({ field: 'from', message: 'Enter the date they will be off' });
	if (when === 'range') {
		if (!values.from) errors.push({ field: 'from', message: 'Enter the first day they will be off' });
		if (!values.to) errors.push({ field: 'to', message: 'Enter the last day they will be off' });
	}
	if (!isAbsenceReason(values.reason)) errors.push({ field: 'reason', message: 'Choose why they will be off' });
	const details = values.details.trim();
	if (values.reason === 'other' && !details) errors.push({ field: 'details', message: 'Tell the school the reason' });
	if (details.length > MAX_DETAILS_LENGTH) {
		errors.push({ field: 'details', message: `Keep the details to ${MAX_DETAILS_LENGTH} characters or fewer` });
	}
	const anchored = (errs: FieldError[]) => errs.map((e) => ({ field: fieldAnchor(e.field, values.when), message: e.message }));
	if (errors.length > 0 || !when || !isAbsenceReason(values.reason)) return { ok: false, errors: anchored(errors) };

	const today = localDateOf(now, SCHOOL_TIME_ZONE);
	const from = when === 'day' ? values.date : when === 'range' ? values.from : today;
	const result = await submitAbsenceReport(handle, {
		guardianId,
		pupilIds: values.pupilIds,
		reason: values.reason,
		details: details || undefined,
		from,
		to: when === 'range' ? values.to : null,
		untilFurtherNotice: when === 'ufn',
		channel,
		idempotencyKey: values.idempotencyKey,
		now
	});
	if ('errors' in result) return { ok: false, errors: anchored(result.errors), retryAfterSeconds: result.retryAfterSeconds };
	return { ok: true, reports: result.reports };
}
