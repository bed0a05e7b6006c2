/**
 * Reading a school calendar from the files schools already have: a CSV (one row per term,
 * closure or protected period) or an iCalendar feed (the .ics a school website or MIS
 * publishes). Pure: the caller stores what comes back. Every problem names its line.
 */
import { addDays, compareDates, isValidIsoDate, type IsoDate } from './calendar';
import type { CalendarFileProblem } from './calendar-problems';

export type CalendarEntryKind = 'term' | 'inset' | 'closure' | 'bank_holiday' | 'protected';

export interface CalendarEntry {
	kind: CalendarEntryKind;
	name: string;
	startsOn: IsoDate;
	endsOn: IsoDate;
	/** Closures only: which sessions the school is closed for. */
	sessions: 'AM' | 'PM' | 'BOTH';
	/** Protected periods only: the year groups it applies to (null = whole school). */
	yearGroups: number[] | null;
	/** The line in the file. */
	line: number;
}

/** A problem with the file, on the line it names (0 = the file as a whole). */
export type CalendarProblem = { line: number } & CalendarFileProblem;

export interface ParsedCalendar {
	entries: CalendarEntry[];
	problems: CalendarProblem[];
}

/** '03/09/2026', '3/9/2026' or '2026-09-03'. */
export function parseCalendarDate(value: string): IsoDate | null {
	const v = value.trim();
	let iso: string | null = null;
	let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (m) iso = v;
	else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v))) iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
	return iso && isValidIsoDate(iso) ? iso : null;
}

/** 'R', 'Reception', 'N', 'Nursery', 'Year 5', 'Y5', '5' → -1..13. */
export function parseYearGroup(value: string): number | null {
	const v = value.trim().toLowerCase().replace(/\s+/g, ' ');
	if (v === 'r' || v === 'rec' || v === 'reception' || v === 'yr' || v === 'year r') return 0;
	if (v === 'n' || v === 'n1' || v === 'n2' || v === 'nursery') return -1;
	const m = /^(?:year |yr |y|nc year )?(\d{1,2})$/.exec(v);
	if (!m) return null;
	const n = Number(m[1]);
	return n >= 1 && n <= 13 ? n : null;
}

const KIND_WORDS: Record<string, CalendarEntryKind> = {
	term: 'term',
	'half term': 'term',
	inset: 'inset',
	'inset day': 'inset',
	'training day': 'inset',
	closure: 'closure',
	closed: 'closure',
	'bank holiday': 'bank_holiday',
	protected: 'protected',
	'protected period': 'protected'
};

/** Splits one CSV line (quoted fields, doubled quotes). Calendar files are small. */
function splitCsvLine(line: string): string[] {
	const out: string[] = [];
	let cur = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i]!;
		if (quoted) {
			if (c === '"' && line[i + 1] === '"') {
				cur += '"';
				i++;
			}
			else if (c === '"') quoted = false;
			else cur += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			out.push(cur);
			cur = '';
		}
		else cur += c;
	}
	out.push(cur);
	return out.map((f) => f.trim());
}

const HEADER_ALIASES: Record<string, string> = {
	type: 'type',
	kind: 'type',
	name: 'name',
	description: 'name',
	title: 'name',
	start: 'start',
	'start date': 'start',
	from: 'start',
	date: 'start',
	end: 'end',
	'end date': 'end',
	to: 'end',
	sessions: 'sessions',
	session: 'sessions',
	'year groups': 'years',
	years: 'years',
	'year group': 'years'
};

/** A CSV with the columns Type, Name, Start, End (and optionally Sessions, Year groups). */
export function parseCalendarCsv(text: string): ParsedCalendar {
	const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
	const entries: CalendarEntry[] = [];
	const problems: CalendarProblem[] = [];
	let header: string[] | null = null;
	for (let i = 0; i < lines.length; i++) {
		const line = i + 1;
		if (!lines[i]!.trim()) continue;
		const fields = splitCsvLine(lines[i]!);
		if (!header) {
			header = fields.map((f) => HEADER_ALIASES[f.toLowerCase()] ?? '');
			for (const need of ['type', 'name', 'start']) {
				if (!header.includes(need)) problems.push({ line, code: 'csv_header_missing', column: need[0]!.toUpperCase() + need.slice(1) });
			}
			if (problems.length) return { entries, problems };
			continue;
		}
		const get = (col: string) => {
			const at = header!.indexOf(col);
			return at >= 0 ? (fields[at] ?? '') : '';
		};
		const kind = KIND_WORDS[get('type').toLowerCase()];
		if (!kind) {
			problems.push({ line, code: 'csv_unknown_type', type: get('type') });
			continue;
		}
		const startsOn = parseCalendarDate(get('start'));
		const endsOn = get('end') ? parseCalendarDate(get('end')) : startsOn;
		if (!startsOn) {
			problems.push({ line, code: 'csv_start_not_date', value: get('start') });
			continue;
		}
		if (!endsOn) {
			problems.push({ line, code: 'csv_end_not_date', value: get('end') });
			continue;
		}
		if (compareDates(endsOn, startsOn) < 0) {
			problems.push({ line, code: 'csv_ends_before_starts' });
			continue;
		}
		const sessionsRaw = get('sessions').toUpperCase();
		const sessions = sessionsRaw === 'AM' || sessionsRaw === 'PM' ? sessionsRaw : 'BOTH';
		if (sessionsRaw && !['AM', 'PM', 'BOTH', 'ALL', 'ALL DAY'].includes(sessionsRaw)) {
			problems.push({ line, code: 'csv_sessions', value: get('sessions') });
			continue;
		}
		let yearGroups: number[] | null = null;
		const years = get('years');
		if (years && !/^(all|whole school)$/i.test(years)) {
			const parsed = years.split(/[;|&]/).map((y) => y.trim()).filter(Boolean).map(parseYearGroup);
			if (parsed.some((y) => y === null)) {
				problems.push({ line, code: 'csv_year_groups', value: years });
				continue;
			}
			yearGroups = [...new Set(parsed as number[])].sort((a, b) => a - b);
		}
		entries.push({ kind, name: get('name') || kindLabel(kind), startsOn, endsOn, sessions, yearGroups, line });
	}
	if (!header) problems.push({ line: 1, code: 'csv_empty' });
	return { entries, problems };
}

function kindLabel(kind: CalendarEntryKind): string {
	return { term: 'Term', inset: 'INSET day', closure: 'School closed', bank_holiday: 'Bank holiday', protected: 'Protected period' }[kind];
}

/** What an iCalendar event is, from its title; null = a holiday or something not about opening. */
export function classifyEventTitle(title: string): CalendarEntryKind | 'holiday' | null {
	const t = title.toLowerCase();
	if (/\binset\b|training day|staff development|teacher day/.test(t)) return 'inset';
	if (/bank holiday|may day/.test(t)) return 'bank_holiday';
	if (/\bclos(ed|ure)\b/.test(t)) return 'closure';
	if (/\bsats?\b|\bexams?\b|assessment|protected|phonics check|multiplication check/.test(t)) return 'protected';
	if (/holiday|half[- ]?term (break|holiday)|^half[- ]?term$|break$/.test(t)) return 'holiday';
	if (/\bterm\b|autumn|spring|summer/.test(t)) return 'term';
	return null;
}

function unfold(text: string): { text: string; line: number }[] {
	const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
	const out: { text: string; line: number }[] = [];
	raw.forEach((l, i) => {
		if ((l.startsWith(' ') || l.startsWith('\t')) && out.length) out[out.length - 1]!.text += l.slice(1);
		else out.push({ text: l, line: i + 1 });
	});
	return out;
}

function icsDate(value: string): IsoDate | null {
	const m = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
	if (!m) return null;
	const iso = `${m[1]}-${m[2]}-${m[3]}`;
	return isValidIsoDate(iso) ? iso : null;
}

function unescapeText(v: string): string {
	return v.replace(/\\n/gi, ' ').replace(/\\([,;\\])/g, '$1').trim();
}

/**
 * An iCalendar (.ics) file: each all-day VEVENT becomes a term, INSET day, closure, bank
 * holiday or protected period by its title ("Autumn term 1", "INSET day", "KS2 SATs week");
 * holidays are skipped (they are the gaps between terms). DTEND of an all-day event is the day
 * after it ends, as RFC 5545 says.
 */
export function parseCalendarIcs(text: string): ParsedCalendar {
	const entries: CalendarEntry[] = [];
	const problems: CalendarProblem[] = [];
	const lines = unfold(text);
	if (!lines.some((l) => l.text.trim() === 'BEGIN:VCALENDAR')) {
		return { entries, problems: [{ line: 1, code: 'ics_not_calendar' }] };
	}
	let event: { line: number; summary?: string; start?: string; end?: string; startRaw?: string } | null = null;
	for (const { text: l, line } of lines) {
		if (l === 'BEGIN:VEVENT') event = { line };
		else if (l === 'END:VEVENT' && event) {
			const e = event;
			event = null;
			const summary = unescapeText(e.summary ?? '');
			const startsOn = e.start ? icsDate(e.start) : null;
			if (!startsOn) {
				problems.push({ line: e.line, code: 'ics_no_start', summary });
				continue;
			}
			const endExclusive = e.end ? icsDate(e.end) : null;
			const allDay = /^\d{8}$/.test((e.start ?? '').trim());
			let endsOn = endExclusive ? (allDay ? addDays(endExclusive, -1) : endExclusive) : startsOn;
			if (compareDates(endsOn, startsOn) < 0) endsOn = startsOn;
			const kind = classifyEventTitle(summary);
			if (kind === 'holiday') continue;
			if (!kind) {
				problems.push({ line: e.line, code: 'ics_unknown_event', summary });
				continue;
			}
			entries.push({ kind, name: summary, startsOn, endsOn, sessions: 'BOTH', yearGroups: kind === 'protected' ? yearGroupsInTitle(summary) : null, line: e.line });
		} else if (event) {
			const colon = l.indexOf(':');
			if (colon < 0) continue;
			const name = l.slice(0, colon).split(';')[0]!.toUpperCase();
			const value = l.slice(colon + 1);
			if (name === 'SUMMARY') event.summary = value;
			else if (name === 'DTSTART') event.start = value;
			else if (name === 'DTEND') event.end = value;
		}
	}
	return { entries, problems };
}

/** "Year 6 SATs" → [6]; "KS2 SATs" → [3..6]; "KS1" → [1, 2]; otherwise the whole school. */
function yearGroupsInTitle(title: string): number[] | null {
	const t = title.toLowerCase();
	const years = [...t.matchAll(/\b(?:year|yr|y)\s?(\d{1,2})\b/g)].map((m) => Number(m[1])).filter((n) => n >= 1 && n <= 13);
	if (years.length) return [...new Set(years)].sort((a, b) => a - b);
	if (/\bks1\b|key stage 1/.test(t)) return [1, 2];
	if (/\bks2\b|key stage 2/.test(t)) return [3, 4, 5, 6];
	if (/\bks4\b|key stage 4|gcse/.test(t)) return [10, 11];
	return null;
}
