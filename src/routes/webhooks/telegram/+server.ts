/** Telegram webhook: grammY checks X-Telegram-Bot-Api-Secret-Token (TELEGRAM_WEBHOOK_SECRET). */
import { error } from '@sveltejs/kit';
import { webhookCallback } from 'grammy';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db';
import { createTelegramBot, telegramConfigFromEnv } from '$lib/server/channels/telegram';

let callback: ((req: Request) => Promise<Response>) | undefined;

export const POST: RequestHandler = async ({ request }) => {
	const config = telegramConfigFromEnv();
	if (!config) error(404, 'Telegram is not configured');
	if (!config.webhookSecret) error(503, 'Set TELEGRAM_WEBHOOK_SECRET to receive Telegram updates');
	callback ??= webhookCallback(createTelegramBot(await getDatabase(), config), 'std/http', { secretToken: config.webhookSecret });
	return callback(request);
};
