/**
 * The one reader of the environment. Every variable the app uses is read and checked here, once
 * at start (readConfig), and the rest of the server takes its typed slice of the result
 * (config()). A deployment that is missing a secret, sets a value that cannot be used, or would
 * expose development tools, refuses to run with a message saying what to set, rather than
 * failing later on a parent's or a teacher's request.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseRetentionDays } from '../../domain/evidence-retention';
import type { LogLevel } from './log';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The outbox worker's settings in a deployment, unless the OUTBOX_* variables say otherwise. */
export const OUTBOX_DEFAULTS = {
	/** A run about once a second (at once again after a full batch, within the rates below). */
	intervalMs: 1000,
	/** Rows claimed per run. */
	limit: 100,
	/** Provider calls in flight at once. */
	concurrency: 8,
	/**
	 * Most messages handed to each channel's provider per second, per instance: SMS within a
	 * Twilio sender's throughput, Telegram under its ~30 a second, push services (which take
	 * thousands a second) limited by our own encryption work, email within a relay's limits.
	 */
	perSecond: { sms: 10, telegram: 25, push: 1000, email: 10 } satisfies Record<'sms' | 'telegram' | 'push' | 'email', number>
} as const;

/**
 * How long the app waits on PostgreSQL before giving up with an error, so a stalled or
 * unreachable database gives a clear failure in seconds instead of requests that hang.
 */
export interface PostgresTimeouts {
	/** Opening a connection (or waiting for a free one in the pool). */
	connectMs: number;
	/** One statement, enforced by the server (statement_timeout). */
	statementMs: number;
	/**
	 * One query, enforced here: a database that stops answering altogether (a frozen host, a
	 * network partition) cannot enforce its own statement_timeout.
	 */
	queryMs: number;
}

/** The query timeout is the statement's plus this: the server's own timeout fires first when it can. */
export const QUERY_TIMEOUT_MARGIN_MS = 5_000;
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { connectMs: 5_000, statementMs: 15_000, queryMs: 15_000 + QUERY_TIMEOUT_MARGIN_MS };

export interface PayloadLimits {
	/** Every route but the two below. */
	defaultBytes: number;
	/** The MIS register import (a term of marks as CSV is tens of MB). */
	misBytes: number;
	/** The leave evidence upload: a 10 MB file plus the form around it. */
	evidenceBytes: number;
}

export interface DatabaseConfig {
	/** PostgreSQL when set; otherwise the embedded PGlite in dataDir. */
	url: string | null;
	/** Connections per instance (PostgreSQL); undefined: the engine's default. */
	poolSize: number | undefined;
	timeouts: PostgresTimeouts;
	/** Absolute: the embedded database, generated keys and disk evidence live here. */
	dataDir: string;
	/** Absolute path of the migrations folder. */
	migrationsDir: string;
	/** Undefined: the engine's default (on for PGlite, off for PostgreSQL). */
	autoMigrate: boolean | undefined;
	seedDemo: boolean | undefined;
}

export interface OutboxConfig {
	/** OUTBOX_WORKER=0 turns the delivery loop off on an instance. */
	worker: boolean;
	/** Provider calls in flight at once. */
	concurrency: number;
	perSecond: { sms: number; telegram: number; push: number; email: number };
}

export interface SecretsConfig {
	appSecret: Buffer | null;
	previousAppSecret: Buffer | null;
	/** Where the embedded default keeps a generated app secret; null on PostgreSQL, where APP_SECRET is required. */
	keyFile: string | null;
}

export interface S3Config {
	endpoint: string;
	bucket: string;
	region: string;
	accessKeyId: string;
	secretAccessKey: string;
}

export interface EvidenceConfig {
	/** EVIDENCE_KEY; null: derived from the app secret. */
	key: Buffer | null;
	previousKey: Buffer | null;
	storage: 'disk' | 's3';
	/** The disk store's folder. */
	diskDir: string;
	/** Set when storage is s3. */
	s3: S3Config | null;
	retentionDays: number;
}

export interface TwilioConfig {
	accountSid: string;
	authToken: string;
	/** Our sending number (E.164) or messaging service SID (MG...). */
	from: string;
	/** Default https://api.twilio.com; a local fake in tests. */
	apiBase?: string;
	/** Where Twilio posts delivery status (ORIGIN + /webhooks/twilio/status). */
	statusCallback?: string;
}

/** WhatsApp through the same Twilio account (TWILIO_WHATSAPP_FROM set, with Twilio configured). */
export interface WhatsAppConfig {
	/** Our WhatsApp sender, E.164 (sent as "whatsapp:+44..."). */
	from: string;
	/**
	 * Approved Content template SIDs (HX...) by the purpose of the message, for messages outside
	 * the 24 hours after the parent last wrote: WhatsApp allows only templates then.
	 */
	templates: Record<string, string>;
}

/** Where outbound email goes: an SMTP relay (nodemailer's transport options). */
export interface EmailConfig {
	/** SMTP_URL as given, or host, port and credentials from SMTP_HOST and the rest. */
	smtp: string | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
	/** EMAIL_FROM, e.g. "Every Day <no-reply@everyday.example.org>". */
	from: string;
	/** EMAIL_REPLY_TO: where replies go when the message's school has no email address of its own. */
	replyTo: string | null;
}

export interface TelegramConfig {
	token: string;
	/** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook call. */
	webhookSecret?: string;
	/** Default https://api.telegram.org. */
	apiRoot?: string;
	username: string;
}

export interface VapidConfig {
	/** Both keys or neither (the start-up check refuses one alone). */
	publicKey: string | null;
	privateKey: string | null;
	subject: string;
	/** Where the embedded default keeps a generated pair; null on PostgreSQL, where the keys are required. */
	keyFile: string | null;
}

export interface Config {
	/** ORIGIN without trailing slashes, or null when unset. */
	origin: string | null;
	/** The address for links in messages: ORIGIN, or http://localhost:PORT. */
	publicOrigin: string;
	port: number;
	/** The least severe log line written (LOG_LEVEL); info unless set (`npm start` sets warn). */
	logLevel: LogLevel;
	/** ORIGIN is https: a real deployment, where nothing test- or demo-only may be switched on. */
	production: boolean;
	devTools: boolean;
	pushPrivateHosts: boolean;
	database: DatabaseConfig;
	outbox: OutboxConfig;
	/** SCHEDULER=0 turns the minute-by-minute jobs off on an instance. */
	scheduler: boolean;
	shutdownDeadlineMs: number;
	secrets: SecretsConfig;
	evidence: EvidenceConfig;
	/** Null unless all three Twilio variables are set. */
	twilio: TwilioConfig | null;
	/** Null unless TELEGRAM_BOT_TOKEN is set. */
	telegram: TelegramConfig | null;
	/** Null unless TWILIO_WHATSAPP_FROM is set and Twilio is configured. */
	whatsapp: WhatsAppConfig | null;
	/** Null unless SMTP_URL or SMTP_HOST is set (with EMAIL_FROM). */
	email: EmailConfig | null;
	/** For the parent's t.me link, with or without a bot token on this instance. */
	telegramBotUsername: string;
	vapid: VapidConfig;
	smsPencePerSegment: number;
	payloadLimits: PayloadLimits;
	/** adapter-node's BODY_SIZE_LIMIT (it enforces it; read here to warn when it is below MIS_BODY_LIMIT). */
	bodySizeLimit: number;
}

/** Every variable that could not be used, each named, in one error. */
export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`The configuration cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

function truthy(value: string | undefined): boolean {
	return ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
}

/** A flag whose empty value means "the default" (AUTO_MIGRATE, SEED_DEMO). */
function optionalFlag(value: string | undefined): boolean | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	return truthy(value);
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

const required = (name: string) => z.string({ error: `${name} is required` }).trim().min(1, `${name} is required`);
const S3Env = z.object({
	S3_ENDPOINT: required('S3_ENDPOINT').pipe(z.url('S3_ENDPOINT must be a URL such as https://s3.eu-west-2.amazonaws.com')),
	S3_BUCKET: required('S3_BUCKET'),
	S3_REGION: z.string().trim().min(1).default('us-east-1'),
	S3_ACCESS_KEY_ID: required('S3_ACCESS_KEY_ID'),
	S3_SECRET_ACCESS_KEY: required('S3_SECRET_ACCESS_KEY')
});

const digits = z.string().regex(/^\d+$/).transform(Number);
const decimal = z.string().regex(/^\d+(\.\d+)?$/).transform(Number);

/** Reads each variable, noting every one that cannot be used (with the fallback in its place) so all are reported at once. */
function parse(env: NodeJS.ProcessEnv): { config: Config; problems: string[] } {
	const problems: string[] = [];
	const text = (name: string): string | undefined => env[name]?.trim() || undefined;
	const guarded = <T>(fallback: T, read: () => T): T => {
		try {
			return read();
		} catch (err) {
			problems.push((err as Error).message);
			return fallback;
		}
	};
	/** A number read with `schema` and allowed when `ok`; `what` finishes "NAME must be ...". */
	const num = (name: string, fallback: number, schema: z.ZodType<number>, ok: (n: number) => boolean, what: string): number => {
		const raw = text(name);
		if (raw === undefined) return fallback;
		const r = schema.safeParse(raw);
		if (r.success && ok(r.data)) return r.data;
		problems.push(`${name} must be ${what} (got "${raw}").`);
		return fallback;
	};
	const count = (name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
		num(name, fallback, digits, (n) => n >= min && n <= max, max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`);
	const positiveMs = (name: string, fallback: number): number => {
		const raw = text(name);
		if (raw === undefined) return fallback;
		const n = Number(raw);
		if (!Number.isInteger(n) || n <= 0) {
			problems.push(`${name} must be a whole number of milliseconds above 0.`);
			return fallback;
		}
		return n;
	};
	const key32 = (name: string, hint: string): Buffer | null => {
		const raw = text(name);
		if (!raw) return null;
		const key = Buffer.from(raw, 'base64');
		if (key.length === 32) return key;
		problems.push(`${name} must be 32 bytes, base64-encoded (${hint}).`);
		return null;
	};

	const origin = text('ORIGIN')?.replace(/\/+$/, '') || null;
	const production = (origin ?? '').toLowerCase().startsWith('https:');
	const port = count('PORT', 3000, 1, 65535);
	const rawLogLevel = text('LOG_LEVEL')?.toLowerCase();
	let logLevel: LogLevel = 'info';
	if (rawLogLevel !== undefined) {
		if ((LOG_LEVELS as readonly string[]).includes(rawLogLevel)) logLevel = rawLogLevel as LogLevel;
		else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${rawLogLevel}").`);
	}
	const dataDir = path.resolve(text('DATA_DIR') || 'data');
	const databaseUrl = text('DATABASE_URL') ?? null;

	const statementMs = positiveMs('DATABASE_STATEMENT_TIMEOUT_MS', DEFAULT_POSTGRES_TIMEOUTS.statementMs);
	const database: DatabaseConfig = {
		url: databaseUrl,
		poolSize: text('DATABASE_POOL_SIZE') === undefined ? undefined : count('DATABASE_POOL_SIZE', 10),
		timeouts: {
			connectMs: positiveMs('DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_POSTGRES_TIMEOUTS.connectMs),
			statementMs,
			queryMs: statementMs + QUERY_TIMEOUT_MARGIN_MS
		},
		dataDir,
		migrationsDir: path.resolve(text('MIGRATIONS_DIR') || 'drizzle'),
		autoMigrate: optionalFlag(env.AUTO_MIGRATE),
		seedDemo: optionalFlag(env.SEED_DEMO)
	};

	const outbox: OutboxConfig = {
		// Anything but 0 leaves the loop on, as it always has.
		worker: text('OUTBOX_WORKER') !== '0',
		concurrency: count('OUTBOX_CONCURRENCY', OUTBOX_DEFAULTS.concurrency),
		perSecond: {
			sms: count('OUTBOX_SMS_PER_SECOND', OUTBOX_DEFAULTS.perSecond.sms),
			telegram: count('OUTBOX_TELEGRAM_PER_SECOND', OUTBOX_DEFAULTS.perSecond.telegram),
			push: count('OUTBOX_PUSH_PER_SECOND', OUTBOX_DEFAULTS.perSecond.push),
			email: count('OUTBOX_EMAIL_PER_SECOND', OUTBOX_DEFAULTS.perSecond.email)
		}
	};

	const secrets: SecretsConfig = {
		appSecret: key32('APP_SECRET', 'openssl rand -base64 32'),
		previousAppSecret: key32('APP_SECRET_PREVIOUS', 'openssl rand -base64 32'),
		// Several instances must share one key, so PostgreSQL cannot invent its own.
		keyFile: databaseUrl ? null : path.join(dataDir, 'app-secret.key')
	};

	const storage = text('EVIDENCE_STORAGE') || 'disk';
	if (storage !== 'disk' && storage !== 's3') problems.push('EVIDENCE_STORAGE must be "disk" or "s3".');
	let s3: S3Config | null = null;
	if (storage === 's3') {
		const parsed = S3Env.safeParse({ ...env, S3_REGION: text('S3_REGION') });
		if (!parsed.success) problems.push(`EVIDENCE_STORAGE=s3: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
		else {
			const e = parsed.data;
			s3 = { endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET, region: e.S3_REGION, accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY };
		}
	}
	const evidence: EvidenceConfig = {
		key: key32('EVIDENCE_KEY', 'openssl rand -base64 32'),
		previousKey: key32('EVIDENCE_KEY_PREVIOUS', 'openssl rand -base64 32'),
		storage: storage === 's3' ? 's3' : 'disk',
		diskDir: path.join(dataDir, 'evidence'),
		s3,
		retentionDays: guarded(365, () => parseRetentionDays(env.EVIDENCE_RETENTION_DAYS))
	};

	const twilioSid = text('TWILIO_ACCOUNT_SID');
	const twilioToken = text('TWILIO_AUTH_TOKEN');
	const twilioFrom = text('TWILIO_FROM');
	const twilio: TwilioConfig | null =
		twilioSid && twilioToken && twilioFrom
			? {
					accountSid: twilioSid,
					authToken: twilioToken,
					from: twilioFrom,
					apiBase: text('TWILIO_API_BASE'),
					statusCallback: origin ? `${origin}/webhooks/twilio/status` : undefined
				}
			: null;

	const telegramBotUsername = text('TELEGRAM_BOT_USERNAME') || 'EveryDayDemoBot';
	const telegramToken = text('TELEGRAM_BOT_TOKEN');
	const telegram: TelegramConfig | null = telegramToken
		? { token: telegramToken, webhookSecret: text('TELEGRAM_WEBHOOK_SECRET'), apiRoot: text('TELEGRAM_API_ROOT'), username: telegramBotUsername }
		: null;

	const whatsappFrom = text('TWILIO_WHATSAPP_FROM')?.replace(/^whatsapp:/i, '');
	const templates: Record<string, string> = {};
	for (const pair of (text('TWILIO_WHATSAPP_TEMPLATES') ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
		const m = /^([a-z_]+)=(HX[0-9a-f]{32})$/i.exec(pair);
		if (m) templates[m[1]!] = m[2]!;
		else problems.push(`TWILIO_WHATSAPP_TEMPLATES must be purpose=HX... pairs separated by commas, e.g. first_day_contact=HX0123... (got "${pair.slice(0, 60)}").`);
	}
	if (whatsappFrom && !/^\+\d{7,15}$/.test(whatsappFrom)) problems.push('TWILIO_WHATSAPP_FROM must be the WhatsApp sender number in E.164, e.g. +447700900000.');
	const whatsapp: WhatsAppConfig | null = whatsappFrom && twilio && /^\+\d{7,15}$/.test(whatsappFrom) ? { from: whatsappFrom, templates } : null;

	const smtpUrl = text('SMTP_URL');
	const smtpHost = text('SMTP_HOST');
	const smtpPort = count('SMTP_PORT', 587, 1, 65535);
	const smtpUser = text('SMTP_USER');
	const smtpPassword = text('SMTP_PASSWORD');
	const emailFrom = text('EMAIL_FROM');
	let email: EmailConfig | null = null;
	if (smtpUrl && !/^smtps?:\/\/[^\s]+$/i.test(smtpUrl)) problems.push('SMTP_URL must be a URL such as smtp://user:password@smtp.example.org:587 or smtps://...:465.');
	else if (smtpUrl && smtpHost) problems.push('Set SMTP_URL or SMTP_HOST, not both.');
	else if ((smtpUrl || smtpHost) && !emailFrom) problems.push('EMAIL_FROM is required with SMTP_URL or SMTP_HOST (e.g. "Every Day <no-reply@everyday.example.org>").');
	else if (smtpHost && Boolean(smtpUser) !== Boolean(smtpPassword)) problems.push('Set both SMTP_USER and SMTP_PASSWORD, or neither.');
	else if ((smtpUrl || smtpHost) && emailFrom) {
		email = {
			smtp: smtpUrl ?? {
				host: smtpHost!,
				port: smtpPort,
				// Port 465 is TLS from the first byte; any other port upgrades with STARTTLS when the server offers it.
				secure: optionalFlag(env.SMTP_SECURE) ?? smtpPort === 465,
				...(smtpUser && smtpPassword ? { auth: { user: smtpUser, pass: smtpPassword } } : {})
			},
			from: emailFrom,
			replyTo: text('EMAIL_REPLY_TO') ?? null
		};
	}

	const vapid: VapidConfig = {
		publicKey: text('VAPID_PUBLIC_KEY') ?? null,
		privateKey: text('VAPID_PRIVATE_KEY') ?? null,
		subject: text('VAPID_SUBJECT') || 'mailto:every-day@example.org',
		keyFile: databaseUrl ? null : path.join(dataDir, 'vapid.json')
	};

	const payloadLimits: PayloadLimits = {
		defaultBytes: guarded(512 * 1024, () => parseBytes(env.REQUEST_BODY_LIMIT, 512 * 1024, 'REQUEST_BODY_LIMIT')),
		misBytes: guarded(64 * 1024 * 1024, () => parseBytes(env.MIS_BODY_LIMIT, 64 * 1024 * 1024, 'MIS_BODY_LIMIT')),
		evidenceBytes: 11 * 1024 * 1024
	};
	const bodySizeLimit = text('BODY_SIZE_LIMIT') === 'Infinity' ? Infinity : guarded(512 * 1024, () => parseBytes(env.BODY_SIZE_LIMIT, 512 * 1024, 'BODY_SIZE_LIMIT'));

	const config: Config = {
		origin,
		publicOrigin: origin ?? `http://localhost:${port}`,
		port,
		logLevel,
		production,
		// Development tools (/dev/sign-in, /dev/outbox, /dev/phone, /dev/register and the
		// development message transport) give anyone a staff session and every sign-in code. They
		// are on only when DEV_TOOLS=1 is set explicitly (`npm start`'s demo sets it on the
		// embedded database), and never with an https ORIGIN: startupProblems refuses that.
		devTools: truthy(env.DEV_TOOLS) && !production,
		// Push endpoints on private, loopback or link-local addresses are refused (a subscription
		// could otherwise make the server call into its own network). PUSH_ALLOW_PRIVATE_HOSTS=1
		// lifts that for the test suites' local fake push service only, never with an https ORIGIN.
		pushPrivateHosts: truthy(env.PUSH_ALLOW_PRIVATE_HOSTS) && !production,
		database,
		outbox,
		scheduler: text('SCHEDULER') !== '0',
		shutdownDeadlineMs: num('SHUTDOWN_DEADLINE_SECONDS', 20, decimal, (n) => n > 0, 'a number of seconds above 0') * 1000,
		secrets,
		evidence,
		twilio,
		telegram,
		whatsapp,
		email,
		telegramBotUsername,
		vapid,
		smsPencePerSegment: num('SMS_PENCE_PER_SEGMENT', 4, decimal, () => true, 'a number of pence such as 4 or 3.5'),
		payloadLimits,
		bodySizeLimit
	};
	return { config, problems };
}

/** Pure: the configuration in `env`, or a ConfigError naming every variable that cannot be used. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const { config, problems } = parse(env);
	if (problems.length > 0) throw new ConfigError(problems);
	return config;
}

let current: Config | undefined;

/** This process's configuration, read from its environment on first use. */
export function config(): Config {
	return (current ??= readConfig(process.env));
}

/** Reads the environment again (tests that change it). */
export function reloadConfig(): Config {
	current = undefined;
	return config();
}

/** ORIGIN is https: a real deployment, where nothing test- or demo-only may be switched on. */
export function productionOrigin(c: Pick<Config, 'production'> = config()): boolean {
	return c.production;
}

/** Development tools are on (DEV_TOOLS=1, and never with an https ORIGIN). */
export function devToolsEnabled(c: Pick<Config, 'devTools'> = config()): boolean {
	return c.devTools;
}

/** Push endpoints on private and loopback addresses are allowed (the test suites' fake push service only). */
export function pushPrivateHostsAllowed(c: Pick<Config, 'pushPrivateHosts'> = config()): boolean {
	return c.pushPrivateHosts;
}

export function PAYLOAD_LIMITS(c: Pick<Config, 'payloadLimits'> = config()): PayloadLimits {
	return c.payloadLimits;
}

/**
 * What stops the app from starting (errors) and what it says loudly when it does (warnings):
 * every value readConfig cannot use, and the combinations a deployment must not run with.
 * Pure: reads only the environment given.
 */
export function startupProblems(env: NodeJS.ProcessEnv = process.env): { errors: string[]; warnings: string[] } {
	const { config: c, problems } = parse(env);
	const errors: string[] = [];
	const warnings: string[] = [];
	const postgres = c.database.url !== null;

	if (truthy(env.DEV_TOOLS) && c.production) {
		errors.push(
			'DEV_TOOLS is on with an https ORIGIN. Development tools hand out staff sessions and sign-in codes without a password: never turn them on in a deployment. Unset DEV_TOOLS.'
		);
	} else if (c.devTools) {
		warnings.push(
			'DEVELOPMENT TOOLS ARE ON (DEV_TOOLS=1): /dev/sign-in signs anyone in as staff, /dev/outbox shows every sign-in code and message. For the demo on this machine only.'
		);
	}
	if (truthy(env.PUSH_ALLOW_PRIVATE_HOSTS)) {
		if (c.production) errors.push('PUSH_ALLOW_PRIVATE_HOSTS is for the test suites only and cannot be used with an https ORIGIN. Unset it.');
		else warnings.push('PUSH_ALLOW_PRIVATE_HOSTS=1: push endpoints on private and loopback addresses are allowed (tests only).');
	}

	errors.push(...problems);
	if (postgres && !env.APP_SECRET?.trim()) {
		errors.push('APP_SECRET is required with DATABASE_URL: every instance must share one key (openssl rand -base64 32).');
	}
	if (c.production && !postgres && !env.APP_SECRET?.trim()) {
		warnings.push(`No APP_SECRET: the embedded key file in DATA_DIR is used. It sits beside the evidence it protects; set APP_SECRET (and EVIDENCE_KEY) from a secret store instead.`);
	}
	if ((c.vapid.publicKey === null) !== (c.vapid.privateKey === null)) errors.push('Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (npx web-push generate-vapid-keys).');

	const twilioNames = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'];
	const twilioSet = twilioNames.filter((n) => env[n]?.trim());
	if (twilioSet.length > 0 && twilioSet.length < 3) {
		errors.push(`Twilio is half configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM together (missing ${twilioNames.filter((n) => !env[n]?.trim()).join(', ')}).`);
	}
	if (c.telegram && !c.telegram.webhookSecret) {
		errors.push('TELEGRAM_BOT_TOKEN is set without TELEGRAM_WEBHOOK_SECRET: the webhook could not tell Telegram from anyone else. Set a random TELEGRAM_WEBHOOK_SECRET.');
	}
	// adapter-node refuses anything over its own limit before the app sees it.
	if (c.bodySizeLimit < c.payloadLimits.misBytes) {
		warnings.push(
			`BODY_SIZE_LIMIT (${env.BODY_SIZE_LIMIT?.trim() || "adapter-node's default 512K"}) is below MIS_BODY_LIMIT: MIS uploads larger than it are refused. Set BODY_SIZE_LIMIT=${env.MIS_BODY_LIMIT?.trim() || '64M'}.`
		);
	}
	return { errors, warnings };
}

export class StartupConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Every Day cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'StartupConfigError';
	}
}
