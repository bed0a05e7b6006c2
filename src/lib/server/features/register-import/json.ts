/**
 * JSON register import (the MIS API). The envelope is checked first — a payload that is not a
 * marks array at all, or too large, is refused outright with {@link MarksPayloadError} — and
 * then each mark is checked like a CSV row, with its 1-based index in the array as the row.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DatabaseHandle } from '../../platform/db/engine';
import { MarkCollector, loadImportContext } from './validate';
import { finishImport } from './apply';
import { MAX_API_MARKS, MAX_MINUTES_LATE, type ImportCommonOptions, type ImportProblem, type ImportResult } from './types';

/** Why a request is not a marks payload at all. */
export type MarksPayloadProblem = { code: 'not_marks_payload' } | { code: 'too_many_marks'; count: number; max: number };

/** The request as a whole is unusable (HTTP 400) or too big (HTTP 413). Nothing is recorded. */
export class MarksPayloadError extends Error {
	constructor(
		readonly status: 400 | 413,
		readonly problem: MarksPayloadProblem
	) {
		// The code, for logs; the API's words come from src/lib/i18n-staff-problems.ts.
		super(problem.code);
		this.name = 'MarksPayloadError';
	}
}

export interface ImportMarksOptions extends ImportCommonOptions {
	/** `{ marks: [...] }` as posted to /api/mis/marks, or the bare array. Validated here. */
	marks: unknown;
}

const markSchema = z.object({
	// Admission numbers are often sent as JSON numbers; they are matched as text.
	pupilId: z
		.union([z.string(), z.number().int().nonnegative()], {
			error: 'mark_pupil_id_required'
		})
		.transform(String),
	date: z.string({ error: 'mark_date_required' }),
	session: z.string({ error: 'mark_session_required' }),
	code: z.string({ error: 'mark_code_required' }),
	minutesLate: z
		.number({ error: 'mark_minutes_late_type' })
		.int({ error: 'mark_minutes_late_range' })
		.min(0, { error: 'mark_minutes_late_range' })
		.max(MAX_MINUTES_LATE, { error: 'mark_minutes_late_range' })
		.nullable()
		.optional(),
	// Left out = what is held stays; null or '' = none.
	codeDetail: z.string({ error: 'mark_text_codeDetail' }).nullable().optional(),
	amendedBy: z.string({ error: 'mark_text_amendedBy' }).nullable().optional(),
	amendedByRole: z.string({ error: 'mark_text_amendedByRole' }).nullable().optional()
});

export type ApiMark = z.input<typeof markSchema>;

const MARK_CODES: readonly string[] = ['mark_pupil_id_required', 'mark_date_required', 'mark_session_required', 'mark_code_required'];

/** The mark schema's issue message back to the problem it names. */
function markProblem(message: string): ImportProblem {
	if (message === 'mark_minutes_late_type' || message === 'mark_minutes_late_range') return { code: message, max: MAX_MINUTES_LATE };
	if (message === 'mark_text_codeDetail' || message === 'mark_text_amendedBy' || message === 'mark_text_amendedByRole') {
		return { code: 'mark_text_type', field: message.slice('mark_text_'.length) as 'codeDetail' | 'amendedBy' | 'amendedByRole' };
	}
	return MARK_CODES.includes(message) ? ({ code: message } as ImportProblem) : { code: 'mark_not_accepted', detail: message };
}

/** Checks the envelope and returns the marks array (items not yet validated). */
export function extractMarksArray(payload: unknown): unknown[] {
	const list = Array.isArray(payload)
		? payload
		: payload !== null && typeof payload === 'object' && 'marks' in payload
			? (payload as { marks: unknown }).marks
			: undefined;
	if (!Array.isArray(list)) {
		throw new MarksPayloadError(400, { code: 'not_marks_payload' });
	}
	if (list.length > MAX_API_MARKS) {
		throw new MarksPayloadError(413, { code: 'too_many_marks', count: list.length, max: MAX_API_MARKS });
	}
	return list;
}

export async function importRegisterMarks(handle: DatabaseHandle, opts: ImportMarksOptions): Promise<ImportResult> {
	const startedAt = new Date();
	const list = extractMarksArray(opts.marks);
	const ctx = await loadImportContext(handle, opts.schoolId);
	const collector = new MarkCollector(ctx);

	list.forEach((item, i) => {
		const row = i + 1;
		if (item === null || typeof item !== 'object' || Array.isArray(item)) {
			collector.error(row, { code: 'mark_not_object' });
			return;
		}
		const parsed = markSchema.safeParse(item);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) collector.error(row, markProblem(issue.message));
			return;
		}
		const m = parsed.data;
		collector.addSingle(row, {
			pupilRefs: [m.pupilId],
			date: m.date,
			session: m.session,
			code: m.code,
			minutesLate: m.minutesLate,
			codeDetail: m.codeDetail,
			amendedBy: m.amendedBy,
			amendedByRole: m.amendedByRole
		});
	});

	const common = {
		handle,
		importId: randomUUID(),
		schoolId: opts.schoolId,
		source: opts.source ?? 'api',
		actorType: opts.actorType ?? 'mis',
		importedBy: opts.importedBy,
		startedAt,
		rowsRead: list.length
	} as const;
	return finishImport(common, collector, opts.amendmentReason);
}
