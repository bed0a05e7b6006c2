/**
 * The graduated response's letters: templates for each letter step, their merge fields, and the
 * tone checklist (docs/tone-checklist.md) as rules a template is checked against. A letter is
 * data (title, paragraphs, figures, support) so a page shows it, a printer prints it and a PDF
 * is drawn from it (server/features/graduated-response/letter-pdf.ts).
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
 * The templates. In English and in the Romanian, Arabic and Bengali drafts day counts carry their
 * unit in the language's plural form ("4½ days", "4½ zile", "4 أيام", "4 দিন"); the Polish drafts
 * were written round bare numbers ("Dni: 4½"), so Polish has no plural forms to get wrong.
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
			},
			ro: {
				title: 'Felicitări, {firstName}!',
				paragraphs: [
					'Vă mulțumim. În {period}, {firstName} a fost la școală {daysAttended} din {daysPossible}. Este un rezultat minunat.',
					'Fiecare zi la școală înseamnă mai mult timp de învățat, alături de colegi și profesori. Vă rugăm să continuați așa.',
					'Dacă ceva se schimbă acasă și face mai grea venirea la școală, vorbiți cu noi la {contact}: suntem aici să vă ajutăm.'
				]
			},
			ar: {
				title: 'أحسنت يا {firstName}!',
				paragraphs: [
					'شكرًا لكم. في {period}، كان حضور {firstName} إلى المدرسة {daysAttended} من أصل {daysPossible}. هذا رائع ويظهر أثره.',
					'كل يوم في المدرسة يعني وقتًا أطول للتعلّم مع الأصدقاء والمعلمين. نرجو أن تستمروا على ذلك.',
					'إذا تغيّر شيء في البيت يجعل الذهاب إلى المدرسة أصعب، تحدّثوا إلينا على {contact}: نحن هنا للمساعدة.'
				]
			},
			bn: {
				title: 'খুব ভালো, {firstName}!',
				paragraphs: [
					'ধন্যবাদ। {period}-এ মোট {daysPossible} স্কুল খোলা ছিল, তার মধ্যে {firstName} স্কুলে এসেছে {daysAttended}। এটি চমৎকার।',
					'স্কুলে প্রতিটি দিন মানে বন্ধু ও শিক্ষকদের সাথে শেখার আরও সময়। অনুগ্রহ করে এভাবেই চালিয়ে যান।',
					'বাড়িতে এমন কিছু বদলালে যাতে স্কুলে আসা কঠিন হয়, আমাদের সাথে কথা বলুন: {contact}। আমরা সাহায্য করতে আছি।'
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
			},
			ro: {
				title: 'Prezența la școală a copilului {firstName} în acest trimestru',
				paragraphs: [
					'În {period}, {firstName} a lipsit de la școală {daysMissedPeriod}. În acest an școlar, până acum, în total: {daysMissed}, adică {timeLost} de învățare.',
					'Știm că de multe ori există un motiv și am dori să vă ajutăm. Sunteți bineveniți la școală să aflați despre Early Help și despre celelalte forme de sprijin: nu vă cerem nimic altceva decât o discuție.',
					'Vă rugăm să ne sunați la {contact} sau să răspundeți la acest mesaj dacă ceva face școala grea. Sprijinul de mai jos vă poate ajuta și el.'
				]
			},
			ar: {
				title: 'حضور {firstName} في هذا الفصل',
				paragraphs: [
					'في {period}، بلغ غياب {firstName} عن المدرسة {daysMissedPeriod}. ومنذ بداية هذا العام الدراسي بلغ المجموع {daysMissed}، أي {timeLost} من التعلّم.',
					'نعلم أن هناك سببًا في أغلب الأحيان، ونودّ أن نساعد. أنتم مرحَّب بكم في المدرسة للتعرّف على برنامج Early Help وأنواع الدعم الأخرى المتاحة: لا نطلب منكم سوى حديث معنا.',
					'يُرجى الاتصال بنا على {contact} أو الرد على هذه الرسالة إذا كان هناك ما يجعل المدرسة صعبة. وقد يساعدكم الدعم المذكور أدناه أيضًا.'
				]
			},
			bn: {
				title: 'এই টার্মে {firstName}-এর উপস্থিতি',
				paragraphs: [
					'{period}-এ {firstName} {daysMissedPeriod} স্কুলে অনুপস্থিত ছিল। এই স্কুল বছরে এখন পর্যন্ত মোট {daysMissed}, অর্থাৎ শেখার {timeLost}।',
					'আমরা জানি প্রায়ই এর পেছনে কোনো কারণ থাকে, এবং আমরা সাহায্য করতে চাই। Early Help ও অন্যান্য সহায়তা সম্পর্কে জানতে আপনি স্কুলে আসতে পারেন: শুধু একটু কথা বলা, আর কিছু লাগবে না।',
					'স্কুলে আসা কঠিন করে এমন কিছু থাকলে অনুগ্রহ করে {contact}-এ আমাদের ফোন করুন বা এই বার্তার উত্তর দিন। নিচের সহায়তাও কাজে আসতে পারে।'
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
			},
			ro: {
				title: 'Prezența la școală a copilului {firstName}: dorim să vă ajutăm',
				paragraphs: [
					'În {period}, {firstName} a lipsit de la școală {daysMissedPeriod}. În acest an școlar, până acum, în total: {daysMissed}, adică {timeLost} de învățare, mult de recuperat.',
					'Am dori să înțelegem ce face dificilă venirea la școală și ce ar ajuta. Vă invităm la o discuție prietenoasă cu responsabilul nostru pentru prezență, despre Early Help și despre celelalte forme de sprijin.',
					'Sunați-ne la {contact} sau răspundeți la acest mesaj ca să stabilim o oră. Sprijinul de mai jos vă poate ajuta chiar de acum.'
				]
			},
			ar: {
				title: 'حضور {firstName}: نودّ أن نساعد',
				paragraphs: [
					'في {period}، بلغ غياب {firstName} عن المدرسة {daysMissedPeriod}. ومنذ بداية هذا العام الدراسي بلغ المجموع {daysMissed}، أي {timeLost} من التعلّم، وهذا كثير مما يجب تعويضه.',
					'نودّ أن نفهم ما الذي يعيق الحضور وما الذي قد يساعد. ندعوكم إلى حديث ودّي مع مسؤول الحضور لدينا عن برنامج Early Help وأنواع الدعم الأخرى المتاحة.',
					'اتصلوا بنا على {contact} أو ردّوا على هذه الرسالة لتحديد موعد. وقد يساعدكم الدعم المذكور أدناه فورًا.'
				]
			},
			bn: {
				title: '{firstName}-এর উপস্থিতি: আমরা সাহায্য করতে চাই',
				paragraphs: [
					'{period}-এ {firstName} {daysMissedPeriod} স্কুলে অনুপস্থিত ছিল। এই স্কুল বছরে এখন পর্যন্ত মোট {daysMissed}, অর্থাৎ শেখার {timeLost}: এটা পূরণ করতে অনেক সময় লাগবে।',
					'কী বাধা হচ্ছে এবং কী সাহায্য করবে, তা আমরা বুঝতে চাই। Early Help ও অন্যান্য সহায়তা নিয়ে আমাদের উপস্থিতি বিষয়ক দায়িত্বপ্রাপ্ত কর্মীর সাথে একটি বন্ধুত্বপূর্ণ আলোচনায় আসুন।',
					'সময় ঠিক করতে {contact}-এ ফোন করুন বা এই বার্তার উত্তর দিন। নিচের সহায়তা এখনই কাজে আসতে পারে।'
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
			},
			ro: {
				title: 'Prezența la școală a copilului {firstName}: cum vă putem ajuta?',
				paragraphs: [
					'În acest an școlar, până acum, {firstName} a lipsit de la școală {daysMissed}, adică {timeLost} de învățare. În {period}: {daysMissedPeriod}.',
					'Echipa noastră pentru prezență ar dori să vorbească cu dumneavoastră despre ce ar ajuta ca {firstName} să vină mai des la școală. Sprijinul de mai jos este gratuit și vă poate ajuta.',
					'Vă rugăm să ne sunați la {contact} sau să răspundeți la acest mesaj. Vom păstra legătura și ne vom uita din nou împreună la cifre la următoarea evaluare.'
				]
			},
			ar: {
				title: 'حضور {firstName}: كيف يمكننا المساعدة؟',
				paragraphs: [
					'منذ بداية هذا العام الدراسي بلغ غياب {firstName} عن المدرسة {daysMissed}، أي {timeLost} من التعلّم. وفي {period} بلغ {daysMissedPeriod}.',
					'يودّ فريق الحضور لدينا أن يتحدث معكم عمّا يساعد {firstName} على الحضور إلى المدرسة أكثر. الدعم المذكور أدناه مجاني وقد يساعد.',
					'يُرجى الاتصال بنا على {contact} أو الرد على هذه الرسالة. سنبقى على تواصل معكم، وسننظر في الأرقام معًا مرة أخرى في المراجعة القادمة.'
				]
			},
			bn: {
				title: '{firstName}-এর উপস্থিতি: আমরা কীভাবে সাহায্য করতে পারি?',
				paragraphs: [
					'এই স্কুল বছরে এখন পর্যন্ত {firstName} মোট {daysMissed} স্কুলে অনুপস্থিত ছিল, অর্থাৎ শেখার {timeLost}। {period}-এ অনুপস্থিতি: {daysMissedPeriod}।',
					'{firstName} যাতে আরও নিয়মিত স্কুলে আসতে পারে, তার জন্য কী সাহায্য করবে, তা নিয়ে আমাদের উপস্থিতি দল আপনার সাথে কথা বলতে চায়। নিচের সহায়তা বিনামূল্যে এবং কাজে আসতে পারে।',
					'অনুগ্রহ করে {contact}-এ ফোন করুন বা এই বার্তার উত্তর দিন। আমরা যোগাযোগ রাখব এবং পরের পর্যালোচনায় একসাথে আবার হিসাবটি দেখব।'
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
			},
			ro: {
				title: 'Prezența la școală a copilului {firstName}: sprijin în următoarea jumătate de trimestru',
				paragraphs: [
					'În acest an școlar, până acum, {firstName} a lipsit de la școală {daysMissed}, adică {timeLost} de învățare. În {period}: {daysMissedPeriod}.',
					'Dorim să ajutăm ca {firstName} să revină pe drumul cel bun. În următoarea jumătate de trimestru vom urmări atent prezența, vom lua legătura cu dumneavoastră și vă vom oferi sprijinul de mai jos. Dacă ceva face școala grea, vă rugăm să ne spuneți: de multe ori există mai mult ajutor decât se așteaptă familiile.',
					'Sunați-ne la {contact} sau răspundeți la acest mesaj. Dacă prezența nu se îmbunătățește până la sfârșitul acestei jumătăți de trimestru, vă vom invita la o întâlnire cu directorul școlii, ca să stabilim împreună un plan de sprijin.'
				]
			},
			ar: {
				title: 'حضور {firstName}: دعم خلال نصف الفصل القادم',
				paragraphs: [
					'منذ بداية هذا العام الدراسي بلغ غياب {firstName} عن المدرسة {daysMissed}، أي {timeLost} من التعلّم. وفي {period} بلغ {daysMissedPeriod}.',
					'نريد أن نساعد {firstName} على العودة إلى المسار الصحيح. خلال نصف الفصل القادم سنتابع الحضور عن قرب، ونتواصل معكم، ونقدّم لكم الدعم المذكور أدناه. إذا كان هناك ما يجعل المدرسة صعبة، فأخبرونا من فضلكم: كثيرًا ما تتوفر مساعدة أكثر مما تتوقعه العائلات.',
					'اتصلوا بنا على {contact} أو ردّوا على هذه الرسالة. إذا لم يتحسّن الحضور بحلول نهاية نصف الفصل، فسندعوكم إلى اجتماع مع مدير المدرسة لنتفق معًا على خطة دعم.'
				]
			},
			bn: {
				title: '{firstName}-এর উপস্থিতি: পরের হাফ টার্মে সহায়তা',
				paragraphs: [
					'এই স্কুল বছরে এখন পর্যন্ত {firstName} মোট {daysMissed} স্কুলে অনুপস্থিত ছিল, অর্থাৎ শেখার {timeLost}। {period}-এ অনুপস্থিতি: {daysMissedPeriod}।',
					'{firstName} যাতে আবার ঠিক পথে ফিরতে পারে, আমরা সেই সাহায্য করতে চাই। পরের হাফ টার্মে আমরা উপস্থিতির দিকে নজর রাখব, আপনার খোঁজ নেব এবং নিচের সহায়তা দেব। স্কুলে আসা কঠিন করে এমন কিছু থাকলে অনুগ্রহ করে আমাদের জানান: পরিবারগুলো যা ভাবে, প্রায়ই তার চেয়ে বেশি সাহায্য পাওয়া যায়।',
					'{contact}-এ ফোন করুন বা এই বার্তার উত্তর দিন। হাফ টার্মের শেষে উপস্থিতির উন্নতি না হলে, একসাথে একটি সহায়তা পরিকল্পনা ঠিক করতে আমরা আপনাকে প্রধান শিক্ষকের সাথে একটি সভায় আমন্ত্রণ জানাব।'
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
			},
			ro: {
				title: 'Invitație la o întâlnire despre {firstName}',
				paragraphs: [
					'În acest an școlar, până acum, {firstName} a lipsit de la școală {daysMissed}, adică {timeLost} de învățare. Am dori să ne întâlnim cu dumneavoastră ca să înțelegem ce face dificilă venirea la școală și să stabilim împreună un plan de sprijin.',
					'Întâlnirea: {meeting}.',
					'Vă rugăm să răspundeți DA pentru a confirma sau ALTĂ ORĂ și vom găsi un moment potrivit pentru dumneavoastră. Ne puteți suna și la {contact}. Dacă nu puteți veni, întâlnirea va avea loc oricum și vă vom scrie ce s-a stabilit.'
				]
			},
			ar: {
				title: 'دعوة إلى اجتماع بشأن {firstName}',
				paragraphs: [
					'منذ بداية هذا العام الدراسي بلغ غياب {firstName} عن المدرسة {daysMissed}، أي {timeLost} من التعلّم. نودّ أن نلتقي بكم لنفهم ما الذي يعيق الحضور ونتفق معًا على خطة دعم.',
					'الاجتماع: {meeting}.',
					'يُرجى الرد بكلمة «نعم» للتأكيد، أو «موعد آخر» وسنجد موعدًا يناسبكم. ويمكنكم أيضًا الاتصال بنا على {contact}. إذا لم تتمكنوا من الحضور، فسيُعقد الاجتماع مع ذلك وسنكتب إليكم بما اتُّفق عليه.'
				]
			},
			bn: {
				title: '{firstName}-কে নিয়ে একটি সভার আমন্ত্রণ',
				paragraphs: [
					'এই স্কুল বছরে এখন পর্যন্ত {firstName} মোট {daysMissed} স্কুলে অনুপস্থিত ছিল, অর্থাৎ শেখার {timeLost}। কী বাধা হচ্ছে তা বুঝতে এবং একসাথে একটি সহায়তা পরিকল্পনা ঠিক করতে আমরা আপনার সাথে দেখা করতে চাই।',
					'সভা: {meeting}।',
					'নিশ্চিত করতে «হ্যাঁ» লিখে উত্তর দিন, অথবা «অন্য সময়» লিখুন, আমরা আপনার সুবিধামতো সময় খুঁজে নেব। আপনি {contact}-এ ফোনও করতে পারেন। আপনি আসতে না পারলেও সভা হবে, এবং কী ঠিক হলো তা আমরা আপনাকে লিখে জানাব।'
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
			},
			ro: {
				title: '{firstName} a întârziat săptămâna aceasta',
				paragraphs: [
					'{firstName} a întârziat {lates} săptămâna aceasta și a pierdut {minutesLate} din începutul zilei, când se explică programul zilei și începe învățarea.',
					'Știm că diminețile pot fi grele. Dacă ceva face dificilă sosirea la timp, vă rugăm să ne spuneți: vă putem ajuta, de exemplu cu clubul de mic-dejun sau cu sprijinul de mai jos.',
					'Sunați-ne la {contact} sau răspundeți la acest mesaj. Dacă întârzierile continuă, directorul școlii vă va scrie despre îmbunătățirea punctualității.'
				]
			},
			ar: {
				title: 'تأخُّر {firstName} هذا الأسبوع',
				paragraphs: [
					'تأخّر وصول {firstName} إلى المدرسة {lates} هذا الأسبوع، وضاع بذلك {minutesLate} من بداية اليوم، حين يُشرح برنامج اليوم ويبدأ التعلّم.',
					'نعلم أن الصباح قد يكون صعبًا. إذا كان هناك ما يصعّب الوصول في الموعد، فأخبرونا من فضلكم: يمكننا المساعدة، مثلًا بنادي الفطور أو بالدعم المذكور أدناه.',
					'اتصلوا بنا على {contact} أو ردّوا على هذه الرسالة. إذا استمر التأخر، فسيكتب إليكم مدير المدرسة بشأن تحسين الالتزام بالمواعيد.'
				]
			},
			bn: {
				title: 'এই সপ্তাহে {firstName} দেরিতে এসেছে',
				paragraphs: [
					'এই সপ্তাহে {firstName} {lates} দেরিতে এসেছে, ফলে দিনের শুরুর {minutesLate} বাদ পড়েছে, যখন দিনের কাজ বুঝিয়ে বলা হয় এবং শেখা শুরু হয়।',
					'আমরা জানি সকালগুলো কঠিন হতে পারে। সময়মতো আসা কঠিন করে এমন কিছু থাকলে অনুগ্রহ করে আমাদের জানান: আমরা সাহায্য করতে পারি, যেমন ব্রেকফাস্ট ক্লাব বা নিচের অন্য সহায়তা দিয়ে।',
					'{contact}-এ ফোন করুন বা এই বার্তার উত্তর দিন। দেরি চলতে থাকলে, সময়ানুবর্তিতার উন্নতি নিয়ে প্রধান শিক্ষক আপনাকে চিঠি লিখবেন।'
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
			},
			ro: {
				title: 'Punctualitatea copilului {firstName}: o scrisoare de la directorul școlii',
				paragraphs: [
					'După scrisoarea noastră anterioară, {firstName} a întârziat {lates} săptămâna aceasta. În acest an școlar, minutele pierdute ajung la {minutesLate}.',
					'Aș dori să lucrăm împreună la acest lucru. Responsabilul nostru pentru prezență poate discuta cu dumneavoastră ce ar ajuta, iar sprijinul de mai jos este disponibil pentru familia dumneavoastră.',
					'Vă rugăm să ne sunați la {contact} sau să răspundeți la acest mesaj. Dacă întârzierile continuă, vă voi invita la o întâlnire ca să stabilim împreună un plan.'
				]
			},
			ar: {
				title: 'انضباط {firstName} في المواعيد: رسالة من مدير المدرسة',
				paragraphs: [
					'بعد رسالتنا السابقة، تأخّر وصول {firstName} إلى المدرسة {lates} هذا الأسبوع. وفي هذا العام الدراسي بلغ مجموع الدقائق الضائعة {minutesLate}.',
					'أودّ أن نعمل على ذلك معًا. يمكن لمسؤول الحضور لدينا أن يتحدث معكم عمّا قد يساعد، والدعم المذكور أدناه متاح لعائلتكم.',
					'يُرجى الاتصال بنا على {contact} أو الرد على هذه الرسالة. إذا استمر التأخر، فسأدعوكم إلى اجتماع لنتفق معًا على خطة.'
				]
			},
			bn: {
				title: '{firstName}-এর সময়ানুবর্তিতা: প্রধান শিক্ষকের চিঠি',
				paragraphs: [
					'আমাদের আগের চিঠির পরেও এই সপ্তাহে {firstName} {lates} দেরিতে এসেছে। এই স্কুল বছরে দেরির কারণে মোট {minutesLate} বাদ পড়েছে।',
					'আমি চাই আমরা একসাথে এটি নিয়ে কাজ করি। কী সাহায্য করবে তা নিয়ে আমাদের উপস্থিতি বিষয়ক দায়িত্বপ্রাপ্ত কর্মী আপনার সাথে কথা বলতে পারেন, এবং নিচের সহায়তা আপনার পরিবারের জন্য রয়েছে।',
					'অনুগ্রহ করে {contact}-এ ফোন করুন বা এই বার্তার উত্তর দিন। দেরি চলতে থাকলে, একসাথে একটি পরিকল্পনা ঠিক করতে আমি আপনাকে একটি সভায় আমন্ত্রণ জানাব।'
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
			},
			ro: {
				title: 'Invitație la o întâlnire despre diminețile copilului {firstName}',
				paragraphs: [
					'{firstName} a întârziat {lates} săptămâna aceasta, iar în acest an școlar a pierdut {minutesLate}. Am dori să ne întâlnim cu dumneavoastră ca să înțelegem motivele și să stabilim un plan care să ajute.',
					'Întâlnirea: {meeting}.',
					'Vă rugăm să răspundeți DA pentru a confirma sau ALTĂ ORĂ și vom găsi un moment potrivit pentru dumneavoastră. Ne puteți suna și la {contact}.'
				]
			},
			ar: {
				title: 'دعوة إلى اجتماع بشأن صباحات {firstName}',
				paragraphs: [
					'تأخّر وصول {firstName} إلى المدرسة {lates} هذا الأسبوع، وبلغ مجموع الدقائق الضائعة في هذا العام الدراسي {minutesLate}. نودّ أن نلتقي بكم لنفهم الأسباب ونتفق على خطة تساعد.',
					'الاجتماع: {meeting}.',
					'يُرجى الرد بكلمة «نعم» للتأكيد، أو «موعد آخر» وسنجد موعدًا يناسبكم. ويمكنكم أيضًا الاتصال بنا على {contact}.'
				]
			},
			bn: {
				title: '{firstName}-এর সকাল নিয়ে একটি সভার আমন্ত্রণ',
				paragraphs: [
					'এই সপ্তাহে {firstName} {lates} দেরিতে এসেছে, আর এই স্কুল বছরে মোট {minutesLate} বাদ পড়েছে। কারণগুলো বুঝতে এবং সহায়ক একটি পরিকল্পনা ঠিক করতে আমরা আপনার সাথে দেখা করতে চাই।',
					'সভা: {meeting}।',
					'নিশ্চিত করতে «হ্যাঁ» লিখে উত্তর দিন, অথবা «অন্য সময়» লিখুন, আমরা আপনার সুবিধামতো সময় খুঁজে নেব। আপনি {contact}-এ ফোনও করতে পারেন।'
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
			},
			ro: {
				title: 'Felicitări, {firstName}: prezența s-a îmbunătățit',
				paragraphs: [
					'Vă mulțumim. În {period}, {firstName} a fost la școală {daysAttended} din {daysPossible}: o îmbunătățire reală, care contează pentru învățare și prietenii.',
					'Revenim la scrisorile obișnuite, o dată pe trimestru. Vă rugăm să continuați: fiecare zi contează.',
					'Dacă aveți nevoie de ajutor sau sprijin, ne găsiți la {contact}.'
				]
			},
			ar: {
				title: 'أحسنت يا {firstName}: تحسّن الحضور',
				paragraphs: [
					'شكرًا لكم. في {period}، كان حضور {firstName} إلى المدرسة {daysAttended} من أصل {daysPossible}: تحسّن حقيقي يُحدث فرقًا في التعلّم والصداقات.',
					'سنعود إلى رسائلنا المعتادة مرة في كل فصل. نرجو أن تستمروا: كل يوم مهم.',
					'إذا احتجتم إلى أي مساعدة أو دعم، فنحن على {contact}.'
				]
			},
			bn: {
				title: 'খুব ভালো, {firstName}: উপস্থিতির উন্নতি হয়েছে',
				paragraphs: [
					'ধন্যবাদ। {period}-এ মোট {daysPossible} স্কুল খোলা ছিল, তার মধ্যে {firstName} স্কুলে এসেছে {daysAttended}: সত্যিকারের উন্নতি, যা শেখা ও বন্ধুত্বে পার্থক্য গড়ে।',
					'আমরা আবার প্রতি টার্মের সাধারণ চিঠিতে ফিরে যাব। অনুগ্রহ করে এভাবেই চালিয়ে যান: প্রতিটি দিনই গুরুত্বপূর্ণ।',
					'কোনো সাহায্য বা সহায়তা লাগলে, {contact}-এ আমাদের পাবেন।'
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

type Unit = 'day' | 'week' | 'time' | 'minute';
/** A unit's words by CLDR plural category ('other' when a category is not listed); {n} is the number. */
type UnitWords = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Units in the drafts' languages, chosen by Intl.PluralRules as the attendance page does
 * (src/lib/i18n-attendance.ts). Latin digits in every language, as elsewhere in the app.
 * Romanian: 1 zi, 2–19 zile, 20 de zile (and "de 2 ori" for times, as a sentence says it);
 * Arabic: one and two are words of their own, 3–10 plural, 11–99 singular accusative;
 * Bengali nouns do not inflect for number.
 */
const UNIT_WORDS: Readonly<Record<'ro' | 'ar' | 'bn', Record<Unit, UnitWords>>> = {
	ro: {
		day: { one: '{n} zi', few: '{n} zile', other: '{n} de zile' },
		week: { one: '{n} săptămână', few: '{n} săptămâni', other: '{n} de săptămâni' },
		time: { one: 'o dată', few: 'de {n} ori', other: 'de {n} de ori' },
		minute: { one: '{n} minut', few: '{n} minute', other: '{n} de minute' }
	},
	ar: {
		day: { one: 'يوم واحد', two: 'يومان', few: '{n} أيام', many: '{n} يومًا', other: '{n} يوم' },
		week: { one: 'أسبوع واحد', two: 'أسبوعان', few: '{n} أسابيع', many: '{n} أسبوعًا', other: '{n} أسبوع' },
		time: { one: 'مرة واحدة', two: 'مرتان', few: '{n} مرات', many: '{n} مرة', other: '{n} مرة' },
		minute: { one: 'دقيقة واحدة', two: 'دقيقتان', few: '{n} دقائق', many: '{n} دقيقة', other: '{n} دقيقة' }
	},
	bn: {
		day: { other: '{n} দিন' },
		week: { other: '{n} সপ্তাহ' },
		time: { other: '{n} বার' },
		minute: { other: '{n} মিনিট' }
	}
};

/** "and" between weeks and days of time lost. */
const AND: Readonly<Record<'ro' | 'ar' | 'bn', string>> = { ro: ' și ', ar: ' و', bn: ' ও ' };

function hasUnitWords(locale: Locale): locale is 'ro' | 'ar' | 'bn' {
	return locale === 'ro' || locale === 'ar' || locale === 'bn';
}

/** `value` with its unit in `locale`'s plural form; halves as "½" after the number. */
function unitWords(value: number, unit: Unit, locale: 'ro' | 'ar' | 'bn'): string {
	const n = unit === 'day' || unit === 'week' ? halves(value) : String(value);
	const numeric = unit === 'day' || unit === 'week' ? Math.round(value * 2 + 1e-9) / 2 : value;
	const words = UNIT_WORDS[locale][unit];
	// Half a day is "½ zi" in Romanian: the number reads as a fraction of one day, not as "few".
	const category = locale === 'ro' && numeric === 0.5 ? 'one' : new Intl.PluralRules(locale).select(numeric);
	// Arabic "one"/"two" are for whole 1 and 2 only (fractions are "other" by the rules already).
	return (words[category] ?? words.other).replace('{n}', n);
}

function daysWords(days: number, locale: Locale): string {
	if (hasUnitWords(locale)) return unitWords(days, 'day', locale);
	const n = halves(days);
	if (locale !== BASE_LOCALE) return n;
	return `${n} ${n === '1' || n === '½' ? 'day' : 'days'}`;
}

/** "2 weeks and 1 day" of time lost (school weeks of 5 days); Polish abbreviates its units, so no plural forms. */
function timeLostWords(days: number, locale: Locale): string {
	const d = Math.round(days * 2 + 1e-9) / 2;
	const weeks = Math.floor(d / 5);
	const rest = d - weeks * 5;
	if (locale === 'pl') return weeks > 0 ? `${weeks} tyg. ${halves(rest)} dn.` : `${halves(rest)} dn.`;
	if (hasUnitWords(locale)) {
		if (weeks === 0) return unitWords(rest, 'day', locale);
		const w = unitWords(weeks, 'week', locale);
		return rest > 0 ? `${w}${AND[locale]}${unitWords(rest, 'day', locale)}` : w;
	}
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
		lates: en ? `${f.lates} ${f.lates === 1 ? 'time' : 'times'}` : hasUnitWords(locale) ? unitWords(f.lates, 'time', locale) : String(f.lates),
		minutesLate: en ? `${f.minutesLate} ${f.minutesLate === 1 ? 'minute' : 'minutes'}` : hasUnitWords(locale) ? unitWords(f.minutesLate, 'minute', locale) : String(f.minutesLate),
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

const FIGURE_LABELS: Readonly<Record<Locale, Record<'daysMissed' | 'daysMissedPeriod' | 'lates' | 'minutesLate', string>>> = {
	en: { daysMissed: 'Days missed this school year', daysMissedPeriod: 'Days missed in the period', lates: 'Late arrivals this week', minutesLate: 'Minutes missed by arriving late this year' },
	pl: { daysMissed: 'Dni opuszczone w tym roku szkolnym', daysMissedPeriod: 'Dni opuszczone w okresie', lates: 'Spóźnienia w tym tygodniu', minutesLate: 'Minuty stracone przez spóźnienia w tym roku' },
	ro: { daysMissed: 'Zile lipsă în acest an școlar', daysMissedPeriod: 'Zile lipsă în această perioadă', lates: 'Întârzieri în această săptămână', minutesLate: 'Minute pierdute prin întârzieri în acest an' },
	ar: { daysMissed: 'أيام الغياب في هذا العام الدراسي', daysMissedPeriod: 'أيام الغياب في هذه الفترة', lates: 'مرات التأخر في هذا الأسبوع', minutesLate: 'الدقائق الضائعة بسبب التأخر هذا العام' },
	bn: { daysMissed: 'এই স্কুল বছরে অনুপস্থিত দিন', daysMissedPeriod: 'এই সময়ে অনুপস্থিত দিন', lates: 'এই সপ্তাহে দেরিতে আসা', minutesLate: 'এই বছরে দেরির কারণে বাদ পড়া মিনিট' }
};

/** What an invitation says before a time is set: staff set it on the pupil's record and the family is told. */
export const MEETING_TO_ARRANGE: Readonly<Record<Locale, string>> = {
	en: 'we will phone you in the next few days to agree a day and time that suits you',
	pl: 'zadzwonimy w ciągu kilku dni, aby ustalić dogodny dzień i godzinę',
	ro: 'vă vom suna în următoarele zile ca să stabilim o zi și o oră potrivite pentru dumneavoastră',
	ar: 'سنتصل بكم خلال الأيام القليلة القادمة لنتفق على يوم ووقت يناسبانكم',
	bn: 'আপনার সুবিধামতো দিন ও সময় ঠিক করতে আমরা কয়েক দিনের মধ্যে আপনাকে ফোন করব'
};

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
	const values = letterMergeValues({ ...opts.figures, meeting: opts.figures.meeting || MEETING_TO_ARRANGE[locale] }, locale);
	const labels = FIGURE_LABELS[locale];
	const lateness = opts.step === 'lateness_letter' || opts.step === 'formal_lateness_letter' || opts.step === 'lateness_meeting';
	const figures = lateness
		? [
				// A count under its label: "2", not the sentence form ("de 2 ori").
				{ label: labels.lates, value: locale === BASE_LOCALE ? values.lates : String(opts.figures.lates) },
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
