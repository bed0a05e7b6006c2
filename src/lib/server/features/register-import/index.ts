/**
 * Register import: attendance marks from a school's MIS, as a CSV export (upload, CLI) or pushed
 * as JSON/CSV through the token-authenticated API. All or nothing per import, idempotent, and
 * every changed code kept as an amendment.
 */
export { importRegisterCsv, type CsvInput, type ImportCsvOptions } from './csv';
export { importRegisterMarks, extractMarksArray, MarksPayloadError, type ApiMark, type ImportMarksOptions, type MarksPayloadProblem } from './json';
export { detectColumns, type CsvColumns } from './columns';
export { parseImportDate } from './validate';
export {
	MAX_API_MARKS,
	MAX_MINUTES_LATE,
	MAX_REPORTED_ERRORS,
	type ImportActorType,
	type ImportCommonOptions,
	type ImportError,
	type ImportProblem,
	type ImportResult,
	type ImportSource
} from './types';
export * from './mis-tokens';
export * from './roster';
// The MIS import is the one route that takes a term of marks in one body: its limit and how to say so.
export { formatBytes, payloadTooLarge } from '../../platform/request-boundary';
export { PAYLOAD_LIMITS } from '../../platform/config';
