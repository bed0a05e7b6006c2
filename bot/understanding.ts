/**
 * What a parent means by a text or Telegram message (issue 5): "Sam is off sick today", "Ella
 * has the dentist at 10", "both kids ill", "STOP", "help", "attendance", "YES" to a check-in.
 * Children are matched by name among the sender's own children, tolerating small typos.
 * SMS segment counting lives here too (segments cost money).
 *
 * Pure: no I/O.
 */
import type { AbsenceReason, ReportSessions } from '../src/lib/domain/absence';

export interface ChildName {
	pupilId: string;
	/** Preferred or first name. */
	name: string;
}

export type Intent =
	| { kind: 'stop' }
	| { kind: 'start' }
	| { kind: 'help'; text: string }
	| { kind: 'attendance' }
	| { kind: 'still_off' }
	| { kind: 'back' }
	| { kind: 'choice'; number: number }
	| { kind: 'greeting' }
	| {
			kind: 'report';
			/** Matched children; empty = not said (ask when the parent has more than one). */
			pupilIds: string[];
			/** True for "both", "all", "the kids". */
			allChildren: boolean;
			reason: AbsenceReason | null;
			day: 'today' | 'tomorrow';
			sessions: ReportSessions;
			details: string;
	  }
	| { kind: 'unknown' };

function fold(text: string): string {
	return (
		text
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[’‘]/g, "'")
			.toLowerCase()
			// Polish ł has no decomposition; parents often type without diacritics anyway.
			.replace(/ł/g, 'l')
			// Arabic: drop short vowels and tatweel, and treat the spellings parents use
			// interchangeably (hamza on alef, ta marbuta, alef maqsura) as one.
			.replace(/[\u064b-\u065f\u0670\u0640]/g, '')
			.replace(/[أإآٱ]/g, 'ا')
			.replace(/ة/g, 'ه')
			.replace(/ى/g, 'ي')
			.trim()
	);
}

// Letters of any script (Arabic, Bengali with its vowel signs), so the one-word checks see them.
const words = (text: string) => fold(text).split(/[^\p{L}\p{M}\p{N}']+/u).filter(Boolean);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A matcher for words in parents' own languages. Latin-script words must stand alone (Unicode
 * aware, unlike \b); Arabic and Bengali words may carry prefixes and endings ("بالحمى",
 * "জ্বরে"), so they match inside a word.
 */
function keywords(list: readonly string[]): (folded: string) => boolean {
	const latin = list.map(fold).filter((w) => /^[a-z0-9' -]+$/.test(w));
	const other = list.map(fold).filter((w) => !/^[a-z0-9' -]+$/.test(w));
	const latinRe = latin.length ? new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${latin.map(escapeRe).join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'u') : null;
	return (t) => (latinRe?.test(t) ?? false) || other.some((w) => t.includes(w));
}

/** The whole message is one of these (a check-in answer), after trailing punctuation. */
function exactly(list: readonly string[]): (folded: string) => boolean {
	const set = new Set(list.map(fold));
	return (t) => set.has(t.replace(/[\s.!،।?]+$/u, ''));
}

/** Edit distance with adjacent transpositions ("Elal" → "Ella" is 1), small strings only. */
export function editDistance(a: string, b: string): number {
	const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
	for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) dp[i]![j] = Math.min(dp[i]![j]!, dp[i - 2]![j - 2]! + 1);
		}
	}
	return dp[a.length]![b.length]!;
}

/** The sender's children named in the text (exact, or one typo for names of 4+ letters). */
export function matchChildren(text: string, children: readonly ChildName[]): string[] {
	const ws = words(text);
	const found: string[] = [];
	for (const c of children) {
		const name = fold(c.name).split(/\s+/)[0]!;
		const hit = ws.some((w) => {
			const bare = w.replace(/'s$/, '');
			return bare === name || (name.length >= 4 && Math.abs(bare.length - name.length) <= 1 && editDistance(bare, name) <= 1);
		});
		if (hit) found.push(c.pupilId);
	}
	return found;
}

const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
const START_WORDS = new Set(['start', 'unstop', 'subscribe']);
const GREETINGS = ['hi', 'hello', 'hey', 'hiya', 'good morning', 'morning', 'czesc', 'dzien dobry', 'salut', 'buna', 'salam', 'assalamualaikum', 'as-salamu alaykum', 'marhaba', 'nomoskar', 'namaskar', 'hola', 'bonjour'];
const HELP_WORDS = ['help', 'support', 'anxious', 'anxiety', 'worried', 'bullied', 'bus', 'transport', 'uniform', 'carer', 'advice', 'pomoc', 'ajutor', 'musaeada'];

// Parents' own languages (issue 10): Polish, Romanian, Arabic, Bengali and romanised Bengali.
// The English words and the English STOP/START handling above are unchanged; these are extra.
// Our opt-out only: Twilio's own carrier-level STOP keywords are English.
const STOP_OTHER = exactly(['wypisz', 'rezygnuje', 'rezygnuję', 'dezabonare', 'dezabonează', 'renunt', 'renunț', 'توقف', 'ايقاف', 'الغاء', 'বন্ধ', 'bondho', 'bandha']);
const START_OTHER = exactly(['zapisz', 'wznów', 'wznow', 'porneste', 'pornește', 'reabonare', 'ابدا', 'ابدأ', 'اشتراك', 'শুরু', 'chalu', 'shuru']);
const HELP_OTHER = keywords(['pomocy', 'potrzebuje pomocy', 'potrzebuję pomocy', 'ajutați', 'ajutati', 'مساعده', 'مساعدة', 'ساعدني', 'ساعدوني', 'সাহায্য', 'sahajjo', 'shahajjo', 'sahajya']);
const ATTENDANCE_OTHER = keywords(['obecnosc', 'obecność', 'nieobecnosci', 'nieobecności', 'absente', 'absențe', 'frecventa', 'frecvența', 'الحضور', 'حضور', 'الغياب', 'উপস্থিতি', 'হাজিরা', 'upostithi', 'uposthiti', 'hajira']);
const YES_OTHER = exactly(['tak', 'da', 'haan', 'ha', 'nadal chory', 'nadal chora', 'dalej chory', 'dalej chora', 'încă bolnav', 'inca bolnav', 'încă bolnavă', 'inca bolnava', 'نعم', 'ايوه', 'ايوا', 'اي', 'لا يزال مريضا', 'হ্যাঁ', 'হাঁ', 'জি', 'ji', 'hya', 'hae']);
const BACK_OTHER = exactly(['nie', 'wrócił', 'wrocil', 'wróciła', 'wrocila', 'już w szkole', 'juz w szkole', 'nu', 's-a întors', 's-a intors', 'e la școală', 'e la scoala', 'لا', 'رجع', 'رجعت', 'عاد', 'عادت', 'عاد الى المدرسه', 'না', 'ফিরেছে', 'ফিরে এসেছে', 'na', 'firese', 'fire eseche']);
const ILLNESS_OTHER = keywords([
	'chory', 'chora', 'chore', 'choroba', 'gorączka', 'gorączkę', 'goraczka', 'goraczke', 'przeziębiony', 'przeziębiona', 'przeziebiony', 'przeziebiona', 'wymiotuje', 'kaszel', 'źle się czuje', 'zle sie czuje', 'grypa',
	'bolnav', 'bolnavă', 'bolnava', 'bolnavi', 'răcit', 'racit', 'răceală', 'raceala', 'febră', 'febra', 'vomită', 'voma', 'gripă', 'gripa', 'nu se simte bine',
	'مريض', 'مريضه', 'مرضى', 'مرض', 'حمى', 'حراره', 'سخونه', 'زكام', 'انفلونزا', 'تعبان', 'يتقيا', 'استفراغ',
	'অসুস্থ', 'অসুখ', 'জ্বর', 'সর্দি', 'কাশি', 'বমি', 'শরীর খারাপ',
	'oshustho', 'osustho', 'asustha', 'oshusto', 'jor', 'jwor', 'shorir kharap', 'sorir kharap', 'bomi'
]);
const APPOINTMENT_OTHER = keywords([
	'dentysta', 'dentysty', 'dentysty', 'u dentysty', 'lekarz', 'lekarza', 'wizyta', 'wizytę', 'wizyte', 'szczepienie',
	'medic', 'medicul', 'medicului', 'programare', 'stomatolog', 'vaccin',
	'موعد', 'طبيب', 'الطبيب', 'دكتور', 'عياده', 'مستشفى', 'اسنان',
	'ডাক্তার', 'ডাক্তারের', 'অ্যাপয়েন্টমেন্ট', 'দাঁতের', 'হাসপাতাল', 'daktar', 'dactar'
]);
const OFF_OTHER = keywords([
	'nie będzie', 'nie bedzie', 'nie przyjdzie', 'zostaje w domu', 'zostanie w domu', 'nieobecny', 'nieobecna',
	'nu vine', 'nu va veni', 'rămâne acasă', 'ramane acasa', 'lipsește', 'lipseste',
	'لن يحضر', 'لن تحضر', 'غائب', 'غايب', 'لن يذهب', 'لن تذهب',
	'আসবে না', 'যাবে না', 'অনুপস্থিত', 'ashbe na', 'asbe na', 'jabe na'
]);
const TOMORROW_OTHER = keywords(['jutro', 'mâine', 'maine', 'غدا', 'بكره', 'আগামীকাল', 'agamikal']);
const ALL_CHILDREN_OTHER = keywords(['oboje', 'obydwoje', 'dzieci', 'amândoi', 'amandoi', 'amândouă', 'copiii', 'كلاهما', 'الاولاد', 'الاطفال', 'দুজনেই', 'বাচ্চারা', 'duijon']);

const REASON_PATTERNS: [AbsenceReason, RegExp][] = [
	['bereavement', /\b(died|passed away|funeral|bereave\w*)\b/],
	['family_emergency', /\b(emergency|family crisis|hospital with (his|her|their) (mum|dad|nan|gran))\b/],
	['medical_appointment', /\b(dentist|doctor'?s?|gp|appointment|appt|hospital appointment|orthodontist|optician|clinic|check[- ]?up|vaccination|jab)\b/],
	['mental_health', /\b(anxious|anxiety|panic|mental health|low mood|depressed|can'?t face|wont go|won'?t go)\b/],
	['religious_observance', /\b(eid|diwali|yom kippur|rosh hashanah|vaisakhi|religious|festival)\b/],
	[
		'illness',
		/\b(ill|sick|unwell|poorly|temperature|fever|cough\w*|cold|flu|vomit\w*|diarrh\w*|chicken ?pox|rash|headache|migraine|tummy|stomach|covid|bug|sore throat|earache|infection|not well|under the weather|chory|chora|bolnav)\b/
	]
];

/** The reason the words point to, or null. */
export function reasonFromText(text: string): AbsenceReason | null {
	const t = fold(text);
	for (const [reason, re] of REASON_PATTERNS) if (re.test(t)) return reason;
	if (APPOINTMENT_OTHER(t)) return 'medical_appointment';
	if (ILLNESS_OTHER(t)) return 'illness';
	return null;
}

/** "at 10", "at 2pm", "10:30", "14:00": before noon → morning, after → afternoon. */
export function sessionsFromText(text: string): ReportSessions {
	const t = fold(text);
	if (/\b(morning|am only)\b/.test(t)) return 'AM';
	if (/\b(afternoon|pm only)\b/.test(t)) return 'PM';
	const m = /\b(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\b/.exec(t);
	// "at 10" also as "o 10" (Polish), "la 10" (Romanian), "الساعة 10" (Arabic).
	if (m && (/(?:\bat|\bo|\bla|الساعه)\s+\d/.test(t) || m[2] || m[3])) {
		let h = Number(m[1]);
		if (m[3] === 'pm' && h < 12) h += 12;
		else if (!m[3] && h >= 1 && h <= 6) h += 12; // "at 2" during the school day is 2pm
		if (h >= 7 && h < 12) return 'AM';
		if (h >= 12 && h <= 17) return 'PM';
	}
	return 'BOTH';
}

/** What the message means. `children` are the sender's own; `awaitingChoice` when we asked a numbered question. */
export function parseIntent(text: string, children: readonly ChildName[], opts: { awaitingChoice?: boolean } = {}): Intent {
	const t = fold(text);
	const ws = words(text);
	if (ws.length === 0) return { kind: 'unknown' };
	if (ws.length === 1 && STOP_WORDS.has(ws[0]!)) return { kind: 'stop' };
	if (ws.length === 1 && START_WORDS.has(ws[0]!)) return { kind: 'start' };
	if (STOP_OTHER(t)) return { kind: 'stop' };
	if (START_OTHER(t)) return { kind: 'start' };
	if (opts.awaitingChoice && /^\d{1,2}$/.test(t)) return { kind: 'choice', number: Number(t) };
	if (/^(yes|y|yeah|yep|still (off|ill|sick|unwell)|tak|da|haan|ha)$/.test(t) || YES_OTHER(t)) return { kind: 'still_off' };
	if (/^(back|no|n|she'?s back|he'?s back|back at school|better)$/.test(t) || BACK_OTHER(t)) return { kind: 'back' };
	if (/\b(attendance|how many days|days missed|time lost|percentage|frekwencja|prezenta)\b/.test(t) || ATTENDANCE_OTHER(t)) return { kind: 'attendance' };

	const pupilIds = matchChildren(text, children);
	const allChildren = /\b(both|all (of )?(them|the kids|the children|three|four|my kids)|kids|children|twins)\b/.test(t) || ALL_CHILDREN_OTHER(t);
	const reason = reasonFromText(text);
	const offWords = /\b(off|absent|not (coming|in)|won'?t be in|wont be in|stay(ing)? (at )?home|not going|keeping \w+ (off|home)|miss(ing)? school)\b/.test(t) || OFF_OTHER(t);
	if (reason || ((pupilIds.length > 0 || allChildren) && offWords) || (offWords && children.length > 0)) {
		if (reason || offWords) {
			return {
				kind: 'report',
				pupilIds: allChildren ? children.map((c) => c.pupilId) : pupilIds,
				allChildren,
				reason,
				day: /\btomorrow\b/.test(t) || TOMORROW_OTHER(t) ? 'tomorrow' : 'today',
				sessions: reason === 'medical_appointment' ? sessionsFromText(text) : 'BOTH',
				details: text.trim().slice(0, 500)
			};
		}
	}
	if (HELP_WORDS.some((w) => new RegExp(`\\b${w}\\b`).test(t)) || HELP_OTHER(t) || t === '?') return { kind: 'help', text };
	if (GREETINGS.some((g) => t === g || t.startsWith(`${g} `) || t.startsWith(`${g},`) || t.startsWith(`${g}!`))) return { kind: 'greeting' };
	return { kind: 'unknown' };
}

export { smsSegments, type SmsSegments } from '../src/lib/domain/sms';
