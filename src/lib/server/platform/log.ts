/**
 * Structured logs: one JSON object per line on stdout/stderr, so a log collector can index them.
 * No personal data: messages name what happened and carry ids and counts only. As a second
 * line of defence, fields whose names suggest personal data are replaced by "[redacted]", and
 * phone numbers and email addresses inside strings are masked.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const PERSONAL_KEYS = /^(phone|email|name|firstName|lastName|body|details|recipient|address|text|dateOfBirth)$/i;
const PHONE = /\+?\d[\d ]{8,}\d/g;
const EMAIL = /[^\s@"']+@[^\s@"']+\.[^\s@"']+/g;

function scrub(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return value.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
	if (value instanceof Error) return { error: value.name, message: scrub(value.message) };
	if (Array.isArray(value)) return depth > 3 ? '[…]' : value.map((v) => scrub(v, depth + 1));
	if (value && typeof value === 'object') {
		if (depth > 3) return '[…]';
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [k, PERSONAL_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1)])
		);
	}
	return value;
}

/** The log line for an event (exported for tests). */
export function logLine(level: LogLevel, event: string, fields: Record<string, unknown> = {}, at = new Date()): string {
	return JSON.stringify({ at: at.toISOString(), level, event, ...(scrub(fields) as Record<string, unknown>) });
}

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
	const line = logLine(level, event, fields);
	if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`);
	else process.stdout.write(`${line}\n`);
}
