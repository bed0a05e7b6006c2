/**
 * CSV register import. The file is stream-parsed (csv-parse) and each record validated as it
 * arrives, so a year's export (~760,000 marks) never sits in memory as text; only the compact
 * validated columns do.
 */
import { randomUUID } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import type { DatabaseHandle } from '../../platform/db/engine';
import { detectColumns, type CsvColumns } from './columns';
import { MarkCollector, loadImportContext } from './validate';
import { finishImport } from './apply';
import type { ImportCommonOptions, ImportResult } from './types';

export type CsvInput = NodeJS.ReadableStream | AsyncIterable<string | Buffer | Uint8Array> | string;

export interface ImportCsvOptions extends ImportCommonOptions {
	input: CsvInput;
	filename?: string;
}

/** A record longer than this is a runaway quoted field, not a register row. */
const MAX_RECORD_BYTES = 64 * 1024;

export async function importRegisterCsv(handle: DatabaseHandle, opts: ImportCsvOptions): Promise<ImportResult> {
	const startedAt = new Date();
	const parser = parse({
		bom: true,
		relax_column_count: true,
		relax_quotes: true,
		// Empty lines come through as records so that counting records also counts lines.
		skip_empty_lines: false,
		record_delimiter: ['\r\n', '\n', '\r'],
		max_record_size: MAX_RECORD_BYTES
	});
	// pipeline() tears the source down if parsing stops early, and surfaces its errors. It is set
	// up before anything is awaited, so a source that fails meanwhile (an upload cut off, or over
	// the size limit) is already listened to and ends the parse with its error.
	pipeline(toReadable(opts.input), parser, () => {});
	let collector: MarkCollector;
	try {
		collector = new MarkCollector(await loadImportContext(handle, opts.schoolId));
	} catch (err) {
		parser.destroy();
		throw err;
	}

	let columns: CsvColumns | undefined;
	let headerWidth = 0;
	let line = 0;
	let rowsRead = 0;
	try {
		for await (const record of parser as AsyncIterable<string[]>) {
			line++;
			const row = line;
			line += embeddedLineBreaks(record);
			const blank = record.every((f) => f.trim() === '');
			if (!columns) {
				if (blank) continue;
				const detected = detectColumns(record);
				if (!detected.ok) {
					collector.error(row, detected.error);
					break;
				}
				columns = detected.columns;
				headerWidth = record.length;
				continue;
			}
			rowsRead++;
			if (blank) continue;
			if (!wellFormed(record, headerWidth)) {
				collector.error(row, { code: 'row_width', fields: record.length, headerFields: headerWidth });
				continue;
			}
			readRecord(collector, columns, record, row);
		}
	} catch (err) {
		if (!(err instanceof CsvError)) throw err;
		const at = (err as CsvError & { lines?: number }).lines;
		collector.error(typeof at === 'number' && at > 0 ? at : line + 1, { code: 'csv_malformed', detail: err.message });
	}
	if (!columns && !collector.hasErrors) collector.error(1, { code: 'csv_empty' });

	const common = {
		handle,
		importId: randomUUID(),
		schoolId: opts.schoolId,
		source: opts.source ?? 'csv_import',
		actorType: opts.actorType ?? 'staff',
		importedBy: opts.importedBy,
		filename: opts.filename,
		startedAt,
		rowsRead
	} as const;
	return finishImport(common, collector, opts.amendmentReason);
}

function readRecord(collector: MarkCollector, c: CsvColumns, rec: string[], row: number): void {
	const refs = c.ids.map((i) => rec[i] ?? '');
	const date = rec[c.date] ?? '';
	// A column the file does not have leaves what is held alone; a blank cell clears it.
	const cell = (i: number | undefined) => (i === undefined ? undefined : (rec[i] ?? ''));
	const amender = { amendedBy: cell(c.amendedBy), amendedByRole: cell(c.amendedByRole) };
	if (c.shape === 'session') {
		collector.addSingle(row, {
			pupilRefs: refs,
			date,
			session: rec[c.session] ?? '',
			code: rec[c.code] ?? '',
			minutesLate: c.late === undefined ? null : rec[c.late],
			codeDetail: cell(c.codeDetail),
			...amender
		});
		return;
	}
	const am = rec[c.am] ?? '';
	const pm = rec[c.pm] ?? '';
	const hasAm = am.trim() !== '';
	const hasPm = pm.trim() !== '';
	// Both blank = not yet marked (e.g. today's PM in a morning export): nothing to check.
	if (!hasAm && !hasPm) return;
	const resolved = collector.resolveRow(row, refs, date);
	if (hasAm) collector.addMark(row, resolved, 'AM', am, c.lateAm === undefined ? null : rec[c.lateAm], { codeDetail: cell(c.codeDetailAm), ...amender });
	if (hasPm) collector.addMark(row, resolved, 'PM', pm, c.latePm === undefined ? null : rec[c.latePm], { codeDetail: cell(c.codeDetailPm), ...amender });
}

/** Same width as the header; trailing empty fields (a stray trailing comma) are tolerated. */
function wellFormed(record: string[], width: number): boolean {
	if (record.length === width) return true;
	if (record.length < width) return false;
	for (let i = width; i < record.length; i++) if (record[i]!.trim() !== '') return false;
	return true;
}

function embeddedLineBreaks(record: string[]): number {
	let n = 0;
	for (const field of record) {
		if (field.includes('\n') || field.includes('\r')) n += field.match(/\r\n|\r|\n/g)?.length ?? 0;
	}
	return n;
}

function toReadable(input: CsvInput): Readable {
	if (typeof input === 'string') return Readable.from([input]);
	if (input instanceof Readable) return input;
	if (Symbol.asyncIterator in input) return Readable.from(input as AsyncIterable<string | Buffer | Uint8Array>);
	// An old-style stream without async iteration.
	return new Readable().wrap(input as NodeJS.ReadableStream);
}
