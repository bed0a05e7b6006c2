/**
 * Configuration checked once, at start: a deployment that is missing a secret, or that would
 * expose development tools, refuses to run with a message saying what to set, rather than
 * failing later on a parent's or a teacher's request.
 */

function truthy(value: string | undefined): boolean {
	return ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
}

/** ORIGIN is https: a real deployment, where nothing test- or demo-only may be switched on. */
export function productionOrigin(env: NodeJS.ProcessEnv = process.env): boolean {
	return (env.ORIGIN ?? '').trim().toLowerCase().startsWith('https:');
}

/**
 * Development tools (/dev/sign-in, /dev/outbox, /dev/phone, /dev/register and the development
 * message transport) give anyone a staff session and every sign-in code. They are on only
 * when DEV_TOOLS=1 is set explicitly (`npm start`'s demo sets it on the embedded database),
 * and never with an https ORIGIN: startupProblems refuses that combination.
 */
export function devToolsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	return truthy(env.DEV_TOOLS) && !productionOrigin(env);
}

/**
 * Push endpoints on private, loopback or link-local addresses are refused (a subscription could
 * otherwise make the server call into its own network). PUSH_ALLOW_PRIVATE_HOSTS=1 lifts that for
 * the test suites' local fake push service only: it is ignored, and refused at start, with an
 * https ORIGIN.
 */
export function pushPrivateHostsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
	return truthy(env.PUSH_ALLOW_PRIVATE_HOSTS) && !productionOrigin(env);
}

/** "512K", "64M", "1G" or a number of bytes (adapter-node's BODY_SIZE_LIMIT format). */
export function parseBytes(value: string | undefined, fallback: number, name: string): number {
	const raw = value?.trim();
	if (!raw) return fallback;
	const m = /^(\d+)\s*([KMG]?)B?$/i.exec(raw);
	if (!m) throw new Error(`${name} must be a size such as 512K or 64M (got "${raw}").`);
	const multiplier = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
	return Number(m[1]) * multiplier;
}

export interface PayloadLimits {
	/** Every route but the two below. */
	defaultBytes: number;
	/** The MIS register import (a term of marks as CSV is tens of MB). */
	misBytes: number;
	/** The leave evidence upload: a 10 MB file plus the form around it. */
	evidenceBytes: number;
}

export function PAYLOAD_LIMITS(env: NodeJS.ProcessEnv = process.env): PayloadLimits {
	return {
		defaultBytes: parseBytes(env.REQUEST_BODY_LIMIT, 512 * 1024, 'REQUEST_BODY_LIMIT'),
		misBytes: parseBytes(env.MIS_BODY_LIMIT, 64 * 1024 * 1024, 'MIS_BODY_LIMIT'),
		evidenceBytes: 11 * 1024 * 1024
	};
}

function base64Key(value: string | undefined): Buffer | null {
	const v = value?.trim();
	if (!v) return null;
	return Buffer.from(v, 'base64');
}

/**
 * What stops the app from starting (errors) and what it says loudly when it does (warnings).
 * Pure: reads only the environment given.
 */
export function startupProblems(env: NodeJS.ProcessEnv = process.env): { errors: string[]; warnings: string[] } {
	const errors: string[] = [];
	const warnings: string[] = [];
	const postgres = Boolean(env.DATABASE_URL?.trim());
	const production = productionOrigin(env);

	if (truthy(env.DEV_TOOLS) && production) {
		errors.push(
			'DEV_TOOLS is on with an https ORIGIN. Development tools hand out staff sessions and sign-in codes without a password: never turn them on in a deployment. Unset DEV_TOOLS.'
		);
	} else if (devToolsEnabled(env)) {
		warnings.push(
			'DEVELOPMENT TOOLS ARE ON (DEV_TOOLS=1): /dev/sign-in signs anyone in as staff, /dev/outbox shows every sign-in code and message. For the demo on this machine only.'
		);
	}
	if (truthy(env.PUSH_ALLOW_PRIVATE_HOSTS)) {
		if (production) errors.push('PUSH_ALLOW_PRIVATE_HOSTS is for the test suites only and cannot be used with an https ORIGIN. Unset it.');
		else warnings.push('PUSH_ALLOW_PRIVATE_HOSTS=1: push endpoints on private and loopback addresses are allowed (tests only).');
	}

	for (const name of ['APP_SECRET', 'APP_SECRET_PREVIOUS', 'EVIDENCE_KEY', 'EVIDENCE_KEY_PREVIOUS']) {
		const key = base64Key(env[name]);
		if (key && key.length !== 32) errors.push(`${name} must be 32 bytes, base64-encoded (openssl rand -base64 32).`);
	}
	if (postgres && !env.APP_SECRET?.trim()) {
		errors.push('APP_SECRET is required with DATABASE_URL: every instance must share one key (openssl rand -base64 32).');
	}
	if (production && !postgres && !env.APP_SECRET?.trim()) {
		warnings.push(`No APP_SECRET: the embedded key file in DATA_DIR is used. It sits beside the evidence it protects; set APP_SECRET (and EVIDENCE_KEY) from a secret store instead.`);
	}
	const vapidPublic = Boolean(env.VAPID_PUBLIC_KEY?.trim());
	const vapidPrivate = Boolean(env.VAPID_PRIVATE_KEY?.trim());
	if (vapidPublic !== vapidPrivate) errors.push('Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (npx web-push generate-vapid-keys).');

	const twilio = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'].filter((n) => env[n]?.trim());
	if (twilio.length > 0 && twilio.length < 3) {
		errors.push(`Twilio is half configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM together (missing ${['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'].filter((n) => !env[n]?.trim()).join(', ')}).`);
	}
	if (env.TELEGRAM_BOT_TOKEN?.trim() && !env.TELEGRAM_WEBHOOK_SECRET?.trim()) {
		errors.push('TELEGRAM_BOT_TOKEN is set without TELEGRAM_WEBHOOK_SECRET: the webhook could not tell Telegram from anyone else. Set a random TELEGRAM_WEBHOOK_SECRET.');
	}
	try {
		const limits = PAYLOAD_LIMITS(env);
		// adapter-node refuses anything over its own limit before the app sees it.
		const unlimited = env.BODY_SIZE_LIMIT?.trim() === 'Infinity';
		const ceiling = unlimited ? Infinity : parseBytes(env.BODY_SIZE_LIMIT, 512 * 1024, 'BODY_SIZE_LIMIT');
		if (ceiling < limits.misBytes) {
			warnings.push(
				`BODY_SIZE_LIMIT (${env.BODY_SIZE_LIMIT?.trim() || "adapter-node's default 512K"}) is below MIS_BODY_LIMIT: MIS uploads larger than it are refused. Set BODY_SIZE_LIMIT=${env.MIS_BODY_LIMIT?.trim() || '64M'}.`
			);
		}
	} catch (err) {
		errors.push((err as Error).message);
	}
	return { errors, warnings };
}

export class StartupConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Every Day cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'StartupConfigError';
	}
}
