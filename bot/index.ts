/**
 * The bot's front door: one conversation engine behind every channel. Web routes (webhooks, the
 * development phone) and the Telegram long-polling script come in here.
 */
export { handleInboundMessage } from './conversations';
export { handleTwilioSms, handleTwilioStatus, handleTwilioWhatsApp, type WebhookResult } from './channels/twilio';
export { handleTwilioVoice, VOICE_STEPS, type VoiceStep } from './channels/voice';
export { createTelegramBot, telegramWebhookHandler } from './channels/telegram';
export { twilioConfig } from '../src/lib/server/providers/twilio';
export { whatsappConfig } from '../src/lib/server/providers/whatsapp';
export { telegramConfig } from '../src/lib/server/providers/telegram';
