/** Normalising what a parent types to sign in: a UK phone number to E.164, or an email address. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export type Identifier = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

// No control characters (PostgreSQL text cannot hold NUL, and no address has them).
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** E.164 for a UK (or +-prefixed international) number, or null. */
export function normalisePhone(input: string): string | null {
	const trimmed = input.trim();
	if (!/^[+\d(][\d\s().-]{6,24}$/.test(trimmed)) return null;
	const parsed = parsePhoneNumberFromString(trimmed, 'GB');
	// isPossible, not isValid: Ofcom's drama range (07700 900xxx, used by the demo data) is
	// possible but not "valid"; what matters is that it matches a number the school holds.
	if (!parsed || !parsed.isPossible()) return null;
	return parsed.number;
}

export function normaliseIdentifier(input: string): Identifier | null {
	const trimmed = input.trim();
	if (trimmed.length === 0 || trimmed.length > 254) return null;
	if (trimmed.includes('@')) return EMAIL.test(trimmed) ? { kind: 'email', value: trimmed.toLowerCase() } : null;
	const phone = normalisePhone(trimmed);
	return phone ? { kind: 'phone', value: phone } : null;
}

/** For display: +447700900123 → 07700 900123; emails unchanged. */
export function displayIdentifier(value: string): string {
	const m = /^\+44(\d{4})(\d{6})$/.exec(value);
	return m ? `0${m[1]} ${m[2]}` : value;
}
