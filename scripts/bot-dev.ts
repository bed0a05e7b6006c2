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

const token = process.env.TELEGRAM_BOT_TOKEN?.trim();
const secret = process.env.TELEGRAM_WEBHOOK_SECRET?.trim();
const app = (process.env.APP_URL?.trim() || 'http://localhost:3000').replace(/\/+$/, '');
if (!token || !secret) {
	console.error('Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET (the same values as the running app).');
	process.exit(1);
}
const apiRoot = process.env.TELEGRAM_API_ROOT?.trim();
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
