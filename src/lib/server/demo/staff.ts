/**
 * The demo's second school, its staff and the family with children at both schools.
 *
 * DEMO ONLY: the staff password and TOTP keys below are published in this repository so the
 * README, the tests and `npm run demo:totp` can sign in. Never seed them into a real deployment.
 */
import type { RosterClass } from './people';

export const DEMO_STAFF_PASSWORD = 'every-day-demo';

export type DemoStaffRole = 'office' | 'attendance_lead' | 'headteacher' | 'school_admin' | 'la_admin' | 'la_officer';

export interface DemoStaffMember {
	email: string;
	displayName: string;
	role: DemoStaffRole;
	/** School slug, or null for the local-authority admin. */
	school: 'harbourside' | 'northgate' | null;
	password: string;
	/** RFC 4648 base32 (no padding) of the 20-byte TOTP key, as an authenticator app takes it. */
	totpKeyBase32: string;
}

export const DEMO_STAFF: readonly DemoStaffMember[] = [
	{
		email: 'office@harbourside.example.org',
		displayName: 'Dawn Keelson',
		role: 'office',
		school: 'harbourside',
		password: DEMO_STAFF_PASSWORD,
		totpKeyBase32: 'LJAJUC6Z2Q7XX6JVOOBZTXLCKTUVJGV5'
	},
	{
		email: 'head@harbourside.example.org',
		displayName: 'Martin Bywater',
		role: 'headteacher',
		school: 'harbourside',
		password: DEMO_STAFF_PASSWORD,
		totpKeyBase32: 'AN2UVQKN3BPSLBTSFHOSLGMB7SGLZKEV'
	},
	{
		email: 'attendance@harbourside.example.org',
		displayName: 'Priya Tidemarsh',
		role: 'attendance_lead',
		school: 'harbourside',
		password: DEMO_STAFF_PASSWORD,
		totpKeyBase32: 'YDFYU4SLNPOGSI4OOZLCIR5SIA77HJZJ'
	},
	{
		email: 'head@northgate.example.org',
		displayName: 'Helen Northway',
		role: 'headteacher',
		school: 'northgate',
		password: DEMO_STAFF_PASSWORD,
		totpKeyBase32: 'XXWFMXK5VSJMVM6HN6C5ENQASTS5JA5K'
	},
	{
		email: 'admin@portsmouth.example.org',
		displayName: 'Sam Solent',
		role: 'la_admin',
		school: null,
		password: DEMO_STAFF_PASSWORD,
		totpKeyBase32: 'ZVMDXRGDIARSR4TEIYNCVRHFW5HIF3KS'
	},
	{
		email: 'attendance@portsmouth.example.org',
		displayName: 'Rosa Eastney',
		role: 'la_officer',
		school: null,
		password: DEMO_STAFF_PASSWORD,
		totpKeyBase32: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U'
	}
];

export const NORTHGATE_SCHOOL = { urn: '999002', slug: 'northgate', name: 'Northgate Infant School' } as const;

/** Northgate Infant School: Reception to Year 2, a small demo roster (12 pupils plus the shared family's child). */
export const NORTHGATE_CLASSES: readonly RosterClass[] = [
	{ yearGroup: 0, className: 'Robins', size: 4 },
	{ yearGroup: 1, className: 'Wrens', size: 4 },
	{ yearGroup: 2, className: 'Owls', size: 4 }
];

/**
 * A parent with a child at each school: one guardian row, linked to both children. Claire is
 * already in the Harbourside roster (mother of Ezra, Year 3 Puffins); the seed adds Nell at
 * Northgate and links her to the same guardian, found by phone.
 */
export const DEMO_SHARED_GUARDIAN = {
	firstName: 'Claire',
	lastName: 'Lanternby',
	phone: '+447700900547',
	email: 'claire.lanternby@example.com',
	children: [
		{ school: 'harbourside', firstName: 'Ezra', lastName: 'Lanternby', yearGroup: 3, className: 'Puffins' },
		{ school: 'northgate', firstName: 'Nell', lastName: 'Lanternby', yearGroup: 0, className: 'Robins' }
	]
} as const;

/** The Northgate child of the shared family, as the seed inserts her. */
export const NORTHGATE_SHARED_PUPIL = {
	firstName: 'Nell',
	lastName: 'Lanternby',
	dateOfBirth: '2022-03-14',
	yearGroup: 0,
	className: 'Robins',
	joinedOn: '2026-09-03',
	relationship: 'Mother'
} as const;
