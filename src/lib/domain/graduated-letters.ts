/**
 * The graduated response's letters: templates for each letter step, their merge fields, and the
 * tone checklist (docs/tone-checklist.md) as rules a template is checked against. A letter is
 * data (title, paragraphs, figures, support) so a page shows it, a printer prints it and a PDF
 * can be made from it later.
 *
 * Translations are drafts awaiting review by a native speaker (messages/REVIEW.md), as the
 * campaign templates are; a language without a version gets the English letter, never a
 * machine translation. A school that edits a template's English loses the drafts of that
 * template (they would no longer say the same), so its families get the school's English.
 *
 * Pure: no I/O.
 */
import type { LetterStep } from './graduated-response';
import { BASE_LOCALE, type Locale } from './locale';

export interface LetterTemplate {
	title: string;
	/** Paragraphs with {mergeFields}. */
	paragraphs: readonly string[];
}

export type TemplateTranslations = Partial<Record<Exclude<Locale, 'en'>, LetterTemplate>>;

export const LETTER_MERGE_FIELDS = [
	'firstName',
	'school',
	'period',
	'daysMissed',
	'daysMissedPeriod',
	'daysAttended',
	'daysPossible',
	'timeLost',
	'lates',
	'minutesLate',
	'contact',
	'meeting'
] as const;
export type LetterMergeField = (typeof LETTER_MERGE_FIELDS)[number];

/** Fields that carry one of the child's own figures (a letter names at least one: specific). */
export const FIGURE_FIELDS: readonly LetterMergeField[] = ['daysMissed', 'daysMissedPeriod', 'daysAttended', 'timeLost', 'lates', 'minutesLate'];

/**
 * The templates. In the translated versions day counts are bare numbers ("Dni: 4½"), so the
 * wording needs no plural forms; in English they carry their unit ("4½ days").
 */
export const LETTER_TEMPLATES: Readonly<Record<LetterStep, LetterTemplate & { translations: TemplateTranslations }>> = {
	rag_green: {
		title: 'Well done, {firstName}!',
		paragraphs: [
			'Thank you. In {period}, {firstName} was in school for {daysAttended} out of {daysPossible}. That is brilliant, and it shows.',
			'Every day in school means more time learning, with friends and teachers. Please keep it up.',
			'If anything changes at home that makes school harder, talk to us on {contact}: we are here to help.'
		],
		translations: {
			pl: {
				title: 'Brawo, {firstName}!',
				paragraphs: [
					'Dziękujemy. W okresie {period} {firstName} był(a) w szkole przez {daysAttended} z {daysPossible} dni. To wspaniały wynik.',
					'Każdy dzień w szkole to więcej czasu na naukę, z kolegami i nauczycielami. Prosimy tak trzymać.',
					'Jeśli coś w domu utrudni chodzenie do szkoły, prosimy o kontakt: {contact}. Chętnie pomożemy.'
				]
			}
		}
	},
	rag_upper_amber: {
		title: "{firstName}'s attendance this term",
		paragraphs: [
			'In {period}, {firstName} missed {daysMissedPeriod} of school. This school year so far that is {daysMissed}: {timeLost} of learning.',
			'We know there is often a reason, and we would like to help. You are welcome to come in and hear about Early Help and the other support on offer: nothing is needed from you except a conversation.',
			'Please call us on {contact} or reply to this message if something is making school hard. The support below may also help.'
		],
		translations: {
			pl: {
				title: 'Frekwencja {firstName} w tym okresie',
				paragraphs: [
					'Dni opuszczone przez {firstName} w okresie {period}: {daysMissedPeriod}. W tym roku szkolnym łącznie: {daysMissed} (utracony czas nauki: {timeLost}).',
					'Wiemy, że zwykle jest jakiś powód, i chcemy pomóc. Zapraszamy do szkoły, aby porozmawiać o programie Early Help i innym wsparciu.',
					'Prosimy zadzwonić pod numer {contact} lub odpowiedzieć na tę wiadomość, jeśli coś utrudnia chodzenie do szkoły. Poniższe wsparcie też może pomóc.'
				]
			}
		}
	},
	rag_lower_amber: {
		title: "{firstName}'s attendance: we would like to help",
		paragraphs: [
			'In {period}, {firstName} missed {daysMissedPeriod} of school. This school year so far that is {daysMissed}: {timeLost} of learning, which is a lot to catch up on.',
			'We would like to understand what is getting in the way and what would help. Please come in for a friendly conversation with our attendance champion about Early Help and the other support on offer.',
			'Call us on {contact} or reply to this message to arrange a time. The support below may also help straight away.'
		],
		translations: {
			pl: {
				title: 'Frekwencja {firstName}: chcemy pomóc',
				paragraphs: [
					'Dni opuszczone przez {firstName} w okresie {period}: {daysMissedPeriod}. W tym roku szkolnym łącznie: {daysMissed} (utracony czas nauki: {timeLost}). To dużo do nadrobienia.',
					'Chcemy zrozumieć, co przeszkadza i co może pomóc. Zapraszamy na życzliwą rozmowę z naszym koordynatorem frekwencji o programie Early Help i innym wsparciu.',
					'Prosimy zadzwonić pod numer {contact} lub odpowiedzieć na tę wiadomość, aby umówić termin. Poniższe wsparcie może pomóc od razu.'
				]
			}
		}
	},
	attendance_concern: {
		title: "{firstName}'s attendance: how can we help?",
		paragraphs: [
			'This school year so far {firstName} has missed {daysMissed} of school: {timeLost} of learning. In {period} it was {daysMissedPeriod}.',
			'Our attendance team would like to talk with you about what would help {firstName} be in school more often. The support below is free and may help.',
			'Please call us on {contact} or reply to this message. We will keep in touch and look at the figures together again at the next review.'
		],
		translations: {
			pl: {
				title: 'Frekwencja {firstName}: jak możemy pomóc?',
				paragraphs: [
					'Dni szkoły opuszczone przez {firstName} w tym roku szkolnym: {daysMissed} (utracony czas nauki: {timeLost}). W okresie {period}: {daysMissedPeriod}.',
					'Nasz zespół ds. frekwencji chciałby porozmawiać z Państwem o tym, co pomoże {firstName} częściej być w szkole. Poniższe wsparcie jest bezpłatne.',
					'Prosimy zadzwonić pod numer {contact} lub odpowiedzieć na tę wiadomość. Będziemy w kontakcie i razem przyjrzymy się frekwencji przy następnym przeglądzie.'
				]
			}
		}
	},
	close_monitoring: {
		title: "{firstName}'s attendance: support over the next half term",
		paragraphs: [
			'This school year so far {firstName} has missed {daysMissed} of school: {timeLost} of learning. In {period} it was {daysMissedPeriod}.',
			'We want to help {firstName} get back on track. Over the next half term we will keep a close eye on attendance, check in with you and offer the support below. If something is making school hard, please tell us: there is often more help than families expect.',
			'Call us on {contact} or reply to this message. If attendance has not improved by the end of the half term, we will invite you to a meeting with the headteacher to agree a plan of support together.'
		],
		translations: {
			pl: {
				title: 'Frekwencja {firstName}: wsparcie w następnym półsemestrze',
				paragraphs: [
					'Dni szkoły opuszczone przez {firstName} w tym roku szkolnym: {daysMissed} (utracony czas nauki: {timeLost}). W okresie {period}: {daysMissedPeriod}.',
					'Chcemy pomóc {firstName} wrócić na dobrą drogę. W następnym półsemestrze będziemy uważnie śledzić frekwencję, kontaktować się z Państwem i oferować poniższe wsparcie. Jeśli coś utrudnia chodzenie do szkoły, prosimy nam powiedzieć.',
					'Prosimy zadzwonić pod numer {contact} lub odpowiedzieć na tę wiadomość. Jeśli frekwencja nie poprawi się do końca półsemestru, zaprosimy Państwa na spotkanie z dyrektorem, aby wspólnie ustalić plan wsparcia.'
				]
			}
		}
	},
	meeting_invitation: {
		title: 'An invitation to meet about {firstName}',
		paragraphs: [
			'This school year so far {firstName} has missed {daysMissed} of school: {timeLost} of learning. We would like to meet you to understand what is getting in the way and agree a plan of support together.',
			'Meeting: {meeting}.',
			'Please reply YES to confirm, or ANOTHER TIME and we will find one that suits you. You can also call us on {contact}. If you cannot come, the meeting will still go ahead and we will write to you with what was agreed.'
		],
		translations: {
			pl: {
				title: 'Zaproszenie na spotkanie w sprawie {firstName}',
				paragraphs: [
					'Dni szkoły opuszczone przez {firstName} w tym roku szkolnym: {daysMissed} (utracony czas nauki: {timeLost}). Chcielibyśmy się spotkać, aby zrozumieć, co przeszkadza, i wspólnie ustalić plan wsparcia.',
					'Spotkanie: {meeting}.',
					'Prosimy odpowiedzieć TAK, aby potwierdzić, lub INNY TERMIN, a znajdziemy dogodny czas. Można też zadzwonić pod numer {contact}. Jeśli nie będą Państwo mogli przyjść, spotkanie się odbędzie, a my napiszemy, co ustalono.'
				]
			}
		}
	},
	lateness_letter: {
		title: '{firstName} has been late this week',
		paragraphs: [
			'{firstName} arrived late {lates} this week, missing {minutesLate} of the start of the day, when the day is explained and learning begins.',
			'We know mornings can be hard. If something is making it difficult to arrive on time, please tell us: we can help, for example with breakfast club or other support below.',
			'Call us on {contact} or reply to this message. If lateness continues, the headteacher will write to you about improving punctuality.'
		],
		translations: {
			pl: {
				title: '{firstName} spóźnił(a) się w tym tygodniu',
				paragraphs: [
					'Liczba spóźnień {firstName} w tym tygodniu: {lates}. Stracone minuty początku dnia, gdy nauczyciel objaśnia plan i zaczyna się nauka: {minutesLate}.',
					'Wiemy, że poranki bywają trudne. Jeśli coś utrudnia punktualne przyjście, prosimy nam powiedzieć: możemy pomóc, np. klubem śniadaniowym lub poniższym wsparciem.',
					'Prosimy zadzwonić pod numer {contact} lub odpowiedzieć na tę wiadomość. Jeśli spóźnienia będą się powtarzać, dyrektor napisze do Państwa w sprawie punktualności.'
				]
			}
		}
	},
	formal_lateness_letter: {
		title: "{firstName}'s punctuality: a letter from the headteacher",
		paragraphs: [
			'{firstName} has been late {lates} this week, after our earlier letter. This school year the minutes missed add up to {minutesLate}.',
			'I would like us to work on this together. Our attendance champion can talk through what would help, and the support below is available to your family.',
			'Please call us on {contact} or reply to this message. If lateness persists, I will invite you to a meeting to agree a plan together.'
		],
		translations: {
			pl: {
				title: 'Punktualność {firstName}: list od dyrektora',
				paragraphs: [
					'Liczba spóźnień {firstName} w tym tygodniu, po naszym poprzednim liście: {lates}. W tym roku szkolnym stracone minuty: {minutesLate}.',
					'Chciałbym/Chciałabym, abyśmy pracowali nad tym razem. Nasz koordynator frekwencji może porozmawiać o tym, co pomoże, a poniższe wsparcie jest dostępne dla Państwa rodziny.',
					'Prosimy zadzwonić pod numer {contact} lub odpowiedzieć na tę wiadomość. Jeśli spóźnienia się utrzymają, zaproszę Państwa na spotkanie, aby wspólnie ustalić plan.'
				]
			}
		}
	},
	lateness_meeting: {
		title: "An invitation to meet about {firstName}'s mornings",
		paragraphs: [
			'{firstName} has been late {lates} this week, and {minutesLate} this school year. We would like to meet you to understand the reasons and agree a plan that helps.',
			'Meeting: {meeting}.',
			'Please reply YES to confirm, or ANOTHER TIME and we will find one that suits you. You can also call us on {contact}.'
		],
		translations: {
			pl: {
				title: 'Zaproszenie na spotkanie w sprawie poranków {firstName}',
				paragraphs: [
					'Liczba spóźnień {firstName} w tym tygodniu: {lates}; stracone minuty w tym roku szkolnym: {minutesLate}. Chcielibyśmy się spotkać, aby zrozumieć przyczyny i ustalić pomocny plan.',
					'Spotkanie: {meeting}.',
					'Prosimy odpowiedzieć TAK, aby potwierdzić, lub INNY TERMIN, a znajdziemy dogodny czas. Można też zadzwonić pod numer {contact}.'
				]
			}
		}
	},
	review_improved: {
		title: 'Well done, {firstName}: attendance has improved',
		paragraphs: [
			'Thank you. In {period}, {firstName} was in school for {daysAttended} out of {daysPossible}: a real improvement, and it makes a difference to learning and friendships.',
			'We will go back to our usual termly letters. Please keep going: every day counts.',
			'If you need any help or support, we are on {contact}.'
		],
		translations: {
			pl: {
				title: 'Brawo, {firstName}: frekwencja się poprawiła',
				paragraphs: [
					'Dziękujemy. W okresie {period} {firstName} był(a) w szkole przez {daysAttended} z {daysPossible} dni. To prawdziwa poprawa, która ma znaczenie dla nauki i przyjaźni.',
					'Wracamy do zwykłych listów raz w okresie. Prosimy tak trzymać: każdy dzień się liczy.',
					'Jeśli potrzebują Państwo pomocy lub wsparcia, jesteśmy pod numerem {contact}.'
				]
			}
		}
	}
};

export interface LetterFigures {
	firstName: string;
	school: string;
	period: string;
	daysMissed: number;
	daysMissedPeriod: number;
	daysAttended: number;
	daysPossible: number;
	lates: number;
	minutesLate: number;
	contact: string;
	/** The meeting's time and place in words, for the invitations. */
	meeting?: string;
}

function halves(value: number): string {
	const d = Math.round(value * 2 + 1e-9) / 2;
	const whole = Math.floor(d);
	const half = d - whole >= 0.5;
	if (whole === 0 && half) return '½';
	return half ? `${whole}½` : `${whole}`;
}

function daysWords(days: number, locale: Locale): string {
	const n = halves(days);
	if (locale !== BASE_LOCALE) return n;
	return `${n} ${n === '1' || n === '½' ? 'day' : 'days'}`;
}

/** "2 weeks and 1 day" of time lost (school weeks of 5 days); abbreviated units elsewhere, so no plural forms. */
function timeLostWords(days: number, locale: Locale): string {
	const d = Math.round(days * 2 + 1e-9) / 2;
	const weeks = Math.floor(d / 5);
	const rest = d - weeks * 5;
	if (locale === 'pl') return weeks > 0 ? `${weeks} tyg. ${halves(rest)} dn.` : `${halves(rest)} dn.`;
	if (locale !== BASE_LOCALE) return halves(d);
	if (weeks === 0) return daysWords(rest, locale);
	const w = `${weeks} ${weeks === 1 ? 'week' : 'weeks'}`;
	return rest > 0 ? `${w} and ${daysWords(rest, locale)}` : w;
}

/** The merge values in `locale`. */
export function letterMergeValues(f: LetterFigures, locale: Locale): Record<LetterMergeField, string> {
	const en = locale === BASE_LOCALE;
	return {
		firstName: f.firstName,
		school: f.school,
		period: f.period,
		daysMissed: daysWords(f.daysMissed, locale),
		daysMissedPeriod: daysWords(f.daysMissedPeriod, locale),
		daysAttended: daysWords(f.daysAttended, locale),
		daysPossible: daysWords(f.daysPossible, locale),
		timeLost: timeLostWords(f.daysMissed, locale),
		lates: en ? `${f.lates} ${f.lates === 1 ? 'time' : 'times'}` : String(f.lates),
		minutesLate: en ? `${f.minutesLate} ${f.minutesLate === 1 ? 'minute' : 'minutes'}` : String(f.minutesLate),
		contact: f.contact,
		meeting: f.meeting ?? ''
	};
}

export function renderTemplateText(text: string, values: Record<LetterMergeField, string>): string {
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => ((LETTER_MERGE_FIELDS as readonly string[]).includes(name) ? values[name as LetterMergeField] : whole));
}

/** Merge fields a text names that do not exist. */
export function unknownLetterFields(text: string): string[] {
	return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => !(LETTER_MERGE_FIELDS as readonly string[]).includes(n));
}

/** A service from the support directory, as a letter lists it. */
export interface LetterSupport {
	name: string;
	overview: string;
	link: string | null;
	contact: string | null;
}

/** A letter as data: what the page shows, the printer prints and a PDF renderer can draw. */
export interface LetterContent {
	locale: Locale;
	dir: 'ltr' | 'rtl';
	title: string;
	paragraphs: string[];
	/** The child's figures, labelled in the letter's language. */
	figures: { label: string; value: string }[];
	support: LetterSupport[];
	school: string;
}

/** The school's edited English templates (a step absent: the default). */
export type TemplateOverrides = Partial<Record<LetterStep, LetterTemplate>>;

/** The version a family gets: the school's edit (English), else their language's draft, else English. */
export function templateFor(step: LetterStep, locale: Locale, overrides: TemplateOverrides = {}): { template: LetterTemplate; locale: Locale } {
	const edited = overrides[step];
	if (edited) return { template: edited, locale: BASE_LOCALE };
	const base = LETTER_TEMPLATES[step];
	if (locale !== BASE_LOCALE) {
		const t = base.translations[locale as Exclude<Locale, 'en'>];
		if (t) return { template: t, locale };
	}
	return { template: { title: base.title, paragraphs: base.paragraphs }, locale: BASE_LOCALE };
}

const FIGURE_LABELS: Readonly<Record<'en' | 'pl', Record<'daysMissed' | 'daysMissedPeriod' | 'lates' | 'minutesLate', string>>> = {
	en: { daysMissed: 'Days missed this school year', daysMissedPeriod: 'Days missed in the period', lates: 'Late arrivals this week', minutesLate: 'Minutes missed by arriving late this year' },
	pl: { daysMissed: 'Dni opuszczone w tym roku szkolnym', daysMissedPeriod: 'Dni opuszczone w okresie', lates: 'Spóźnienia w tym tygodniu', minutesLate: 'Minuty stracone przez spóźnienia w tym roku' }
};

/** What an invitation says before a time is set: staff set it on the pupil's record and the family is told. */
export const MEETING_TO_ARRANGE = {
	en: 'we will phone you in the next few days to agree a day and time that suits you',
	pl: 'zadzwonimy w ciągu kilku dni, aby ustalić dogodny dzień i godzinę'
} as const;

/** Composes a letter: the template in the family's language where there is one, the figures, the support. */
export function composeLetter(opts: {
	step: LetterStep;
	locale: Locale;
	figures: LetterFigures;
	support: readonly LetterSupport[];
	overrides?: TemplateOverrides;
	/** Lateness letters show lates; the others show days. */
}): LetterContent {
	const { template, locale } = templateFor(opts.step, opts.locale, opts.overrides);
	const values = letterMergeValues({ ...opts.figures, meeting: opts.figures.meeting || MEETING_TO_ARRANGE[locale === 'pl' ? 'pl' : 'en'] }, locale);
	const labels = FIGURE_LABELS[locale === 'pl' ? 'pl' : 'en'];
	const lateness = opts.step === 'lateness_letter' || opts.step === 'formal_lateness_letter' || opts.step === 'lateness_meeting';
	const figures = lateness
		? [
				{ label: labels.lates, value: values.lates },
				{ label: labels.minutesLate, value: values.minutesLate }
			]
		: [
				{ label: labels.daysMissedPeriod, value: values.daysMissedPeriod },
				{ label: labels.daysMissed, value: values.daysMissed }
			];
	return {
		locale,
		dir: locale === 'ar' ? 'rtl' : 'ltr',
		title: renderTemplateText(template.title, values),
		paragraphs: template.paragraphs.map((p) => renderTemplateText(p, values)),
		figures,
		support: [...opts.support],
		school: opts.figures.school
	};
}

// ---------------------------------------------------------------------------------------------
// The tone checklist (docs/tone-checklist.md) as rules
// ---------------------------------------------------------------------------------------------

export type ToneProblem =
	| { code: 'mentions_percentage' }
	| { code: 'not_specific' }
	| { code: 'not_actionable' }
	| { code: 'consequence_before_support' }
	| { code: 'not_celebrating' }
	| { code: 'blaming_words'; word: string }
	| { code: 'unknown_fields'; fields: string[] };

const CELEBRATING: readonly LetterStep[] = ['rag_green', 'review_improved'];
// English words that announce a consequence; support must come first.
const CONSEQUENCE = /\b(penalt|fine[sd]?\b|prosecut|legal|court|local authority|sanction|formal meeting)/i;
const SUPPORT = /\b(help|support|talk|welcome|together)\b/i;
const BLAME = ['failure', 'failed', 'truant', 'unacceptable', 'must improve', 'warning'];

/**
 * What the checklist finds wrong with an English template: days not percentages, the child's
 * own figures, something the family can do (the contact), support before any consequence,
 * celebration where the step celebrates, no blaming words. Translations are checked for the
 * mechanical rules (figures, contact, no percentages).
 */
export function toneProblems(step: LetterStep, template: LetterTemplate, opts: { english?: boolean } = {}): ToneProblem[] {
	const english = opts.english ?? true;
	const text = [template.title, ...template.paragraphs].join('\n');
	const problems: ToneProblem[] = [];
	const unknown = unknownLetterFields(text);
	if (unknown.length) problems.push({ code: 'unknown_fields', fields: unknown });
	if (/%|percent|procent/i.test(text)) problems.push({ code: 'mentions_percentage' });
	if (!FIGURE_FIELDS.some((f) => text.includes(`{${f}}`))) problems.push({ code: 'not_specific' });
	if (!text.includes('{contact}')) problems.push({ code: 'not_actionable' });
	if (english) {
		const consequence = text.search(CONSEQUENCE);
		const support = text.search(SUPPORT);
		if (consequence >= 0 && (support < 0 || support > consequence)) problems.push({ code: 'consequence_before_support' });
		if (CELEBRATING.includes(step) && !/well done|thank you|brilliant|improvement/i.test(text)) problems.push({ code: 'not_celebrating' });
		for (const word of BLAME) if (text.toLowerCase().includes(word)) problems.push({ code: 'blaming_words', word });
	}
	return problems;
}

/** The checklist's words for staff (English). */
export function toneProblemText(p: ToneProblem): string {
	switch (p.code) {
		case 'mentions_percentage':
			return 'Say days (and weeks), not percentages: families understand "9 days missed" better than "95%".';
		case 'not_specific':
			return "Name the child's own figures: use at least one of {daysMissed}, {daysMissedPeriod}, {daysAttended}, {timeLost}, {lates}, {minutesLate}.";
		case 'not_actionable':
			return 'Tell the family what they can do and how to reach you: include {contact}.';
		case 'consequence_before_support':
			return 'Offer help and support before any mention of consequences.';
		case 'not_celebrating':
			return 'This letter celebrates: say well done or thank you.';
		case 'blaming_words':
			return `Avoid blaming words such as "${p.word}".`;
		case 'unknown_fields':
			return `Unknown merge fields: ${p.fields.map((f) => `{${f}}`).join(', ')}.`;
	}
}
