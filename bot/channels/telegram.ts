/**
 * The Telegram bot through grammY: the webhook (production) and long polling (development,
 * `npm run bot:dev`) share one Bot with the handlers below, which call the same services as
 * the web; replies go through the outbox.
 */
import { Bot } from 'grammy';
import type { TelegramConfig } from '../../src/lib/server/providers/telegram';
import type { Update, UserFromGetMe } from 'grammy/types';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleInboundMessage } from '../conversations';
import { enqueueMessage } from '../../src/lib/server/platform/outbox';
import { linkTelegramByContact, redeemTelegramLinkToken } from '../../src/lib/server/features/accounts';
import { chooseMessageLocale, type Locale } from '../../src/lib/domain/locale';
import { guardians } from '../../src/lib/server/platform/db/schema';
import { m } from '../../src/lib/paraglide/messages';
import { eq } from 'drizzle-orm';

/** The newly linked guardian's language (their preference, else their Telegram app's). */
async function linkedLocale(handle: DatabaseHandle, guardianId: string, telegramLanguage: string | undefined): Promise<Locale> {
	const [g] = await handle.db.select({ preferredLanguage: guardians.preferredLanguage }).from(guardians).where(eq(guardians.id, guardianId));
	return chooseMessageLocale({ guardianPreference: g?.preferredLanguage ?? null, telegramLanguage });
}

async function reply(handle: DatabaseHandle, chatId: number, updateId: number, body: string, guardianId: string | null) {
	await enqueueMessage(handle.db, {
		channel: 'telegram',
		recipient: String(chatId),
		guardianId,
		purpose: 'bot_reply',
		body,
		idempotencyKey: `reply:telegram:${updateId}:0`
	});
}

/** The bot and its handlers. `botInfo` is given so no getMe call is needed to handle updates. */
export function createTelegramBot(handle: DatabaseHandle, config: TelegramConfig): Bot {
	const botInfo = {
		id: Number(config.token.split(':')[0]) || 1,
		is_bot: true,
		first_name: 'Every Day',
		username: config.username,
		can_join_groups: false,
		can_read_all_group_messages: false,
		supports_inline_queries: false,
		can_connect_to_business: false,
		has_main_web_app: false
	} as UserFromGetMe;
	const bot = new Bot(config.token, { botInfo, client: config.apiRoot ? { apiRoot: config.apiRoot } : undefined });

	// Private chats only. In a group everyone in it reads the answer (a child's attendance, a
	// sign-in link), and the sender's chat id there is the group's, not the parent's. Updates
	// from groups and channels are accepted and ignored, so Telegram does not retry them.
	bot.use(async (ctx, next) => {
		if (ctx.chat?.type !== 'private') return;
		await next();
	});

	/** Linked: thanked in the parent's language. Refused: English, as we do not know who they are. */
	const answerLinkAttempt = async (
		to: { chatId: number; updateId: number; languageCode: string | undefined },
		result: { ok: true; guardianId: string } | { ok: false },
		linked: (inputs: Record<string, never>, options: { locale: Locale }) => string,
		refused: string
	) => {
		const text = result.ok ? linked({}, { locale: await linkedLocale(handle, result.guardianId, to.languageCode) }) : refused;
		await reply(handle, to.chatId, to.updateId, text, result.ok ? result.guardianId : null);
	};

	// /start <token>: the one-time link from the parent's account page.
	bot.command('start', async (ctx) => {
		const token = ctx.match?.trim();
		if (!ctx.from) return;
		if (!token) {
			await reply(handle, ctx.chat.id, ctx.update.update_id, 'Welcome to Every Day. To link your account, use the “Link Telegram” button on your account page, or share your contact.', null);
			return;
		}
		const result = await redeemTelegramLinkToken(handle.db, token, { telegramUserId: ctx.from.id, chatId: ctx.chat.id });
		await answerLinkAttempt({ chatId: ctx.chat.id, updateId: ctx.update.update_id, languageCode: ctx.from.language_code }, result, m.telegram_linked_start, 'That link has expired or was already used. Please make a new one on your account page.');
	});

	// A shared contact: linked only when it is the sender's own (contact.user_id is the sender).
	bot.on('message:contact', async (ctx) => {
		if (!ctx.from) return;
		const c = ctx.message.contact;
		const result = await linkTelegramByContact(handle.db, {
			senderUserId: ctx.from.id,
			contactUserId: c.user_id,
			phoneNumber: c.phone_number,
			chatId: ctx.chat.id
		});
		await answerLinkAttempt({ chatId: ctx.chat.id, updateId: ctx.update.update_id, languageCode: ctx.from.language_code }, result, m.telegram_linked, 'Sorry, we could not link this number. Please check with your child’s school which number they hold for you.');
	});

	bot.on('message:text', async (ctx) => {
		// A post with no sender (e.g. forwarded from a channel) cannot be anyone's report.
		if (!ctx.from) return;
		await handleInboundMessage(handle, {
			channel: 'telegram',
			providerMessageId: String(ctx.update.update_id),
			address: String(ctx.chat.id),
			telegramUserId: ctx.from.id,
			languageCode: ctx.from.language_code,
			text: ctx.message.text
		});
	});

	// A tapped button sends back its number, exactly as if it had been typed.
	bot.on('callback_query:data', async (ctx) => {
		const chatId = ctx.callbackQuery.message?.chat.id ?? ctx.from.id;
		await handleInboundMessage(handle, {
			channel: 'telegram',
			providerMessageId: String(ctx.update.update_id),
			address: String(chatId),
			telegramUserId: ctx.from.id,
			languageCode: ctx.from.language_code,
			text: ctx.callbackQuery.data
		});
		await ctx.answerCallbackQuery().catch(() => {});
	});

	return bot;
}

// The parts of an update the handlers read, checked before grammY sees them: a Telegram server
// never sends anything else, so a body that is not this shape is a forgery or a bug (400).
const user = z.looseObject({ id: z.number().int(), first_name: z.string().optional() });
// PostgreSQL text cannot hold NUL: typed text and button data lose them.
const typed = (max: number) =>
	z
		.string()
		.max(max)
		.transform((t) => t.replaceAll('\u0000', ''));
const message = z.looseObject({
	message_id: z.number().int(),
	date: z.number().int(),
	chat: z.looseObject({ id: z.number().int(), type: z.string() }),
	from: user.optional(),
	text: typed(10_000).optional(),
	entities: z.array(z.looseObject({ type: z.string(), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() })).optional(),
	contact: z.looseObject({ phone_number: typed(64), first_name: z.string().optional(), user_id: z.number().int().optional() }).optional()
});
const updateShape = z.looseObject({
	update_id: z.number().int().nonnegative(),
	message: message.optional(),
	edited_message: message.optional(),
	callback_query: z.looseObject({ id: z.string(), from: user, data: typed(256).optional(), message: message.optional() }).optional()
});

function sameSecret(given: string | null, expected: string): boolean {
	const a = Buffer.from(given ?? '');
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook endpoint (POST /webhooks/telegram). grammY's own webhookCallback throws on a body
 * that is not JSON (a 500, which Telegram would retry); here every malformed request gets a
 * clear 4xx: 401 without the secret token, 400 for a body that is not an update. A real update
 * goes to the bot; if handling it fails (e.g. the database is down) the error propagates, so
 * Telegram retries and the idempotent handlers do the work once.
 */
export function telegramWebhookHandler(handle: DatabaseHandle, config: TelegramConfig & { webhookSecret: string }): (request: Request) => Promise<Response> {
	const bot = createTelegramBot(handle, config);
	let ready: Promise<void> | undefined;
	return async (request) => {
		if (!sameSecret(request.headers.get('x-telegram-bot-api-secret-token'), config.webhookSecret)) {
			return new Response('The secret token is missing or wrong', { status: 401 });
		}
		let body: unknown;
		try {
			body = JSON.parse(await request.text());
		} catch {
			return new Response('The body is not JSON', { status: 400 });
		}
		const parsed = updateShape.safeParse(body);
		if (!parsed.success) return new Response('The body is not a Telegram update', { status: 400 });
		ready ??= bot.init();
		await ready;
		await bot.handleUpdate(parsed.data as unknown as Update);
		return new Response(null, { status: 200 });
	};
}
