/** What a text message costs: its SMS segments (campaign estimates, the bot's replies). */
const GSM7_BASIC = new Set(
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

export interface SmsSegments {
	encoding: 'GSM-7' | 'UCS-2';
	/** Characters as the network counts them (GSM-7 extension characters count twice; UCS-2 counts UTF-16 units). */
	units: number;
	segments: number;
}

/**
 * How many SMS segments a text costs: GSM-7 160 in one / 153 per part; any other character
 * (an emoji, a curly apostrophe, Polish ł) makes the whole text UCS-2, 70 in one / 67 per part.
 */
export function smsSegments(text: string): SmsSegments {
	let gsm = true;
	let units = 0;
	for (const ch of text) {
		if (GSM7_BASIC.has(ch)) units += 1;
		else if (GSM7_EXTENDED.has(ch)) units += 2;
		else {
			gsm = false;
			break;
		}
	}
	if (!gsm) {
		units = text.length; // UTF-16 code units
		return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
	}
	return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
}
