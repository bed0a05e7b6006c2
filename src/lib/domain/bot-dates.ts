/**
 * Days and times as parents text them: "tmrw", "next Tues", "3rd Dec", "3/12", "Thursday and
 * Friday", "until Friday", "rest of the week", "all next week", "until further notice",
 * "dentist at 10", "in by 10", "half 2", "after lunch".
 *
 * chrono-node (British English, day before month) reads explicit calendar dates; everything a
 * school text relies on most (today, tomorrow, weekdays, ranges, open-ended absences) is our own
 * rules, in English and in the other languages the bot speaks (Polish, Romanian, Arabic,
 * Bengali), because chrono has no Polish, Romanian or Bengali and its weekday rules do not know
 * the British "next Tuesday" ambiguity we must ask about.
 *
 * Pure: dates are resolved against the `today` given; the school calendar, when given, decides
 * which days are school days.
 */
import * as chrono from 'chrono-node';
import {
	addDays,
	addSchoolDays,
	compareDates,
	dayOfWeek,
	daysBetween,
	isSchoolDay,
	schoolDaysBetween,
	termContaining,
	type IsoDate,
	type SchoolCalendar
} from './calendar';
import { MAX_SCHOOL_DAYS_AHEAD, type ReportSessions } from './absence';

export interface DateRange {
	from: IsoDate;
	/** Last day, inclusive; null for one day or an open-ended absence. */
	to: IsoDate | null;
	untilFurtherNotice: boolean;
}

export type DateProblem = 'past' | 'too_far' | 'closed';

export interface DateReading {
	/** The days meant (default: today). */
	range: DateRange;
	/** The parent said a day (or "until further notice"); false = the default, today. */
	said: boolean;
	/** When the words fit more than one reading: the readings to offer, best first. */
	options?: DateRange[];
	/** Two separate stretches ("Monday and Wednesday"): more ranges after `range`. */
	more?: DateRange[];
}

export interface TimeReading {
	/** 'HH:MM', 24-hour. */
	leavesAt?: string;
	returnsAt?: string;
	arrivesBy?: string;
	appointmentAt?: string;
	/** Explicit "morning", "afternoon", "after lunch", "all day". */
	sessions?: ReportSessions;
	/** "late", "in by 10": a note for the register rather than an absence. */
	lateArrival: boolean;
	/** `sessions` came only from "morning"/"afternoon", which may just say when something happened. */
	sessionsFromWord?: boolean;
}

/** Same folding as the intents: lower case, no accents, straight apostrophes. */
export function foldText(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[’‘`]/g, "'")
		.toLowerCase()
		.replace(/ł/g, 'l')
		.replace(/[\u064b-\u065f\u0670\u0640]/g, '')
		.replace(/[أإآٱ]/g, 'ا')
		.replace(/ة/g, 'ه')
		.replace(/ى/g, 'ي')
		.trim();
}

// Spellings parents use for the same word, rewritten before any date rule runs.
const SPELLINGS: [RegExp, string][] = [
	[/\b(tmrw|tmrow|tmoz|tmr|tmw|tmorrow|tomoz|tomo|2moro|2morro|2morrow|2mrw|2moz|tomorow|tommorow|tommorrow|tomorrw|tomrrow|tomorro|tomoro|tomrw|tommoro|morrow)\b/g, 'tomorrow'],
	[/\b(tdy|2day|todya|tday|toady)\b/g, 'today'],
	[/\b(mon)\b/g, 'monday'],
	[/\b(tue|tues|tuesd|teusday|tuseday|tusday)\b/g, 'tuesday'],
	[/\b(wed|weds|wednes|wensday|wendsday|wednsday|wedensday|wednesdy)\b/g, 'wednesday'],
	[/\b(thu|thur|thurs|thursd|thrusday|thurday|thursdy)\b/g, 'thursday'],
	[/\b(fri|frid|firday|fridy|friady)\b/g, 'friday'],
	[/\b(sat)\b/g, 'saturday'],
	[/\b(nxt)\b/g, 'next'],
	[/\b(wk|wkd)\b/g, 'week'],
	[/\b(til|till|untill|untl|utill|til'|'til|till')\b/g, 'until'],
	[/\b(aft|arvo)\b/g, 'afternoon'],
	[/\b(mornin|morn)\b/g, 'morning']
];

export function normaliseDateWords(folded: string): string {
	let t = ` ${folded} `;
	for (const [re, to] of SPELLINGS) t = t.replace(re, to);
	return t.replace(/\s+/g, ' ').trim();
}

const WEEKDAY_WORDS: [number, string[]][] = [
	[1, ['monday', 'poniedzialek', 'poniedzialku', 'luni', 'الاثنين', 'الإثنين', 'اثنين', 'সোমবার', 'shombar', 'sombar']],
	[2, ['tuesday', 'wtorek', 'wtorku', 'marti', 'الثلاثاء', 'ثلاثاء', 'মঙ্গলবার', 'mongolbar']],
	[3, ['wednesday', 'sroda', 'srode', 'srody', 'miercuri', 'الاربعاء', 'اربعاء', 'বুধবার', 'budhbar']],
	[4, ['thursday', 'czwartek', 'czwartku', 'joi', 'الخميس', 'خميس', 'বৃহস্পতিবার', 'brihospotibar']],
	[5, ['friday', 'piatek', 'piatku', 'vineri', 'الجمعه', 'جمعه', 'শুক্রবার', 'shukrobar', 'sukrobar']],
	[6, ['saturday', 'sobota', 'sobote', 'sambata', 'السبت', 'শনিবার', 'shonibar']],
	[0, ['sunday', 'sun', 'niedziela', 'niedziele', 'duminica', 'الاحد', 'রবিবার', 'robibar']]
];

const TODAY_WORDS = ['today', 'this morning', 'this afternoon', 'dzisiaj', 'dzis', 'azi', 'astazi', 'اليوم', 'আজ', 'aaj', 'aj'];
const TOMORROW_WORDS = ['tomorrow', 'jutro', 'maine', 'غدا', 'بكره', 'بكرا', 'আগামীকাল', 'কাল', 'agamikal', 'kal'];
const DAY_AFTER_WORDS = ['day after tomorrow', 'pojutrze', 'poimaine', 'بعد غد', 'بعد بكره', 'পরশু', 'porshu'];
const YESTERDAY_WORDS = ['yesterday', 'wczoraj', 'ieri', 'امس', 'البارحه', 'গতকাল', 'gotokal'];
const OPEN_WORDS = [
	'until further notice', 'further notice', 'not sure when', "don't know when", 'dont know when', 'do not know when', 'no idea when',
	'until (he|she|they)(\'s| is| are)? better', 'until (he|she|they)(\'re| are| is|\'s)? (well|better|recovered)', 'until better', 'for a few days', 'for a while',
	'for the foreseeable', 'indefinitely', 'not sure how long', "don't know how long", 'dont know how long', 'unknown',
	"until (?:the |his |her |their )?(?:spots|rash|temperature|temp|fever|symptoms|sickness|vomiting|antibiotics|doctor|gp|he|she|they|it)\\b",
	'do odwolania', 'nie wiem jak dlugo', 'pana la noi ordine', 'nu stiu cat', 'حتى اشعار اخر', 'لا اعرف متى', 'অনির্দিষ্ট', 'জানি না কবে'
];

const LATIN = /^[a-z0-9' ()|?-]+$/;
const phraseCache = new Map<readonly string[], RegExp>();
function phraseRe(list: readonly string[]): RegExp {
	const hit = phraseCache.get(list);
	if (hit) return (hit.lastIndex = 0), hit;
	const re = buildPhraseRe(list);
	phraseCache.set(list, re);
	return re;
}
function buildPhraseRe(list: readonly string[]): RegExp {
	const parts = list.map((w) => (LATIN.test(w) ? w : foldText(w))).map((w) => (LATIN.test(w) ? `(?<![\\p{L}\\p{M}\\p{N}])(?:${w})(?![\\p{L}\\p{M}\\p{N}])` : `(?:${w})`));
	return new RegExp(parts.join('|'), 'gu');
}

/** Each weekday's words, with "next"/"this"/"last" before them, compiled once. */
const WEEKDAY_RES: [number, RegExp][] = WEEKDAY_WORDS.flatMap(([wd, words]) =>
	words.map((x): [number, RegExp] => {
		const w = LATIN.test(x) ? x : foldText(x);
		return [
			wd,
			LATIN.test(w)
				? new RegExp(`(?:\\b(next|this|last|this coming|coming|on|w|in|pe|في|يوم)\\s+)?(?<![\\p{L}])${w}s?(?![\\p{L}])`, 'gu')
				: new RegExp(`(?:(next|القادم|الجاي)\\s+)?${w}`, 'gu')
		];
	})
);
const NEXT_WEEK_DAY_RES: [number, RegExp][] = WEEKDAY_WORDS.map(([wd, words]) => {
	const names = words.filter((w) => LATIN.test(w)).join('|');
	return [wd, new RegExp(`\\b(?:(${names}) (?:of )?next week|next week (?:on )?(${names}))\\b`, 'g')];
});

interface Mention {
	start: number;
	end: number;
	/** A single day, or a stretch. */
	from: IsoDate;
	to: IsoDate | null;
	/** Other plausible readings ("next Tuesday"). */
	alternatives?: IsoDate[];
	/** A weekday name: "until Friday" may mean "back on Friday". */
	weekday?: boolean;
}

function weekdayDate(today: IsoDate, weekday: number, mode: 'plain' | 'next' | 'this' | 'last'): { date: IsoDate; alt?: IsoDate } {
	const ahead = (weekday - dayOfWeek(today) + 7) % 7;
	if (mode === 'last') return { date: addDays(today, ahead === 0 ? -7 : ahead - 7) };
	if (mode === 'next') {
		// British "next Tuesday" on a Monday may be tomorrow or the week after: ask.
		if (ahead > 0 && dayOfWeek(today) !== 0 && dayOfWeek(today) !== 6 && weekday !== 0 && weekday !== 6 && ahead < 7 - (dayOfWeek(today) - 1)) {
			const thisWeek = addDays(today, ahead);
			// Only ambiguous while that day is still to come this school week.
			if (dayOfWeek(thisWeek) > dayOfWeek(today)) return { date: addDays(thisWeek, 7), alt: thisWeek };
		}
		return { date: addDays(today, ahead === 0 ? 7 : ahead) };
	}
	return { date: addDays(today, ahead) };
}

const MONTHS_RE = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sty|lut|kwi|maj|cze|lip|sie|wrz|paz|lis|gru|ian|iun|iul|noi/;

/** Explicit calendar dates ("3rd Dec", "3/12", "the 9th"), year inferred around today. */
function explicitDates(t: string, today: IsoDate): Mention[] {
	const out: Mention[] = [];
	const ref = { instant: new Date(`${today}T12:00:00Z`), timezone: 'UTC' };
	const year = Number(today.slice(0, 4));
	const pick = (day: number, month: number, y?: number): IsoDate | null => {
		const iso = (yy: number) => `${yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
		if (month < 1 || month > 12 || day < 1 || day > 31) return null;
		if (y) return iso(y);
		const candidate = iso(year);
		// Early January written in December is next year; a date a few days ago is the past.
		return daysBetween(candidate, today) > 60 ? iso(year + 1) : candidate;
	};
	// chrono only for what looks like a calendar date: a slash, or a month's name.
	const results = /\d\s*\/\s*\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/.test(t) ? chrono.en.GB.parse(t, ref) : [];
	for (const r of results) {
		const known = (c: chrono.ParsedComponents, f: 'day' | 'month' | 'year') => (c.isCertain(f) ? (c.get(f) ?? undefined) : undefined);
		const k = { day: known(r.start, 'day'), month: known(r.start, 'month'), year: known(r.start, 'year') };
		if (k.day === undefined || k.month === undefined) continue;
		if (!/\//.test(r.text) && !MONTHS_RE.test(r.text)) continue;
		const from = pick(k.day, k.month, k.year);
		if (!from) continue;
		let to: IsoDate | null = null;
		const endDay = r.end ? known(r.end, 'day') : undefined;
		if (r.end && endDay !== undefined) to = pick(endDay, known(r.end, 'month') ?? k.month, known(r.end, 'year'));
		out.push({ start: r.index, end: r.index + r.text.length, from, to });
	}
	// "the 9th", "on the 23rd": this month, or next month once that day has passed.
	for (const m of t.matchAll(/\b(?:on |for |off )?(?:the )?(\d{1,2})(?:st|nd|rd|th)\b(?! (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/g)) {
		const day = Number(m[1]);
		let month = Number(today.slice(5, 7));
		let y = year;
		if (day < Number(today.slice(8, 10))) {
			month += 1;
			if (month > 12) { month = 1; y += 1; }
		}
		const from = pick(day, month, y);
		if (from && !out.some((o) => o.start <= m.index! && m.index! < o.end)) out.push({ start: m.index!, end: m.index! + m[0].length, from, to: null });
	}
	return out;
}

function mentions(t: string, today: IsoDate): Mention[] {
	const out: Mention[] = [];
	const add = (m: Mention) => {
		if (!out.some((o) => m.start < o.end && o.start < m.end)) out.push(m);
	};
	for (const m of t.matchAll(phraseRe(DAY_AFTER_WORDS))) add({ start: m.index!, end: m.index! + m[0].length, from: addDays(today, 2), to: null });
	// "lost his nan yesterday, he won't be in": yesterday is when something happened, not the absence.
	const aboutNow = /\b(won'?t|wont|will|not coming|today|tomorrow|keeping|staying)\b/.test(t) && !/\b(was|were)\b/.test(t);
	if (!aboutNow) for (const m of t.matchAll(phraseRe(YESTERDAY_WORDS))) add({ start: m.index!, end: m.index! + m[0].length, from: addDays(today, -1), to: null });
	// "Tuesday next week", "next week Tuesday"
	for (const [wd, re] of NEXT_WEEK_DAY_RES) {
		for (const m of t.matchAll(re)) {
			const monday = addDays(today, 7 - ((dayOfWeek(today) + 6) % 7));
			add({ start: m.index!, end: m.index! + m[0].length, from: addDays(monday, (wd + 6) % 7), to: null, weekday: true });
		}
	}
	// Week words.
	const fridayThisWeek = addDays(today, Math.max(0, 5 - dayOfWeek(today)));
	const nextMonday = addDays(today, 7 - ((dayOfWeek(today) + 6) % 7));
	for (const m of t.matchAll(/\b(?:(?:all|whole|the whole|all of|the rest of|for the rest of|rest of) )?(?:the )?next week\b|\bprzyszly tydzien\b|\bprzyszlym tygodniu\b|\bsaptamana viitoare\b|\bالاسبوع القادم\b|\bআগামী সপ্তাহ/gu)) {
		add({ start: m.index!, end: m.index! + m[0].length, from: nextMonday, to: addDays(nextMonday, 4) });
	}
	const lastMonday = addDays(nextMonday, -14);
	for (const m of t.matchAll(/\blast week\b/g)) add({ start: m.index!, end: m.index! + m[0].length, from: lastMonday, to: addDays(lastMonday, 4) });
	for (const m of t.matchAll(/\b(?:(?:for )?the rest of (?:the|this) week|rest of (?:the |this )?week|all (?:this )?week|the whole week|whole week|for the week|this week|caly tydzien|cala saptamana|toata saptamana)\b/g)) {
		add({ start: m.index!, end: m.index! + m[0].length, from: today, to: fridayThisWeek });
	}
	for (const m of t.matchAll(phraseRe(TOMORROW_WORDS))) add({ start: m.index!, end: m.index! + m[0].length, from: addDays(today, 1), to: null });
	for (const m of t.matchAll(phraseRe(TODAY_WORDS))) add({ start: m.index!, end: m.index! + m[0].length, from: today, to: null });
	for (const m of explicitDates(t, today)) add(m);
	for (const [wd, re] of WEEKDAY_RES) {
		{
			for (const m of t.matchAll(re)) {
				const after = t.slice(m.index! + m[0].length, m.index! + m[0].length + 12);
				const nextAfter = /^\s*(?:القادم|الجاي|viitoare|viitor)/.test(after);
				// "he was sick on Monday too": a day in a clause about the past is the last one.
				const clause = t.slice(0, m.index!).split(/[,.;!?]| and | but /).at(-1) ?? '';
				const past = /\b(?:was|were|had|has been|have been|been)\b/.test(clause) && !/\b(?:will|going to|gonna)\b/.test(clause);
				const mode = m[1] === 'next' || nextAfter || m[1] === 'القادم' ? 'next' : m[1] === 'last' || (past && m[1] !== 'this') ? 'last' : 'plain';
				// "died on Sunday", "ill since Monday": when something happened, not the days off.
				if (/\b(?:died|passed away|passed|happened|started|began|since|was|were|had|came home|got home|sent home)\s+(?:on\s+|last\s+)?$/.test(t.slice(Math.max(0, m.index! - 25), m.index!)) && m[1] !== 'next') continue;
				const d = weekdayDate(today, wd, mode);
				add({ start: m.index!, end: m.index! + m[0].length, from: d.date, to: null, alternatives: d.alt ? [d.alt] : undefined, weekday: true });
			}
		}
	}
	// "will update you tomorrow", "I'll ring on Monday": when the parent will be in touch, not a day off.
	for (let i = out.length - 1; i >= 0; i--) {
		const before = t.slice(Math.max(0, out[i]!.start - 30), out[i]!.start);
		if (/\b(?:update|let you know|call|ring|phone|text|message|email|see how|keep you posted|be in touch|get back to you|contact you)\b[^,.;!]*$/.test(before)) out.splice(i, 1);
	}
	out.sort((a, b) => a.start - b.start);
	// "Thursday 12th", "Mon 9 Nov": one day, named twice.
	for (let i = 0; i + 1 < out.length; i++) {
		const a = out[i]!;
		const b = out[i + 1]!;
		if (a.weekday && !b.weekday && /^[\s,]*(?:the\s+)?$/.test(t.slice(a.end, b.start))) {
			if (dayOfWeek(b.from) === dayOfWeek(a.from)) out.splice(i, 1);
			else b.alternatives = [a.from];
		}
	}
	return out;
}

function schoolDaysIn(cal: SchoolCalendar | undefined, from: IsoDate, to: IsoDate): IsoDate[] {
	if (cal) return schoolDaysBetween(cal, from, to);
	const out: IsoDate[] = [];
	for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) if (dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6) out.push(d);
	return out;
}

function nextSchoolDayFrom(cal: SchoolCalendar | undefined, date: IsoDate): IsoDate {
	if (cal) return addSchoolDays(cal, date, 1) ?? addDays(date, 1);
	let d = addDays(date, 1);
	while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d = addDays(d, 1);
	return d;
}

const single = (d: IsoDate): DateRange => ({ from: d, to: null, untilFurtherNotice: false });
const span = (from: IsoDate, to: IsoDate | null): DateRange => (to && to !== from ? { from, to, untilFurtherNotice: false } : single(from));

/** The days a message means. `time` ('HH:MM', the school's local time) makes "Sam is ill" at 7pm a question. */
export function readDates(folded: string, opts: { today: IsoDate; time?: string; calendar?: SchoolCalendar }): DateReading {
	const t = normaliseDateWords(folded);
	const { today, calendar } = opts;
	const ms = mentions(t, today);
	const open = phraseRe(OPEN_WORDS).test(t);

	if (ms.length === 0) {
		if (open) return { range: { from: today, to: null, untilFurtherNotice: true }, said: true };
		const weeks = /\bfor (\d|a|one|two|three|four|a couple of) weeks?\b/.exec(t);
		if (weeks) {
			const words: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, 'a couple of': 2 };
			const count = Number(weeks[1]) || words[weeks[1]!] || 1;
			let last = addDays(today, 7 * count - 1);
			while (compareDates(last, today) > 0 && schoolDaysIn(calendar, last, last).length === 0) last = addDays(last, -1);
			// From when? Usually today, but "two weeks after his operation" may not be: confirm.
			return { range: span(today, last), said: true, options: [span(today, last)] };
		}
		const n = /\bfor (\d|one|two|three|four|five|a couple of) (?:school )?days\b|\b(\d|two|three|four|five) days\b/.exec(t);
		if (n) {
			const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, 'a couple of': 2 };
			const count = Number(n[1] ?? n[2]) || words[n[1] ?? n[2]!] || 1;
			const days = [today];
			while (days.length < count) days.push(nextSchoolDayFrom(calendar, days.at(-1)!));
			return { range: span(today, days.at(-1)!), said: true };
		}
		// Nothing said: today, unless today is over or not a school day (then ask).
		const schoolToday = calendar ? isSchoolDay(calendar, today) : dayOfWeek(today) !== 0 && dayOfWeek(today) !== 6;
		const next = nextSchoolDayFrom(calendar, today);
		if (!schoolToday) return { range: single(next), said: false, options: [single(next)] };
		if (opts.time && opts.time >= '15:30') return { range: single(next), said: false, options: [single(next), single(today)] };
		return { range: single(today), said: false };
	}

	const first = ms[0]!;
	const gap = (a: Mention, b: Mention) => t.slice(a.end, b.start);

	// "from X to Y", "X - Y", "X until Y", "between X and Y"
	if (ms.length >= 2) {
		const between = gap(first, ms[1]!);
		if (/^\s*(?:-|–|to|until|through|thru|do|pana|pana la|الى|حتى|থেকে)\s*(?:the\s+)?$/.test(between)) {
			const to = ms[1]!.to ?? ms[1]!.from;
			return { range: span(first.from, to), said: true };
		}
	}
	// "until Friday" / "back on Monday" / "off till the 9th"
	const untilIdx = t.search(/\b(?:until|up to|up until|through to|upto|do|pana|pana la|حتى|পর্যন্ত)\b/u);
	const backRe = /\b(?:back(?: (?:at|in|to) school)?|return(?:s|ing)?(?: to school)?|in school|(?<!(?:n't|nt|not|never) )(?:will be|'ll be|be|coming|come|going) in(?: to school| school)?|wraca|wroci|se intoarce|يرجع|ترجع|يعود|تعود|ফিরবে)\s+(?:on\s+)?(?:the\s+)?$/u;
	for (const [i, m] of ms.entries()) {
		const before = t.slice(Math.max(0, m.start - 30), m.start);
		const start = i > 0 && !backRe.test(before) ? ms[0]! : null;
		const from = start && start !== m ? start.from : today;
		if (backRe.test(before)) {
			let last = addDays(m.from, -1);
			const fromDay = i > 0 ? ms[0]!.from : today;
			while (compareDates(last, fromDay) > 0 && schoolDaysIn(calendar, last, last).length === 0) last = addDays(last, -1);
			if (compareDates(last, fromDay) < 0) return { range: single(fromDay), said: true };
			return { range: span(fromDay, last), said: true };
		}
		if (untilIdx >= 0 && untilIdx < m.start && /(?:until|up to|up until|through to|upto|do|pana|pana la|حتى|পর্যন্ত)\s+(?:the\s+|next\s+|this\s+)?$/u.test(before)) {
			const end = m.to ?? m.from;
			const inclusive = /\b(?:inclusive|including|and including|to the end of)\b/.test(t);
			let dayBefore = addDays(end, -1);
			while (compareDates(dayBefore, from) > 0 && schoolDaysIn(calendar, dayBefore, dayBefore).length === 0) dayBefore = addDays(dayBefore, -1);
			if (inclusive || compareDates(dayBefore, from) < 0) return { range: span(from, end), said: true };
			// "off until Friday": off on Friday too, or back on Friday? Ask.
			return { range: span(from, end), said: true, options: [span(from, end), span(from, dayBefore)] };
		}
	}
	if (open) return { range: { from: first.from, to: null, untilFurtherNotice: true }, said: true };

	// Several days named: "Thursday and Friday" (one stretch), "Monday and Wednesday" (two).
	if (ms.length >= 2 && ms.every((m, i) => i === 0 || /^[\s,&+]*(?:and|n|i|si|و|ও|or|\/)?[\s,&+]*(?:on\s+)?$/u.test(gap(ms[i - 1]!, m)))) {
		if (ms.some((m) => m.alternatives)) {
			return { range: single(first.from), said: true, options: [single(first.from), ...first.alternatives!.map(single)] };
		}
		if (/\bor\b/.test(gap(first, ms[1]!))) return { range: single(first.from), said: true, options: ms.map((m) => single(m.from)) };
		const days = [...new Set(ms.flatMap((m) => (m.to ? schoolDaysIn(calendar, m.from, m.to) : [m.from])))].sort();
		const ranges: DateRange[] = [];
		for (const d of days) {
			const last = ranges.at(-1);
			const lastDay = last ? (last.to ?? last.from) : null;
			if (last && lastDay && schoolDaysIn(calendar, addDays(lastDay, 1), d).length <= 1 && compareDates(d, lastDay) > 0) last.to = d;
			else ranges.push(single(d));
		}
		return { range: ranges[0]!, said: true, more: ranges.length > 1 ? ranges.slice(1) : undefined };
	}
	// "off tomorrow too": today and the day named.
	if (ms.length === 1 && compareDates(first.from, today) > 0 && /^\s*(?:too|as well|also)\b/.test(t.slice(first.end))) return { range: span(today, first.to ?? first.from), said: true };
	if (first.alternatives) return { range: single(first.from), said: true, options: [single(first.from), ...first.alternatives.map(single)] };
	// Two different days that do not read as a list ("today, sorry, tomorrow"): ask which.
	const distinct = [...new Set(ms.map((m) => `${m.from}|${m.to}`))];
	if (distinct.length > 1) return { range: span(first.from, first.to), said: true, options: ms.map((m) => span(m.from, m.to)) };
	return { range: span(first.from, first.to), said: true };
}

/** Past, too far ahead, or no school on those days; null when the dates can be reported. */
export function dateProblem(range: DateRange, opts: { today: IsoDate; calendar?: SchoolCalendar; maxSchoolDaysAhead?: number }): DateProblem | null {
	const { today, calendar } = opts;
	const last = range.to ?? range.from;
	if (compareDates(range.from, today) < 0) return 'past';
	const max = opts.maxSchoolDaysAhead ?? MAX_SCHOOL_DAYS_AHEAD;
	if (calendar) {
		const horizon = addSchoolDays(calendar, today, max);
		if (!horizon || compareDates(last, horizon) > 0) {
			// Beyond the terms we know, or past the limit.
			if (!horizon || !termContaining(calendar, last) || compareDates(last, horizon) > 0) {
				if (schoolDaysBetween(calendar, today, last).length > max || !calendar.terms.some((tm) => compareDates(tm.endsOn, last) >= 0)) return 'too_far';
			}
		}
		if (range.untilFurtherNotice) return schoolDaysBetween(calendar, range.from, addDays(range.from, 30)).length === 0 ? 'closed' : null;
		return schoolDaysBetween(calendar, range.from, last).length === 0 ? 'closed' : null;
	}
	if (daysBetween(today, last) > 90) return 'too_far';
	return schoolDaysIn(undefined, range.from, range.untilFurtherNotice ? addDays(range.from, 6) : last).length === 0 ? 'closed' : null;
}

// ---------------------------------------------------------------------------------------------
// Times and part days
// ---------------------------------------------------------------------------------------------

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
const HOUR = '(\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)';

function hhmm(h: number, min: number, meridiem?: string): string | null {
	if (meridiem === 'pm' && h < 12) h += 12;
	else if (meridiem === 'am' && h === 12) h = 0;
	else if (!meridiem && h >= 1 && h <= 6) h += 12; // "at 2" in a school day is 2pm
	if (h > 23 || min > 59) return null;
	return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

interface TimeHit {
	at: number;
	end: number;
	time: string;
}

function timesIn(t: string): TimeHit[] {
	const out: TimeHit[] = [];
	const add = (index: number, len: number, time: string | null) => {
		if (time && !out.some((o) => index < o.end && o.at < index + len)) out.push({ at: index, end: index + len, time });
	};
	const num = (s: string) => NUMBER_WORDS[s] ?? Number(s);
	for (const m of t.matchAll(new RegExp(`\\bhalf (?:past )?${HOUR}\\b`, 'g'))) add(m.index!, m[0].length, hhmm(num(m[1]!), 30));
	for (const m of t.matchAll(new RegExp(`\\bquarter past ${HOUR}\\b`, 'g'))) add(m.index!, m[0].length, hhmm(num(m[1]!), 15));
	for (const m of t.matchAll(new RegExp(`\\bquarter to ${HOUR}\\b`, 'g'))) add(m.index!, m[0].length, hhmm(num(m[1]!) - 1 || 12, 45));
	for (const m of t.matchAll(/\b(\d{1,2})[:.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?(?![\d/])/g)) add(m.index!, m[0].length, hhmm(Number(m[1]), Number(m[2]), m[3]?.replace(/\./g, '')));
	for (const m of t.matchAll(/\b(\d{1,2})\s*(am|pm)\b/g)) add(m.index!, m[0].length, hhmm(Number(m[1]), 0, m[2]));
	for (const m of t.matchAll(/\b(noon|midday|lunchtime|lunch time|lunch)\b/g)) add(m.index!, m[0].length, '12:00');
	// "at 10", "by 10", "for 9", "o 10" (pl), "la 10" (ro), "الساعة 10"
	for (const m of t.matchAll(new RegExp(`(?:\\b(?:at|by|for|around|about|o|la|ora)|الساعه)\\s+${HOUR}(?:\\s*o'?clock)?(?![\\d:./]|\\s*(?:days?|weeks?|th|st|nd|rd|mins?|minutes|hours?))`, 'gu'))) {
		add(m.index!, m[0].length, hhmm(num(m[1]!), 0));
	}
	return out.sort((a, b) => a.at - b.at);
}

/** Times and the part of the day a message points to. */
export function readTimes(folded: string): TimeReading {
	const t = normaliseDateWords(folded);
	const reading: TimeReading = { lateArrival: false };
	const hits = timesIn(t);
	for (const h of hits) {
		const before = t.slice(Math.max(0, h.at - 40), h.at);
		const tail = before.split(/[,.;!]| and | but | then /).at(-1) ?? before;
		if (/\b(leav\w*|pick\w*(?: \w+)? up|collect\w*|out|finish\w*|go(?:ing)? home|home|sign\w* (?:him|her|them) out)\b[^,]*$/.test(tail) && !/\b(?:back|in by|arriv)/.test(tail)) reading.leavesAt ??= h.time;
		else if (/\b(back|return\w*)\b[^,]*$/.test(tail)) reading.returnsAt ??= h.time;
		else if (/\b(in|arriv\w*|late|drop\w*(?: \w+)? off|bring\w*(?: \w+)? in|there|school)\b\s*(?:by|at|for|around|about)?\s*$/.test(tail) || /\bin by\b/.test(tail)) reading.arrivesBy ??= h.time;
		else reading.appointmentAt ??= h.time;
	}
	if (/\b(?:in|back|coming in|come in|be in|arriv\w*|bring (?:him|her|them) in)\b (?:school )?(?:after|for the afternoon|at lunch|after dinner)|\bafter lunch\b|\bafter dinner\b|\bin for (?:the )?afternoon\b|\bfor the afternoon session\b/.test(t)) {
		if (!/\b(?:leav\w*|pick\w* (?:\w+ )?up|home)\b[^,.]*\b(?:lunch|after lunch)\b/.test(t)) {
			// In after lunch: misses the morning session; "lunch" is not an appointment time.
			reading.sessions = 'AM';
			if (reading.appointmentAt === '12:00') delete reading.appointmentAt;
			if (reading.arrivesBy === '12:00') reading.arrivesBy = '13:00';
		}
	}
	if (!reading.sessions) {
		if (/\b(?:leav\w*|pick\w* (?:\w+ )?up|collect\w*|going home|go home|home)\b[^,.]*\b(?:lunch|lunchtime|midday|noon)\b/.test(t)) {
			reading.sessions = 'PM';
			reading.leavesAt ??= '12:00';
			if (reading.appointmentAt === '12:00') delete reading.appointmentAt;
		} else if (/\b(all day|whole day|full day|the day)\b/.test(t)) reading.sessions = 'BOTH';
		else if (/(?<![\p{L}])(morning|am only|a\.m\. only|rano|dimineata|dimineața|الصباح|সকাল|sokal)(?![\p{L}])/u.test(t)) { reading.sessions = 'AM'; reading.sessionsFromWord = true; }
		else if (/(?<![\p{L}])(afternoon|pm only|p\.m\. only|po poludniu|popoludniu|dupa-amiaza|dupa amiaza|بعد الظهر|বিকেল|bikel)(?![\p{L}])/u.test(t)) { reading.sessions = 'PM'; reading.sessionsFromWord = true; }
		if (reading.sessionsFromWord && /\b(only|off|miss\w*|absent|out|home) (?:for )?(?:this|the) (?:morning|afternoon)\b|\b(?:morning|afternoon) only\b/.test(t)) reading.sessionsFromWord = false;
	}
	if (/\b(late|running late|be in by|in by|arriv\w* late|after (?:his|her|their) appointment|bit late)\b/.test(t) && (reading.arrivesBy || reading.returnsAt)) {
		const at = reading.arrivesBy ?? reading.returnsAt!;
		if (at < '12:00') reading.lateArrival = true;
	}
	// "Sam will be late" with no time is a late arrival too (the bus being late is not).
	if (!reading.lateArrival && !reading.arrivesBy && /\b(?:will|'ll|is going to|are going to|gonna|might|may) be (?:a bit |a little |slightly |very )?late\b|\brunning late\b/.test(t)) reading.lateArrival = true;
	return reading;
}

/** The register sessions a reading affects, for a report of `reason`-ish kind. */
export function sessionsFor(reading: TimeReading, opts: { appointment: boolean }): ReportSessions {
	// "temperature this morning, keeping him home" is the whole day; "dentist this morning" is not.
	if (reading.sessions && !(reading.sessionsFromWord && !opts.appointment)) return reading.sessions;
	if (reading.lateArrival) return 'AM';
	if (reading.leavesAt && reading.returnsAt) return reading.returnsAt <= '13:30' ? 'AM' : 'PM';
	if (reading.leavesAt) return 'PM';
	if (reading.arrivesBy) return reading.arrivesBy < '13:30' ? 'AM' : 'BOTH';
	if (reading.returnsAt) return reading.returnsAt <= '13:30' ? 'AM' : 'BOTH';
	if (reading.appointmentAt && opts.appointment) {
		if (reading.appointmentAt >= '07:00' && reading.appointmentAt < '12:00') return 'AM';
		if (reading.appointmentAt >= '12:00' && reading.appointmentAt <= '17:00') return 'PM';
	}
	return 'BOTH';
}
