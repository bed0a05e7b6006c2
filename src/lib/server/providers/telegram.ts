/**
 * Telegram through grammY: the bot's configuration and outbound messages. TELEGRAM_API_ROOT
 * points grammY at another Bot API server (tests: a local fake), so grammY's own code sends
 * every request. The bot itself (webhook and long polling) is in bot/channels/telegram.ts.
 */
import { Api, InlineKeyboard } from 'grammy';
import type { Transport } from '../platform/outbox';
import { config, type TelegramConfig } from '../platform/config';

export type { TelegramConfig };

/** The bot as configured (TELEGRAM_BOT_TOKEN set), or null. */
export function telegramConfig(): TelegramConfig | null {
	return config().telegram;
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
