/**
 * SMS and Telegram conversations: one inbound message in, replies queued in the
 * outbox. Shared by the Twilio and Telegram webhooks, Telegram long polling in development and
 * the /dev/phone page, so every path behaves the same.
 *
 * - Idempotent on the provider's message id: a redelivered message is recognised and nothing is
 *   done twice. The report a message makes uses the message id as its idempotency key, and the
 *   replies are keyed by it too, so even a crash half way through a message is safe to retry.
 * - Every report is stored (committed) before its confirmation is queued.
 * - Conversation state lives in the database: a restart mid-conversation loses nothing.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { takeLimit, tryAgainIn } from '../src/lib/server/platform/limits';
import { parseIntent } from './understanding';
import { converse, partDayFor, whenWords, type BotReply, type BotServices, type BotState, type ReportRequest } from './engine';
import { MAX_DETAILS_LENGTH, type PartDay } from '../src/lib/domain/absence';
import type { DateRange } from '../src/lib/domain/bot-dates';
import { illnessGuidanceFor } from '../src/lib/domain/signposting';
import { loadSchoolCalendar } from '../src/lib/server/platform/school-calendar';
import { chooseMessageLocale, type Locale } from '../src/lib/domain/locale';
import { fieldProblemText, reportProblemText } from '../src/lib/i18n-problems';
import { formatLongDate, joinNames, reasonLabel } from '../src/lib/i18n';
import { m as msg } from '../src/lib/paraglide/messages';
import { DEFAULT_TIME_ZONE, localDateOf, localTimeOf, type SchoolCalendar } from '../src/lib/domain/calendar';
import { amendAbsenceReport, answerCheckIn, guardianReportStates, latestOpenEndedReport, submitAbsenceReport, withdrawAbsenceReport } from '../src/lib/server/features/absence';
import { UNKNOWN_SMS_SENDER_REPLY, UNLINKED_TELEGRAM_REPLY, guardianForSmsSender, guardianForTelegramUser } from '../src/lib/server/features/accounts';
import { childAttendanceDetail } from '../src/lib/server/features/attendance';
import { attendanceSummaryWords } from '../src/lib/i18n-attendance';
import { birthDatesOfChildren, childrenOfGuardian } from '../src/lib/server/features/attendance';
import type { DatabaseHandle, Db } from '../src/lib/server/platform/db/engine';
import { conversations, inboundMessages, outboundMessages, type Guardian } from '../src/lib/server/platform/db/schema';
import { publicOrigin } from '../src/lib/server/features/accounts';
import { enqueueMessage, optBackInToSms, optOutOfSms } from '../src/lib/server/platform/outbox';
import { signpostsAsText, signpostsFor } from '../src/lib/server/features/support';
import { optInToWhatsApp, optOutOfWhatsApp, recordWhatsAppInbound, whatsappOfferedTo } from '../src/lib/server/features/whatsapp';
import { childFirstName } from '../src/lib/domain/pupils';
import { isBareYes, meetingForReply, parseMeetingReply, type MeetingAnswer } from '../src/lib/domain/graduated-meetings';
import { invitedMeetingsForGuardian, meetingWhenWords, parentReply } from '../src/lib/server/features/graduated-response';

export type ConversationChannel = 'sms' | 'telegram' | 'whatsapp';

export interface InboundMessage {
	channel: ConversationChannel;
	/** The provider's id for this message (Twilio MessageSid, Telegram update id). */
	providerMessageId: string;
	/** SMS and WhatsApp: the sender's number (E.164). Telegram: the chat id. */
	address: string;
	/** Telegram: the sender's user id (identity comes from the linked account). */
	telegramUserId?: number;
	/** Telegram: the language the sender's app is set to (from.language_code), if it says. */
	languageCode?: string;
	text: string;
	now?: Date;
}

export interface InboundResult {
	duplicate: boolean;
	guardianId: string | null;
	replies: BotReply[];
}


async function identify(db: Db, m: InboundMessage): Promise<Guardian | null> {
	if (m.channel === 'sms' || m.channel === 'whatsapp') return guardianForSmsSender(db, m.address);
	return m.telegramUserId !== undefined ? guardianForTelegramUser(db, m.telegramUserId) : null;
}

/** SMS and WhatsApp show choices as numbered lines; Telegram shows them as buttons (the transport reads `choices`). */
export function renderReply(channel: ConversationChannel, reply: BotReply, locale: Locale = 'en'): string {
	if (channel === 'telegram' || !reply.choices?.length) return reply.text;
	return [reply.text, ...reply.choices.map((c, i) => `${i + 1} ${c}`), msg.bot_reply_number({}, { locale })].join('\n');
}

const nameOf = (kids: Awaited<ReturnType<typeof childrenOfGuardian>>, id: string) => {
	const c = kids.find((k) => k.pupilId === id);
	return c ? childFirstName(c) : '?';
};

/**
 * The parent's words for the school, with the times read from them that the report's part of the
 * day does not already hold (the board shows those times itself).
 */
function detailsWithTimes(request: ReportRequest, partDay: PartDay | null): string {
	const t = request.times;
	const notes = [
		t?.appointmentAt ? `appointment ${t.appointmentAt}` : null,
		...(partDay
			? []
			: [t?.leavesAt ? `leaves ${t.leavesAt}` : null, t?.returnsAt ? `back ${t.returnsAt}` : null, t?.arrivesBy ? `${request.lateArrival ? 'arriving late, ' : ''}in by ${t.arrivesBy}` : null])
	].filter(Boolean);
	const suffix = notes.length ? ` [${notes.join('; ')}]` : '';
	return (request.details.slice(0, MAX_DETAILS_LENGTH - suffix.length) + suffix).trim();
}

function servicesFor(handle: DatabaseHandle, guardian: Guardian, m: InboundMessage, now: Date, locale: Locale): BotServices {
	const db = handle.db;
	const o = { locale };
	let children: Awaited<ReturnType<typeof childrenOfGuardian>> | undefined;
	let calendar: SchoolCalendar | null | undefined;
	const loadChildren = async () => (children ??= await childrenOfGuardian(db, guardian.id));
	// Dates of birth only tell twins apart ("the twins are ill"); never shown.
	let births: Map<string, string> | undefined;
	const loadBirths = async () => (births ??= await birthDatesOfChildren(db, guardian.id));
	return {
		async children() {
			const born = await loadBirths();
			return (await loadChildren()).map((c) => ({
				pupilId: c.pupilId,
				name: childFirstName(c),
				aliases: [c.firstName, ...(c.preferredName ? [c.preferredName] : [])],
				...(born.has(c.pupilId) ? { born: born.get(c.pupilId)! } : {})
			}));
		},
		async context() {
			const kids = await loadChildren();
			// Children at more than one school: the first school's calendar reads the words; each
			// report is still checked against its own school's calendar when it is stored.
			calendar ??= kids[0] ? await loadSchoolCalendar(db, kids[0].schoolId) : null;
			const timeZone = calendar?.timeZone ?? DEFAULT_TIME_ZONE;
			return { now, today: localDateOf(now, timeZone), time: localTimeOf(now, timeZone), ...(calendar ? { calendar } : {}) };
		},
		async report(requests) {
			const today = localDateOf(now, calendar?.timeZone ?? DEFAULT_TIME_ZONE);
			const kids = await loadChildren();
			const texts: string[] = [];
			const reportIds: string[] = [];
			for (const [i, request] of requests.entries()) {
				const partDay = partDayFor(request);
				const result = await submitAbsenceReport(handle, {
					guardianId: guardian.id,
					pupilIds: request.pupilIds,
					reason: request.reason,
					details: detailsWithTimes(request, partDay),
					from: request.dates.from,
					to: request.dates.untilFurtherNotice ? null : request.dates.to,
					untilFurtherNotice: request.dates.untilFurtherNotice,
					sessions: request.sessions,
					partDay,
					channel: m.channel,
					// The first report keeps the message's own key; further ones (other children, other days) are numbered.
					idempotencyKey: `bot:${m.channel}:${m.providerMessageId}${i === 0 ? '' : `:${i}`}`,
					now
				});
				if ('errors' in result) {
					const failed = msg.bot_report_failed({ message: fieldProblemText(result.errors[0]!, locale) }, o);
					if (reportIds.length === 0) return { ok: false, text: failed };
					texts.push(failed);
					continue;
				}
				reportIds.push(...result.reports.map((r) => r.reportId));
				const lines = result.reports.map((r) => {
					const c = kids.find((k) => k.pupilId === r.pupilId)!;
					return msg.bot_report_child({ name: childFirstName(c), reference: r.reference }, o);
				});
				const schools = joinNames([...new Set(result.reports.map((r) => kids.find((k) => k.pupilId === r.pupilId)!.schoolName))], locale);
				const when = whenWords(request.dates, request.sessions, today, locale);
				let text: string;
				const day = request.dates.from === today ? msg.bot_today({}, o) : formatLongDate(request.dates.from, locale);
				if (partDay?.kind === 'late_arrival') {
					text = msg.bot_late_done({ schools, children: lines.join(', '), when: day, time: partDay.arrivesBy }, o);
				} else if (request.lateArrival) {
					text = msg.bot_late_done_untimed({ schools, children: lines.join(', '), when: day }, o);
				} else if (partDay?.kind === 'leaving_early') {
					text = msg.bot_leaving_early_done({ schools, children: lines.join(', '), when: day, time: partDay.leavesAt }, o);
				} else if (partDay?.kind === 'appointment') {
					text = msg.bot_appointment_done({ schools, children: lines.join(', '), when: day, leaves: partDay.leavesAt, back: partDay.returnsAt }, o);
				} else {
					text = msg.bot_report_done({ schools, children: lines.join(', '), when, reason: reasonLabel(request.reason, locale).toLocaleLowerCase(locale) }, o);
				}
				// Already reported for that day (a text after the web form, a second text): said first,
				// so the parent knows the school has one report, with this message added to it.
				const again = result.reports.filter((r) => r.alreadyReported).map((r) => childFirstName(kids.find((k) => k.pupilId === r.pupilId)!));
				if (again.length > 0) text = `${msg.report_again_bot({ children: joinNames(again, locale) }, o)} ${text}`;
				// In school when each register is taken: told plainly that it is not an absence.
				if (partDay && result.reports.every((r) => r.sessions.length === 0)) text += ` ${msg.bot_part_not_absent({}, o)}`;
				else if (result.reports.some((r) => r.late)) text += ` ${msg.bot_report_late({}, o)}`;
				if (request.reason === 'illness') {
					// Where NHS guidance says the child can still go to school, say so kindly.
					const guide = illnessGuidanceFor(request.details)[0];
					if (guide && !guide.stayOff) text += ` ${msg.bot_report_nhs({ advice: guide.advice }, o)}`;
				}
				if (request.reason === 'illness' || request.reason === 'mental_health') text += ` ${msg.bot_report_get_well({}, o)}`;
				texts.push(text);
			}
			return { ok: true, text: texts.join('\n'), reportIds };
		},
		async amend(change) {
			const kids = await loadChildren();
			const today = localDateOf(now, calendar?.timeZone ?? DEFAULT_TIME_ZONE);
			const rows = await guardianReportStates(db, guardian.id, change.reportIds);
			if (rows.some((r) => r.status === 'acknowledged')) return { ok: false, text: msg.bot_amend_too_late({}, o) };
			const withdrawn: string[] = [];
			for (const r of rows.filter((x) => change.withdrawPupilIds?.includes(x.pupilId))) {
				const done = await withdrawAbsenceReport(handle, { guardianId: guardian.id, reportId: r.id, now });
				if (!done.ok) return { ok: false, text: done.error === 'acknowledged' ? msg.bot_amend_too_late({}, o) : msg.bot_sorry_message({ message: reportProblemText(done.problem, locale) }, o) };
				withdrawn.push(r.pupilId);
			}
			const kept = rows.filter((r) => !withdrawn.includes(r.pupilId) && r.status === 'open');
			if (change.dates || change.reason || change.sessions) {
				for (const r of kept) {
					const done = await amendAbsenceReport(handle, {
						guardianId: guardian.id,
						reportId: r.id,
						...(change.reason ? { reason: change.reason } : {}),
						...(change.dates
							? { from: change.dates.from, to: change.dates.untilFurtherNotice ? null : (change.dates.to ?? change.dates.from), untilFurtherNotice: change.dates.untilFurtherNotice }
							: {}),
						...(change.sessions ? { sessions: change.sessions } : {}),
						now
					});
					if (!done.ok) {
						return { ok: false, text: done.error === 'acknowledged' ? msg.bot_amend_too_late({}, o) : msg.bot_report_failed({ message: reportProblemText(done.problem, locale) }, o) };
					}
				}
			}
			const [current] = kept.length ? await guardianReportStates(db, guardian.id, [kept[0]!.id]) : [];
			const parts: string[] = [];
			if (withdrawn.length) parts.push(msg.bot_amend_withdrawn({ names: joinNames(withdrawn.map((id) => nameOf(kids, id)), locale) }, o));
			if (current && (change.dates || change.reason || change.sessions)) {
				const dates: DateRange = { from: current.startsOn, to: current.endsOn === current.startsOn ? null : current.endsOn, untilFurtherNotice: current.endsOn === null };
				const children = kept.map((r) => msg.bot_report_child({ name: nameOf(kids, r.pupilId), reference: r.reference }, o)).join(', ');
				parts.push(msg.bot_amended({ children, when: whenWords(dates, current.sessions, today, locale), reason: reasonLabel(current.reason, locale).toLocaleLowerCase(locale) }, o));
			}
			return { ok: true, text: parts.join(' ') };
		},
		async attendance() {
			const kids = await loadChildren();
			if (kids.length === 0) return msg.bot_no_children({}, o);
			const lines: string[] = [];
			for (const k of kids) {
				const d = await childAttendanceDetail(handle, guardian.id, k.pupilId, now);
				if (!d) continue;
				// The domain's English summary, or the same figures in the guardian's language.
				lines.push(
					attendanceSummaryWords(
						{
							childName: d.firstName,
							academicYear: d.academicYear,
							tally: d.tally,
							lastMarkDate: d.lastMarkDate,
							change: d.halfTerm?.change ?? null,
							halfTermName: d.halfTerm?.name ?? null
						},
						locale
					)
				);
			}
			return lines.join('\n');
		},
		async help(text) {
			const kids = await loadChildren();
			const signposts = await signpostsFor(handle, { text, schoolIds: [...new Set(kids.map((k) => k.schoolId))], guardianId: guardian.id });
			return signpostsAsText(signposts, { origin: publicOrigin(), max: 2 });
		},
		async checkIn(answer) {
			// The parent's most recent open-ended report about one of their children.
			const open = await latestOpenEndedReport(db, guardian.id);
			if (!open) return msg.bot_no_open_absence({}, o);
			const result = await answerCheckIn(handle, { guardianId: guardian.id, reportId: open.id, answer, now });
			if (!result.ok) return msg.bot_sorry_message({ message: reportProblemText(result.problem, locale) }, o);
			return answer === 'back' ? msg.bot_back({}, o) : msg.bot_still_off({}, o);
		},
		async optOut() {
			if (m.channel === 'sms') {
				await optOutOfSms(db, m.address, now);
				return msg.bot_opted_out_sms({}, o);
			}
			if (m.channel === 'whatsapp') {
				await optOutOfWhatsApp(db, m.address, now);
				return msg.bot_opted_out_whatsapp({}, o);
			}
			return msg.bot_opt_out_telegram({}, o);
		},
		async optIn() {
			if (m.channel === 'sms') await optBackInToSms(db, m.address);
			if (m.channel === 'whatsapp') await optInToWhatsApp(db, m.address, now);
			return msg.bot_opted_in({}, o);
		}
	};
}

/** The conversation state with the meetings question the bot may be waiting on (beside the engine's own). */
type StoredState = BotState & { meetingQuestion?: { answer: MeetingAnswer; meetingIds: string[] } };

/**
 * A reply to a meeting invitation ("YES", "1", "2", "another time", "tak"...), attached to the
 * parent's most recent invited meeting, or to the one they choose when two children have one.
 * Null when the message is not such a reply, or there is no invited meeting: the absence
 * conversation then goes on exactly as before. Numbers only count when the engine is not
 * waiting for a numbered answer of its own.
 */
async function meetingReplyTurn(
	handle: DatabaseHandle,
	guardian: Guardian,
	m: InboundMessage,
	now: Date,
	locale: Locale,
	state: StoredState
): Promise<{ replies: BotReply[]; state: StoredState } | null> {
	const o = { locale };
	const text = m.text.trim().slice(0, 100);
	const { meetingQuestion, ...rest } = state;
	const answerFor = async (meetingId: string, answer: MeetingAnswer) => {
		const done = await parentReply(handle, guardian.id, meetingId, { answer }, { now, channel: m.channel });
		if (!done.ok) return { replies: [{ text: msg.graduated_meeting_to_agree({}, o) }], state: rest };
		const reply = answer === 'confirm' ? msg.graduated_sms_meeting_reply_confirmed({ name: done.childName }, o) : msg.graduated_sms_meeting_reply_another({ name: done.childName }, o);
		return { replies: [{ text: reply }], state: rest };
	};
	if (meetingQuestion) {
		const n = /^\d{1,2}\.?$/.test(text) ? Number(text.replace('.', '')) : 0;
		const id = meetingQuestion.meetingIds[n - 1];
		if (id) return answerFor(id, meetingQuestion.answer);
	}
	const answer = parseMeetingReply(text);
	if (!answer) return null;
	if (/^\d/.test(text) && rest.pending) return null;
	const invited = await invitedMeetingsForGuardian(handle.db, guardian.id, now);
	const pick = meetingForReply(invited);
	if (!pick) return null;
	// A bare YES also answers the daily check-in ("Is Sam still unwell?"). With both open, the
	// latest of the two messages we sent is the one the parent is answering.
	if (isBareYes(text) && (await latestOpenEndedReport(handle.db, guardian.id))) {
		const [last] = await handle.db
			.select({ purpose: outboundMessages.purpose })
			.from(outboundMessages)
			.where(and(eq(outboundMessages.guardianId, guardian.id), inArray(outboundMessages.purpose, ['absence_check_in', 'graduated_meeting', 'graduated_meeting_reminder'])))
			.orderBy(desc(outboundMessages.createdAt))
			.limit(1);
		if (last?.purpose === 'absence_check_in') return null;
	}
	if ('meeting' in pick) return answerFor(pick.meeting.id, answer);
	const choices = pick.ask.map((mt) => msg.graduated_bot_meeting_option({ name: mt.firstName, when: mt.startsAt ? meetingWhenWords(mt.startsAt, mt.timeZone, locale) : '' }, o));
	return { replies: [{ text: msg.graduated_bot_meeting_which({}, o), choices }], state: { ...rest, meetingQuestion: { answer, meetingIds: pick.ask.map((mt) => mt.id) } } };
}

/**
 * Handles one inbound message and queues the replies. A message id seen before does nothing
 * (`duplicate: true`). An unknown sender gets one polite reply that reveals nothing.
 */
/** The reply to a sender over the inbound limit. */
export const INBOUND_LIMIT_REPLY = 'We have had a lot of messages from you in the last few minutes, so we have paused replies. If it is urgent, please phone the school.';

export async function handleInboundMessage(handle: DatabaseHandle, m: InboundMessage): Promise<InboundResult> {
	const db = handle.db;
	const now = m.now ?? new Date();
	const [seen] = await db
		.select({ id: inboundMessages.providerMessageId })
		.from(inboundMessages)
		.where(and(eq(inboundMessages.channel, m.channel), eq(inboundMessages.providerMessageId, m.providerMessageId)));
	if (seen) return { duplicate: true, guardianId: null, replies: [] };

	const guardian = await identify(db, m);
	let replies: BotReply[];
	// The guardian's language (school data or their choice), else their Telegram app's. A sender
	// we do not know gets English: we cannot tell who they are.
	const locale = guardian ? chooseMessageLocale({ guardianPreference: guardian.preferredLanguage, telegramLanguage: m.languageCode }) : 'en';
	// A flood from one number or chat (a loop between bots, or a script): one polite reply,
	// then silence until the window ends. The messages are still recorded as seen.
	// STOP and START are always honoured (not counted).
	const optOutOrIn = ['stop', 'start'].includes(parseIntent(m.text.slice(0, 100), []).kind);
	const flood = optOutOrIn ? { allowed: true, retryAfterSeconds: 0 } : await takeLimit(db, 'inboundPerSender', `${m.channel}:${m.address}`, now);
	if (!flood.allowed) {
		const notice = await takeLimit(db, 'inboundNotice', `${m.channel}:${m.address}`, now);
		replies = notice.allowed ? [{ text: `${INBOUND_LIMIT_REPLY} ${tryAgainIn(flood.retryAfterSeconds)}` }] : [];
	} else if (!guardian) {
		replies = [{ text: m.channel === 'telegram' ? UNLINKED_TELEGRAM_REPLY : UNKNOWN_SMS_SENDER_REPLY }];
	} else if (m.channel === 'whatsapp' && !optOutOrIn && !(await whatsappOfferedTo(db, guardian.id))) {
		// None of their children's schools has switched WhatsApp on: the parent is told how to reach
		// the school instead, and nothing is stored as a report from a channel the school does not read.
		replies = [{ text: msg.bot_whatsapp_not_offered({}, { locale }) }];
	} else {
		const [conversation] = await db
			.select({ state: conversations.state })
			.from(conversations)
			.where(and(eq(conversations.channel, m.channel), eq(conversations.address, m.address)));
		const stored = (conversation?.state ?? {}) as StoredState;
		const meetingTurn = await meetingReplyTurn(handle, guardian, m, now, locale, stored);
		// A meetings question not answered lapses: the engine sees the state without it.
		const engineState: StoredState = { ...stored };
		delete engineState.meetingQuestion;
		const turn = meetingTurn ?? (await converse(engineState, m.text.slice(0, 1000), servicesFor(handle, guardian, m, now, locale), locale));
		replies = turn.replies;
		await db
			.insert(conversations)
			.values({ channel: m.channel, address: m.address, guardianId: guardian.id, state: turn.state as Record<string, unknown>, updatedAt: now })
			.onConflictDoUpdate({
				target: [conversations.channel, conversations.address],
				set: { state: turn.state as Record<string, unknown>, guardianId: guardian.id, updatedAt: now }
			});
	}

	// The parent's message opens WhatsApp's 24-hour window: recorded before the replies are queued.
	if (m.channel === 'whatsapp') await recordWhatsAppInbound(db, m.address, guardian?.id ?? null, now);
	await db.transaction(async (tx) => {
		for (const [i, reply] of replies.entries()) {
			await enqueueMessage(tx, {
				channel: m.channel,
				recipient: m.address,
				guardianId: guardian?.id ?? null,
				purpose: 'bot_reply',
				body: renderReply(m.channel, reply, locale),
				idempotencyKey: `reply:${m.channel}:${m.providerMessageId}:${i}`,
				choices: m.channel === 'telegram' ? reply.choices : undefined
			});
		}
		// Recorded last: a crash before this point makes the provider's retry do the (idempotent) work again.
		await tx
			.insert(inboundMessages)
			.values({ channel: m.channel, providerMessageId: m.providerMessageId, guardianId: guardian?.id ?? null, receivedAt: now })
			.onConflictDoNothing();
	});
	return { duplicate: false, guardianId: guardian?.id ?? null, replies };
}
