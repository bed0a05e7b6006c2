/**
 * SMS and Telegram conversations (issue 5): one inbound message in, replies queued in the
 * outbox. Shared by the Twilio and Telegram webhooks, Telegram long polling in development and
 * the /dev/phone page, so every path behaves the same.
 *
 * - Idempotent on the provider's message id: a redelivered message is recognised and nothing is
 *   done twice. The report a message makes uses the message id as its idempotency key, and the
 *   replies are keyed by it too, so even a crash half way through a message is safe to retry.
 * - Every report is stored (committed) before its confirmation is queued.
 * - Conversation state lives in the database: a restart mid-conversation loses nothing.
 */
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { takeLimit, tryAgainIn } from '../src/lib/server/platform/limits';
import { parseIntent } from './understanding';
import { converse, type BotReply, type BotServices, type BotState } from './engine';
import { chooseMessageLocale, type Locale } from '../src/lib/domain/locale';
import { localiseErrorMessage } from '../src/lib/field-errors';
import { formatLongDate, joinNames, reasonLabel } from '../src/lib/i18n';
import { m as msg } from '../src/lib/paraglide/messages';
import { addDays, localDateOf } from '../src/lib/domain/calendar';
import { answerCheckIn, submitAbsenceReport } from '../src/lib/server/features/absence';
import { UNKNOWN_SMS_SENDER_REPLY, UNLINKED_TELEGRAM_REPLY, guardianForSmsSender, guardianForTelegramUser } from '../src/lib/server/features/accounts';
import { childAttendanceDetail } from '../src/lib/server/features/attendance';
import { attendanceSummaryWords } from '../src/lib/i18n-attendance';
import { childrenOfGuardian } from '../src/lib/server/features/attendance';
import type { DatabaseHandle, Db } from '../src/lib/server/platform/db/engine';
import { absenceReports, conversations, inboundMessages, smsOptOuts, type Guardian } from '../src/lib/server/platform/db/schema';
import { publicOrigin } from '../src/lib/server/features/accounts';
import { enqueueMessage } from '../src/lib/server/platform/outbox';
import { signpostsAsText, signpostsFor } from '../src/lib/server/features/support';

export type ConversationChannel = 'sms' | 'telegram';

export interface InboundMessage {
	channel: ConversationChannel;
	/** The provider's id for this message (Twilio MessageSid, Telegram update id). */
	providerMessageId: string;
	/** SMS: the sender's number. Telegram: the chat id. */
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

const SCHOOL_TIME_ZONE = 'Europe/London';

async function identify(db: Db, m: InboundMessage): Promise<Guardian | null> {
	if (m.channel === 'sms') return guardianForSmsSender(db, m.address);
	return m.telegramUserId !== undefined ? guardianForTelegramUser(db, m.telegramUserId) : null;
}

/** SMS shows choices as numbered lines; Telegram shows them as buttons (the transport reads `choices`). */
export function renderReply(channel: ConversationChannel, reply: BotReply, locale: Locale = 'en'): string {
	if (channel === 'telegram' || !reply.choices?.length) return reply.text;
	return [reply.text, ...reply.choices.map((c, i) => `${i + 1} ${c}`), msg.bot_reply_number({}, { locale })].join('\n');
}

function servicesFor(handle: DatabaseHandle, guardian: Guardian, m: InboundMessage, now: Date, locale: Locale): BotServices {
	const db = handle.db;
	const o = { locale };
	let children: Awaited<ReturnType<typeof childrenOfGuardian>> | undefined;
	const loadChildren = async () => (children ??= await childrenOfGuardian(db, guardian.id));
	return {
		async children() {
			return (await loadChildren()).map((c) => ({ pupilId: c.pupilId, name: c.preferredName ?? c.firstName }));
		},
		async report(request) {
			const today = localDateOf(now, SCHOOL_TIME_ZONE);
			const from = request.day === 'today' ? today : addDays(today, 1);
			const result = await submitAbsenceReport(handle, {
				guardianId: guardian.id,
				pupilIds: request.pupilIds,
				reason: request.reason,
				details: request.details,
				from,
				sessions: request.sessions,
				channel: m.channel,
				idempotencyKey: `bot:${m.channel}:${m.providerMessageId}`,
				now
			});
			if ('errors' in result) return { ok: false, text: msg.bot_report_failed({ message: localiseErrorMessage(result.errors[0]!.message, locale) }, o) };
			const kids = await loadChildren();
			const lines = result.reports.map((r) => {
				const c = kids.find((k) => k.pupilId === r.pupilId)!;
				return msg.bot_report_child({ name: c.preferredName ?? c.firstName, reference: r.reference }, o);
			});
			const schools = [...new Set(result.reports.map((r) => kids.find((k) => k.pupilId === r.pupilId)!.schoolName))];
			const when = from === today ? msg.bot_today({}, o) : formatLongDate(from, locale);
			let text: string = msg.bot_report_done(
				{ schools: joinNames(schools, locale), children: lines.join(', '), when, reason: reasonLabel(request.reason, locale).toLocaleLowerCase(locale) },
				o
			);
			if (result.reports.some((r) => r.late)) text += ` ${msg.bot_report_late({}, o)}`;
			if (request.reason === 'illness' || request.reason === 'mental_health') text += ` ${msg.bot_report_get_well({}, o)}`;
			return { ok: true, text };
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
			const signposts = await signpostsFor(handle, { text, schoolIds: [...new Set(kids.map((k) => k.schoolId))] });
			return signpostsAsText(signposts, { origin: publicOrigin(), max: 2 });
		},
		async checkIn(answer) {
			// The parent's most recent open-ended report about one of their children.
			const [open] = await db
				.select({ id: absenceReports.id })
				.from(absenceReports)
				.where(
					and(
						isNull(absenceReports.endsOn),
						ne(absenceReports.status, 'withdrawn'),
						sql`exists (select 1 from pupil_guardians pg where pg.pupil_id = ${absenceReports.pupilId} and pg.guardian_id = ${guardian.id})`
					)
				)
				.orderBy(desc(absenceReports.submittedAt))
				.limit(1);
			if (!open) return msg.bot_no_open_absence({}, o);
			const result = await answerCheckIn(handle, { guardianId: guardian.id, reportId: open.id, answer, now });
			if (!result.ok) return msg.bot_sorry_message({ message: localiseErrorMessage(result.message, locale) }, o);
			return answer === 'back' ? msg.bot_back({}, o) : msg.bot_still_off({}, o);
		},
		async optOut() {
			if (m.channel === 'sms') {
				await db.insert(smsOptOuts).values({ phone: m.address, optedOutAt: now }).onConflictDoNothing();
				return msg.bot_opted_out_sms({}, o);
			}
			return msg.bot_opt_out_telegram({}, o);
		},
		async optIn() {
			if (m.channel === 'sms') await db.delete(smsOptOuts).where(eq(smsOptOuts.phone, m.address));
			return msg.bot_opted_in({}, o);
		}
	};
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
		replies = [{ text: m.channel === 'sms' ? UNKNOWN_SMS_SENDER_REPLY : UNLINKED_TELEGRAM_REPLY }];
	} else {
		const [conversation] = await db
			.select({ state: conversations.state })
			.from(conversations)
			.where(and(eq(conversations.channel, m.channel), eq(conversations.address, m.address)));
		const turn = await converse((conversation?.state ?? {}) as BotState, m.text.slice(0, 1000), servicesFor(handle, guardian, m, now, locale), locale);
		replies = turn.replies;
		await db
			.insert(conversations)
			.values({ channel: m.channel, address: m.address, guardianId: guardian.id, state: turn.state as Record<string, unknown>, updatedAt: now })
			.onConflictDoUpdate({
				target: [conversations.channel, conversations.address],
				set: { state: turn.state as Record<string, unknown>, guardianId: guardian.id, updatedAt: now }
			});
	}

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
