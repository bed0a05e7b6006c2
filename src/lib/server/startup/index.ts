/**
 * Start-up wiring for one app instance: the database made ready, the outbox delivery loop with
 * the transports this environment configures, the scheduler, and graceful shutdown.
 */
import { closeDatabase, getDatabase } from '../platform/db';
import type { DatabaseHandle } from '../platform/db/engine';
import { devOutboxTransport, startOutboxWorker, type Transports } from '../platform/outbox';
import { log, setLogLevel } from '../platform/log';
import { config, OUTBOX_DEFAULTS, StartupConfigError, startupProblems, type Config } from '../platform/config';
import { checkSecretsAgainstData } from './secret-check';
import { schoolSenderNumbers, twilioSmsTransport } from '../providers/twilio';
import { telegramTransport } from '../providers/telegram';
import { smtpEmailTransport } from '../providers/email';
import { twilioWhatsAppTransport } from '../providers/whatsapp';
import { webPushTransport } from '../providers/webpush';
import { evidenceStore } from '../providers/evidence-storage';
import { prepareDatabase } from './database';
import { startScheduler } from './scheduler';

function outboxTransports(handle: DatabaseHandle, c: Config): Transports {
	const transports: Transports = c.devTools
		? { sms: devOutboxTransport, email: devOutboxTransport, telegram: devOutboxTransport, push: devOutboxTransport }
		: {};
	const senders = schoolSenderNumbers(handle);
	if (c.twilio) transports.sms = twilioSmsTransport(c.twilio, senders);
	if (c.telegram) transports.telegram = telegramTransport(c.telegram);
	if (c.email) transports.email = smtpEmailTransport(handle, c.email);
	if (c.twilio && c.whatsapp) transports.whatsapp = twilioWhatsAppTransport(handle, c.twilio, c.whatsapp, undefined, senders);
	// Web push needs no provider account: VAPID keys from the environment, or (embedded default)
	// generated in DATA_DIR. Without keys in production, push messages wait in the queue.
	if (c.vapid.publicKey || c.vapid.keyFile) transports.push = webPushTransport(handle);
	return transports;
}

/** Everything one instance starts: the database, the outbox worker, the scheduler and the shutdown handler. */
export async function startApp(): Promise<void> {
	// Configuration first: a deployment missing a secret, setting a value that cannot be used, or
	// exposing development tools, stops here.
	const problems = startupProblems();
	for (const warning of problems.warnings) {
		log('warn', 'startup.warning', { message: warning });
		console.warn(`\n  !!! ${warning}\n`);
	}
	if (problems.errors.length > 0) {
		const err = new StartupConfigError(problems.errors);
		console.error(err.message);
		log('error', 'startup.refused', { problems: problems.errors.length });
		process.exit(1);
	}
	// Read once here; everything after takes its slice of it.
	const settings = config();
	setLogLevel(settings.logLevel);
	const report = await prepareDatabase(settings.database);
	console.log(
		`[every-day] database: ${report.engine === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}` +
			(report.migrated ? ', migrations applied' : '') +
			(report.seeded ? ', demo data seeded' : '')
	);
	// The outbox delivery loop. Real providers where they are configured (Twilio for SMS, Telegram, SMTP for email);
	// with dev tools on, every other channel goes to the development transport (readable on
	// /dev/outbox). Messages on a channel with no transport wait in the durable queue.
	// OUTBOX_WORKER=0 turns the loop off on an instance.
	const transports = outboxTransports(await getDatabase(), settings);
	let stopOutbox: (() => Promise<void>) | undefined;
	if (Object.keys(transports).length > 0 && settings.outbox.worker) {
		stopOutbox = startOutboxWorker(await getDatabase(), {
			intervalMs: OUTBOX_DEFAULTS.intervalMs,
			transports,
			delivery: {
				limit: OUTBOX_DEFAULTS.limit,
				// Provider calls in flight at once (each waits tens of ms on the network).
				concurrency: settings.outbox.concurrency
			},
			// Per second of wall time, per instance: within Telegram's ~30/s and a Twilio messaging service's throughput.
			perSecond: { ...settings.outbox.perSecond }
		});
		log('info', 'outbox.started', { channels: Object.entries(transports).map(([c, t]) => `${c}:${t === devOutboxTransport ? 'dev' : 'provider'}`) });
	}
	// EVIDENCE_STORAGE / S3_* were checked with the rest of the configuration above.
	const store = evidenceStore();
	log('info', 'evidence.store', { kind: store.kind, retentionDays: settings.evidence.retentionDays });
	// The keys must open what the database already holds (a rotated APP_SECRET, a wrong EVIDENCE_KEY).
	const secrets = await checkSecretsAgainstData(await getDatabase(), store).catch((err: unknown) => {
		// Migrations not applied yet (a deploy step on PostgreSQL): nothing stored to check.
		const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
		if (code === '42P01') return { errors: [], reencrypted: 0 };
		throw err;
	});
	if (secrets.reencrypted > 0) log('info', 'secrets.rotated', { staffTwoFactorKeys: secrets.reencrypted });
	if (secrets.errors.length > 0) {
		console.error(new StartupConfigError(secrets.errors).message);
		log('error', 'startup.refused', { problems: secrets.errors.length });
		await closeDatabase().catch(() => {});
		process.exit(1);
	}
	// First day contact and daily check-ins. SCHEDULER=0 turns it off on an instance; it is safe
	// on several at once (every job is keyed).
	let stopScheduler: (() => Promise<void>) | undefined;
	if (settings.scheduler) stopScheduler = startScheduler(await getDatabase());
	// Graceful shutdown. On SIGTERM/SIGINT adapter-node stops accepting connections, lets
	// in-flight requests finish (up to SHUTDOWN_TIMEOUT seconds), then emits this. We stop the
	// scheduler, let the outbox worker finish the message it is sending and un-claim the rest
	// of its batch (so no message is lost or left waiting out a lease), close the database (the
	// embedded data directory is flushed and its lock released) and exit. A hard deadline
	// guards against anything hanging.
	process.once('sveltekit:shutdown', (reason: unknown) => {
		const started = Date.now();
		log('info', 'shutdown.started', { reason: String(reason ?? '') });
		const deadlineMs = settings.shutdownDeadlineMs;
		setTimeout(() => {
			log('error', 'shutdown.deadline_passed', { deadlineMs });
			process.exit(1);
		}, deadlineMs).unref();
		void (async () => {
			let failed = false;
			await stopScheduler?.().catch((err) => ((failed = true), log('error', 'shutdown.scheduler_failed', { error: err })));
			await stopOutbox?.().catch((err) => ((failed = true), log('error', 'shutdown.outbox_failed', { error: err })));
			await closeDatabase().catch((err) => ((failed = true), log('error', 'shutdown.database_failed', { error: err })));
			log('info', 'shutdown.done', { ms: Date.now() - started });
			process.exit(failed ? 1 : 0);
		})();
	});
}
