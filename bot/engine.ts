/**
 * The channel-neutral conversation engine (issue 5): (stored state, the parent's message) →
 * replies, each with optional choices, and the next state. It knows nothing of SMS or Telegram
 * (the adapters render choices as numbered lines or inline buttons) nor of the database: it
 * calls the same services as the web through the `BotServices` it is given.
 */
import type { AbsenceReason, ReportSessions } from '../src/lib/domain/absence';
import type { Locale } from '../src/lib/domain/locale';
import { reasonLabel } from '../src/lib/i18n';
import { m } from '../src/lib/paraglide/messages';
import { parseIntent, type ChildName } from './understanding';

export interface BotReply {
	text: string;
	/** Offered answers: Telegram buttons, or numbered lines in an SMS. The parent may reply with the number. */
	choices?: string[];
}

export interface ReportRequest {
	pupilIds: string[];
	reason: AbsenceReason;
	details: string;
	day: 'today' | 'tomorrow';
	sessions: ReportSessions;
}

export interface BotServices {
	children(): Promise<ChildName[]>;
	/** Stores the report (idempotent for this message) and says what was done, or why not. */
	report(request: ReportRequest): Promise<{ ok: true; text: string } | { ok: false; text: string }>;
	attendance(): Promise<string>;
	help(text: string): Promise<string>;
	checkIn(answer: 'still_off' | 'back'): Promise<string>;
	optOut(): Promise<string>;
	optIn(): Promise<string>;
}

/** A report being put together: the reason may still be missing. */
type PartialReport = Omit<ReportRequest, 'pupilIds' | 'reason'> & { reason: AbsenceReason | null };

/** What we were waiting for, kept between messages. */
export type BotState =
	| { pending?: undefined }
	| { pending: 'child'; request: PartialReport; options: { label: string; pupilIds: string[] }[] }
	| { pending: 'reason'; request: Omit<ReportRequest, 'reason'> };

const REASON_CHOICES: AbsenceReason[] = ['illness', 'medical_appointment', 'mental_health', 'family_emergency', 'other'];

/** What the parent can text, in their language (the words the bot understands are English). */
export const menu = (locale: Locale = 'en') => m.bot_menu({}, { locale });

function withChoices(text: string, choices: string[]): BotReply {
	return { text, choices };
}

async function askOrReport(
	services: BotServices,
	request: PartialReport & { pupilIds: string[] },
	locale: Locale
): Promise<{ replies: BotReply[]; state: BotState }> {
	const o = { locale };
	const children = await services.children();
	if (children.length === 0) {
		return { replies: [{ text: m.bot_no_children({}, o) }], state: {} };
	}
	const { pupilIds: asked, ...partial } = request;
	const pupilIds = asked.length === 0 && children.length === 1 ? [children[0]!.pupilId] : asked;
	if (pupilIds.length === 0) {
		const options = [
			...children.map((c) => ({ label: c.name, pupilIds: [c.pupilId] })),
			{ label: children.length === 2 ? m.bot_both({}, o) : m.bot_all({}, o), pupilIds: children.map((c) => c.pupilId) }
		];
		return { replies: [withChoices(m.bot_who({}, o), options.map((x) => x.label))], state: { pending: 'child', request: partial, options } };
	}
	if (partial.reason === null) {
		const { reason: _r, ...rest } = partial;
		return {
			replies: [withChoices(m.bot_reason({}, o), REASON_CHOICES.map((r) => reasonLabel(r, locale)))],
			state: { pending: 'reason', request: { ...rest, pupilIds } }
		};
	}
	const result = await services.report({ ...partial, pupilIds, reason: partial.reason });
	return { replies: [{ text: result.text }], state: {} };
}

/** One turn of the conversation; the bot's own words are in `locale` (the services' texts are the services' own). */
export async function converse(
	state: BotState,
	text: string,
	services: BotServices,
	locale: Locale = 'en'
): Promise<{ replies: BotReply[]; state: BotState }> {
	const o = { locale };
	const children = await services.children();
	const intent = parseIntent(text, children, { awaitingChoice: state.pending !== undefined });

	if (intent.kind === 'choice' && state.pending === 'child') {
		const option = state.options[intent.number - 1];
		if (!option) return { replies: [withChoices(m.bot_pick_number({}, o), state.options.map((x) => x.label))], state };
		return askOrReport(services, { ...state.request, pupilIds: option.pupilIds }, locale);
	}
	if (intent.kind === 'choice' && state.pending === 'reason') {
		const reason = REASON_CHOICES[intent.number - 1];
		if (!reason) return { replies: [withChoices(m.bot_pick_number({}, o), REASON_CHOICES.map((r) => reasonLabel(r, locale)))], state };
		return askOrReport(services, { ...state.request, reason }, locale);
	}

	switch (intent.kind) {
		case 'stop':
			return { replies: [{ text: await services.optOut() }], state: {} };
		case 'start':
			return { replies: [{ text: await services.optIn() }], state: {} };
		case 'attendance':
			return { replies: [{ text: await services.attendance() }], state: {} };
		case 'help':
			return { replies: [{ text: await services.help(intent.text) }], state: {} };
		case 'still_off':
		case 'back':
			return { replies: [{ text: await services.checkIn(intent.kind) }], state: {} };
		case 'report':
			return askOrReport(services, {
				pupilIds: intent.pupilIds,
				reason: intent.reason,
				details: intent.details,
				day: intent.day,
				sessions: intent.sessions
			}, locale);
		case 'greeting':
			return { replies: [{ text: m.bot_hello({ menu: menu(locale) }, o) }], state: {} };
		case 'choice':
		case 'unknown':
			return { replies: [{ text: m.bot_sorry({ menu: menu(locale) }, o) }], state: {} };
	}
}
