/**
 * `npm run bot:dev`: Telegram by long polling, for development without a public URL. grammY
 * fetches updates from Telegram and this script hands each one to the running app's own
 * webhook route (with the secret token), so the app (which owns the embedded database) handles
 * it exactly as it would a webhook call in production.
 *
 * Needs TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET set for both this script and the app
 * (`npm start`); APP_URL defaults to http://localhost:3000. Stop with Ctrl+C.
 */
import { Bot } from 'grammy';
import { config } from '../src/lib/server/platform/config';

// The bot's settings are the app's (read the same way); APP_URL is this script's own.
const telegram = config().telegram;
const secret = telegram?.webhookSecret;
const app = (process.env.APP_URL?.trim() || 'http://localhost:3000').replace(/\/+$/, '');
if (!telegram || !secret) {
	console.error('Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET (the same values as the running app).');
	process.exit(1);
}
const { token, apiRoot } = telegram;
const bot = new Bot(token, apiRoot ? { client: { apiRoot } } : undefined);

bot.use(async (ctx) => {
	const res = await fetch(`${app}/webhooks/telegram`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
		body: JSON.stringify(ctx.update)
	});
	if (!res.ok) console.error(`update ${ctx.update.update_id}: the app answered ${res.status}`);
});

// Polling and a webhook cannot both be active for one bot.
await bot.api.deleteWebhook();
console.log(`Polling Telegram; updates go to ${app}/webhooks/telegram. Ctrl+C to stop.`);
await bot.start();
