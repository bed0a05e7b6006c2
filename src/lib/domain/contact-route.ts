/**
 * Which channel and address a message to a parent goes to (docs/domain-rules.md §1, §2): their preferred
 * channel when we can reach them on it, otherwise the next one we can. SMS matters most: many
 * families have no smartphone, and SMS must do everything essential.
 *
 * Pure: no I/O.
 */
export type ContactChannel = 'sms' | 'telegram' | 'push' | 'email' | 'whatsapp';

export interface GuardianReachability {
	preferredChannel: ContactChannel;
	/** E.164. */
	phone: string | null;
	email: string | null;
	/** The chat of a linked Telegram account. */
	telegramChatId: number | string | null;
	/** The parent texted STOP: no SMS until START. */
	smsOptedOut?: boolean;
	/** The parent sent STOP on WhatsApp. */
	whatsappOptedOut?: boolean;
}

export interface ContactRoute {
	channel: Exclude<ContactChannel, 'push'>;
	recipient: string;
}

/**
 * The route for a one-to-one message (a code, a first day contact, a decision). Web push is
 * not a route for these: a notification can be missed or blocked, and these need an answer.
 * Order after the preferred channel: SMS, Telegram, email. WhatsApp only as the parent's own
 * choice (it needs their number and their opt-in). null when we cannot reach them.
 */
export function contactRouteFor(g: GuardianReachability): ContactRoute | null {
	const sms = g.phone && !g.smsOptedOut ? ({ channel: 'sms', recipient: g.phone } as const) : null;
	const telegram = g.telegramChatId != null && g.telegramChatId !== '' ? ({ channel: 'telegram', recipient: String(g.telegramChatId) } as const) : null;
	const email = g.email ? ({ channel: 'email', recipient: g.email } as const) : null;
	const whatsapp = g.phone && !g.whatsappOptedOut ? ({ channel: 'whatsapp', recipient: g.phone } as const) : null;
	const preferred =
		g.preferredChannel === 'telegram' ? telegram : g.preferredChannel === 'email' ? email : g.preferredChannel === 'sms' ? sms : g.preferredChannel === 'whatsapp' ? whatsapp : null;
	return preferred ?? sms ?? telegram ?? email;
}
