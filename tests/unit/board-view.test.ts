import { describe, expect, it } from 'vitest';
import {
	applyBoardView,
	applyUnexplainedView,
	ariaSort,
	boardQuery,
	DEFAULT_BOARD_VIEW,
	isFiltered,
	parseBoardView,
	sortLink,
	type SortableReport
} from '../../src/lib/domain/board-view';

const report = (over: Partial<SortableReport> & { lastName: string }): SortableReport & { id: string } => ({
	id: over.lastName,
	yearGroup: 3,
	className: 'Puffins',
	firstName: 'A',
	reasonLabel: 'Illness',
	status: 'open',
	late: false,
	sessions: [{ session: 'AM' }, { session: 'PM' }],
	...over
});

const reports = [
	report({ lastName: 'Young', yearGroup: 5, reasonLabel: 'Medical or dental appointment', status: 'acknowledged', sessions: [{ session: 'AM' }] }),
	report({ lastName: 'Adams', yearGroup: 0, className: 'Starfish', reasonLabel: 'Religious observance', late: true }),
	report({ lastName: 'Brown', yearGroup: 3, reasonLabel: 'Illness', sessions: [{ session: 'PM' }] }),
	report({ lastName: 'Abbot', yearGroup: 3, reasonLabel: 'Illness', status: 'acknowledged', late: true })
];
const ids = (rs: { id: string }[]) => rs.map((r) => r.id);

describe('parseBoardView', () => {
	it('defaults to class order, everything shown', () => {
		expect(parseBoardView(new URLSearchParams())).toEqual({ sort: 'class', dir: 'asc', session: 'all', show: 'all', late: 'all', status: 'all' });
		expect(isFiltered(DEFAULT_BOARD_VIEW)).toBe(false);
	});
	it('reads each parameter', () => {
		const v = parseBoardView(new URLSearchParams('sort=reason&dir=desc&session=PM&show=reported&late=late&status=open'));
		expect(v).toEqual({ sort: 'reason', dir: 'desc', session: 'PM', show: 'reported', late: 'late', status: 'open' });
		expect(isFiltered(v)).toBe(true);
		expect(isFiltered({ ...DEFAULT_BOARD_VIEW, sort: 'status', dir: 'desc' })).toBe(false);
	});
	it('falls back to the default for an unknown or hand-edited value', () => {
		expect(parseBoardView(new URLSearchParams('sort=DROP TABLE&dir=up&session=evening&status=withdrawn'))).toEqual(DEFAULT_BOARD_VIEW);
	});
});

describe('links', () => {
	it('leave defaults out and keep the date and filters', () => {
		expect(boardQuery(DEFAULT_BOARD_VIEW)).toBe('');
		expect(boardQuery(DEFAULT_BOARD_VIEW, {}, '2026-12-03')).toBe('?date=2026-12-03');
		const v = { ...DEFAULT_BOARD_VIEW, status: 'open' as const };
		expect(sortLink(v, 'reason', '2026-12-03')).toBe('?date=2026-12-03&sort=reason&status=open');
	});
	it('a header link reverses its own column and starts another A to Z', () => {
		expect(sortLink(DEFAULT_BOARD_VIEW, 'class')).toBe('?dir=desc');
		expect(sortLink({ ...DEFAULT_BOARD_VIEW, sort: 'reason', dir: 'desc' }, 'reason')).toBe('?sort=reason');
		expect(sortLink({ ...DEFAULT_BOARD_VIEW, sort: 'reason', dir: 'desc' }, 'status')).toBe('?sort=status');
	});
	it('only the sorted column has aria-sort', () => {
		const v = { ...DEFAULT_BOARD_VIEW, sort: 'status' as const, dir: 'desc' as const };
		expect(ariaSort(v, 'status')).toBe('descending');
		expect(ariaSort(v, 'class')).toBeUndefined();
		expect(ariaSort(DEFAULT_BOARD_VIEW, 'class')).toBe('ascending');
	});
});

describe('applyBoardView', () => {
	it('sorts by class: year, class, surname', () => {
		expect(ids(applyBoardView(reports, DEFAULT_BOARD_VIEW))).toEqual(['Adams', 'Abbot', 'Brown', 'Young']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, dir: 'desc' }))).toEqual(['Young', 'Brown', 'Abbot', 'Adams']);
	});
	it('sorts by reason, class order within a reason', () => {
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, sort: 'reason' }))).toEqual(['Abbot', 'Brown', 'Young', 'Adams']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, sort: 'reason', dir: 'desc' }))).toEqual(['Adams', 'Young', 'Abbot', 'Brown']);
	});
	it('sorts by status: not acknowledged first', () => {
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, sort: 'status' }))).toEqual(['Adams', 'Brown', 'Abbot', 'Young']);
	});
	it('filters by session, lateness and status', () => {
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, session: 'AM' }))).toEqual(['Adams', 'Abbot', 'Young']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, session: 'PM' }))).toEqual(['Adams', 'Abbot', 'Brown']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, late: 'late' }))).toEqual(['Adams', 'Abbot']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, late: 'on_time' }))).toEqual(['Brown', 'Young']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, status: 'acknowledged' }))).toEqual(['Abbot', 'Young']);
		expect(ids(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, status: 'open', late: 'late' }))).toEqual(['Adams']);
	});
	it('shows no reports when only the unreported are asked for, and leaves its input alone', () => {
		const before = ids(reports);
		expect(applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, show: 'unreported' })).toEqual([]);
		applyBoardView(reports, { ...DEFAULT_BOARD_VIEW, sort: 'reason' });
		expect(ids(reports)).toEqual(before);
	});
});

describe('applyUnexplainedView', () => {
	const pupils = [
		{ id: 'a', sessions: ['AM' as const, 'PM' as const] },
		{ id: 'b', sessions: ['PM' as const] }
	];
	it('filters by session and hides the list when only reports are asked for', () => {
		expect(ids(applyUnexplainedView(pupils, DEFAULT_BOARD_VIEW))).toEqual(['a', 'b']);
		expect(ids(applyUnexplainedView(pupils, { ...DEFAULT_BOARD_VIEW, session: 'AM' }))).toEqual(['a']);
		expect(applyUnexplainedView(pupils, { ...DEFAULT_BOARD_VIEW, show: 'reported' })).toEqual([]);
		// Lateness and status are about reports: the unreported list ignores them.
		expect(ids(applyUnexplainedView(pupils, { ...DEFAULT_BOARD_VIEW, late: 'late', status: 'open' }))).toEqual(['a', 'b']);
	});
});
