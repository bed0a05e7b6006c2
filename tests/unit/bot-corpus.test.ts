/**
 * The bot's understanding, measured on a corpus of parent messages written for it
 * (tests/fixtures/bot-corpus). Per-field accuracy must reach 97% on the whole corpus and on every
 * field, and a wrong child or day that would be stored without asking is a failure of its own.
 * The confusion cases are printed so they can be read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIDENT, parseIntent, type ChildName, type ReportItem } from '../../bot/understanding';
import type { DateRange } from '../../src/lib/domain/bot-dates';
import type { SchoolCalendar } from '../../src/lib/domain/calendar';

const TODAY = '2026-11-05';
const CALENDAR: SchoolCalendar = {
	timeZone: 'Europe/London',
	terms: [
		{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
		{ name: 'Spring 1', startsOn: '2027-01-04', endsOn: '2027-02-12' }
	],
	closures: [
		{ date: '2026-11-20', sessions: 'PM', kind: 'closure', description: 'Polling station' },
		{ date: '2026-11-27', sessions: 'BOTH', kind: 'inset', description: 'Staff training' }
	]
};
const FAMILIES: Record<string, ChildName[]> = {
	A: [{ pupilId: 'sam', name: 'Sam' }],
	B: [
		{ pupilId: 'sam', name: 'Sam' },
		{ pupilId: 'ella', name: 'Ella' }
	],
	C: [
		{ pupilId: 'sam', name: 'Sam' },
		{ pupilId: 'ella', name: 'Ella' },
		{ pupilId: 'mo', name: 'Mohammed', aliases: ['Mo'] }
	],
	D: [
		{ pupilId: 'ezra', name: 'Ezra', born: '2018-03-02' },
		{ pupilId: 'isla', name: 'Isla', born: '2018-03-02' },
		{ pupilId: 'freddie', name: 'Freddie', aliases: ['Frederick', 'Fred'], born: '2020-07-19' }
	]
};

interface Case {
	line: number;
	family: string;
	text: string;
	expected: string;
}

const cases: Case[] = readFileSync(new URL('../fixtures/bot-corpus/messages.txt', import.meta.url), 'utf8')
	.split('\n')
	.map((l, i) => ({ l, i }))
	.filter(({ l }) => l.trim() && !l.startsWith('#'))
	.map(({ l, i }) => {
		const [family, text, expected] = l.split(' | ').map((s) => s.trim());
		return { line: i + 1, family: family!, text: text!, expected: expected! };
	});

const fullDate = (d: string) => (d.length === 5 ? `2026-${d}` : d);
const rangeKey = (r: DateRange) => (r.untilFurtherNotice ? `${r.from}..` : r.to && r.to !== r.from ? `${r.from}..${r.to}` : r.from);

const confidenceMismatches: string[] = [];

type Meaning = { kind: string; items: { c: string; d: string; r: string; s: string }[] };

function expectedMeaning(expected: string): Meaning {
	const kind = /\bk=(\w+)/.exec(expected)?.[1];
	if (kind) return { kind, items: [] };
	const items = expected.split(' ; ').map((part) => {
		const f = Object.fromEntries(part.split(/\s+/).map((kv) => kv.split('=') as [string, string]));
		const d = f.d ?? TODAY.slice(5);
		const dates = ['ask', 'past', 'far', 'closed'].includes(d) ? d : d.split('..').map((x) => (x ? fullDate(x) : '')).join('..');
		return { c: (f.c ?? 'ask').split(',').sort().join(','), d: dates, r: f.r ?? 'ask', s: f.s ?? 'BOTH' };
	});
	return { kind: 'report', items };
}

/** What the engine would do with the parse: the children, days, reason and sessions it would store, or "ask". */
function actualMeaning(c: Case): Meaning {
	const children = FAMILIES[c.family]!;
	const intent = parseIntent(c.text, children, { today: TODAY, time: '08:00', calendar: CALENDAR });
	if (intent.kind !== 'report') return { kind: intent.kind, items: [] };
	const d = intent.dateOptions ? 'ask' : intent.dateProblem === 'too_far' ? 'far' : (intent.dateProblem ?? null);
	// The confidence the parse gives each field agrees with whether it is asked about.
	const askChildren = Boolean(intent.childOptions || intent.unknownName || (intent.pupilIds.length === 0 && children.length > 1));
	if ((intent.confidence.children < CONFIDENT) !== askChildren) confidenceMismatches.push(`line ${c.line}: children confidence ${intent.confidence.children}`);
	if ((intent.confidence.dates < CONFIDENT) !== (d !== null)) confidenceMismatches.push(`line ${c.line}: dates confidence ${intent.confidence.dates}`);
	const kids = (item: ReportItem) => {
		if (intent.childOptions || intent.unknownName) return 'ask';
		if (item.pupilIds.length === 0) return children.length === 1 ? children[0]!.pupilId : 'ask';
		return [...item.pupilIds].sort().join(',');
	};
	return {
		kind: 'report',
		items: intent.items.map((item) => ({
			c: kids(item),
			d: d ?? rangeKey(item.dates),
			r: item.reason ?? (item.lateArrival ? 'late' : 'ask'),
			s: item.sessions
		}))
	};
}

describe('bot understanding: the parent message corpus', () => {
	it('has at least 400 messages', () => {
		expect(cases.length).toBeGreaterThanOrEqual(400);
	});

	it('reads every field at 97% or better, and never stores a wrong child or day without asking', () => {
		const fields = ['kind', 'children', 'dates', 'reason', 'sessions'] as const;
		const right = Object.fromEntries(fields.map((f) => [f, 0])) as Record<(typeof fields)[number], number>;
		const total = Object.fromEntries(fields.map((f) => [f, 0])) as Record<(typeof fields)[number], number>;
		const confusions: string[] = [];
		const wrongStored: string[] = [];
		let wholeRight = 0;
		for (const c of cases) {
			const want = expectedMeaning(c.expected);
			const got = actualMeaning(c);
			const wrong: string[] = [];
			total.kind++;
			if (want.kind === got.kind) right.kind++;
			else wrong.push(`kind ${got.kind} (expected ${want.kind})`);
			if (want.kind === 'report') {
				for (const [i, w] of want.items.entries()) {
					const g = got.items[i];
					for (const [field, key] of [['children', 'c'], ['dates', 'd'], ['reason', 'r'], ['sessions', 's']] as const) {
						total[field]++;
						if (g && g[key] === w[key]) right[field]++;
						else wrong.push(`${field} ${g?.[key] ?? '—'} (expected ${w[key]})`);
					}
					// A guess stored: the engine would store (no question) a child or day that is not what was meant.
					if (g && g.c !== 'ask' && !['ask', 'past', 'far', 'closed'].includes(g.d) && (g.c !== w.c || g.d !== w.d)) {
						wrongStored.push(`line ${c.line}: "${c.text}" → stored ${g.c} on ${g.d}, meant ${w.c} on ${w.d}`);
					}
				}
				if (got.items.length > want.items.length) wrong.push(`${got.items.length} reports (expected ${want.items.length})`);
			}
			if (wrong.length === 0) wholeRight++;
			else confusions.push(`line ${c.line} [${c.family}] "${c.text}": ${wrong.join('; ')}`);
		}
		const pct = (a: number, b: number) => (b === 0 ? 100 : (100 * a) / b);
		const lines = fields.map((f) => `  ${f.padEnd(9)} ${pct(right[f], total[f]).toFixed(1)}% (${right[f]}/${total[f]})`);
		const overall = pct(
			fields.reduce((s, f) => s + right[f], 0),
			fields.reduce((s, f) => s + total[f], 0)
		);
		console.log(
			[
				`Bot corpus: ${cases.length} messages, ${wholeRight} read entirely right (${pct(wholeRight, cases.length).toFixed(1)}%)`,
				`  all fields ${overall.toFixed(1)}%`,
				...lines,
				`  wrong child or day stored without asking: ${wrongStored.length}`,
				...(confusions.length ? ['Confusions:', ...confusions.map((x) => `  ${x}`)] : [])
			].join('\n')
		);
		expect(wrongStored).toEqual([]);
		expect(confidenceMismatches).toEqual([]);
		expect(overall).toBeGreaterThanOrEqual(97);
		for (const f of fields) expect(pct(right[f], total[f]), `${f} accuracy`).toBeGreaterThanOrEqual(97);
	}, 60_000);
});
