/**
 * The school's phone absence line: Twilio Voice posts each step of a call here and we answer
 * with TwiML (the twilio SDK's VoiceResponse). A known caller (their number is a guardian's)
 * picks the child and the reason by keypad, may say more after the tone, and hears the
 * confirmation with the reference; the report is stored by the same service as the web and SMS.
 * An unknown caller, a call the line cannot follow, or a parent who presses 0 for a person,
 * leaves a voicemail for the office's board.
 *
 * Every request is signature-checked against its public URL (the step is in the query string,
 * which Twilio signs too). The call's row is keyed by CallSid and the report by it too, so a
 * webhook Twilio repeats stores nothing twice. Every menu waits a few seconds, asks again once,
 * then hands over to voicemail; star goes back.
 */
import twilio from 'twilio';
import { z } from 'zod';
import type { DatabaseHandle, Db } from '../../src/lib/server/platform/db/engine';
import type { Guardian } from '../../src/lib/server/platform/db/schema';
import { chooseMessageLocale, type Locale } from '../../src/lib/domain/locale';
import { m as msg } from '../../src/lib/paraglide/messages';
import { formatLongDate, joinNames, reasonLabel } from '../../src/lib/i18n';
import { DEFAULT_TIME_ZONE, localDateOf, localTimeOf } from '../../src/lib/domain/calendar';
import { childFirstName } from '../../src/lib/domain/pupils';
import { ABSENCE_REASONS, type AbsenceReason } from '../../src/lib/domain/absence';
import {
	KEYPAD_TIMEOUT_SECONDS,
	MAX_TRIES,
	childOptions,
	childPress,
	dayTheCallIsAbout,
	reasonPress,
	spokenReference,
	voiceFor,
	type MenuChild
} from '../../src/lib/domain/phone-line';
import { loadSchoolCalendar } from '../../src/lib/server/platform/school-calendar';
import { guardianForSmsSender, normalisePhone } from '../../src/lib/server/features/accounts';
import { childrenOfGuardian } from '../../src/lib/server/features/attendance';
import { submitAbsenceReport } from '../../src/lib/server/features/absence';
import { openVoiceCall, recordOnce, schoolForVoiceNumber, updateVoiceCall, type CallSchool, type VoiceCall } from '../../src/lib/server/features/phone-line';
import type { WebhookResult } from './twilio';

const { VoiceResponse } = twilio.twiml;
type Twiml = InstanceType<typeof VoiceResponse>;

export const VOICE_STEPS = ['start', 'child', 'reason', 'recorded', 'voicemail-saved'] as const;
export type VoiceStep = (typeof VOICE_STEPS)[number];

const noNul = (s: string) => !s.includes('\u0000');
const callSchema = z.object({
	CallSid: z.string().regex(/^CA[0-9a-f]{32}$/i),
	From: z.string().max(40).refine(noNul).default(''),
	To: z.string().max(40).refine(noNul).default(''),
	Digits: z.string().max(10).regex(/^[0-9*#]*$/).optional(),
	RecordingUrl: z.url().max(500).optional(),
	RecordingSid: z.string().regex(/^RE[0-9a-f]{32}$/i).optional(),
	RecordingDuration: z.string().regex(/^\d{1,5}$/).optional()
});

/** Where the caller is: their language, the children and reason chosen, and how many tries this menu has had. */
interface CallState {
	locale?: Locale;
	pupilIds?: string[];
	reason?: AbsenceReason;
	tries?: number;
}

const xml = (status: 200 | 400 | 403, body: string): WebhookResult => ({ status, body, contentType: 'text/xml' });

/** The form's fields as own properties (a field named "__proto__" too: assigning it would drop it and break the signature). */
function formParams(form: URLSearchParams): Record<string, string> {
	return Object.fromEntries(form);
}

interface Caller {
	school: CallSchool;
	guardian: Guardian | null;
	children: MenuChild[];
	/** The guardian's own language (for the switch between it and English). */
	home: Locale;
}

export interface VoiceInput {
	/** The public URL Twilio called, query string included (what it signed). */
	url: string;
	signature: string | null;
	form: URLSearchParams;
	authToken: string;
	now?: Date;
}

export async function handleTwilioVoice(handle: DatabaseHandle, input: VoiceInput): Promise<WebhookResult> {
	const params = formParams(input.form);
	if (!input.signature || !twilio.validateRequest(input.authToken, input.signature, input.url, params)) return xml(403, new VoiceResponse().toString());
	const parsed = callSchema.safeParse(params);
	const url = new URL(input.url);
	const step = url.searchParams.get('step') ?? 'start';
	if (!parsed.success || !(VOICE_STEPS as readonly string[]).includes(step)) return xml(400, new VoiceResponse().toString());
	const p = parsed.data;
	const now = input.now ?? new Date();
	const db = handle.db;
	const action = (next: VoiceStep) => `${url.origin}${url.pathname}?step=${next}`;

	const from = normalisePhone(p.From) ?? p.From;
	const guardian = from ? await guardianForSmsSender(db, from) : null;
	const kids = guardian ? await childrenOfGuardian(db, guardian.id) : [];
	const school = (await schoolForVoiceNumber(db, normalisePhone(p.To) ?? p.To)) ?? (kids[0] ? { id: kids[0].schoolId, name: kids[0].schoolName, schoolDayEnds: '15:15' } : null);
	const response = new VoiceResponse();
	if (!school) {
		say(response, 'en', msg.voice_no_message({}, { locale: 'en' }));
		response.hangup();
		return xml(200, response.toString());
	}
	const children = kids.filter((k) => k.schoolId === school.id).map((k) => ({ pupilId: k.pupilId, name: childFirstName(k) }));
	const home = guardian ? chooseMessageLocale({ guardianPreference: guardian.preferredLanguage }) : 'en';
	const caller: Caller = { school, guardian: children.length ? guardian : null, children, home };
	const call = await openVoiceCall(db, { callSid: p.CallSid, fromNumber: from || 'unknown', schoolId: school.id, guardianId: caller.guardian?.id ?? null, now });
	const state = (call.state ?? {}) as CallState;
	const locale: Locale = state.locale ?? home;
	const save = (next: CallState, extra: Parameters<typeof updateVoiceCall>[2] = {}) => updateVoiceCall(db, call.callSid, { state: next as Record<string, unknown>, ...extra }, now);

	// A call already finished (a repeated last webhook): the same goodbye, nothing stored again.
	if (call.outcome === 'reported' || call.outcome === 'voicemail' || call.outcome === 'ended') {
		if (step === 'recorded' && call.outcome === 'reported') return xml(200, (await confirmation(handle, caller, call, locale, now)).toString());
		say(response, locale, msg.voice_goodbye({}, { locale }));
		response.hangup();
		return xml(200, response.toString());
	}

	const toVoicemail = async (reason: string, lead?: string) => {
		await save({ ...state, tries: 0 }, { voicemailReason: reason });
		if (lead) say(response, locale, lead);
		voicemailPrompt(response, locale, action('voicemail-saved'), reason === 'not_recorded' ? msg.voice_not_recorded({}, { locale }) : msg.voice_voicemail({}, { locale }));
		return xml(200, response.toString());
	};

	if (!caller.guardian && step !== 'voicemail-saved') {
		say(response, 'en', msg.voice_welcome({ school: school.name }, { locale: 'en' }));
		return toVoicemail('unknown_caller');
	}

	switch (step) {
		case 'start': {
			say(response, locale, msg.voice_welcome_known({ school: school.name }, { locale }));
			childMenu(response, caller, locale, action('child'));
			await save({ locale, tries: 0 });
			return xml(200, response.toString());
		}
		case 'child': {
			const press = childPress(p.Digits, caller.children);
			if (press.kind === 'office') return toVoicemail('asked_for_person');
			if (press.kind === 'language') {
				const other: Locale = locale === 'en' ? caller.home : 'en';
				childMenu(response, caller, other, action('child'));
				await save({ ...state, locale: other, tries: 0 });
				return xml(200, response.toString());
			}
			if (press.kind === 'children') {
				reasonMenu(response, locale, action('reason'));
				await save({ ...state, pupilIds: press.pupilIds, tries: 0 });
				return xml(200, response.toString());
			}
			const tries = (state.tries ?? 0) + 1;
			if (tries >= MAX_TRIES) return toVoicemail('not_understood', msg.voice_not_understood({}, { locale }));
			say(response, locale, msg.voice_not_understood({}, { locale }));
			childMenu(response, caller, locale, action('child'));
			await save({ ...state, tries });
			return xml(200, response.toString());
		}
		case 'reason': {
			if (!state.pupilIds?.length) return restart(response, caller, locale, action('child'), save, state);
			const press = reasonPress(p.Digits);
			if (press.kind === 'office') return toVoicemail('asked_for_person');
			if (press.kind === 'back') {
				childMenu(response, caller, locale, action('child'));
				await save({ ...state, pupilIds: undefined, tries: 0 });
				return xml(200, response.toString());
			}
			if (press.kind === 'reason') {
				say(response, locale, msg.voice_tell_more({}, { locale }));
				response.record({ action: action('recorded'), method: 'POST', maxLength: 60, timeout: 5, finishOnKey: '#', playBeep: true, trim: 'trim-silence' });
				// An empty recording does not call the action: the call carries on here instead.
				response.redirect({ method: 'POST' }, action('recorded'));
				await save({ ...state, reason: press.reason, tries: 0 });
				return xml(200, response.toString());
			}
			const tries = (state.tries ?? 0) + 1;
			if (tries >= MAX_TRIES) return toVoicemail('not_understood', msg.voice_not_understood({}, { locale }));
			say(response, locale, msg.voice_not_understood({}, { locale }));
			reasonMenu(response, locale, action('reason'));
			await save({ ...state, tries });
			return xml(200, response.toString());
		}
		case 'recorded': {
			if (!state.pupilIds?.length || !state.reason || !(ABSENCE_REASONS as readonly string[]).includes(state.reason)) {
				return restart(response, caller, locale, action('child'), save, state);
			}
			const recording = recordingOf(p);
			const cal = await loadSchoolCalendar(db, school.id);
			const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
			const day = dayTheCallIsAbout(cal, localDateOf(now, timeZone), localTimeOf(now, timeZone), school.schoolDayEnds);
			const result = day
				? await submitAbsenceReport(handle, {
						guardianId: caller.guardian!.id,
						pupilIds: state.pupilIds,
						reason: state.reason,
						// Words for the office (staff pages are English): how it came in and where the parent's own words are.
						details: `Reported on the phone line${recording ? '; the parent left a recorded message (voicemail on the board)' : ''}.`,
						from: day,
						to: day,
						sessions: 'BOTH',
						channel: 'phone',
						idempotencyKey: `voice:${call.callSid}`,
						now
					})
				: null;
			if (!result || 'errors' in result) {
				if (recording) await recordOnce(db, call.callSid, recording, { voicemailReason: 'not_recorded', outcome: 'voicemail' }, now);
				return toVoicemail('not_recorded');
			}
			const references = result.reports.map((r) => r.reference).join(', ');
			const change = { outcome: 'reported' as const, reportId: result.reports[0]!.reportId, reportReference: references, state: { ...state, day } as Record<string, unknown> };
			if (recording) await recordOnce(db, call.callSid, recording, change, now);
			else await updateVoiceCall(db, call.callSid, change, now);
			const updated = await openVoiceCall(db, { callSid: call.callSid, fromNumber: call.fromNumber, schoolId: school.id, guardianId: caller.guardian!.id, now });
			return xml(200, (await confirmation(handle, caller, updated, locale, now, result.reports.some((r) => r.late))).toString());
		}
		case 'voicemail-saved': {
			const recording = recordingOf(p);
			if (!recording) {
				await updateVoiceCall(db, call.callSid, { outcome: 'ended' }, now);
				say(response, locale, msg.voice_no_message({}, { locale }));
				response.hangup();
				return xml(200, response.toString());
			}
			await recordOnce(db, call.callSid, recording, { outcome: 'voicemail', voicemailReason: call.voicemailReason ?? 'unknown_caller' }, now);
			say(response, locale, msg.voice_voicemail_saved({}, { locale }));
			say(response, locale, msg.voice_goodbye({}, { locale }));
			response.hangup();
			return xml(200, response.toString());
		}
	}
	return xml(400, new VoiceResponse().toString());
}

function say(response: Twiml, locale: Locale, text: string) {
	const { language, voice } = voiceFor(locale);
	response.say({ language: language as never, voice: voice as never }, text);
}

function childMenu(response: Twiml, caller: Caller, locale: Locale, action: string) {
	const gather = response.gather({ numDigits: 1, timeout: KEYPAD_TIMEOUT_SECONDS, action, method: 'POST', actionOnEmptyResult: true });
	const { language, voice } = voiceFor(locale);
	const sayIn = (l: Locale, text: string) => gather.say({ language: voiceFor(l).language as never, voice: voiceFor(l).voice as never }, text);
	for (const option of childOptions(caller.children)) {
		sayIn(locale, option.name ? msg.voice_press_child({ digit: option.digit, name: option.name }, { locale }) : msg.voice_press_all({ digit: option.digit }, { locale }));
	}
	gather.say({ language: language as never, voice: voice as never }, msg.voice_press_office({}, { locale }));
	// The switch is offered in the language it switches to.
	const other: Locale = locale === 'en' ? caller.home : 'en';
	if (other !== locale) sayIn(other, msg.voice_switch_language({}, { locale: other }));
	// No key pressed: the action is still called (empty Digits), which counts as a try.
}

function reasonMenu(response: Twiml, locale: Locale, action: string) {
	const gather = response.gather({ numDigits: 1, timeout: KEYPAD_TIMEOUT_SECONDS, action, method: 'POST', actionOnEmptyResult: true });
	const { language, voice } = voiceFor(locale);
	gather.say({ language: language as never, voice: voice as never }, msg.voice_choose_reason({}, { locale }));
}

function voicemailPrompt(response: Twiml, locale: Locale, action: string, prompt: string) {
	say(response, locale, prompt);
	response.record({ action, method: 'POST', maxLength: 120, timeout: 10, finishOnKey: '#', playBeep: true, trim: 'trim-silence' });
	response.redirect({ method: 'POST' }, action);
}

/** The call lost its place (its state was never saved): back to the first menu. */
async function restart(response: Twiml, caller: Caller, locale: Locale, action: string, save: (s: CallState) => Promise<void>, state: CallState) {
	childMenu(response, caller, locale, action);
	await save({ locale: state.locale ?? locale, tries: 0 });
	return xml(200, response.toString());
}

function recordingOf(p: z.infer<typeof callSchema>): { sid: string; url: string; seconds: number } | null {
	const seconds = Number(p.RecordingDuration ?? '0');
	if (!p.RecordingUrl || !p.RecordingSid || seconds <= 0) return null;
	return { sid: p.RecordingSid, url: p.RecordingUrl, seconds };
}

/** "We have told the school that Sam will be off on Tuesday 3 November: illness. Your reference is ..." */
async function confirmation(handle: DatabaseHandle, caller: Caller, call: VoiceCall, locale: Locale, now: Date, late = false): Promise<Twiml> {
	const response = new VoiceResponse();
	const state = (call.state ?? {}) as CallState & { day?: string };
	const names = joinNames(caller.children.filter((c) => state.pupilIds?.includes(c.pupilId)).map((c) => c.name), locale);
	const cal = await loadSchoolCalendar(handle.db as Db, caller.school.id);
	const today = localDateOf(now, cal.timeZone ?? DEFAULT_TIME_ZONE);
	const day = state.day === today ? formatLongDate(today, locale) : formatLongDate(state.day ?? today, locale);
	const reference = (call.reportReference ?? '').split(', ').map(spokenReference).join('; ');
	say(response, locale, msg.voice_confirm({ names, day, reason: reasonLabel(state.reason ?? 'other', locale).toLocaleLowerCase(locale), reference }, { locale }));
	if (late) say(response, locale, msg.voice_confirm_late({}, { locale }));
	if (state.reason === 'illness') say(response, locale, msg.voice_get_well({}, { locale }));
	say(response, locale, msg.voice_goodbye({}, { locale }));
	response.hangup();
	return response;
}
