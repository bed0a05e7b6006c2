/**
 * What a parent means by a text or Telegram message: "Sam is off sick today", "Ella has the
 * dentist at 10", "both kids ill", "Sam d&v tmrw", "Ezra's off till Friday", "and Ella too",
 * "STOP", "help", "attendance", "YES" to a check-in. Children are matched by name, nickname,
 * possessive or small typo among the sender's own children; every field of a report carries a
 * confidence, and what the words do not settle (which child, which day) is left as options to
 * ask about, never guessed. Days and times are read in ./bot-dates.
 * SMS segment counting lives here too (segments cost money).
 *
 * Pure: no I/O (the caller passes today, the time and the school calendar; without them, today
 * in London is taken from the clock).
 */
import type { AbsenceReason, ReportSessions } from '../src/lib/domain/absence';
import { DEFAULT_TIME_ZONE, addDays, dayOfWeek, isSchoolDay, localDateOf, type IsoDate, type SchoolCalendar } from '../src/lib/domain/calendar';
import { dateProblem, readDates, readTimes, sessionsFor, type DateProblem, type DateRange, type DateReading } from '../src/lib/domain/bot-dates';

export type { DateRange, DateProblem } from '../src/lib/domain/bot-dates';

export interface ChildName {
	pupilId: string;
	/** Preferred or first name. */
	name: string;
	/** Other names the parent may use: first name, the school's preferred name, nicknames used before. */
	aliases?: string[];
	/** Date of birth, so "the twins" can be told apart from the other children. */
	born?: string;
}

/** How sure we are of each field, 0–1; below {@link CONFIDENT} we ask before storing. */
export interface FieldConfidence {
	children: number;
	dates: number;
	reason: number;
	sessions: number;
}

export const CONFIDENT = 0.8;

/** One report to make: some children, one reason, one stretch of days. */
export interface ReportItem {
	/** Matched children; empty = not said (ask when the parent has more than one). */
	pupilIds: string[];
	reason: AbsenceReason | null;
	dates: DateRange;
	/** The parent named the day(s); false = today by default. */
	datesSaid: boolean;
	sessions: ReportSessions;
	/** 'HH:MM' times the parent gave, for the register (kept in the details text until the schema has them). */
	leavesAt?: string;
	returnsAt?: string;
	arrivesBy?: string;
	appointmentAt?: string;
	/** "in by 10": a late arrival, a note for the register rather than an absence. */
	lateArrival: boolean;
}

export interface ReportIntent extends ReportItem {
	kind: 'report';
	/** True for "both", "all", "the kids". */
	allChildren: boolean;
	details: string;
	/** Several children with different reasons or days ("Sam is ill and Ella has the dentist"). */
	items: ReportItem[];
	confidence: FieldConfidence;
	/** Which children the words could mean, when they fit more than one ("Elle" with Ella and Ellie). */
	childOptions?: string[][];
	/** A name we do not know ("Jack is ill" from a parent of Sam): ask rather than assume. */
	unknownName?: string;
	/** The readings of the days to offer, when the words fit more than one. */
	dateOptions?: DateRange[];
	/** Which of `items` the chosen reading is for. */
	dateOptionItems?: number[];
	/** The days cannot be reported as they are: in the past, too far ahead, or no school. */
	dateProblem?: DateProblem;
}

/** A follow-up to the report just made: "sorry, I meant Friday", "and Ella too". */
export interface AmendIntent {
	kind: 'amend';
	/** Children to add ("and Ella too"). */
	addPupilIds: string[];
	/** Children to put instead ("I meant Ella"). */
	replacePupilIds: string[];
	dates?: DateRange;
	dateOptions?: DateRange[];
	dateProblem?: DateProblem;
	reason?: AbsenceReason;
	sessions?: ReportSessions;
	text: string;
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
	| ReportIntent
	| AmendIntent
	| { kind: 'unknown' };

export interface ParseOptions {
	/** We asked a numbered question: a bare number is an answer. */
	awaitingChoice?: boolean;
	/** Today in the school's time zone (default: today in Europe/London). */
	today?: IsoDate;
	/** The school's local time now, 'HH:MM': after school, "Sam is ill" may mean the next day. */
	time?: string;
	/** The school's calendar: weekends, holidays and closures are not reported. */
	calendar?: SchoolCalendar;
	/** A report was made in this conversation a few minutes ago (so "and Ella too" amends it). */
	recentReport?: boolean;
}


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

/** Names that are also everyday words: matched only when written with a capital letter. */
const WORD_NAMES = new Set(['will', 'may', 'rose', 'hope', 'grace', 'faith', 'joy', 'mark', 'bill', 'summer', 'autumn', 'april', 'june', 'august', 'art', 'ray', 'sky', 'rain', 'river', 'star', 'honey', 'sunny', 'dawn', 'eve', 'pat', 'sue', 'jack', 'frank', 'sage', 'reign', 'chase', 'miles', 'drew', 'gene', 'jade', 'amber', 'ruby', 'pearl', 'daisy', 'holly', 'lily', 'poppy', 'iris', 'violet', 'willow', 'hazel', 'ivy', 'robin', 'heather', 'crystal', 'destiny', 'harmony', 'melody']);

/** Everyday words never read as a misspelt name. */
const NOT_NAMES = new Set(
	('the and for off sick ill not but she her his him they them their our has had have with will wont cant can this that today tomorrow monday friday school home back well also sorry morning night week day days still been being feel feeling poorly bad mum dad son boy girl kids both all any some come coming going went late soon just only very really too more much what when then than there here where were your yours thanks thank please hello hiya dear miss sir teacher class same sams none nose eyes ears head arms legs hand foot mouth temp rash pox bug flu cold cough test exam trip club nah yeah yes yep nope okay ok tell hell sale male mole mill fill kill till tall ball call fall wall hall else ever even over oven open')
		.split(' ')
);

const SUFFIXES = ["'s", 's', "'", 'a', 'owi', 'em', 'ie', 'y', 'u', 'ului', 'ei', 'ă'];

function skeleton(w: string): string {
	return w.replace(/(.)\1+/g, '$1');
}

interface Token {
	raw: string;
	word: string;
	start: number;
	end: number;
}

function tokens(text: string): Token[] {
	const out: Token[] = [];
	for (const m of text.matchAll(/[\p{L}\p{M}\p{N}'’]+/gu)) {
		out.push({ raw: m[0], word: fold(m[0]).replace(/^'+|'+$/g, ''), start: m.index!, end: m.index! + m[0].length });
	}
	return out;
}

function aliasesOf(c: ChildName): string[] {
	return [...new Set([c.name, ...(c.aliases ?? [])].map((n) => fold(n).split(/\s+/)[0]!).filter((n) => n.length >= 2))];
}

/** How far a word is from a name: 0 exact (or a possessive/declined form), 1–2 a typo, Infinity no match. */
function nameDistance(tok: Token, alias: string): number {
	const w = tok.word;
	const capitalised = /^\p{Lu}/u.test(tok.raw);
	if (WORD_NAMES.has(alias) && !capitalised) return Infinity;
	if (w === alias) return 0;
	for (const s of SUFFIXES) if (w === alias + s) return 0;
	if (NOT_NAMES.has(w) && !capitalised) return Infinity;
	if (alias.length < 4 || w.length < 3) return Infinity;
	const bare = w.replace(/'?s$/, '');
	const d = Math.min(editDistance(w, alias), editDistance(bare, alias), editDistance(skeleton(bare), skeleton(alias)));
	const allowed = alias.length >= 7 ? 2 : 1;
	return d <= allowed ? d : Infinity;
}

export interface ChildMention {
	start: number;
	end: number;
	/** Best-matching children (more than one when the word fits several equally). */
	pupilIds: string[];
	exact: boolean;
}

/** Every place a child of the sender is named, in order. */
export function childMentions(text: string, children: readonly ChildName[]): ChildMention[] {
	const out: ChildMention[] = [];
	for (const tok of tokens(text)) {
		let best = Infinity;
		let ids: string[] = [];
		for (const c of children) {
			const d = Math.min(...aliasesOf(c).map((a) => nameDistance(tok, a)));
			if (d < best) { best = d; ids = [c.pupilId]; }
			else if (d === best && d !== Infinity) ids.push(c.pupilId);
		}
		if (best !== Infinity) out.push({ start: tok.start, end: tok.end, pupilIds: ids, exact: best === 0 });
	}
	return out;
}

/** The sender's children named in the text (exact, or a small typo for longer names). */
export function matchChildren(text: string, children: readonly ChildName[]): string[] {
	const found = new Set(childMentions(text, children).filter((m) => m.pupilIds.length === 1).map((m) => m.pupilIds[0]!));
	return children.filter((c) => found.has(c.pupilId)).map((c) => c.pupilId);
}

/** Words that start a message without being a child's name. */
const SUBJECT_WORDS = new Set(
	('he she they it its my our me i we the this that there both all everyone kids children son daughter boy girl twins hi hello hey hiya morning sorry just so also and but please unfortunately afraid dear good today tomorrow yes no ok okay thanks thank one little youngest eldest oldest middle baby brother sister child kid lad lads boys girls them his her their ' +
		'monday tuesday wednesday thursday friday saturday sunday school dentist doctor doctors appointment appt hospital not off still back running late feeling been being having woke has is will wont cant can had was').split(' ')
);

/** A name-like subject we do not recognise: "Jack is ill", "Olivia's got a temp". */
function unknownSubject(text: string, children: readonly ChildName[]): string | undefined {
	const m = /^(?:(?:hi|hello|hey|hiya|morning|good morning|sorry|dear \w+)[,!. ]+)?(\p{L}[\p{L}'-]+?)(?:'s|’s)?\s+(?:is|has|will|wont|won't|isnt|isn't|not|off|cant|can't|feeling|got|needs|woke|was|and|&|has got|'s got)\b/u.exec(text.trim());
	if (!m) return undefined;
	const word = fold(m[1]!);
	if (SUBJECT_WORDS.has(word) || !/^\p{L}+$/u.test(word) || /^[\u0600-\u06ff\u0980-\u09ff]/u.test(word)) return undefined;
	if (children.some((c) => aliasesOf(c).includes(word))) return undefined;
	// Only a capitalised word, or one nobody would write for anything else.
	if (!/^\p{Lu}/u.test(m[1]!)) return undefined;
	return m[1]!;
}


const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
const START_WORDS = new Set(['start', 'unstop', 'subscribe']);
const GREETINGS = ['hi', 'hello', 'hey', 'hiya', 'good morning', 'morning', 'czesc', 'dzien dobry', 'salut', 'buna', 'salam', 'assalamualaikum', 'as-salamu alaykum', 'marhaba', 'nomoskar', 'namaskar', 'hola', 'bonjour'];
const HELP_WORDS = ['help', 'support', 'anxious', 'anxiety', 'worried', 'bullied', 'bus', 'transport', 'uniform', 'carer', 'advice', 'pomoc', 'ajutor', 'musaeada'];

// Parents' own languages: Polish, Romanian, Arabic, Bengali and romanised Bengali.
// The English words and the English STOP/START handling above are unchanged; these are extra.
// Our opt-out only: Twilio's own carrier-level STOP keywords are English.
const STOP_OTHER = exactly(['wypisz', 'rezygnuje', 'rezygnuję', 'dezabonare', 'dezabonează', 'renunt', 'renunț', 'توقف', 'ايقاف', 'الغاء', 'বন্ধ', 'bondho', 'bandha']);
const START_OTHER = exactly(['zapisz', 'wznów', 'wznow', 'porneste', 'pornește', 'reabonare', 'ابدا', 'ابدأ', 'اشتراك', 'শুরু', 'chalu', 'shuru']);
const HELP_OTHER = keywords(['pomocy', 'potrzebuje pomocy', 'potrzebuję pomocy', 'ajutați', 'ajutati', 'مساعده', 'مساعدة', 'ساعدني', 'ساعدوني', 'সাহায্য', 'sahajjo', 'shahajjo', 'sahajya']);
const ATTENDANCE_OTHER = keywords(['obecnosc', 'obecność', 'nieobecnosci', 'nieobecności', 'absente', 'absențe', 'frecventa', 'frecvența', 'الحضور', 'حضور', 'الغياب', 'উপস্থিতি', 'হাজিরা', 'upostithi', 'uposthiti', 'hajira']);
const YES_OTHER = exactly(['tak', 'da', 'haan', 'ha', 'nadal chory', 'nadal chora', 'dalej chory', 'dalej chora', 'încă bolnav', 'inca bolnav', 'încă bolnavă', 'inca bolnava', 'نعم', 'ايوه', 'ايوا', 'اي', 'لا يزال مريضا', 'হ্যাঁ', 'হাঁ', 'জি', 'ji', 'hya', 'hae']);
const BACK_OTHER = exactly(['nie', 'wrócił', 'wrocil', 'wróciła', 'wrocila', 'już w szkole', 'juz w szkole', 'nu', 's-a întors', 's-a intors', 'e la școală', 'e la scoala', 'لا', 'رجع', 'رجعت', 'عاد', 'عادت', 'عاد الى المدرسه', 'না', 'ফিরেছে', 'ফিরে এসেছে', 'na', 'firese', 'fire eseche']);
const ILLNESS_OTHER = keywords([
	'chory', 'chora', 'chore', 'chorzy', 'chorych', 'grypę', 'grype', 'przeziębiony', 'rozchorował', 'rozchorowala', 'rozchorowała', 'choroba', 'gorączka', 'gorączkę', 'goraczka', 'goraczke', 'przeziębiony', 'przeziębiona', 'przeziebiony', 'przeziebiona', 'wymiotuje', 'kaszel', 'źle się czuje', 'zle sie czuje', 'grypa',
	'bolnav', 'bolnavă', 'bolnava', 'bolnavi', 'răcit', 'racit', 'răcită', 'racita', 'răciți', 'raciti', 'răceală', 'raceala', 'febră', 'febra', 'vomită', 'voma', 'gripă', 'gripa', 'nu se simte bine',
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
const ALL_CHILDREN_OTHER = keywords(['oboje', 'obydwoje', 'dzieci', 'amândoi', 'amandoi', 'amândouă', 'copiii', 'كلاهما', 'الاولاد', 'الاطفال', 'দুজনেই', 'বাচ্চারা', 'duijon']);

const FAMILY = "(?:mum|mom|mam|mummy|mother|dad|daddy|father|nan|nana|nanna|nanny|gran|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|grandparent|auntie|aunty|aunt|uncle|brother|sister|cousin|step ?dad|step ?mum|partner|husband|wife|baby|family)";

const REASON_PATTERNS: [AbsenceReason, RegExp][] = [
	['bereavement', new RegExp(`\\b(died|has died|passed away|passed on|funeral|bereave\\w*|death in the family|lost (?:his|her|their|our|my) ${FAMILY}|${FAMILY} passed)\\b`)],
	[
		'family_emergency',
		new RegExp(
			`\\b(emergency|emergancy|emergeny|family crisis|crisis at home|${FAMILY}(?:'s| is| has been| was)? (?:in|into|to|rushed to|taken to|admitted to) (?:a&e|a and e|hospital)|(?:hospital|a&e) with (?:his|her|their|my|our) ${FAMILY}|house fire|fire at (?:home|the house)|flooded|burst pipe|break ?in|police)\\b`
		)
	],
	[
		'religious_observance',
		/\b(eid|eid ul fitr|eid al fitr|eid ul adha|eid al adha|diwali|deepavali|yom kippur|rosh hashan\w*|sukkot|passover|pesach|vaisakhi|baisakhi|gurpurab|guru nanak\w*|holi|navratri|durga puja|puja|ashura|religious|holy day|festival|first communion|communion|orthodox (?:easter|christmas)|christening|baptism|bar mitzvah|bat mitzvah)\b/
	],
	[
		'medical_appointment',
		/\b(dentist\w*|dentists|dental|doctor'?s?|doctors'?|drs|dr'?s|gp|appointment\w*|appt\w*|app't|apt|orthodontist\w*|ortho|braces?|optician\w*|opticians|eye test|eye appointment|hearing test|audiology|clinic|check[- ]?up|vaccinations?|jabs?|injection|immunisation\w*|blood test|physio\w*|speech therapy|therapy session|camhs|consultant|x-?ray|scan|paediatrician|pediatrician|hospital (?:appointment|appt|check|visit)|(?:at|to|for) (?:the )?hospital (?:at|for) \d|hospital (?:at )?\d)\b/
	],
	[
		'mental_health',
		/\b(anxious|anxiety|panic attacks?|panicking|mental health|low mood|depressed|depression|can'?t face|cannot face|refus\w* to (?:come|go|get|attend|leave)|refus\w* school|school refus\w*|won'?t (?:go|come|get out)|wont (?:go|come|get out)|doesn'?t want to (?:go|come)|meltdown|overwhelmed|stressed|struggling (?:emotionally|mentally|with (?:his|her|their) mental)|emotional\w*|ebsa|self[- ]harm\w*|not coping|worried about school|scared to (?:go|come))\b/
	],
	[
		'illness',
		/\b(ill|illness|sick|sickness|unwell|poorly|temperature|temp|high temp|fever\w*|feverish|cough\w*|cold|colds|flu|the flu|vomit\w*|diarrh\w*|d ?& ?v|d ?\+ ?v|d and v|d n v|dnv|chicken ?pox|chickenpox|pox|rash|spots|headache\w*|head ache|migraine\w*|tummy|stomach|belly|covid|covid-19|tested positive|bug|virus|viral|sore throat|earache|ear ache|ear infection|infection|not well|not feeling well|not feeling great|not feeling good|feeling rough|rough|off colour|under the weather|(?:not|isnt|isn't|is not) (?:himself|herself|themselves|themself|right)|thrown? up|threw up|throwing up|being sick|been sick|puk\w*|spew\w*|the runs|norovirus|noro|lurgy|lurgi|toothache|tooth ache|asthma\w*|allerg\w*|hay ?fever|tonsillitis|tonsils|conjunctivitis|pink eye|sticky eye|impetigo|measles|mumps|scarlet fever|strep|hand foot and mouth|glandular fever|injur\w*|broke(?:n)? (?:his|her|their) \w+|sprain\w*|stitches|concussion|operation|surgery|nosebleeds?|period pains?|cramps|aches|achy|shivery|burning up|hot|bad chest|chest infection|croup|bronchiolitis|nits|head lice|lice|worms|threadworms|tummy bug|stomach bug|upset stomach|upset tummy|gastro|food poisoning|sickness bug|chory|chora|bolnav)\b/
	]
];

const BEREAVEMENT_OTHER = keywords(['pogrzeb', 'pogrzebie', 'zmarl', 'zmarla', 'zmarł', 'zmarła', 'zmarli', 'inmormantare', 'înmormântare', 'a murit', 'a decedat', 'deces', 'وفاه', 'توفي', 'توفيت', 'جنازه', 'عزاء', 'মারা গেছেন', 'মারা গেছে', 'মৃত্যু', 'জানাজা', 'janaza', 'mara gechen']);
const EMERGENCY_OTHER = keywords(['nagly wypadek', 'nagły wypadek', 'sytuacja awaryjna', 'pilna sprawa rodzinna', 'urgenta', 'urgență', 'urgenta in familie', 'طارئ', 'طارئه', 'طوارئ', 'ظرف طارئ', 'জরুরি', 'joruri', 'jaruri']);
const RELIGIOUS_OTHER = keywords(['swieto', 'święto', 'swieta', 'święta', 'komunia', 'sarbatoare', 'sărbătoare', 'paste', 'paște', 'craciun', 'crăciun', 'عيد', 'العيد', 'عيد الفطر', 'عيد الاضحى', 'ঈদ', 'পূজা', 'পুজো', 'eid', 'puja', 'pujo']);
const MENTAL_OTHER = keywords(['lek', 'lęk', 'stany lekowe', 'nie chce isc do szkoly', 'nie chce iść do szkoły', 'anxietate', 'nu vrea sa mearga la scoala', 'قلق', 'لا يريد الذهاب', 'উদ্বেগ', 'স্কুলে যেতে চায় না']);

/** The reason the words point to, or null. */
export function reasonFromText(text: string): AbsenceReason | null {
	// "the doctor gave antibiotics" tells of an illness, not an appointment.
	const t = fold(text).replace(/\b(?:the )?(?:doctors?|gp|dr)'?s? (?:gave|said|says|prescribed|thinks|advised|has said|told|signed)\b/g, ' ');
	for (const [reason, re] of REASON_PATTERNS) {
		if (reason === 'medical_appointment' && BEREAVEMENT_OTHER(t)) return 'bereavement';
		if (reason === 'medical_appointment' && EMERGENCY_OTHER(t)) return 'family_emergency';
		if (reason === 'medical_appointment' && RELIGIOUS_OTHER(t)) return 'religious_observance';
		if (re.test(t)) return reason;
		if (reason === 'mental_health' && APPOINTMENT_OTHER(t)) return 'medical_appointment';
		if (reason === 'mental_health' && MENTAL_OTHER(t)) return 'mental_health';
	}
	if (/\bhospital\b|\ba ?& ?e\b/.test(t)) return 'illness';
	if (ILLNESS_OTHER(t)) return 'illness';
	return null;
}

/** The part of the day a message points to ("dentist at 10" → morning). */
export function sessionsFromText(text: string): ReportSessions {
	return sessionsFor(readTimes(fold(text)), { appointment: true });
}

const IN_SCHOOL_RE = /\b(is fine|is ok|is okay|is well|is alright|will be in|will still be in|is in school|is going in|going in as normal|will be at school|as normal|as usual|is coming in|can come in|will come in)\b/;
const ALL_RE = /\b(both|both of them|them both|the pair of them|all (?:of )?(?:them|the kids|the children|three|four|my kids|my children|3|4)|all the kids|all my kids|kids|children|twins|the boys|the girls|everyone|the lot of them|my lot)\b/;
const OFF_RE = /\b(off|absent|not (?:coming|in|attending|going|be in|be coming)|won'?t be (?:in|coming|attending|at school)|wont be (?:in|coming|attending|at school)|will not be (?:in|coming|attending)|cant (?:come|make it|go)|can'?t (?:come|make it|go|attend)|stay(?:ing)? (?:at )?home|stopping (?:at )?home|at home|not going|keep(?:ing)? \w+ (?:off|home|in)|kept \w+ (?:off|home)|miss(?:ing)? school|be missing|away|won'?t make it|not make it|(?:back|returning|return) (?:to school |at school |in school )?(?:on )?(?:mon|tue|wed|thu|fri|next|the \d|tomorrow|tmrw)\w*|not able to (?:come|attend)|unable to (?:come|attend))\b/;

/** The one report item the words of `segment` describe. */
function readItem(segment: string, opts: ParseOptions, today: IsoDate): Omit<ReportItem, 'pupilIds'> & { dateReading: DateReading; reasonSaid: boolean; timesSaid: boolean } {
	const t = fold(segment);
	const reason = reasonFromText(segment);
	const dateReading = readDates(t, { today, time: opts.time, calendar: opts.calendar });
	const times = readTimes(t);
	const appointment = reason === 'medical_appointment' || times.leavesAt !== undefined || times.returnsAt !== undefined;
	const sessions = sessionsFor(times, { appointment });
	return {
		reason,
		dates: dateReading.range,
		datesSaid: dateReading.said,
		sessions,
		...(times.leavesAt ? { leavesAt: times.leavesAt } : {}),
		...(times.returnsAt ? { returnsAt: times.returnsAt } : {}),
		...(times.arrivesBy ? { arrivesBy: times.arrivesBy } : {}),
		...(times.appointmentAt ? { appointmentAt: times.appointmentAt } : {}),
		lateArrival: times.lateArrival && !reason,
		dateReading,
		reasonSaid: reason !== null,
		timesSaid: sessions !== 'BOTH' || times.sessions !== undefined
	};
}

function schoolDaysListed(range: DateRange, calendar: SchoolCalendar | undefined): IsoDate[] {
	const out: IsoDate[] = [];
	for (let d = range.from; d <= (range.to ?? range.from); d = addDays(d, 1)) {
		if (calendar ? isSchoolDay(calendar, d) : dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6) out.push(d);
	}
	return out;
}


/** "Sam is ill and Ella has the dentist at 2": one item per child when their details differ. */
function splitByChild(text: string, mentions: ChildMention[], opts: ParseOptions, today: IsoDate) {
	// Children named next to each other ("Sam and Ella") share one group.
	const groups: { start: number; pupilIds: string[] }[] = [];
	for (const [i, m] of mentions.entries()) {
		const prev = mentions[i - 1];
		const joined = prev && /^[\s,&+]*(?:and|i|si|și|و|ও|\+|&)?[\s,&+]*$/iu.test(text.slice(prev.end, m.start));
		if (joined && groups.length) groups.at(-1)!.pupilIds.push(...m.pupilIds);
		else groups.push({ start: m.start, pupilIds: [...m.pupilIds] });
	}
	const preamble = text.slice(0, groups[0]?.start ?? 0);
	const segments = groups.map((g, i) => ({ pupilIds: [...new Set(g.pupilIds)], text: text.slice(i === 0 ? 0 : g.start, groups[i + 1]?.start ?? text.length) }));
	return { groups: segments, preamble, read: (s: string) => readItem(s, opts, today) };
}

const AMEND_START = /^(?:sorry|soz|sry|oops|whoops|apologies|my mistake|my bad|correction|actually|i meant|meant|i mean|no,|no sorry|wrong (?:day|child|one)|not \w+,|przepraszam|pomylka|scuze|greseala|اسف|عذرا|দুঃখিত)\b/;
const ADD_RE = /^(?:and|also|plus|oh and|\+|&|i)?\s*(.+?)\s+(?:too|as well|also|aswell|tez|też|la fel|si el|si ea|ايضا|ও)[.!]*$|^(?:and|also|plus|oh and)\s+(\S.*)$/u;

/** What the message means. `children` are the sender's own. */
export function parseIntent(text: string, children: readonly ChildName[], opts: ParseOptions = {}): Intent {
	const t = fold(text);
	const ws = words(text);
	if (ws.length === 0) return { kind: 'unknown' };
	if (ws.length === 1 && STOP_WORDS.has(ws[0]!)) return { kind: 'stop' };
	if (ws.length === 1 && START_WORDS.has(ws[0]!)) return { kind: 'start' };
	if (STOP_OTHER(t)) return { kind: 'stop' };
	if (START_OTHER(t)) return { kind: 'start' };
	if (opts.awaitingChoice && /^\d{1,2}\.?$/.test(t)) return { kind: 'choice', number: Number(t.replace('.', '')) };
	if (/^(yes|y|yeah|yep|still (off|ill|sick|unwell|poorly)|tak|da|haan|ha)$/.test(t) || YES_OTHER(t)) return { kind: 'still_off' };
	if (/^(back|no|n|she'?s back|he'?s back|they'?re back|back at school|better)$/.test(t) || BACK_OTHER(t)) return { kind: 'back' };
	if (/\b(attendance|how many days|days missed|time lost|percentage|frekwencja|prezenta)\b/.test(t) || ATTENDANCE_OTHER(t)) return { kind: 'attendance' };

	const today = opts.today ?? localDateOf(new Date(), DEFAULT_TIME_ZONE);
	const mentions = childMentions(text, children);
	const pupilIdsNamed = [...new Set(mentions.filter((m) => m.pupilIds.length === 1).map((m) => m.pupilIds[0]!))];

	if (opts.recentReport) {
		const amend = readAmendment(text, t, children, pupilIdsNamed, opts, today);
		if (amend) return amend;
	}

	const allWords = ALL_RE.test(t) || ALL_CHILDREN_OTHER(t);
	const reason = reasonFromText(text);
	const offWords = OFF_RE.test(t) || OFF_OTHER(t);
	const whole = readItem(text, opts, today);
	const isReport = reason !== null || ((offWords || whole.lateArrival) && (children.length > 0 || pupilIdsNamed.length > 0));
	if (!isReport) {
		if (HELP_WORDS.some((w) => new RegExp(`\\b${w}\\b`).test(t)) || HELP_OTHER(t) || t === '?') return { kind: 'help', text };
		if (GREETINGS.some((g) => t === g || t.startsWith(`${g} `) || t.startsWith(`${g},`) || t.startsWith(`${g}!`))) return { kind: 'greeting' };
		return { kind: 'unknown' };
	}

	// Children: named, "both"/"all", or a word that fits several.
	let childOptions: string[][] | undefined;
	let pupilIds = pupilIdsNamed;
	let childConfidence = mentions.length && mentions.every((m) => m.exact) ? 1 : mentions.length ? 0.85 : 1;
	for (const m of mentions) if (m.pupilIds.length > 1 && !m.pupilIds.some((id) => pupilIdsNamed.includes(id))) childOptions = m.pupilIds.map((id) => [id]);
	const ids = children.map((c) => c.pupilId);
	const allChildren = allWords && pupilIds.length === 0;
	if (allWords && pupilIds.length === 0) {
		const pairWord = /\b(both|both of them|them both|the pair of them|twins|the boys|the girls|oboje|obydwoje|amandoi|amandoua|كلاهما|দুজনেই|duijon)\b/.test(t);
		const twins = children.filter((c) => c.born && children.filter((o) => o.born === c.born).length === 2).map((c) => c.pupilId);
		if (/\btwins\b/.test(t) && twins.length === 2) pupilIds = twins;
		else if (pairWord && children.length > 2) {
			childOptions = [];
			for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) childOptions.push([ids[i]!, ids[j]!]);
			childConfidence = 0.4;
		} else pupilIds = ids;
	}
	const unknownName = pupilIds.length === 0 && !allWords ? unknownSubject(text, children) : undefined;
	if (unknownName || childOptions) childConfidence = Math.min(childConfidence, 0.4);
	else if (pupilIds.length === 0 && children.length > 1) childConfidence = 0;

	// Items: one per child group when their details differ.
	let items: ReportItem[];
	const strip = (x: ReturnType<typeof readItem>, pupils: string[]): ReportItem => {
		const { dateReading: _d, reasonSaid: _r, timesSaid: _t, ...item } = x;
		return { ...item, pupilIds: pupils };
	};
	const uniqueMentions = mentions.filter((m) => m.pupilIds.length === 1);
	const split = splitByChild(text, uniqueMentions, opts, today);
	// "Sam is ill, Ella is fine and will be in": Ella is not part of the report.
	if (split.groups.length >= 2) {
		const attending = split.groups.filter((g) => IN_SCHOOL_RE.test(fold(g.text)) && !reasonFromText(g.text) && !OFF_RE.test(fold(g.text).replace(/\blate\b/, '')));
		if (attending.length && attending.length < split.groups.length) {
			const staying = new Set(attending.flatMap((g) => g.pupilIds));
			split.groups = split.groups.filter((g) => !attending.includes(g));
			pupilIds = pupilIds.filter((id) => !staying.has(id));
			whole.reason ??= reasonFromText(split.groups.map((g) => g.text).join(' '));
		}
	}
	let dateReadings: DateReading[] = [whole.dateReading];
	if (split.groups.length >= 2) {
		const read = split.groups.map((g) => split.read(g.text));
		const differ = (f: (x: ReturnType<typeof readItem>) => string | null) => new Set(read.map(f).filter((v) => v !== null)).size > 1;
		if (differ((x) => x.reason) || differ((x) => (x.datesSaid ? JSON.stringify(x.dates) : null)) || differ((x) => (x.timesSaid ? x.sessions : null))) {
			const pre = split.preamble.trim() ? split.read(split.preamble) : null;
			items = [];
			dateReadings = [];
			let prev: ReturnType<typeof readItem> | null = pre;
			for (const [i, g] of split.groups.entries()) {
				const r = { ...read[i]! };
				if (!r.reasonSaid && prev?.reason) r.reason = prev.reason;
				if (!r.datesSaid && prev?.datesSaid) { r.dates = prev.dates; r.datesSaid = true; r.dateReading = prev.dateReading; }
				items.push(strip(r, g.pupilIds));
				dateReadings.push(r.dateReading);
				prev = r;
			}
		} else items = [strip(whole, pupilIds)];
	} else items = [strip(whole, pupilIds)];

	// "Monday and Wednesday": one item per stretch.
	if (items.length === 1 && whole.dateReading.more?.length) {
		items = [items[0]!, ...whole.dateReading.more.map((dates) => ({ ...items[0]!, dates }))];
	}

	let dateOptions = dateReadings.find((d) => d.options)?.options;
	// The items the choice of day is for (the others keep their own days).
	let dateOptionItems = dateOptions ? dateReadings.map((d, i) => (d.options === dateOptions ? i : -1)).filter((i) => i >= 0) : undefined;
	// "dentist next week": an appointment is one day of that week, not all of it. Which?
	const only = items.length === 1 ? items[0]! : null;
	if (!dateOptions && only?.reason === 'medical_appointment' && only.dates.to && !/\b(all|whole|rest|every day|each day|until|till|to|from)\b|-/.test(t)) {
		const days = schoolDaysListed(only.dates, opts.calendar);
		if (days.length > 1) { dateOptions = days.map((d) => ({ from: d, to: null, untilFurtherNotice: false })); dateOptionItems = [0]; }
	}
	let problem: DateProblem | undefined;
	if (!dateOptions) {
		for (const item of items) {
			const p = dateProblem(item.dates, { today, calendar: opts.calendar });
			if (p) problem ??= p;
		}
	}
	const first = items[0]!;
	return {
		kind: 'report',
		pupilIds: items.length === 1 ? first.pupilIds : [...new Set(items.flatMap((i) => i.pupilIds))],
		allChildren,
		reason: first.reason,
		dates: first.dates,
		datesSaid: first.datesSaid,
		sessions: first.sessions,
		...(first.leavesAt ? { leavesAt: first.leavesAt } : {}),
		...(first.returnsAt ? { returnsAt: first.returnsAt } : {}),
		...(first.arrivesBy ? { arrivesBy: first.arrivesBy } : {}),
		...(first.appointmentAt ? { appointmentAt: first.appointmentAt } : {}),
		lateArrival: first.lateArrival,
		details: text.trim().slice(0, 500),
		items,
		confidence: {
			children: childConfidence,
			dates: dateOptions || problem ? 0.3 : whole.datesSaid ? 1 : 0.9,
			reason: items.every((i) => i.reason) ? 1 : items.some((i) => i.lateArrival) ? 0.9 : 0,
			sessions: 1
		},
		...(childOptions ? { childOptions } : {}),
		...(unknownName ? { unknownName } : {}),
		...(dateOptions ? { dateOptions, dateOptionItems } : {}),
		...(problem ? { dateProblem: problem } : {})
	};
}

function readAmendment(text: string, t: string, children: readonly ChildName[], named: string[], opts: ParseOptions, today: IsoDate): AmendIntent | null {
	const reading = readDates(t, { today, time: opts.time, calendar: opts.calendar });
	const reason = reasonFromText(text);
	const short = words(text).length <= 10;
	// "and Ella too", "Ella as well", "sorry, Sam is sick too": the same report for more children.
	// "and Ella has the dentist at 2" says something new: a report of its own.
	const same = /(?<![\p{L}])(too|as well|aswell|also|tez|też|la fel|ايضا)(?![\p{L}])/u.test(t);
	if (named.length > 0 && short && (same || (ADD_RE.test(t) && !reason && !reading.said)) && !/\b(meant|instead|not \p{L}+,)/u.test(t)) {
		return { kind: 'amend', addPupilIds: named, replacePupilIds: [], text };
	}
	if (!AMEND_START.test(t) && !/\b(i meant|meant to say|not today|not tomorrow|wrong day|wrong date|wrong child|should (?:have )?said|should be|instead)\b/.test(t)) return null;
	// "not Sam, Ella" / "I meant Ella": the children named, less any after "not".
	let replace: string[] = [];
	if (named.length && /\b(meant|instead|not \p{L}+|wrong (?:child|one|kid)|it'?s \p{L}+ not)\b/u.test(t)) {
		const notRe = /\bnot (\p{L}+)/u.exec(t);
		const excluded = notRe ? childMentions(notRe[1]!, children).flatMap((m) => m.pupilIds) : [];
		replace = named.filter((id) => !excluded.includes(id));
	}
	const amend: AmendIntent = { kind: 'amend', addPupilIds: [], replacePupilIds: replace, text };
	if (reading.said) {
		// "I meant Friday not Thursday": the first day named is the one meant.
		if (reading.options && reading.options.length > 1 && !/\bnot\b/.test(t)) amend.dateOptions = reading.options;
		else amend.dates = reading.range;
		const p = amend.dates ? dateProblem(amend.dates, { today, calendar: opts.calendar }) : null;
		if (p) amend.dateProblem = p;
	}
	// "it's the dentist, not illness": the reason meant is the one before "not".
	if (reason) amend.reason = reasonFromText(t.split(/\bnot\b/)[0]!) ?? reason;
	const times = readTimes(t);
	const sessions = sessionsFor(times, { appointment: true });
	if (sessions !== 'BOTH' || times.sessions) amend.sessions = sessions;
	if (!amend.dates && !amend.dateOptions && !amend.reason && !amend.sessions && replace.length === 0) return null;
	return amend;
}

export { smsSegments, type SmsSegments } from '../src/lib/domain/sms';
