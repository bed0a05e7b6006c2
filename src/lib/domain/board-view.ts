/**
 * How the school's day board is filtered and sorted, read from the page's query string so that
 * a filter or a sort is a plain link or GET form (it works without JavaScript, survives a reload
 * and can be bookmarked). Unknown or malformed values fall back to the default view rather than
 * failing: a hand-edited address should still show the board.
 */
import { z } from 'zod';
import type { Session } from './calendar';

export const BOARD_SORTS = ['class', 'reason', 'status'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

export const boardViewSchema = z.object({
	sort: z.enum(BOARD_SORTS).catch('class'),
	dir: z.enum(['asc', 'desc']).catch('asc'),
	/** Only reports (or unexplained absences) that cover this session. */
	session: z.enum(['all', 'AM', 'PM']).catch('all'),
	/** Reported by a parent, marked N with no report yet, or both lists. */
	show: z.enum(['all', 'reported', 'unreported']).catch('all'),
	late: z.enum(['all', 'late', 'on_time']).catch('all'),
	status: z.enum(['all', 'open', 'acknowledged']).catch('all')
});
export type BoardView = z.infer<typeof boardViewSchema>;

export const DEFAULT_BOARD_VIEW: BoardView = boardViewSchema.parse({});

export function parseBoardView(params: URLSearchParams): BoardView {
	const raw: Record<string, string> = {};
	for (const key of Object.keys(boardViewSchema.shape)) {
		const v = params.get(key);
		if (v !== null) raw[key] = v;
	}
	return boardViewSchema.parse(raw);
}

/** True when any filter narrows the board (the sort alone does not). */
export function isFiltered(view: BoardView): boolean {
	return view.session !== 'all' || view.show !== 'all' || view.late !== 'all' || view.status !== 'all';
}

/**
 * The query string for the board with `changes` applied, leaving out every value that is the
 * default so links stay short (`?date=` too when it is omitted).
 */
export function boardQuery(view: BoardView, changes: Partial<BoardView> = {}, date?: string): string {
	const next = { ...view, ...changes };
	const params = new URLSearchParams();
	if (date) params.set('date', date);
	for (const key of Object.keys(DEFAULT_BOARD_VIEW) as (keyof BoardView)[]) {
		if (next[key] !== DEFAULT_BOARD_VIEW[key]) params.set(key, next[key]);
	}
	const s = params.toString();
	return s ? `?${s}` : '';
}

/** The link a column header points to: the same column reversed, or another column A to Z. */
export function sortLink(view: BoardView, column: BoardSort, date?: string): string {
	const dir: SortDirection = view.sort === column && view.dir === 'asc' ? 'desc' : 'asc';
	return boardQuery(view, { sort: column, dir }, date);
}

/** The aria-sort value of a column header: only the sorted column carries one. */
export function ariaSort(view: BoardView, column: BoardSort): 'ascending' | 'descending' | undefined {
	if (view.sort !== column) return undefined;
	return view.dir === 'asc' ? 'ascending' : 'descending';
}

/** What the board needs to know of a report to filter and sort it. */
export interface SortableReport {
	yearGroup: number;
	className: string | null;
	lastName: string;
	firstName: string;
	/** The reason as staff read it, so "by reason" is alphabetical in their words. */
	reasonLabel: string;
	status: 'open' | 'acknowledged' | 'withdrawn';
	late: boolean;
	sessions: readonly { session: Session }[];
}

const byText = (a: string, b: string) => a.localeCompare(b, 'en-GB', { sensitivity: 'base' });

/** Class order as the register has it: year group, then class, then surname and first name. */
function byClass(a: SortableReport, b: SortableReport): number {
	return (
		a.yearGroup - b.yearGroup ||
		byText(a.className ?? '', b.className ?? '') ||
		byText(a.lastName, b.lastName) ||
		byText(a.firstName, b.firstName)
	);
}

// New reports before acknowledged ones: "A to Z" for status is "needs doing first".
const STATUS_ORDER = { open: 0, acknowledged: 1, withdrawn: 2 } as const;

/**
 * The board's reports filtered and sorted by `view`. Ties keep class order, so a sort by reason
 * still lists each reason's pupils by class. The input is not changed.
 */
export function applyBoardView<T extends SortableReport>(reports: readonly T[], view: BoardView): T[] {
	if (view.show === 'unreported') return [];
	const kept = reports.filter(
		(r) =>
			(view.session === 'all' || r.sessions.some((s) => s.session === view.session)) &&
			(view.late === 'all' || r.late === (view.late === 'late')) &&
			(view.status === 'all' || r.status === view.status)
	);
	const sign = view.dir === 'asc' ? 1 : -1;
	const primary: (a: T, b: T) => number =
		view.sort === 'reason'
			? (a, b) => byText(a.reasonLabel, b.reasonLabel)
			: view.sort === 'status'
				? (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
				: byClass;
	return kept.sort((a, b) => sign * primary(a, b) || byClass(a, b));
}

/**
 * Pupils marked N with no report, as the same view shows them: only with "all" or "not reported",
 * and only those absent in the chosen session. The late and status filters are about reports,
 * so they leave this list alone.
 */
export function applyUnexplainedView<T extends { sessions: readonly Session[] }>(pupils: readonly T[], view: BoardView): T[] {
	if (view.show === 'reported') return [];
	return pupils.filter((p) => view.session === 'all' || p.sessions.includes(view.session));
}
