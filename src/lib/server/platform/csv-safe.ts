/**
 * CSV for spreadsheets: a field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is prefixed with `'`, so a spreadsheet opening the download shows the text and never runs it as
 * a formula (names and free text come from parents and imports).
 */
export function spreadsheetSafe(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
