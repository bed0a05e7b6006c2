/**
 * The channel-neutral conversation engine: (stored state, the parent's message) → replies, each
 * with optional choices, and the next state. It knows nothing of SMS or Telegram (the adapters
 * render choices as numbered lines or inline buttons) nor of the database: it calls the same
 * services as the web through the `BotServices` it is given.
 *
 * Nothing is stored on a guess. Whatever the words leave open (which child, which day, why) is
 * asked, one short question at a time with numbered options, and the report is only made once
 * every part is known. A follow-up within a few minutes ("sorry, I meant Friday", "and Ella
 * too") changes the report just made, while the school has not yet acknowledged it.
 */
import type { AbsenceReason, PartDay, ReportSessions } from '../src/lib/domain/absence';
import type { IsoDate, SchoolCalendar } from '../src/lib/domain/calendar';
import type { DateRange } from '../src/lib/domain/bot-dates';
import type { Locale } from '../src/lib/domain/locale';
import { formatLongDate, joinNames, reasonLabel } from '../src/lib/i18n';
import { m } from '../src/lib/paraglide/messages';
import { parseIntent, type AmendIntent, type ChildName, type ReportIntent } from './understanding';

export interface BotReply {
	text: string;
	/** Offered answers: Telegram buttons, or numbered lines in an SMS. The parent may reply with the number. */
	choices?: string[];
}

/** Times the parent gave, 'HH:MM'. */
export interface ReportTimes {
	leavesAt?: string;
	returnsAt?: string;
	arrivesBy?: string;
	appointmentAt?: string;
}

export interface ReportRequest {
	pupilIds: string[];
	reason: AbsenceReason;
	details: string;
	dates: DateRange;
	sessions: ReportSessions;
	times?: ReportTimes;
	/** A late arrival ("in by 10"): a note for the register rather than an absence. */
	lateArrival?: boolean;
}

export interface ReportChange {
	/** The reports made a few minutes ago, in this conversation. */
	reportIds: string[];
	dates?: DateRange;
	reason?: AbsenceReason;
	sessions?: ReportSessions;
	/** Children whose reports are withdrawn ("I meant Ella", not Sam). */
	withdrawPupilIds?: string[];
}

export interface BotContext {
	now: Date;
	/** Today and the time now, in the school's zone. */
	today: IsoDate;
	time: string;
	calendar?: SchoolCalendar;
}

export type ReportOutcome = { ok: true; text: string; reportIds: string[] } | { ok: false; text: string };

export interface BotServices {
	children(): Promise<ChildName[]>;
	context(): Promise<BotContext>;
	/** Stores the reports (idempotent for this message) and says what was done, or why not. */
	report(requests: ReportRequest[]): Promise<ReportOutcome>;
	/** Changes reports made a few minutes ago (refused once the school has acknowledged them). */
	amend(change: ReportChange): Promise<{ ok: boolean; text: string }>;
	attendance(): Promise<string>;
	help(text: string): Promise<string>;
	checkIn(answer: 'still_off' | 'back'): Promise<string>;
	optOut(): Promise<string>;
	optIn(): Promise<string>;
}

/** How long after a report a follow-up message changes it. */
export const AMEND_WINDOW_MS = 10 * 60_000;

/** One report being put together: the children or the reason may still be missing. */
interface DraftItem {
	pupilIds: string[];
	reason: AbsenceReason | null;
	dates: DateRange;
	sessions: ReportSessions;
	times?: ReportTimes;
	lateArrival?: boolean;
}

interface Draft {
	items: DraftItem[];
	details: string;
	/** Readings of the days still to choose between, and the items they are for. */
	dateOptions?: DateRange[];
	dateOptionItems?: number[];
	/** Which children the words could mean. */
	childOptions?: string[][];
	/** A name we did not know, learned as a nickname once the parent says who. */
	unknownName?: string;
}

interface Option {
	label: string;
	pupilIds?: string[];
	dates?: DateRange;
	reason?: AbsenceReason;
}

/** What we were waiting for, kept between messages (JSON in the database). */
export interface BotState {
	pending?: 'child' | 'reason' | 'date' | 'amend_date';
	draft?: Draft;
	/** The item being asked about. */
	index?: number;
	options?: Option[];
	/** The reports just made, so a follow-up can change them. */
	recent?: { at: string; reportIds: string[]; pupilIds: string[]; request: ReportRequest };
	/** Names the parent uses for their children ("Jack" → Sam's id): nicknames learned from answers. */
	aliases?: Record<string, string>;
}

const REASON_CHOICES: AbsenceReason[] = ['illness', 'medical_appointment', 'mental_health', 'family_emergency', 'other'];

/** What the parent can text, in their language (the words the bot understands are English). */
export const menu = (locale: Locale = 'en') => m.bot_menu({}, { locale });

function withChoices(text: string, choices: string[]): BotReply {
	return { text, choices };
}

/**
 * The part of one day the parent's times describe, so that only the sessions actually missed
 * count: a child in school when the register is taken who leaves later for an appointment is not
 * absent for that session. "Back by 11" without a time of leaving means away from the start of
 * the day, as a late arrival is. Null when the report covers more than one day, or the times do
 * not say when the child is away (an appointment's time alone says nothing of when they leave).
 */
export function partDayFor(request: Pick<ReportRequest, 'dates' | 'times'>): PartDay | null {
	const t = request.times;
	const oneDay = !request.dates.untilFurtherNotice && (!request.dates.to || request.dates.to === request.dates.from);
	if (!t || !oneDay) return null;
	if (t.leavesAt && t.returnsAt) return t.returnsAt > t.leavesAt ? { kind: 'appointment', leavesAt: t.leavesAt, returnsAt: t.returnsAt } : null;
	if (t.leavesAt) return { kind: 'leaving_early', leavesAt: t.leavesAt };
	const arrivesBy = t.arrivesBy ?? t.returnsAt;
	return arrivesBy ? { kind: 'late_arrival', arrivesBy } : null;
}

/** "today", "Friday 6 November 2026", "from … to …", "from … until further notice", with the part of the day. */
export function whenWords(dates: DateRange, sessions: ReportSessions, today: IsoDate, locale: Locale): string {
	const o = { locale };
	const day = (d: IsoDate) => (d === today ? m.bot_today({}, o) : formatLongDate(d, locale));
	let when: string;
	if (dates.untilFurtherNotice) when = m.bot_when_open({ from: day(dates.from) }, o);
	else if (dates.to && dates.to !== dates.from) when = m.bot_when_range({ from: day(dates.from), to: formatLongDate(dates.to, locale) }, o);
	else when = day(dates.from);
	if (sessions === 'AM') return m.bot_when_morning({ when }, o);
	if (sessions === 'PM') return m.bot_when_afternoon({ when }, o);
	return when;
}

function names(children: ChildName[], ids: string[], locale: Locale): string {
	return joinNames(ids.map((id) => children.find((c) => c.pupilId === id)?.name ?? '?'), locale);
}

function fold(s: string): string {
	return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

/** The sender's children, with the nicknames they have used before. */
function withAliases(children: ChildName[], aliases: Record<string, string> | undefined): ChildName[] {
	if (!aliases) return children;
	return children.map((c) => {
		const extra = Object.entries(aliases)
			.filter(([, id]) => id === c.pupilId)
			.map(([name]) => name);
		return extra.length ? { ...c, aliases: [...(c.aliases ?? []), ...extra] } : c;
	});
}

function keep(state: BotState): BotState {
	// What outlives a question: the nicknames learned and the report just made.
	return { ...(state.aliases ? { aliases: state.aliases } : {}), ...(state.recent ? { recent: state.recent } : {}) };
}

/** Asks the next open question of the draft, or makes the reports once nothing is open. */
async function advance(
	state: BotState,
	draft: Draft,
	services: BotServices,
	ctx: BotContext,
	locale: Locale
): Promise<{ replies: BotReply[]; state: BotState }> {
	const o = { locale };
	const children = await services.children();
	const base = keep(state);
	if (children.length === 0) return { replies: [{ text: m.bot_no_children({}, o) }], state: base };

	for (const [index, item] of draft.items.entries()) {
		if (item.pupilIds.length > 0) continue;
		if (children.length === 1 && !draft.unknownName && !draft.childOptions) {
			item.pupilIds = [children[0]!.pupilId];
			continue;
		}
		const options: Option[] = draft.childOptions
			? draft.childOptions.map((ids) => ({ label: names(children, ids, locale), pupilIds: ids }))
			: [
					...children.map((c) => ({ label: c.name, pupilIds: [c.pupilId] })),
					...(children.length > 1
						? [{ label: children.length === 2 ? m.bot_both({}, o) : m.bot_all({}, o), pupilIds: children.map((c) => c.pupilId) }]
						: [])
				];
		const question = draft.unknownName ? m.bot_who_unknown({ name: draft.unknownName }, o) : m.bot_who({}, o);
		return {
			replies: [withChoices(question, options.map((x) => x.label))],
			state: { ...base, pending: 'child', draft, index, options }
		};
	}
	if (draft.dateOptions && draft.dateOptions.length > 0) {
		const options: Option[] = draft.dateOptions.map((dates) => ({ label: whenWords(dates, 'BOTH', ctx.today, locale), dates }));
		return {
			replies: [withChoices(m.bot_which_day({}, o), options.map((x) => x.label))],
			state: { ...base, pending: 'date', draft, options }
		};
	}
	for (const [index, item] of draft.items.entries()) {
		if (item.reason !== null) continue;
		if (item.lateArrival) {
			// A late arrival needs no reason from a list: the parent's words go to the school.
			item.reason = 'other';
			continue;
		}
		const options: Option[] = REASON_CHOICES.map((r) => ({ label: reasonLabel(r, locale), reason: r }));
		const who = names(children, item.pupilIds, locale);
		return {
			replies: [withChoices(draft.items.length > 1 ? m.bot_reason_for({ names: who }, o) : m.bot_reason({}, o), options.map((x) => x.label))],
			state: { ...base, pending: 'reason', draft, index, options }
		};
	}

	const requests: ReportRequest[] = draft.items.map((item) => ({
		pupilIds: item.pupilIds,
		reason: item.reason!,
		details: draft.details,
		dates: item.dates,
		sessions: item.sessions,
		...(item.times ? { times: item.times } : {}),
		...(item.lateArrival ? { lateArrival: true } : {})
	}));
	const result = await services.report(requests);
	if (!result.ok) return { replies: [{ text: result.text }], state: base };
	return {
		replies: [{ text: result.text }],
		state: {
			...base,
			recent: { at: ctx.now.toISOString(), reportIds: result.reportIds, pupilIds: [...new Set(requests.flatMap((r) => r.pupilIds))], request: requests[0]! }
		}
	};
}

function draftFrom(intent: ReportIntent): Draft {
	return {
		items: intent.items.map((i) => {
			const times: ReportTimes = {
				...(i.leavesAt ? { leavesAt: i.leavesAt } : {}),
				...(i.returnsAt ? { returnsAt: i.returnsAt } : {}),
				...(i.arrivesBy ? { arrivesBy: i.arrivesBy } : {}),
				...(i.appointmentAt ? { appointmentAt: i.appointmentAt } : {})
			};
			return {
				pupilIds: intent.unknownName || intent.childOptions ? [] : i.pupilIds,
				reason: i.reason,
				dates: i.dates,
				sessions: i.sessions,
				...(Object.keys(times).length ? { times } : {}),
				...(i.lateArrival ? { lateArrival: true } : {})
			};
		}),
		details: intent.details,
		...(intent.dateOptions ? { dateOptions: intent.dateOptions, dateOptionItems: intent.dateOptionItems ?? intent.items.map((_, i) => i) } : {}),
		...(intent.childOptions ? { childOptions: intent.childOptions } : {}),
		...(intent.unknownName ? { unknownName: intent.unknownName } : {})
	};
}

function dateProblemText(problem: 'past' | 'too_far' | 'closed', locale: Locale): string {
	const o = { locale };
	if (problem === 'past') return m.bot_date_past({}, o);
	if (problem === 'too_far') return m.bot_date_too_far({}, o);
	return m.bot_date_closed({}, o);
}

async function amend(
	state: BotState,
	intent: AmendIntent,
	services: BotServices,
	ctx: BotContext,
	locale: Locale
): Promise<{ replies: BotReply[]; state: BotState }> {
	const recent = state.recent!;
	const base = keep(state);
	if (intent.dateProblem) return { replies: [{ text: dateProblemText(intent.dateProblem, locale) }], state: base };
	if (intent.dateOptions) {
		const options: Option[] = intent.dateOptions.map((dates) => ({ label: whenWords(dates, 'BOTH', ctx.today, locale), dates }));
		return { replies: [withChoices(m.bot_which_day({}, { locale }), options.map((x) => x.label))], state: { ...base, pending: 'amend_date', options } };
	}
	const replies: BotReply[] = [];
	let next = { ...recent, reportIds: [...recent.reportIds], pupilIds: [...recent.pupilIds] };
	const toAdd = [...intent.addPupilIds, ...intent.replacePupilIds].filter((id) => !recent.pupilIds.includes(id));
	const toWithdraw = intent.replacePupilIds.length ? recent.pupilIds.filter((id) => !intent.replacePupilIds.includes(id)) : [];
	if (intent.dates || intent.reason || intent.sessions || toWithdraw.length) {
		const changed = await services.amend({
			reportIds: recent.reportIds,
			...(intent.dates ? { dates: intent.dates } : {}),
			...(intent.reason ? { reason: intent.reason } : {}),
			...(intent.sessions ? { sessions: intent.sessions } : {}),
			...(toWithdraw.length ? { withdrawPupilIds: toWithdraw } : {})
		});
		replies.push({ text: changed.text });
		if (!changed.ok) return { replies, state: base };
		next = {
			...next,
			pupilIds: next.pupilIds.filter((id) => !toWithdraw.includes(id)),
			request: {
				...next.request,
				...(intent.dates ? { dates: intent.dates } : {}),
				...(intent.reason ? { reason: intent.reason } : {}),
				...(intent.sessions ? { sessions: intent.sessions } : {})
			}
		};
	}
	if (toAdd.length) {
		const result = await services.report([{ ...next.request, pupilIds: toAdd }]);
		replies.push({ text: result.text });
		if (result.ok) next = { ...next, reportIds: [...next.reportIds, ...result.reportIds], pupilIds: [...next.pupilIds, ...toAdd] };
	}
	return { replies, state: { ...base, recent: next } };
}

/** One turn of the conversation; the bot's own words are in `locale` (the services' texts are the services' own). */
export async function converse(
	state: BotState,
	text: string,
	services: BotServices,
	locale: Locale = 'en'
): Promise<{ replies: BotReply[]; state: BotState }> {
	const o = { locale };
	// A conversation stored by an older version of the engine starts afresh.
	if (state.pending && (!state.options || (state.pending !== 'amend_date' && !state.draft))) state = {};
	const ctx = await services.context();
	const recentOpen = state.recent && ctx.now.getTime() - Date.parse(state.recent.at) <= AMEND_WINDOW_MS;
	if (state.recent && !recentOpen) state = { ...state, recent: undefined };
	// A question about changing the report lapses with it: once the report can no longer be
	// changed there is nothing for the answer to change.
	if (state.pending === 'amend_date' && !recentOpen) state = keep(state);
	const children = withAliases(await services.children(), state.aliases);
	const intent = parseIntent(text, children, {
		awaitingChoice: state.pending !== undefined,
		today: ctx.today,
		time: ctx.time,
		calendar: ctx.calendar,
		recentReport: Boolean(recentOpen)
	});

	if (intent.kind === 'choice' && state.pending && state.options) {
		const option = state.options[intent.number - 1];
		if (!option) return { replies: [withChoices(m.bot_pick_number({}, o), state.options.map((x) => x.label))], state };
		if (state.pending === 'amend_date' && option.dates) {
			return amend({ ...state, pending: undefined, options: undefined }, { kind: 'amend', addPupilIds: [], replacePupilIds: [], dates: option.dates, text }, services, ctx, locale);
		}
		const draft = state.draft!;
		const index = state.index ?? 0;
		if (state.pending === 'child' && option.pupilIds) {
			draft.items[index]!.pupilIds = option.pupilIds;
			// Any other item still without children is about the same ones.
			for (const item of draft.items) if (item.pupilIds.length === 0) item.pupilIds = option.pupilIds;
			let aliases = state.aliases;
			if (draft.unknownName && option.pupilIds.length === 1) aliases = { ...aliases, [fold(draft.unknownName)]: option.pupilIds[0]! };
			delete draft.unknownName;
			delete draft.childOptions;
			return advance({ ...state, aliases }, draft, services, ctx, locale);
		}
		if (state.pending === 'date' && option.dates) {
			for (const i of draft.dateOptionItems ?? draft.items.map((_, n) => n)) draft.items[i]!.dates = option.dates;
			delete draft.dateOptions;
			delete draft.dateOptionItems;
			return advance(state, draft, services, ctx, locale);
		}
		if (state.pending === 'reason' && option.reason) {
			draft.items[index]!.reason = option.reason;
			return advance(state, draft, services, ctx, locale);
		}
	}

	switch (intent.kind) {
		case 'stop':
			return { replies: [{ text: await services.optOut() }], state: keep(state) };
		case 'start':
			return { replies: [{ text: await services.optIn() }], state: keep(state) };
		case 'attendance':
			return { replies: [{ text: await services.attendance() }], state: keep(state) };
		case 'help':
			return { replies: [{ text: await services.help(intent.text) }], state: keep(state) };
		case 'still_off':
		case 'back':
			return { replies: [{ text: await services.checkIn(intent.kind) }], state: keep(state) };
		case 'amend':
			return amend(state, intent, services, ctx, locale);
		case 'report':
			if (intent.dateProblem) return { replies: [{ text: dateProblemText(intent.dateProblem, locale) }], state: keep(state) };
			return advance(keep(state), draftFrom(intent), services, ctx, locale);
		case 'greeting':
			return { replies: [{ text: m.bot_hello({ menu: menu(locale) }, o) }], state: keep(state) };
		case 'choice':
		case 'unknown':
			return { replies: [{ text: m.bot_sorry({ menu: menu(locale) }, o) }], state: keep(state) };
	}
}
