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

/**
 * What an error may say in a log: its class, its database error code, and the first line of its
 * message with anything quoted masked. A failed query's message carries the SQL and then its
 * parameters (a child's absence details, a phone number): the SQL text is kept (values are
 * always parameters, never inlined) and the parameters dropped. PostgreSQL quotes the value it
 * rejected ("invalid input syntax for type uuid: \"...\""), hence the quote masking.
 */
export function errorSummary(err: Error): Record<string, unknown> {
	const out: Record<string, unknown> = { error: err.name };
	const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
	if (typeof code === 'string') out.code = code;
	out.message = safeMessage(err.message);
	const cause = (err as { cause?: unknown }).cause;
	if (cause instanceof Error) out.cause = { error: cause.name, message: safeMessage(cause.message) };
	return out;
}

function safeMessage(message: string): string {
	const firstLine = message.split(/\r?\n/, 1)[0] ?? '';
	const withoutParams = firstLine.replace(/\s*params:.*$/s, '');
	return withoutParams
		.replace(/"[^"]*"|'[^']*'|“[^”]*”/g, '"…"')
		.replace(EMAIL, '[email]')
		.replace(PHONE, '[phone]')
		.slice(0, 300);
}

/** Stack frames only ("at ..." lines): never the message lines above them. */
export function stackFrames(err: Error, max = 7): string[] {
	return (err.stack ?? '')
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l.startsWith('at '))
		.slice(0, max);
}

function scrub(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return value.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
	if (value instanceof Error) return errorSummary(value);
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

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let threshold: LogLevel = 'info';

/**
 * The least severe level written from now on (config's LOG_LEVEL, set once at start). `npm start`
 * runs at warn, so its banner is not buried under request and timing lines; a deployment's
 * default is info.
 */
export function setLogLevel(level: LogLevel): void {
	threshold = level;
}

/** Whether a line at `level` is written (exported for tests). */
export function logsAt(level: LogLevel): boolean {
	return LEVEL_ORDER[level] >= LEVEL_ORDER[threshold];
}

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
	if (!logsAt(level)) return;
	const line = logLine(level, event, fields);
	if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`);
	else process.stdout.write(`${line}\n`);
}
