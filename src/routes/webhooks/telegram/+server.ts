/** Telegram webhook: checks X-Telegram-Bot-Api-Secret-Token (TELEGRAM_WEBHOOK_SECRET), then hands the update to the bot. */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { telegramConfig, telegramWebhookHandler } from '$bot';

let handler: ((req: Request) => Promise<Response>) | undefined;

export const POST: RequestHandler = async ({ request, locals }) => {
	const config = telegramConfig();
	if (!config) error(404, 'Telegram is not configured');
	if (!config.webhookSecret) error(503, 'Set TELEGRAM_WEBHOOK_SECRET to receive Telegram updates');
	handler ??= telegramWebhookHandler(locals.database, { ...config, webhookSecret: config.webhookSecret });
	return handler(request);
};
