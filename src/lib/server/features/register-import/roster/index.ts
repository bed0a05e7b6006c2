/**
 * Roster import: pupils and their guardians from the school's MIS (CSV exports or the token
 * API), previewed before it is applied, all or nothing, repeatable nightly.
 */
export { parseRosterCsv, parseRosterJson, PUPIL_COLUMNS, GUARDIAN_COLUMNS, MAX_ROSTER_BYTES, type ParsedRoster, type RosterError, type RosterFile, type RosterProblem, type RosterRowProblem } from './parse';
export { previewRoster, applyRoster, recentRosterImports, summarise, hasChanges, type RosterPlan, type RosterSummary, type RosterImportResult } from './apply';
