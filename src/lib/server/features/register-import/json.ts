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
import { MAX_API_MARKS, MAX_MINUTES_LATE, type ImportCommonOptions, type ImportResult } from './types';

/** The request as a whole is unusable (HTTP 400) or too big (HTTP 413). Nothing is recorded. */
export class MarksPayloadError extends Error {
	constructor(
		readonly status: 400 | 413,
		message: string
	) {
		super(message);
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
			error: 'pupilId is required: the pupil\'s MIS ID as a string'
		})
		.transform(String),
	date: z.string({ error: 'date is required, as "YYYY-MM-DD"' }),
	session: z.string({ error: 'session is required: "AM" or "PM"' }),
	code: z.string({ error: 'code is required: an attendance code such as "/" or "N" ("" = not yet marked)' }),
	minutesLate: z
		.number({ error: `minutesLate must be a whole number from 0 to ${MAX_MINUTES_LATE}, or null` })
		.int({ error: `minutesLate must be a whole number from 0 to ${MAX_MINUTES_LATE}` })
		.min(0, { error: `minutesLate must be a whole number from 0 to ${MAX_MINUTES_LATE}` })
		.max(MAX_MINUTES_LATE, { error: `minutesLate must be a whole number from 0 to ${MAX_MINUTES_LATE}` })
		.nullable()
		.optional()
});

export type ApiMark = z.input<typeof markSchema>;

/** Checks the envelope and returns the marks array (items not yet validated). */
export function extractMarksArray(payload: unknown): unknown[] {
	const list = Array.isArray(payload)
		? payload
		: payload !== null && typeof payload === 'object' && 'marks' in payload
			? (payload as { marks: unknown }).marks
			: undefined;
	if (!Array.isArray(list)) {
		throw new MarksPayloadError(400, 'Expected a JSON object { "marks": [ { "pupilId", "date", "session", "code", "minutesLate"? }, ... ] }');
	}
	if (list.length > MAX_API_MARKS) {
		throw new MarksPayloadError(
			413,
			`Too many marks in one request: ${list.length} (at most ${MAX_API_MARKS.toLocaleString('en-GB')}); send them in several requests`
		);
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
			collector.error(row, 'Each mark must be an object { "pupilId", "date", "session", "code" }');
			return;
		}
		const parsed = markSchema.safeParse(item);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) collector.error(row, issue.message);
			return;
		}
		const m = parsed.data;
		collector.addSingle(row, {
			pupilRefs: [m.pupilId],
			date: m.date,
			session: m.session,
			code: m.code,
			minutesLate: m.minutesLate
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
