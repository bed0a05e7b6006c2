/**
 * Support signposting (docs/domain-rules.md §8): the directory's categories, the barriers to attendance from
 * the Portsmouth personal attendance plan and the categories that help with each, matching what
 * a parent tells us (a report reason, free text, a bot message) to categories, and a short,
 * sourced guide to common illnesses and whether to keep a child off school.
 *
 * Pure: no I/O.
 */
import type { AbsenceReason } from './absence';
import type { IsoDate } from './calendar';

export const SUPPORT_CATEGORIES = [
	'illness',
	'mental_health',
	'transport',
	'uniform',
	'sen',
	'semh_in_school',
	'eal',
	'neurodiversity',
	'young_carers',
	'general',
	'exploitation'
] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];

/** Parent-facing headings, in plain words. */
export const SUPPORT_CATEGORY_LABELS: Record<SupportCategory, string> = {
	illness: 'Illness and health',
	mental_health: 'Mental health and anxiety',
	transport: 'Getting to school',
	uniform: 'School uniform',
	sen: 'Special educational needs',
	semh_in_school: 'Feelings and behaviour at school',
	eal: 'English as an additional language',
	neurodiversity: 'Neurodiversity (for example autism or ADHD)',
	young_carers: 'Young carers',
	general: 'Help for families',
	exploitation: 'Keeping children safe from exploitation'
};

export function isSupportCategory(value: unknown): value is SupportCategory {
	return typeof value === 'string' && (SUPPORT_CATEGORIES as readonly string[]).includes(value);
}

/**
 * Who a service is for, as the source describes it: families (parents and their children),
 * children and young people themselves, or professionals only (what a school or practitioner
 * uses, which a family cannot ask for). A source that says nothing means families.
 */
export const SUPPORT_AUDIENCES = ['families', 'children_young_people', 'professionals'] as const;
export type SupportAudience = (typeof SUPPORT_AUDIENCES)[number];

/** The ages the directory's ranges may name (a service for young people ends at 25 at the latest). */
export const SUPPORT_MAX_AGE = 25;

/** Who a service is for and the ages it takes, in years, both ends included; null = open. */
export interface ServiceReach {
	audience: SupportAudience;
	minAge: number | null;
	maxAge: number | null;
}

/** What we know of a child's age: the date of birth when the school gave it, else the year group. */
export interface ChildAgeFacts {
	dateOfBirth: IsoDate | null;
	/** 0 = Reception, 1..13 = Year 1..13, -1 = Nursery. */
	yearGroup: number;
}

/** Whole years from a date of birth to `on` (the birthday counts on the day). */
export function ageInYears(dateOfBirth: IsoDate, on: IsoDate): number {
	const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
	const [y, m, d] = on.split('-').map(Number) as [number, number, number];
	return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The ages a child may be, in years: exactly their age when the date of birth is known; else
 * from the year group, which spans two ages over a school year (Reception = 4 to 5, Year N =
 * N+4 to N+5).
 */
export function childAgeSpan(child: ChildAgeFacts, on: IsoDate): { min: number; max: number } {
	if (child.dateOfBirth) {
		const age = ageInYears(child.dateOfBirth, on);
		return { min: age, max: age };
	}
	return { min: child.yearGroup + 4, max: child.yearGroup + 5 };
}

/**
 * Whether to offer a service to a family. Professionals-only services never; a service with an
 * age range only when one of the family's children is (or, known by year group only, may be)
 * inside it. `children` undefined = a visitor we know nothing about: every family service.
 */
export function offeredToFamily(service: ServiceReach, children: readonly ChildAgeFacts[] | undefined, on: IsoDate): boolean {
	if (service.audience === 'professionals') return false;
	if (service.minAge === null && service.maxAge === null) return true;
	if (children === undefined) return true;
	const low = service.minAge ?? 0;
	const high = service.maxAge ?? Infinity;
	return children.some((c) => {
		const span = childAgeSpan(c, on);
		return span.max >= low && span.min <= high;
	});
}

/**
 * A service's ages in the directory's own language (English, like the services' details):
 * "For ages 11 to 25"; null when it takes any age.
 */
export function ageRangeWords(minAge: number | null, maxAge: number | null): string | null {
	if (minAge !== null && maxAge !== null) return minAge === maxAge ? `For age ${minAge}` : `For ages ${minAge} to ${maxAge}`;
	if (minAge !== null) return `For ages ${minAge} and over`;
	if (maxAge !== null) return `For ages up to ${maxAge}`;
	return null;
}

/** The barriers in the personal attendance plan (Portsmouth guidance §6). */
export const BARRIERS = [
	'emotionally_based_school_avoidance',
	'unmet_sen',
	'holiday_or_extended_leave',
	'mental_health_and_anxiety',
	'long_term_medical_needs',
	'change_of_placement_needed',
	'illness',
	'transport',
	'exploitation'
] as const;
export type Barrier = (typeof BARRIERS)[number];

/** Which directory categories help with each barrier. */
export const BARRIER_CATEGORIES: Record<Barrier, readonly SupportCategory[]> = {
	emotionally_based_school_avoidance: ['mental_health', 'semh_in_school'],
	unmet_sen: ['sen', 'neurodiversity'],
	holiday_or_extended_leave: ['general'],
	mental_health_and_anxiety: ['mental_health', 'semh_in_school'],
	long_term_medical_needs: ['illness', 'sen'],
	change_of_placement_needed: ['sen', 'general'],
	illness: ['illness'],
	transport: ['transport'],
	exploitation: ['exploitation']
};

/** Categories that help with a reported reason for absence. */
export function categoriesForReason(reason: AbsenceReason): SupportCategory[] {
	switch (reason) {
		case 'illness':
		case 'medical_appointment':
			return ['illness'];
		case 'mental_health':
			return ['mental_health', 'semh_in_school'];
		case 'bereavement':
		case 'family_emergency':
			return ['general', 'mental_health'];
		case 'religious_observance':
		case 'other':
			return [];
	}
}

/**
 * Words and phrases that point to a category. Matched on whole words (and phrase starts), case-
 * and accent-insensitive, so "bus" matches "the bus didn't come" but not "business".
 */
const KEYWORDS: Record<SupportCategory, readonly string[]> = {
	illness: [
		'ill', 'illness', 'sick', 'unwell', 'poorly', 'temperature', 'fever', 'cough', 'cold', 'flu', 'vomit', 'vomiting',
		'diarrhoea', 'diarrhea', 'chickenpox', 'chicken pox', 'rash', 'headache', 'migraine', 'tummy', 'stomach', 'covid',
		'asthma', 'hospital', 'doctor', 'gp', 'medical', 'medicine', 'operation', 'infection', 'measles', 'mumps', 'sore throat',
		'tonsillitis', 'conjunctivitis', 'impetigo', 'scarlet fever', 'hearing', 'deaf', 'eyesight', 'glasses',
		'physio', 'physiotherapy'
	],
	mental_health: [
		'anxious', 'anxiety', 'worried', 'worry', 'worries', 'stress', 'stressed', 'panic', 'panic attack', 'depressed',
		'depression', 'low mood', 'mental health', 'self harm', 'self-harm', 'sad', 'crying', 'scared', 'frightened',
		"can't face", 'cant face', "won't go", 'wont go', 'refuses', 'refusing', 'school refusal', 'avoidance', 'overwhelmed',
		'not sleeping', 'eating disorder'
	],
	semh_in_school: ['bullied', 'bullying', 'bully', 'friends', 'falling out', 'behaviour', 'anger', 'angry', 'excluded', 'teacher', 'lonely'],
	transport: ['bus', 'buses', 'lift', 'transport', 'taxi', 'travel', 'car broke', 'car broken', 'too far', 'no car', 'train', 'ferry', 'walk to school'],
	uniform: ['uniform', 'school shoes', 'shoes', 'clothes', 'pe kit', 'coat'],
	sen: ['sen', 'send', 'ehcp', 'ehc plan', 'special needs', 'special educational', 'learning difficulty', 'learning difficulties', 'dyslexia', 'dyslexic', 'disability', 'disabled', 'speech'],
	neurodiversity: ['autism', 'autistic', 'asd', 'adhd', 'add', 'sensory', 'neurodivergent', 'neurodiversity', 'meltdown', 'meltdowns'],
	eal: ['english', 'translate', 'translation', 'interpreter', 'language', 'new to the country'],
	young_carers: ['carer', 'caring for', 'look after my', 'looks after', 'looking after', 'young carer'],
	general: ['money', 'housing', 'homeless', 'evicted', 'food', 'debt', 'benefits', 'bereavement', 'died', 'passed away', 'funeral', 'divorce', 'separation', 'domestic'],
	exploitation: ['county lines', 'gang', 'gangs', 'grooming', 'groomed', 'exploited', 'exploitation', 'threatened', 'drugs', 'online', 'sexting', 'missing', 'ran away']
};

function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[’‘]/g, "'")
		.toLowerCase();
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MATCHERS: [SupportCategory, RegExp][] = SUPPORT_CATEGORIES.map((category) => [
	category,
	new RegExp(`(^|[^a-z0-9'])(${KEYWORDS[category].map((k) => escapeRegExp(fold(k))).join('|')})(?=$|[^a-z0-9])`, 'u')
]);

/** Categories that free text points to, in directory order. Empty when nothing matches. */
export function categoriesForText(text: string): SupportCategory[] {
	const folded = fold(text);
	return MATCHERS.filter(([, re]) => re.test(folded)).map(([category]) => category);
}

/** Whether `text` names one of `phrases`, on whole words (as the category keywords are matched). */
export function mentionsAny(text: string, phrases: readonly string[]): boolean {
	if (phrases.length === 0) return false;
	const re = new RegExp(`(^|[^a-z0-9'])(${phrases.map((k) => escapeRegExp(fold(k))).join('|')})(?=$|[^a-z0-9])`, 'u');
	return re.test(fold(text));
}

/**
 * What a service needs to be suggested for what a family said. A specialist service names its
 * `topics` (the Vision and Hearing Team: "hearing", "eyesight"...): it fits when, and only when,
 * the family's words name one of them, so a cough, which points to the illness services, does not
 * bring up a team for children who cannot hear. A service without topics fits anything in its
 * category. A family browsing a category by choice sees every service in it (this is only for
 * suggestions drawn from their words or their report's reason).
 */
export interface SuggestedService {
	category: SupportCategory;
	topics?: readonly string[] | null;
}

export function fitsWhatWasSaid(service: SuggestedService, said: { categories: readonly SupportCategory[]; text?: string | null }): boolean {
	const topics = service.topics ?? [];
	// Naming what a specialist service is for is enough, whatever category the words point to
	// ("speech" points to special needs; the therapy service sits under illness).
	if (topics.length > 0) return mentionsAny(said.text ?? '', topics);
	return said.categories.includes(service.category);
}

/**
 * How a family reaches a service in one tap, from what the directory gives: its web address, or a
 * contact that is an email address or a phone number. A service with none of these (only "from
 * the Local Offer") is a dead end and is not offered to families.
 */
export type ContactKind = 'email' | 'phone';

export function contactKind(contact: string | null | undefined): ContactKind | null {
	const c = contact?.trim() ?? '';
	if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c)) return 'email';
	// A phone number as people write it: digits, spaces, brackets, dashes, an optional leading +.
	if (/^\+?[\d\s().-]{7,24}$/.test(c) && c.replace(/\D/g, '').length >= 7) return 'phone';
	return null;
}

export function reachableInOneTap(service: { link?: string | null; contact?: string | null }): boolean {
	return Boolean(service.link && /^https?:\/\//.test(service.link)) || contactKind(service.contact) !== null;
}

/** Categories for a report: its reason, plus what the parent's words point to (no duplicates). */
export function categoriesFor(input: { reason?: AbsenceReason | null; text?: string | null }): SupportCategory[] {
	const found = new Set<SupportCategory>([
		...(input.reason ? categoriesForReason(input.reason) : []),
		...(input.text ? categoriesForText(input.text) : [])
	]);
	return SUPPORT_CATEGORIES.filter((c) => found.has(c));
}

// ---------------------------------------------------------------------------------------------
// Common illnesses: should my child stay off school?
// ---------------------------------------------------------------------------------------------

export interface IllnessGuide {
	key: string;
	/** What a parent would call it. */
	name: string;
	/** Words that point to it. */
	symptoms: readonly string[];
	/** Whether the child should stay at home. */
	stayOff: boolean;
	/** In plain words. */
	advice: string;
}

/**
 * Sources: NHS, "Is my child too ill for school?" and UKHSA, "Children and young people
 * settings: tools and resources" (exclusion periods). Reviewed against both; schools may add
 * their own advice.
 */
export const ILLNESS_GUIDANCE_SOURCES = [
	{ name: 'NHS: Is my child too ill for school?', url: 'https://www.nhs.uk/live-well/is-my-child-too-ill-for-school/' },
	{
		name: 'UK Health Security Agency: Children and young people settings, tools and resources',
		url: 'https://www.gov.uk/government/publications/health-protection-in-schools-and-other-childcare-facilities/children-and-young-people-settings-tools-and-resources'
	}
] as const;

export const ILLNESS_GUIDE: readonly IllnessGuide[] = [
	{ key: 'high_temperature', name: 'High temperature', symptoms: ['temperature', 'fever', 'hot'], stayOff: true, advice: 'Keep them off until the temperature has gone.' },
	{ key: 'cough_cold', name: 'Coughs and colds', symptoms: ['cough', 'cold', 'runny nose', 'sneezing'], stayOff: false, advice: 'They can go to school if they feel well enough and have no temperature.' },
	{ key: 'vomiting_diarrhoea', name: 'Sickness (vomiting) and diarrhoea', symptoms: ['sick', 'vomit', 'vomiting', 'diarrhoea', 'diarrhea', 'tummy bug', 'stomach bug'], stayOff: true, advice: 'Keep them off until 48 hours after they were last sick or had diarrhoea.' },
	{ key: 'chickenpox', name: 'Chickenpox', symptoms: ['chickenpox', 'chicken pox', 'spots'], stayOff: true, advice: 'Keep them off until all the spots have crusted over, usually 5 days after the spots appeared.' },
	{ key: 'flu', name: 'Flu', symptoms: ['flu'], stayOff: true, advice: 'Keep them off until they have recovered.' },
	{ key: 'covid', name: 'COVID-19 and other respiratory infections', symptoms: ['covid', 'coronavirus'], stayOff: true, advice: 'Keep them off while they have a high temperature or feel unwell; they can go back when they feel better and have no temperature.' },
	{ key: 'scarlet_fever', name: 'Scarlet fever', symptoms: ['scarlet fever'], stayOff: true, advice: 'Keep them off until 24 hours after starting antibiotics.' },
	{ key: 'impetigo', name: 'Impetigo', symptoms: ['impetigo'], stayOff: true, advice: 'Keep them off until the sores have crusted and healed, or 48 hours after starting antibiotics.' },
	{ key: 'measles', name: 'Measles', symptoms: ['measles'], stayOff: true, advice: 'Keep them off for 4 days from when the rash appeared.' },
	{ key: 'mumps', name: 'Mumps', symptoms: ['mumps'], stayOff: true, advice: 'Keep them off for 5 days after the swelling started.' },
	{ key: 'whooping_cough', name: 'Whooping cough', symptoms: ['whooping cough'], stayOff: true, advice: 'Keep them off until 2 days after starting antibiotics, or 21 days from the start of the cough without antibiotics.' },
	{ key: 'conjunctivitis', name: 'Conjunctivitis', symptoms: ['conjunctivitis', 'sticky eye', 'pink eye'], stayOff: false, advice: 'They can go to school.' },
	{ key: 'hand_foot_mouth', name: 'Hand, foot and mouth disease', symptoms: ['hand foot and mouth', 'hand, foot and mouth'], stayOff: false, advice: 'They can go to school if they feel well enough.' },
	{ key: 'head_lice', name: 'Head lice and nits', symptoms: ['head lice', 'nits', 'lice'], stayOff: false, advice: 'They can go to school; treat the lice.' },
	{ key: 'threadworms', name: 'Threadworms', symptoms: ['threadworms', 'worms'], stayOff: false, advice: 'They can go to school; treat the whole household.' },
	{ key: 'tonsillitis', name: 'Sore throat and tonsillitis', symptoms: ['sore throat', 'tonsillitis'], stayOff: false, advice: 'They can go to school if they feel well enough; keep them off if they have a temperature.' },
	{ key: 'cold_sores', name: 'Cold sores', symptoms: ['cold sore', 'cold sores'], stayOff: false, advice: 'They can go to school.' },
	{ key: 'slapped_cheek', name: 'Slapped cheek syndrome', symptoms: ['slapped cheek'], stayOff: false, advice: 'They can go to school once the rash appears, if they feel well enough.' }
];

/** Guide entries that the parent's words point to, most specific first (longest phrase wins ties). */
export function illnessGuidanceFor(text: string): IllnessGuide[] {
	const folded = fold(text);
	const hits: { guide: IllnessGuide; length: number }[] = [];
	for (const guide of ILLNESS_GUIDE) {
		let best = 0;
		for (const s of guide.symptoms) {
			const re = new RegExp(`(^|[^a-z0-9])${escapeRegExp(fold(s))}(?=$|[^a-z0-9])`, 'u');
			if (re.test(folded)) best = Math.max(best, s.length);
		}
		if (best > 0) hits.push({ guide, length: best });
	}
	// "cold sores" is not "a cold": drop an entry whose only match is inside a longer matched phrase.
	const kept = hits.filter(
		(h) =>
			!hits.some(
				(o) =>
					o !== h &&
					o.length > h.length &&
					h.guide.symptoms.some((s) => o.guide.symptoms.some((os) => fold(os).includes(fold(s)) && folded.includes(fold(os))))
			)
	);
	return kept.sort((a, b) => b.length - a.length).map((h) => h.guide);
}
