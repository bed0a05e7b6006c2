/**
 * Fictional pupils and families for the demo school (and the benchmark's larger school).
 *
 * Everyone here is made up: first names are drawn at random and paired with invented seaside
 * surnames or common surnames from the families' heritage, so no combination describes a real
 * person. Phone numbers are in Ofcom's drama range (+447700900000–+447700900999, never
 * allocated to a real line) and email addresses use the reserved example.com / example.org
 * domains. Generation is pure and deterministic for a given seed.
 */
import { createRng, type Rng } from './random';

export type Origin = 'en' | 'pl' | 'ro' | 'ar' | 'bn' | 'world';
type Gender = 'f' | 'm';
export type Channel = 'sms' | 'telegram' | 'push' | 'email';

export interface RosterClass {
	/** 0 = Reception .. 6 = Year 6. */
	yearGroup: number;
	className: string;
	size: number;
}

export interface RosterPupil {
	key: number;
	misId: string;
	firstName: string;
	lastName: string;
	dateOfBirth: string;
	yearGroup: number;
	className: string;
	joinedOn: string;
	familyKey: number;
}

export interface RosterGuardian {
	key: number;
	firstName: string;
	lastName: string;
	phone: string | null;
	email: string | null;
	preferredLanguage: string;
	preferredChannel: Channel;
}

export interface RosterLink {
	pupilKey: number;
	guardianKey: number;
	relationship: string;
	livesWith: boolean;
	parentalResponsibility: boolean;
	contactPriority: number;
}

export interface Roster {
	pupils: RosterPupil[];
	guardians: RosterGuardian[];
	links: RosterLink[];
}

/** Harbourside Primary: one class per year group, 203 pupils. */
export const DEMO_CLASSES: readonly RosterClass[] = [
	{ yearGroup: 0, className: 'Starfish', size: 28 },
	{ yearGroup: 1, className: 'Seahorses', size: 29 },
	{ yearGroup: 2, className: 'Dolphins', size: 29 },
	{ yearGroup: 3, className: 'Puffins', size: 30 },
	{ yearGroup: 4, className: 'Otters', size: 29 },
	{ yearGroup: 5, className: 'Kestrels', size: 29 },
	{ yearGroup: 6, className: 'Ospreys', size: 29 }
];

/** A large primary for the benchmark: `total` pupils over Reception–Year 6, classes of about 29. */
export function largeSchoolClasses(total: number): RosterClass[] {
	const perYear = Math.floor(total / 7);
	const classes: RosterClass[] = [];
	let left = total;
	for (let yg = 0; yg <= 6; yg++) {
		const inYear = yg === 6 ? left : perYear;
		left -= inYear;
		const count = Math.max(1, Math.round(inYear / 29));
		for (let c = 0; c < count; c++) {
			const size = Math.floor(inYear / count) + (c < inYear % count ? 1 : 0);
			classes.push({
				yearGroup: yg,
				className: `${yg === 0 ? 'R' : String(yg)}${String.fromCharCode(65 + (c % 26))}${c >= 26 ? Math.floor(c / 26) : ''}`,
				size
			});
		}
	}
	return classes;
}

// ---------------------------------------------------------------------------------------------
// Name pools
// ---------------------------------------------------------------------------------------------

const SURNAMES: Record<Origin, readonly string[]> = {
	// Invented seaside surnames: obviously fictional.
	en: [
		'Saltmarsh', 'Pebbleworth', 'Tidewell', 'Rockpool', 'Breakwater', 'Anchorby', 'Gullhaven',
		'Seaholme', 'Shellbrook', 'Driftwood', 'Harbourne', 'Quayside', 'Beaconsfold', 'Ferriby-Sands',
		'Sandpiper', 'Kelpson', 'Wavecrest', 'Lighterby', 'Foreshaw', 'Spindrift', 'Cobbleway',
		'Windlass', 'Jettison', 'Marramby', 'Shingleton', 'Brinecombe', 'Galeforth', 'Coveley',
		'Mooringham', 'Seawright', 'Ropewalk', 'Lanternby', 'Fathomley', 'Oarsby', 'Harbourlight',
		'Starboard', 'Puffinham', 'Dunewood', 'Creekmore', 'Blustery'
	],
	pl: ['Nowak', 'Kowalczyk', 'Wójcik', 'Kaczmarek', 'Mazur', 'Krawczyk', 'Zając', 'Król', 'Wieczorek', 'Pawlak', 'Michalak', 'Sobczak'],
	ro: ['Popescu', 'Ionescu', 'Dumitru', 'Stan', 'Stoica', 'Gheorghe', 'Rusu', 'Munteanu', 'Matei', 'Constantin', 'Marin', 'Tudor'],
	ar: ['Haddad', 'Khalil', 'Mansour', 'Nasser', 'Saleh', 'Darwish', 'Hamdan', 'Aziz', 'Farouk', 'Karim', 'Suleiman', 'Yousef'],
	bn: ['Rahman', 'Ahmed', 'Hossain', 'Chowdhury', 'Islam', 'Uddin', 'Miah', 'Sarkar', 'Das', 'Khatun', 'Alam', 'Siddique'],
	world: ['Okafor', 'Mensah', 'Adeyemi', 'Osei', 'Campbell', 'Silva', 'Pereira', 'Nguyen', 'Chen', 'Kaur', 'Patel', 'Achterberg', 'Moreau', 'Lindqvist']
};

const CHILD_NAMES: Record<Origin, Record<Gender, readonly string[]>> = {
	en: {
		f: ['Isla', 'Poppy', 'Freya', 'Ivy', 'Maisie', 'Willow', 'Daisy', 'Rosie', 'Esme', 'Luna', 'Mabel', 'Elsie', 'Nell', 'Clementine', 'Hattie', 'Wren', 'Matilda', 'Orla'],
		m: ['Alfie', 'Theo', 'Arlo', 'Jude', 'Reuben', 'Ezra', 'Otis', 'Finn', 'Albie', 'Harvey', 'Oscar', 'Sonny', 'Stanley', 'Rory', 'Bodhi', 'Teddy', 'Wilf', 'Ronnie']
	},
	pl: {
		f: ['Zofia', 'Oliwia', 'Lena', 'Maja', 'Hanna', 'Julia', 'Zuzanna', 'Alicja'],
		m: ['Antoni', 'Jakub', 'Szymon', 'Filip', 'Kacper', 'Igor', 'Wiktor', 'Tymon']
	},
	ro: {
		f: ['Ioana', 'Maria', 'Ana', 'Sofia', 'Elena', 'Bianca', 'Daria', 'Irina'],
		m: ['Andrei', 'Luca', 'David', 'Matei', 'Stefan', 'Mihai', 'Radu', 'Tudor']
	},
	ar: {
		f: ['Layla', 'Mariam', 'Noor', 'Salma', 'Aya', 'Yasmin', 'Huda', 'Rania'],
		m: ['Yusuf', 'Omar', 'Adam', 'Zain', 'Hamza', 'Karim', 'Idris', 'Sami']
	},
	bn: {
		f: ['Nusrat', 'Tahmina', 'Sumaiya', 'Farhana', 'Ruqayyah', 'Anika', 'Maliha', 'Tasnim'],
		m: ['Ayaan', 'Rayan', 'Arif', 'Imran', 'Zayan', 'Nabil', 'Tanvir', 'Rafi']
	},
	world: {
		f: ['Adaeze', 'Ama', 'Beatriz', 'Mei', 'Harpreet', 'Siobhan', 'Thandiwe', 'Linh', 'Priya', 'Amélie'],
		m: ['Chidi', 'Kofi', 'Tiago', 'Minh', 'Arjun', 'Callum', 'Kwame', 'Joaquim', 'Ravi', 'Lars']
	}
};

const ADULT_NAMES: Record<Origin, Record<Gender, readonly string[]>> = {
	en: {
		f: ['Gemma', 'Kirsty', 'Hayley', 'Becky', 'Jodie', 'Lauren', 'Natalie', 'Stacey', 'Claire', 'Danielle', 'Amy', 'Lindsey', 'Maureen', 'Pauline'],
		m: ['Craig', 'Darren', 'Lee', 'Jamie', 'Ryan', 'Scott', 'Wayne', 'Dean', 'Gareth', 'Ashley', 'Kieran', 'Barry', 'Trevor', 'Roy']
	},
	pl: { f: ['Agnieszka', 'Katarzyna', 'Magdalena', 'Ewa', 'Joanna', 'Monika'], m: ['Tomasz', 'Paweł', 'Marcin', 'Piotr', 'Łukasz', 'Grzegorz'] },
	ro: { f: ['Andreea', 'Mihaela', 'Cristina', 'Alina', 'Roxana', 'Simona'], m: ['Bogdan', 'Florin', 'Cosmin', 'Adrian', 'Ionuț', 'Sorin'] },
	ar: { f: ['Fatima', 'Amira', 'Leila', 'Samira', 'Dalia', 'Hanan'], m: ['Ahmad', 'Khaled', 'Tariq', 'Walid', 'Hassan', 'Faisal'] },
	bn: { f: ['Shirin', 'Rokeya', 'Nasreen', 'Jahanara', 'Salma', 'Rehana'], m: ['Jamal', 'Kamal', 'Shafiq', 'Monir', 'Habib', 'Rashid'] },
	world: { f: ['Ngozi', 'Akosua', 'Fernanda', 'Hoa', 'Jaspreet', 'Marcia', 'Ingrid', 'Chloé'], m: ['Emeka', 'Kwabena', 'Rui', 'Duc', 'Gurpreet', 'Desmond', 'Henrik', 'Olivier'] }
};

const ORIGIN_WEIGHTS: readonly (readonly [Origin, number])[] = [
	['en', 56],
	['pl', 11],
	['ro', 9],
	['ar', 8],
	['bn', 8],
	['world', 8]
];

/** Language a family's guardians prefer, when not English. */
const HOME_LANGUAGE: Record<Origin, string> = { en: 'en', pl: 'pl', ro: 'ro', ar: 'ar', bn: 'bn', world: 'en' };

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

const UPN_CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * A Unique Pupil Number in the DfE shape: check letter + LA code (3) + establishment (4) + year
 * allocated (2) + serial (3); the check letter is the weighted sum (weights 2..13) mod 23.
 */
export function makeUpn(la: string, establishment: string, yearAllocated: number, serial: number): string {
	const digits = `${la}${establishment}${String(yearAllocated % 100).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
	if (!/^\d{12}$/.test(digits)) throw new RangeError(`Bad UPN parts: ${digits}`);
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i + 2);
	return UPN_CHECK_LETTERS[sum % 23] + digits;
}

/**
 * The UPN of the `serial`-th pupil allocated one in `yearAllocated`. A UPN's serial has three
 * digits, so a school bigger than any real one (the benchmarks' 20,000-pupil schools) carries on
 * in the next establishment numbers, 999 pupils a year each, instead of running out.
 */
export function upnFor(establishment: string, yearAllocated: number, serial: number): string {
	if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`Bad UPN serial: ${serial}`);
	const block = Math.floor((serial - 1) / 999);
	const est = String((Number(establishment) + block) % 10_000).padStart(4, '0');
	return makeUpn('851', est, yearAllocated, ((serial - 1) % 999) + 1);
}

function asciiSlug(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ł/g, 'l')
		.replace(/Ł/g, 'L')
		.toLowerCase()
		.replace(/[^a-z]/g, '');
}

function pad2(n: number): string {
	return String(n).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Roster generation
// ---------------------------------------------------------------------------------------------

export interface RosterOptions {
	seed: number;
	classes: readonly RosterClass[];
	/** Start year of the academic year (2026 for 2026/27): sets ages and admission dates. */
	academicYearStart: number;
	/** Four digits of the (fictional) establishment number used in UPNs. */
	establishment: string;
	/** Generate guardians and links too (the benchmark only needs pupils). */
	withGuardians?: boolean;
}

interface Family {
	key: number;
	origin: Origin;
	surname: string;
	childKeys: number[];
}

export function buildRoster(opts: RosterOptions): Roster {
	const rng = createRng(opts.seed);
	const withGuardians = opts.withGuardians ?? true;
	const y0 = opts.academicYearStart;

	// Free places, by year group, in a random order.
	const places = new Map<number, { yearGroup: number; className: string }[]>();
	for (const c of opts.classes) {
		const list = places.get(c.yearGroup) ?? [];
		for (let i = 0; i < c.size; i++) list.push({ yearGroup: c.yearGroup, className: c.className });
		places.set(c.yearGroup, list);
	}
	for (const [yg, list] of places) places.set(yg, rng.shuffle(list));

	const pupils: RosterPupil[] = [];
	const families: Family[] = [];
	const upnSerials = new Map<number, number>();
	const remaining = () => [...places.entries()].filter(([, l]) => l.length > 0).map(([yg]) => yg);

	while (remaining().length > 0) {
		const origin = rng.weighted(ORIGIN_WEIGHTS);
		const family: Family = { key: families.length, origin, surname: rng.pick(SURNAMES[origin]), childKeys: [] };
		families.push(family);
		const wanted = rng.weighted([[1, 64], [2, 28], [3, 8]] as const);
		const years = rng.shuffle(remaining()).slice(0, wanted).sort((a, b) => a - b);
		const usedNames = new Set<string>();
		for (const yg of years) {
			const place = places.get(yg)!.pop()!;
			const gender: Gender = rng.chance(0.5) ? 'f' : 'm';
			let firstName = rng.pick(CHILD_NAMES[origin][gender]);
			for (let tries = 0; usedNames.has(firstName) && tries < 10; tries++) {
				firstName = rng.pick(CHILD_NAMES[origin][gender]);
			}
			usedNames.add(firstName);
			// Born in the academic year that makes them the right age: Reception are 4 on 1 September.
			const birthYearStart = y0 - 5 - yg; // September of this year .. August of the next
			const month = rng.int(1, 12);
			const birthYear = month >= 9 ? birthYearStart : birthYearStart + 1;
			const day = rng.int(1, 28);
			const entryYear = y0 - yg; // started Reception in September of this year
			// Most joined in Reception; some moved in later (still before this year started).
			const joinedYear = yg > 0 && rng.chance(0.12) ? rng.int(entryYear + 1, y0 - 1 >= entryYear + 1 ? y0 - 1 : entryYear + 1) : entryYear;
			const joinedOn = joinedYear === entryYear ? `${entryYear}-09-0${rng.int(3, 7)}` : `${joinedYear}-${pad2(rng.int(1, 6))}-${pad2(rng.int(1, 28))}`;
			const serial = (upnSerials.get(joinedYear) ?? 0) + 1;
			upnSerials.set(joinedYear, serial);
			const key = pupils.length;
			pupils.push({
				key,
				misId: upnFor(opts.establishment, joinedYear, serial),
				firstName,
				lastName: family.surname,
				dateOfBirth: `${birthYear}-${pad2(month)}-${pad2(day)}`,
				yearGroup: yg,
				className: place.className,
				joinedOn,
				familyKey: family.key
			});
			family.childKeys.push(key);
		}
	}

	const roster: Roster = { pupils, guardians: [], links: [] };
	if (withGuardians) addGuardians(rng.fork('guardians'), families, roster);
	return roster;
}

function addGuardians(rng: Rng, families: readonly Family[], roster: Roster): void {
	const phones = rng.shuffle(Array.from({ length: 1000 }, (_, i) => `+447700900${String(i).padStart(3, '0')}`));
	const emails = new Set<string>();

	const addGuardian = (origin: Origin, gender: Gender, surname: string, older = false): RosterGuardian => {
		const firstName = rng.pick(ADULT_NAMES[origin][gender]);
		let phone: string | null = rng.chance(0.93) ? (phones.pop() ?? null) : null;
		let email: string | null = null;
		if (rng.chance(phone ? 0.6 : 1)) {
			const domain = rng.chance(0.7) ? 'example.com' : 'example.org';
			const base = `${asciiSlug(firstName)}.${asciiSlug(surname)}`;
			let candidate = `${base}@${domain}`;
			for (let n = 2; emails.has(candidate); n++) candidate = `${base}${n}@${domain}`;
			emails.add(candidate);
			email = candidate;
		}
		if (!phone && !email) phone = phones.pop() ?? null;
		const home = HOME_LANGUAGE[origin];
		const preferredLanguage = home !== 'en' && rng.chance(older ? 0.9 : 0.72) ? home : 'en';
		const channels: (readonly [Channel, number])[] = [];
		if (phone) channels.push(['sms', older ? 70 : 42], ['telegram', 16], ['push', older ? 5 : 28]);
		if (email) channels.push(['email', 14]);
		if (!phone) channels.push(['push', 20]);
		const guardian: RosterGuardian = {
			key: roster.guardians.length,
			firstName,
			lastName: surname,
			phone,
			email,
			preferredLanguage,
			preferredChannel: rng.weighted(channels)
		};
		roster.guardians.push(guardian);
		return guardian;
	};
	const link = (family: Family, g: RosterGuardian, relationship: string, livesWith: boolean, pr: boolean, priority: number) => {
		for (const pupilKey of family.childKeys) {
			roster.links.push({ pupilKey, guardianKey: g.key, relationship, livesWith, parentalResponsibility: pr, contactPriority: priority });
		}
	};
	const otherSurname = (origin: Origin, surname: string) => (rng.chance(0.25) ? rng.pick(SURNAMES[origin]) : surname);

	for (const family of families) {
		const { origin, surname } = family;
		const shape = rng.weighted([
			['two_parents', 50],
			['single', 22],
			['separated', 18],
			['kinship', 7],
			['foster', 3]
		] as const);
		switch (shape) {
			case 'two_parents': {
				const firstMum = rng.chance(0.8);
				const a = addGuardian(origin, firstMum ? 'f' : 'm', surname);
				const bGender: Gender = rng.chance(0.04) ? (firstMum ? 'f' : 'm') : firstMum ? 'm' : 'f';
				const b = addGuardian(origin, bGender, otherSurname(origin, surname));
				link(family, a, firstMum ? 'Mother' : 'Father', true, true, 1);
				link(family, b, bGender === 'f' ? 'Mother' : 'Father', true, true, 2);
				break;
			}
			case 'single': {
				const mum = rng.chance(0.85);
				const a = addGuardian(origin, mum ? 'f' : 'm', surname);
				link(family, a, mum ? 'Mother' : 'Father', true, true, 1);
				break;
			}
			case 'separated': {
				const residentMum = rng.chance(0.8);
				const a = addGuardian(origin, residentMum ? 'f' : 'm', otherSurname(origin, surname));
				const b = addGuardian(origin, residentMum ? 'm' : 'f', surname);
				link(family, a, residentMum ? 'Mother' : 'Father', true, true, 1);
				// Does not live with the child: may be contacted but may not apply for leave.
				link(family, b, residentMum ? 'Father' : 'Mother', false, true, 2);
				break;
			}
			case 'kinship': {
				const a = addGuardian(origin, 'f', otherSurname(origin, surname), true);
				link(family, a, 'Grandmother', true, true, 1);
				if (rng.chance(0.5)) {
					const b = addGuardian(origin, 'm', a.lastName, true);
					link(family, b, 'Grandfather', true, true, 2);
				}
				break;
			}
			case 'foster': {
				const carerOrigin: Origin = rng.chance(0.7) ? 'en' : origin;
				const a = addGuardian(carerOrigin, rng.chance(0.7) ? 'f' : 'm', rng.pick(SURNAMES[carerOrigin]));
				link(family, a, 'Foster carer', true, false, 1);
				break;
			}
		}
	}
}
