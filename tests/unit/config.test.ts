import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { config, ConfigError, readConfig, reloadConfig, startupProblems } from '../../src/lib/server/platform/config';

const KEY = Buffer.alloc(32, 3).toString('base64');

describe('readConfig', () => {
	it('gives the defaults for an empty environment', () => {
		const c = readConfig({});
		expect(c.origin).toBeNull();
		expect(c.publicOrigin).toBe('http://localhost:3000');
		expect(c.production).toBe(false);
		expect(c.devTools).toBe(false);
		expect(c.database).toEqual({
			url: null,
			poolSize: undefined,
			timeouts: { connectMs: 5_000, statementMs: 15_000, queryMs: 20_000 },
			dataDir: path.resolve('data'),
			migrationsDir: path.resolve('drizzle'),
			autoMigrate: undefined,
			seedDemo: undefined
		});
		expect(c.outbox).toEqual({ worker: true, concurrency: 8, perSecond: { sms: 10, telegram: 25, push: 1000, email: 10 } });
		expect(c.scheduler).toBe(true);
		expect(c.shutdownDeadlineMs).toBe(20_000);
		expect(c.secrets).toEqual({ appSecret: null, previousAppSecret: null, keyFile: path.resolve('data', 'app-secret.key') });
		expect(c.evidence).toMatchObject({ key: null, previousKey: null, storage: 'disk', diskDir: path.resolve('data', 'evidence'), s3: null, retentionDays: 365 });
		expect(c.twilio).toBeNull();
		expect(c.telegram).toBeNull();
		expect(c.telegramBotUsername).toBe('EveryDayDemoBot');
		expect(c.vapid).toEqual({ publicKey: null, privateKey: null, subject: 'mailto:every-day@example.org', keyFile: path.resolve('data', 'vapid.json') });
		expect(c.smsPencePerSegment).toBe(4);
		expect(c.payloadLimits).toEqual({ defaultBytes: 512 * 1024, misBytes: 64 * 1024 * 1024, evidenceBytes: 11 * 1024 * 1024 });
	});

	it('reads what is set, trimmed and typed', () => {
		const c = readConfig({
			ORIGIN: 'https://everyday.example.org/ ',
			DATABASE_URL: ' postgres://db/app ',
			DATABASE_POOL_SIZE: '20',
			DATABASE_STATEMENT_TIMEOUT_MS: '3000',
			OUTBOX_WORKER: '0',
			OUTBOX_SMS_PER_SECOND: '3',
			SCHEDULER: '0',
			SHUTDOWN_DEADLINE_SECONDS: '2.5',
			APP_SECRET: KEY,
			AUTO_MIGRATE: 'yes',
			SEED_DEMO: '0',
			TWILIO_ACCOUNT_SID: 'AC1',
			TWILIO_AUTH_TOKEN: 't',
			TWILIO_FROM: '+447700900000',
			TELEGRAM_BOT_TOKEN: '1:x',
			TELEGRAM_WEBHOOK_SECRET: 's',
			SMS_PENCE_PER_SEGMENT: '3.5',
			EVIDENCE_RETENTION_DAYS: '30'
		});
		expect(c.origin).toBe('https://everyday.example.org');
		expect(c.publicOrigin).toBe('https://everyday.example.org');
		expect(c.production).toBe(true);
		expect(c.database).toMatchObject({ url: 'postgres://db/app', poolSize: 20, timeouts: { connectMs: 5_000, statementMs: 3_000, queryMs: 8_000 }, autoMigrate: true, seedDemo: false });
		// On PostgreSQL no instance may invent its own keys.
		expect(c.secrets.keyFile).toBeNull();
		expect(c.vapid.keyFile).toBeNull();
		expect(c.secrets.appSecret?.equals(Buffer.from(KEY, 'base64'))).toBe(true);
		expect(c.outbox.worker).toBe(false);
		expect(c.outbox.perSecond.sms).toBe(3);
		expect(c.scheduler).toBe(false);
		expect(c.shutdownDeadlineMs).toBe(2_500);
		expect(c.twilio).toEqual({ accountSid: 'AC1', authToken: 't', from: '+447700900000', apiBase: undefined, statusCallback: 'https://everyday.example.org/webhooks/twilio/status' });
		expect(c.telegram).toMatchObject({ token: '1:x', webhookSecret: 's', username: 'EveryDayDemoBot' });
		expect(c.smsPencePerSegment).toBe(3.5);
		expect(c.evidence.retentionDays).toBe(30);
	});

	it('refuses a bad number, naming the variable', () => {
		expect(() => readConfig({ OUTBOX_CONCURRENCY: 'eight' })).toThrow(/OUTBOX_CONCURRENCY must be a whole number of at least 1 \(got "eight"\)/);
		expect(() => readConfig({ OUTBOX_PUSH_PER_SECOND: '0' })).toThrow(/OUTBOX_PUSH_PER_SECOND/);
		expect(() => readConfig({ SHUTDOWN_DEADLINE_SECONDS: '-1' })).toThrow(/SHUTDOWN_DEADLINE_SECONDS must be a number of seconds above 0/);
		expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT must be a whole number from 1 to 65535/);
		expect(() => readConfig({ DATABASE_CONNECT_TIMEOUT_MS: '1.5' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS must be a whole number of milliseconds above 0/);
	});

	it('reports every problem at once, in one error', () => {
		let thrown: unknown;
		try {
			readConfig({ DATABASE_POOL_SIZE: 'many', APP_SECRET: 'c2hvcnQ=', MIS_BODY_LIMIT: 'huge', EVIDENCE_STORAGE: 'ftp', EVIDENCE_RETENTION_DAYS: '0' });
		} catch (err) {
			thrown = err;
		}
		expect(thrown).toBeInstanceOf(ConfigError);
		const problems = (thrown as ConfigError).problems;
		expect(problems).toHaveLength(5);
		for (const name of ['DATABASE_POOL_SIZE', 'APP_SECRET', 'MIS_BODY_LIMIT', 'EVIDENCE_STORAGE', 'EVIDENCE_RETENTION_DAYS']) {
			expect(problems.some((p) => p.startsWith(name)), name).toBe(true);
			expect((thrown as Error).message).toContain(name);
		}
	});

	it('requires the S3 settings only with EVIDENCE_STORAGE=s3', () => {
		expect(readConfig({ S3_BUCKET: 'unused' }).evidence.s3).toBeNull();
		expect(() => readConfig({ EVIDENCE_STORAGE: 's3', S3_ENDPOINT: 'not a url', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 's' })).toThrow(/S3_ENDPOINT must be a URL/);
		expect(readConfig({ EVIDENCE_STORAGE: 's3', S3_ENDPOINT: 'https://s3.example.org', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 's' }).evidence.s3).toEqual({
			endpoint: 'https://s3.example.org',
			bucket: 'b',
			region: 'us-east-1',
			accessKeyId: 'a',
			secretAccessKey: 's'
		});
	});

	it('hands its problems to the start-up check, beside the combinations a deployment must not run with', () => {
		const { errors } = startupProblems({ OUTBOX_CONCURRENCY: 'x', DEV_TOOLS: '1', ORIGIN: 'https://e.example.org' });
		expect(errors).toHaveLength(2);
		expect(errors.join()).toMatch(/DEV_TOOLS is on with an https ORIGIN/);
		expect(errors.join()).toMatch(/OUTBOX_CONCURRENCY must be/);
	});
});

describe('config()', () => {
	const saved = process.env.OUTBOX_CONCURRENCY;
	afterEach(() => {
		if (saved === undefined) delete process.env.OUTBOX_CONCURRENCY;
		else process.env.OUTBOX_CONCURRENCY = saved;
		reloadConfig();
	});

	it('reads the environment once, and again on reloadConfig', () => {
		process.env.OUTBOX_CONCURRENCY = '3';
		const first = reloadConfig();
		expect(first.outbox.concurrency).toBe(3);
		process.env.OUTBOX_CONCURRENCY = '5';
		expect(config()).toBe(first);
		expect(config().outbox.concurrency).toBe(3);
		expect(reloadConfig().outbox.concurrency).toBe(5);
		expect(config().outbox.concurrency).toBe(5);
	});
});

describe('the README configuration table', () => {
	it('lists exactly the variables platform/config.ts reads', () => {
		const source = fs.readFileSync('src/lib/server/platform/config.ts', 'utf8');
		const read = new Set([...source.matchAll(/'([A-Z][A-Z0-9_]{2,})'/g), ...source.matchAll(/env\.([A-Z][A-Z0-9_]{2,})/g)].map((m) => m[1]!));
		const readme = fs.readFileSync('README.md', 'utf8');
		const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('Read by adapter-node'));
		const firstCells = table.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('|')[1]!);
		const documented = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!)));
		expect(read.size).toBeGreaterThan(40);
		expect([...read].filter((n) => !documented.has(n))).toEqual([]);
		expect([...documented].filter((n) => !read.has(n))).toEqual([]);
	});
});
