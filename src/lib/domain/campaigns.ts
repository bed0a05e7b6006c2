/**
 * Every Day Counts messages (docs/domain-rules.md §9): templates, merge fields, and the SMS cost of a
 * message. Personal figures (a child's attendance, days missed) are positive or neutral in tone:
 * the evidence is that a personal count of days missed, sent kindly, reduces absence.
 *
 * Pure: no I/O.
 */
import { formatDaysAsWeeks, formatPercent } from './attendance';
import { smsSegments } from './sms';
import { BASE_LOCALE, LOCALES, type Locale } from './locale';
import { DEFAULT_TIME_ZONE, isValidIsoDate, localDateOf, localTimeOf, zonedInstant } from './calendar';
import type { CampaignProblem } from './campaign-problems';

/** The languages a campaign can have a version in besides English (the parent languages). */
export const CAMPAIGN_TRANSLATION_LOCALES = LOCALES.filter((l): l is Exclude<Locale, 'en'> => l !== BASE_LOCALE);
export type CampaignTranslationLocale = (typeof CAMPAIGN_TRANSLATION_LOCALES)[number];
export interface CampaignVersion {
	title: string;
	body: string;
}
export type CampaignTranslations = Partial<Record<CampaignTranslationLocale, CampaignVersion>>;

/**
 * Templates with a version in each parent language. The translations are drafts awaiting review by
 * a native speaker (messages/REVIEW.md); staff see and can edit every version before sending.
 * The translated versions name a number of days ({daysMissed} is a number there) so the wording
 * needs no plural forms.
 */
export const CAMPAIGN_TEMPLATES = [
	{
		key: 'every_day_counts',
		title: 'Every day counts',
		body: 'Every day in school counts. Thank you for helping {firstName} to be here, on time, every day.',
		translations: {
			pl: { title: 'Każdy dzień się liczy', body: 'Każdy dzień w szkole się liczy. Dziękujemy, że pomagają Państwo, aby {firstName} był(a) w szkole codziennie i punktualnie.' },
			ro: { title: 'Fiecare zi contează', body: 'Fiecare zi de școală contează. Vă mulțumim că îl/o ajutați pe {firstName} să fie aici, la timp, în fiecare zi.' },
			ar: { title: 'كل يوم مهم', body: 'كل يوم في المدرسة مهم. شكرًا لكم على مساعدة {firstName} على الحضور في الوقت المحدد كل يوم.' },
			bn: { title: 'প্রতিটি দিন গুরুত্বপূর্ণ', body: 'স্কুলের প্রতিটি দিন গুরুত্বপূর্ণ। {firstName}-কে প্রতিদিন সময়মতো স্কুলে আসতে সাহায্য করার জন্য আপনাকে ধন্যবাদ।' }
		}
	},
	{
		key: 'positive',
		title: 'Well done',
		body: '{firstName} has been in school {attendance} of the time this year. Thank you, and well done!',
		translations: {
			pl: { title: 'Brawo', body: 'W tym roku szkolnym {firstName} był(a) w szkole przez {attendance} czasu. Dziękujemy i gratulujemy!' },
			ro: { title: 'Felicitări', body: 'Anul acesta {firstName} a fost la școală {attendance} din timp. Vă mulțumim și felicitări!' },
			ar: { title: 'أحسنت', body: 'حضر {firstName} إلى المدرسة {attendance} من الوقت هذا العام. شكرًا لكم، وأحسنتم!' },
			bn: { title: 'অভিনন্দন', body: 'এই বছর {firstName} {attendance} সময় স্কুলে উপস্থিত ছিল। ধন্যবাদ, এবং অভিনন্দন!' }
		}
	},
	{
		key: 'days_missed',
		title: 'Half-term summary',
		body: 'This year so far {firstName} has missed {daysMissed} of school. Every day back makes a difference. If something is making school hard, please talk to us.',
		translations: {
			pl: { title: 'Podsumowanie półsemestru', body: 'Liczba dni szkoły opuszczonych w tym roku przez {firstName}: {daysMissed}. Każdy dzień w szkole ma znaczenie. Jeśli coś utrudnia chodzenie do szkoły, prosimy o rozmowę.' },
			ro: { title: 'Rezumatul semestrului', body: 'Zile de școală pierdute de {firstName} anul acesta: {daysMissed}. Fiecare zi la școală contează. Dacă ceva face școala grea, vă rugăm să vorbiți cu noi.' },
			ar: { title: 'ملخص نصف الفصل', body: 'عدد أيام المدرسة التي فاتت {firstName} هذا العام: {daysMissed}. كل يوم في المدرسة يُحدث فرقًا. إذا كان هناك ما يجعل المدرسة صعبة، يرجى التحدث إلينا.' },
			bn: { title: 'অর্ধ-টার্মের সারসংক্ষেপ', body: 'এই বছর {firstName} স্কুলের যত দিন অনুপস্থিত ছিল: {daysMissed}। স্কুলে প্রতিটি দিন গুরুত্বপূর্ণ। স্কুলে আসা কঠিন হলে, অনুগ্রহ করে আমাদের সাথে কথা বলুন।' }
		}
	},
	{
		key: 'term_dates',
		title: 'Term dates reminder',
		body: 'A reminder that school starts again on Monday. We look forward to seeing {firstName} there.',
		translations: {
			pl: { title: 'Przypomnienie o terminach', body: 'Przypominamy, że szkoła zaczyna się ponownie w poniedziałek. Czekamy na {firstName}.' },
			ro: { title: 'Memento: datele trimestrului', body: 'Vă reamintim că școala reîncepe luni. Așteptăm să îl/o vedem pe {firstName}.' },
			ar: { title: 'تذكير بمواعيد الفصل', body: 'نذكّركم بأن المدرسة تبدأ من جديد يوم الاثنين. نتطلع إلى رؤية {firstName}.' },
			bn: { title: 'টার্মের তারিখ মনে করিয়ে দেওয়া', body: 'মনে করিয়ে দিচ্ছি যে সোমবার আবার স্কুল শুরু হচ্ছে। {firstName}-কে দেখার অপেক্ষায় রইলাম।' }
		}
	}
] as const satisfies readonly { key: string; title: string; body: string; translations: Record<CampaignTranslationLocale, CampaignVersion> }[];

export type CampaignTemplateKey = (typeof CAMPAIGN_TEMPLATES)[number]['key'];

/**
 * The version a family gets: their language's when staff wrote (or kept) one, otherwise the
 * English one — a message in English is better than none, and we never machine-translate.
 */
export function campaignVersionFor(
	campaign: { title: string; body: string; translations?: CampaignTranslations | null },
	locale: Locale
): CampaignVersion & { locale: Locale } {
	const translated = locale === BASE_LOCALE ? undefined : campaign.translations?.[locale as CampaignTranslationLocale];
	return translated ? { ...translated, locale } : { title: campaign.title, body: campaign.body, locale: BASE_LOCALE };
}

/** A child's figures, turned into merge values for one language. */
export interface MergeFigures {
	firstName: string;
	/** Attendance this year, 0–100, or null with no possible sessions yet. */
	percent: number | null;
	/** Days missed (halves allowed). */
	daysMissed: number;
}

/**
 * Merge values as a family in `locale` reads them: English keeps "1 week 4½ days"; other
 * languages get the number of days (their template wording names the unit) and their own
 * number format ("97,0%").
 */
export function mergeValuesFor(figures: MergeFigures, locale: Locale): Record<MergeField, string> {
	if (locale === BASE_LOCALE) {
		return { firstName: figures.firstName, attendance: formatPercent(figures.percent), daysMissed: formatDaysAsWeeks(figures.daysMissed) };
	}
	const days = Math.round(figures.daysMissed * 2) / 2;
	const whole = Math.floor(days);
	const half = days - whole ? '½' : '';
	const daysText = whole === 0 && half ? half : `${new Intl.NumberFormat(locale).format(whole)}${half}`;
	const attendance =
		figures.percent === null || !Number.isFinite(figures.percent)
			? '—'
			: new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(figures.percent / 100);
	return { firstName: figures.firstName, attendance, daysMissed: daysText };
}

export const MERGE_FIELDS = ['firstName', 'attendance', 'daysMissed'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** Fills {firstName}, {attendance}, {daysMissed}; an unknown {field} is left as written so staff see it in the preview. */
export function renderMessage(body: string, values: Record<MergeField, string>): string {
	return body.replace(/\{(\w+)\}/g, (whole, name: string) => ((MERGE_FIELDS as readonly string[]).includes(name) ? values[name as MergeField] : whole));
}

/** Merge fields used in a body that are not known: shown to staff as an error. */
export function unknownMergeFields(body: string): string[] {
	return [...body.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((f) => !(MERGE_FIELDS as readonly string[]).includes(f));
}

/** The SMS cost of sending `texts` (each its own message), at `pencePerSegment`. */
export function smsCostEstimate(texts: readonly string[], pencePerSegment: number): { segments: number; pence: number } {
	const segments = texts.reduce((n, t) => n + smsSegments(t).segments, 0);
	return { segments, pence: Math.round(segments * pencePerSegment * 100) / 100 };
}

/** How far ahead staff may schedule a message: about a school term. */
export const SEND_LATER_MAX_DAYS = 90;

export type SendLaterResult = { ok: true; at: Date } | { ok: false; field: 'sendDate' | 'sendTime'; problem: CampaignProblem };

/**
 * "Send later": a date (YYYY-MM-DD) and a time (HH:MM) as staff read them on a clock in the
 * school's zone (Europe/London), turned into the real instant. It must be in the future and at
 * most {@link SEND_LATER_MAX_DAYS} days ahead; a time skipped when the clocks go forward is refused.
 */
export function parseSendLater(date: string, time: string, now: Date, timeZone = DEFAULT_TIME_ZONE): SendLaterResult {
	const d = date.trim();
	const t = time.trim();
	if (!d) return { ok: false, field: 'sendDate', problem: { code: 'send_date_missing' } };
	if (!isValidIsoDate(d)) return { ok: false, field: 'sendDate', problem: { code: 'send_date_invalid' } };
	if (!t) return { ok: false, field: 'sendTime', problem: { code: 'send_time_missing' } };
	if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) return { ok: false, field: 'sendTime', problem: { code: 'send_time_invalid' } };
	const at = zonedInstant(timeZone, d, t);
	if (localTimeOf(at, timeZone) !== t || localDateOf(at, timeZone) !== d) {
		return { ok: false, field: 'sendTime', problem: { code: 'send_time_skipped_by_clock_change' } };
	}
	if (at.getTime() <= now.getTime()) return { ok: false, field: 'sendDate', problem: { code: 'send_time_past' } };
	if (at.getTime() > now.getTime() + SEND_LATER_MAX_DAYS * 86_400_000) {
		return { ok: false, field: 'sendDate', problem: { code: 'send_time_too_far', maxDays: SEND_LATER_MAX_DAYS } };
	}
	return { ok: true, at };
}

// ---------------------------------------------------------------------------------------------
// Words that must fit the child's figures
// ---------------------------------------------------------------------------------------------

/** Attendance at or above this is worth congratulating (the "excellent" band). */
export const PRAISE_FROM_PERCENT = 96;

// Congratulation, in the languages the templates are written in: a thank-you alone is not praise.
const PRAISE = /\b(well done|congratulat\w*|brilliant|excellent|fantastic|superb|outstanding|great attendance|proud of|brawo|gratul\w*|felicit\w*|bravo)\b|أحسنت|أحسنتم|مبروك|অভিনন্দন|শাবাশ/iu;
// Worry about absence: wrong for a child who has missed nothing.
const CONCERN = /\b(has missed|missed \d|worried|concern\w*|making school hard|opuszcz\w*|pierdute|lipsit)\b|فاتت|অনুপস্থিত ছিল/iu;

export type ToneConflict = 'praise_below_excellent' | 'concern_without_absence';

/**
 * Whether a message, as one family will read it, says something their child's figures
 * contradict: congratulations for attendance below {@link PRAISE_FROM_PERCENT}%, or worry about
 * days missed when none were. Null when the words fit (or say neither).
 */
export function toneConflict(text: string, figures: Pick<MergeFigures, 'percent' | 'daysMissed'>): ToneConflict | null {
	if (PRAISE.test(text) && figures.percent !== null && figures.percent < PRAISE_FROM_PERCENT) return 'praise_below_excellent';
	if (CONCERN.test(text) && figures.daysMissed === 0) return 'concern_without_absence';
	return null;
}
