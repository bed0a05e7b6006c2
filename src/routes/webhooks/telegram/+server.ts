/** Telegram webhook: checks X-Telegram-Bot-Api-Secret-Token (TELEGRAM_WEBHOOK_SECRET), then hands the update to the bot. */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { telegramConfigFromEnv, telegramWebhookHandler } from '$lib/server/providers/telegram';

let handler: ((req: Request) => Promise<Response>) | undefined;

export const POST: RequestHandler = async ({ request }) => {
	const config = telegramConfigFromEnv();
	if (!config) error(404, 'Telegram is not configured');
	if (!config.webhookSecret) error(503, 'Set TELEGRAM_WEBHOOK_SECRET to receive Telegram updates');
	handler ??= telegramWebhookHandler(await getDatabase(), { ...config, webhookSecret: config.webhookSecret });
	return handler(request);
};
