/**
 * What a report is made of, as a parent's channel sends it: the input's schema (its issues are
 * problem codes), the field errors a refused report gets, and what a stored report returns.
 */
import { isUuid } from '../../../domain/ids';
import { z } from 'zod';
import { ABSENCE_REASONS, MAX_DETAILS_LENGTH } from '../../../domain/absence';
import { type IsoDate, type Session } from '../../../domain/calendar';
import { reportProblemText } from '../../../i18n-problems';
import { problemFromCode, type FieldProblem, type ReportProblem } from '../../../domain/report-problems';
import { type AbsenceReportRow } from '../../platform/db/schema';

export type AbsenceChannel = AbsenceReportRow['channel'];
export type AbsenceStatus = AbsenceReportRow['status'];

/**
 * A problem with a report, tied to its form field ('pupilIds', 'reason', 'details', 'from', 'to',
 * 'sessions'...): the code and values say what is wrong (pages and the bot put it in the
 * parent's language with reportProblemText); `message` is the English, for logs, staff and the API.
 */
export type FieldError = FieldProblem & { message: string };

/** `child`: the child's first name when a report for several children has a problem with one. */
export function fieldError(field: string, problem: ReportProblem, child?: string): FieldError {
	const english = reportProblemText(problem, 'en');
	return { ...problem, field, ...(child ? { child } : {}), message: child ? `${child}: ${english}` : english };
}

export interface SubmittedReport {
	reportId: string;
	reference: string;
	pupilId: string;
	sessions: { date: IsoDate; session: Session; late: boolean; suggestedCode: string }[];
	late: boolean;
	/** False when this came back from an earlier submission with the same idempotency key. */
	created: boolean;
	/**
	 * True when the child was already reported for that day: this sending was added to the
	 * earlier report (the reference is that report's) instead of standing beside it.
	 */
	alreadyReported?: boolean;
}

/** `retryAfterSeconds`: refused because the parent has sent too many reports (rate limit). */
export type SubmitResult = { reports: SubmittedReport[] } | { errors: FieldError[]; retryAfterSeconds?: number };

const uuid = z.string().refine(isUuid);
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const submitSchema = z
	.object({
		guardianId: uuid,
		pupilIds: z.array(uuid, { error: 'choose_who' }).min(1, 'choose_who').max(20, 'choose_who'),
		reason: z.enum(ABSENCE_REASONS, { error: 'choose_reason' }),
		details: z
			.string()
			.trim()
			.max(MAX_DETAILS_LENGTH, 'details_too_long')
			.optional(),
		from: z.string({ error: 'enter_first_day' }),
		to: z.string().nullish(),
		untilFurtherNotice: z.boolean().optional(),
		sessions: z.enum(['AM', 'PM', 'BOTH']).optional(),
		/** Part of one day, local times 'HH:MM' (the bot and the web form both send this shape). */
		partDay: z
			.discriminatedUnion('kind', [
				z.object({ kind: z.literal('late_arrival'), arrivesBy: z.string().regex(HHMM, 'time_in') }),
				z.object({ kind: z.literal('leaving_early'), leavesAt: z.string().regex(HHMM, 'time_leave') }),
				z.object({
					kind: z.literal('appointment'),
					leavesAt: z.string().regex(HHMM, 'time_leave'),
					returnsAt: z.string().regex(HHMM, 'time_back')
				})
			])
			.nullish(),
		channel: z.enum(['web', 'sms', 'telegram', 'phone', 'whatsapp']),
		idempotencyKey: z.string().trim().min(8, 'report_unreadable').max(200, 'report_unreadable'),
		now: z.date().optional()
	})
	.superRefine((v, ctx) => {
		if (v.reason === 'other' && !v.details) {
			ctx.addIssue({ code: 'custom', path: ['details'], message: 'tell_reason' });
		}
	});

export type SubmitAbsenceInput = z.input<typeof submitSchema>;

/** The schema's issues carry problem codes as their messages; anything else is an unreadable report. */
export function zodErrors(error: z.ZodError): FieldError[] {
	return error.issues.map((i) => {
		const field = String(i.path[0] ?? 'form');
		if (i.message === 'details_too_long') return fieldError(field, { code: 'details_too_long', max: MAX_DETAILS_LENGTH });
		return fieldError(field, problemFromCode(i.message) ?? { code: 'report_unreadable' });
	});
}
