/**
 * Telegram through grammY: the bot's configuration and outbound messages. TELEGRAM_API_ROOT
 * points grammY at another Bot API server (tests: a local fake), so grammY's own code sends
 * every request. The bot itself (webhook and long polling) is in bot/channels/telegram.ts.
 */
import { Api, InlineKeyboard } from 'grammy';
import type { Transport } from '../platform/outbox';

export interface TelegramConfig {
	token: string;
	/** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook call. */
	webhookSecret?: string;
	/** Default https://api.telegram.org. */
	apiRoot?: string;
	username: string;
}

export function telegramConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TelegramConfig | null {
	const token = env.TELEGRAM_BOT_TOKEN?.trim();
	if (!token) return null;
	return {
		token,
		webhookSecret: env.TELEGRAM_WEBHOOK_SECRET?.trim() || undefined,
		apiRoot: env.TELEGRAM_API_ROOT?.trim() || undefined,
		username: env.TELEGRAM_BOT_USERNAME?.trim() || 'EveryDayDemoBot'
	};
}

export function telegramApi(config: TelegramConfig): Api {
	return new Api(config.token, config.apiRoot ? { apiRoot: config.apiRoot } : undefined);
}

/** Outbound Telegram messages; offered answers become inline buttons that send back their number. */
export function telegramTransport(config: TelegramConfig): Transport {
	const api = telegramApi(config);
	return {
		async send(message) {
			const choices = message.choices ?? [];
			const keyboard = InlineKeyboard.from(choices.map((label, i) => [InlineKeyboard.text(label, String(i + 1))]));
			const sent = await api.sendMessage(message.recipient, message.body, choices.length ? { reply_markup: keyboard } : {});
			return { providerMessageId: String(sent.message_id) };
		}
	};
}
