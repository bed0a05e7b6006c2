/**
 * The transactional outbox (docs/domain-rules.md §2): a message is a row in `outbound_messages`, inserted in
 * the same transaction as the change that caused it, so it is never lost and never sent for a
 * change that rolled back. Workers (every app instance may run one) claim due rows with
 * `FOR UPDATE SKIP LOCKED` under a lease, so two workers never send the same row at once and a
 * crashed worker's rows become claimable again when its lease runs out.
 */
import { and, desc, eq, inArray, isNotNull, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { DatabaseHandle, Db } from '../db/engine';
import { perDatabase } from '../db/prepared';
import { outboundMessages, smsOptOuts, type OutboundMessage } from '../db/schema';
import { log } from '../log';

export type OutboxChannel = OutboundMessage['channel'];

export interface EnqueueMessage {
	channel: OutboxChannel;
	/** Phone (E.164), email address, Telegram chat id or push subscription id. */
	recipient: string;
	guardianId?: string | null;
	schoolId?: string | null;
	/** What it is for, e.g. 'sign_in_code'. */
	purpose: string;
	subject?: string | null;
	body: string;
	/** The same key never produces a second message. */
	idempotencyKey: string;
	/** Earliest send time (default: now). */
	notBefore?: Date;
	/** Answers offered with the message (Telegram buttons). */
	choices?: string[];
	/** The campaign it belongs to (delivery results). */
	campaignId?: string;
}

/**
 * Queues a message. Idempotent on `idempotencyKey` (`on conflict do nothing`). Pass the
 * transaction that makes the change the message is about, so both commit or neither does.
 * Returns the new row's id, or null when the key was already queued.
 */
export async function enqueueMessage(dbOrTx: Db, message: EnqueueMessage): Promise<string | null> {
	const rows = await dbOrTx
		.insert(outboundMessages)
		.values(rowOf(message))
		.onConflictDoNothing({ target: outboundMessages.idempotencyKey })
		.returning({ id: outboundMessages.id });
	return rows[0]?.id ?? null;
}

function rowOf(message: EnqueueMessage) {
	return {
		channel: message.channel,
		recipient: message.recipient,
		guardianId: message.guardianId ?? null,
		schoolId: message.schoolId ?? null,
		purpose: message.purpose,
		subject: message.subject ?? null,
		body: message.body,
		idempotencyKey: message.idempotencyKey,
		choices: message.choices && message.choices.length > 0 ? message.choices : null,
		campaignId: message.campaignId ?? null,
		...(message.notBefore ? { nextAttemptAt: message.notBefore } : {})
	};
}

/**
 * Queues many messages (a campaign) in multi-row inserts of 500, each idempotent on its key as
 * {@link enqueueMessage} is: one statement per 500 messages instead of one each. Returns how
 * many were new.
 */
export async function enqueueMessages(dbOrTx: Db, messages: readonly EnqueueMessage[]): Promise<number> {
	let inserted = 0;
	for (let i = 0; i < messages.length; i += 500) {
		const rows = await dbOrTx
			.insert(outboundMessages)
			.values(messages.slice(i, i + 500).map(rowOf))
			.onConflictDoNothing({ target: outboundMessages.idempotencyKey })
			.returning({ id: outboundMessages.id });
		inserted += rows.length;
	}
	return inserted;
}

/**
 * Purposes sent at most once. A campaign message reaching a family twice is worse than one
 * reported "unknown", so once its provider call may have started it is never resent by another
 * worker. Everything else (sign-in codes, replies, first day contact) stays at-least-once.
 */
export const AT_MOST_ONCE_PURPOSES = ['campaign'] as const;
const atMostOnce = (purpose: string) => (AT_MOST_ONCE_PURPOSES as readonly string[]).includes(purpose);

/** Why an in-doubt message is not resent (shown to staff with the dead letters). */
export const IN_DOUBT_ERROR = 'The worker stopped while sending it, so it may have arrived; not resent, so nobody gets it twice';

/**
 * Campaign messages whose worker's lease ran out after their provider call started (the worker
 * died, or hung, between handing the message over and recording the answer). The provider may
 * have accepted it: it is finished as 'dead' with provider status 'unknown', never resent.
 */
export async function resolveInDoubtMessages(handle: DatabaseHandle | Db, now: Date = new Date()): Promise<number> {
	const db = 'db' in handle ? handle.db : handle;
	const rows = await db
		.update(outboundMessages)
		.set({ status: 'dead', providerStatus: 'unknown', leaseUntil: null, lastError: IN_DOUBT_ERROR })
		.where(
			and(
				eq(outboundMessages.status, 'sending'),
				lte(outboundMessages.leaseUntil, now),
				isNotNull(outboundMessages.sendStartedAt),
				inArray(outboundMessages.purpose, [...AT_MOST_ONCE_PURPOSES])
			)
		)
		.returning({ id: outboundMessages.id });
	return rows.length;
}

/**
 * Claims up to `limit` due messages for this worker: pending or failed rows whose next attempt
 * is due, and 'sending' rows whose lease has expired (their worker died), except in-doubt
 * campaign messages (see {@link resolveInDoubtMessages}). Each claimed row is set to 'sending',
 * leased for `leaseMs` and has its attempt counted. One statement: the inner
 * `FOR UPDATE SKIP LOCKED` makes concurrent claimers skip each other's rows.
 */
export async function claimDueMessages(
	handle: DatabaseHandle | Db,
	limit: number,
	leaseMs: number,
	now: Date = new Date()
): Promise<OutboundMessage[]> {
	const db = 'db' in handle ? handle.db : handle;
	const leaseUntil = new Date(now.getTime() + leaseMs);
	const due = db
		.select({ id: outboundMessages.id })
		.from(outboundMessages)
		.where(
			or(
				and(inArray(outboundMessages.status, ['pending', 'failed']), lte(outboundMessages.nextAttemptAt, now)),
				and(
					eq(outboundMessages.status, 'sending'),
					lte(outboundMessages.leaseUntil, now),
					or(isNull(outboundMessages.sendStartedAt), notInArray(outboundMessages.purpose, [...AT_MOST_ONCE_PURPOSES]))
				)
			)
		)
		.orderBy(outboundMessages.nextAttemptAt)
		.limit(limit)
		.for('update', { skipLocked: true });
	return db
		.update(outboundMessages)
		.set({ status: 'sending', leaseUntil, sendStartedAt: null, attempts: sql`${outboundMessages.attempts} + 1` })
		.where(inArray(outboundMessages.id, due))
		.returning();
}

/**
 * SMS that still go to a number that texted STOP: the reply to the parent's own message (the
 * STOP confirmation included) and a sign-in code the parent asked for.
 */
const SMS_SENT_DESPITE_STOP = new Set(['bot_reply', 'sign_in_code']);

/** The number texted STOP: from now on only the messages above go to it. */
export async function optOutOfSms(db: Db, phone: string, now = new Date()): Promise<void> {
	await db.insert(smsOptOuts).values({ phone, optedOutAt: now }).onConflictDoNothing();
}

/** The number texted START: every message goes to it again. */
export async function optBackInToSms(db: Db, phone: string): Promise<void> {
	await db.delete(smsOptOuts).where(eq(smsOptOuts.phone, phone));
}

async function smsOptedOut(db: Db, phone: string): Promise<boolean> {
	const [row] = await db.select({ phone: smsOptOuts.phone }).from(smsOptOuts).where(eq(smsOptOuts.phone, phone));
	return Boolean(row);
}

/** A transport throws this when retrying can never help (e.g. a push subscription that is gone). */
export class PermanentDeliveryError extends Error {
	constructor(
		message: string,
		readonly providerStatus: string
	) {
		super(message);
		this.name = 'PermanentDeliveryError';
	}
}

export interface Transport {
	send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}

export type Transports = Partial<Record<OutboxChannel, Transport>>;

/**
 * Development transport: sends nothing. The message is marked sent with provider id
 * `dev-<id>` and stays readable on the /dev/outbox page (where the demo sign-in codes appear).
 */
export const devOutboxTransport: Transport = {
	async send(message) {
		return { providerMessageId: `dev-${message.id}` };
	}
};

/** Every channel through the development transport. */
export const devTransports: Transports = {
	sms: devOutboxTransport,
	email: devOutboxTransport,
	telegram: devOutboxTransport,
	push: devOutboxTransport
};

export interface DeliveryOptions {
	/** Rows claimed per run (default 20). */
	limit?: number;
	/** How long a claim lasts before another worker may take the row over (default 60 s). */
	leaseMs?: number;
	/** After this many failed attempts the message is 'dead' (default 5). */
	maxAttempts?: number;
	/** First retry delay; doubles each attempt (default 30 s). */
	baseBackoffMs?: number;
	/** Longest retry delay (default 1 h). */
	maxBackoffMs?: number;
	/**
	 * Most messages sent per channel in one run (the worker runs about once a second): providers
	 * throttle (Telegram about 30 a second; an SMS number far fewer). Rows over the limit are put
	 * back, untouched, for the next run.
	 */
	perChannelPerRun?: Partial<Record<OutboxChannel, number>>;
	/**
	 * Provider calls in flight at once within a run (default 1). Push services and Twilio answer
	 * in tens of milliseconds each, so a big campaign needs several at a time; bounded, so a
	 * slow provider cannot make us open thousands of sockets.
	 */
	concurrency?: number;
	/**
	 * Shutting down: once aborted, the message being sent is finished and recorded, and every
	 * other claimed row is put back as it was (un-claimed), so none waits out its lease.
	 */
	signal?: AbortSignal;
	now?: Date;
}

export interface DeliveryReport {
	claimed: number;
	sent: number;
	retrying: number;
	dead: number;
	/** Claimed rows whose lease had been taken over before this worker finished. */
	lostLease: number;
	/** Rows put back because their channel reached its per-run limit. */
	deferred: number;
	/** Campaign messages found in doubt (their worker died mid-send) and not resent. */
	inDoubt: number;
	/** Rows put back unsent because the worker was stopping. */
	released: number;
	/** Messages handed to each channel's provider in this run (sent or not): what a rate counts. */
	handedOver: Partial<Record<OutboxChannel, number>>;
}

/** Retry delay after `attempts` failed attempts: base × 2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseBackoffMs = 30_000, maxBackoffMs = 3_600_000): number {
	return Math.min(maxBackoffMs, baseBackoffMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The two statements each message of a run sends (the send marker of an at-most-once message,
 * and "sent"), built once per database handle as prepared statements: a campaign runs them ten
 * thousand times, and building each query again was a visible part of the fan-out's cost.
 * Both hold to the same rule as every outcome: only while this worker still holds the lease.
 */
function buildDeliveryStatements(db: Db) {
	const p = sql.placeholder;
	const held = and(eq(outboundMessages.id, p('id')), eq(outboundMessages.status, 'sending'), eq(outboundMessages.leaseUntil, p('leaseUntil')));
	return {
		markSendStarted: db
			.update(outboundMessages)
			.set({ sendStartedAt: sql`${p('at')}::timestamptz` })
			.where(held)
			.returning({ id: outboundMessages.id })
			.prepare('outbox_mark_send_started'),
		markSent: db
			.update(outboundMessages)
			.set({ status: 'sent', providerMessageId: sql`${p('providerMessageId')}::text`, sentAt: sql`${p('at')}::timestamptz`, leaseUntil: null, lastError: null })
			.where(held)
			.returning({ id: outboundMessages.id })
			.prepare('outbox_mark_sent')
	};
}
const deliveryStatements = perDatabase(buildDeliveryStatements);

/**
 * Claims due messages and hands each to its channel's transport. Success → 'sent'; a failure
 * → 'failed' with exponential backoff, or 'dead' once `maxAttempts` attempts have failed.
 * Outcomes are written only while this worker still holds the lease (status 'sending' and the
 * same lease_until), so a worker that lost its lease cannot overwrite the new owner's result.
 * Campaign messages are at most once: see {@link AT_MOST_ONCE_PURPOSES}.
 */
export async function deliverDueMessages(
	handle: DatabaseHandle | Db,
	transports: Transports,
	options: DeliveryOptions = {}
): Promise<DeliveryReport> {
	const db = 'db' in handle ? handle.db : handle;
	const {
		limit = 20,
		leaseMs = 60_000,
		maxAttempts = 5,
		baseBackoffMs = 30_000,
		maxBackoffMs = 3_600_000
	} = options;
	const now = options.now ?? new Date();
	const inDoubt = await resolveInDoubtMessages(db, now);
	// Oldest first (UPDATE ... RETURNING gives no order).
	const claimed = (await claimDueMessages(db, limit, leaseMs, now)).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
	const sentThisRun: Partial<Record<OutboxChannel, number>> = {};
	const report: DeliveryReport = { claimed: claimed.length, sent: 0, retrying: 0, dead: 0, lostLease: 0, deferred: 0, inDoubt, released: 0, handedOver: sentThisRun };
	const toSend: OutboundMessage[] = [];

	const heldBy = (message: OutboundMessage) =>
		and(eq(outboundMessages.id, message.id), eq(outboundMessages.status, 'sending'), eq(outboundMessages.leaseUntil, message.leaseUntil!));

	for (const message of claimed) {
		const cap = options.perChannelPerRun?.[message.channel];
		const stopping = options.signal?.aborted === true;
		if (stopping || (cap !== undefined && (sentThisRun[message.channel] ?? 0) >= cap)) {
			// Over this channel's rate, or shutting down: give the row back as it was (the
			// claim's attempt uncounted) for the next run or another instance.
			await db
				.update(outboundMessages)
				.set({ status: message.attempts > 1 ? 'failed' : 'pending', leaseUntil: null, attempts: sql`${outboundMessages.attempts} - 1` })
				.where(heldBy(message));
			if (stopping) report.released++;
			else report.deferred++;
			continue;
		}
		sentThisRun[message.channel] = (sentThisRun[message.channel] ?? 0) + 1;
		toSend.push(message);
	}

	const deliverOne = async (message: OutboundMessage) => {
		const held = heldBy(message);
		if (options.signal?.aborted) {
			// Shutting down while this one waited for a lane: put it back un-claimed, unsent.
			await db
				.update(outboundMessages)
				.set({ status: message.attempts > 1 ? 'failed' : 'pending', leaseUntil: null, attempts: sql`${outboundMessages.attempts} - 1` })
				.where(held);
			report.released++;
			return;
		}
		const transport = transports[message.channel];
		let outcome: { ok: true; providerMessageId: string } | { ok: false; error: string; permanent?: string };
		if (message.channel === 'sms' && !SMS_SENT_DESPITE_STOP.has(message.purpose) && (await smsOptedOut(db, message.recipient))) {
			// The parent texted STOP: never send, and never retry. Shown as "opted out" in delivery results.
			await db
				.update(outboundMessages)
				.set({ status: 'dead', providerStatus: 'opted_out', leaseUntil: null, lastError: 'The recipient texted STOP' })
				.where(held);
			report.dead++;
			return;
		}
		if (!transport) {
			outcome = { ok: false, error: `No transport configured for channel ${message.channel}` };
		} else {
			if (atMostOnce(message.purpose)) {
				// Committed before the provider call: if this worker dies from here on, nobody resends it.
				const marked = await deliveryStatements(db).markSendStarted.execute({ id: message.id, leaseUntil: message.leaseUntil!, at: (options.now ?? new Date()).toISOString() });
				if (!marked.length) {
					report.lostLease++;
					return;
				}
			}
			try {
				const { providerMessageId } = await transport.send(message);
				outcome = { ok: true, providerMessageId };
			} catch (err) {
				outcome = {
					ok: false,
					error: err instanceof Error ? err.message : String(err),
					permanent: err instanceof PermanentDeliveryError ? err.providerStatus : undefined
				};
			}
		}
		const finishedAt = options.now ?? new Date();
		if (outcome.ok) {
			const rows = await deliveryStatements(db).markSent.execute({ id: message.id, leaseUntil: message.leaseUntil!, providerMessageId: outcome.providerMessageId, at: finishedAt.toISOString() });
			if (rows.length) report.sent++;
			else report.lostLease++;
		} else {
			const isDead = message.attempts >= maxAttempts || outcome.permanent !== undefined;
			const rows = await db
				.update(outboundMessages)
				.set({
					status: isDead ? 'dead' : 'failed',
					...(outcome.permanent ? { providerStatus: outcome.permanent } : {}),
					leaseUntil: null,
					// The provider answered with an error: it did not take the message, so a retry is safe.
					sendStartedAt: null,
					lastError: outcome.error.slice(0, 1000),
					nextAttemptAt: new Date(finishedAt.getTime() + backoffMs(message.attempts, baseBackoffMs, maxBackoffMs))
				})
				.where(held)
				.returning({ id: outboundMessages.id });
			if (!rows.length) report.lostLease++;
			else if (isDead) report.dead++;
			else report.retrying++;
		}
	};

	// Bounded concurrency: `concurrency` lanes, each taking the next message in claim order.
	let next = 0;
	const lanes = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, toSend.length)) }, async () => {
		while (next < toSend.length) await deliverOne(toSend[next++]!);
	});
	await Promise.all(lanes);
	return report;
}

/**
 * Runs {@link deliverDueMessages} every `intervalMs` (and again at once while a run claimed a
 * full batch). Returns a stop function: the message being sent is finished, the rest of the
 * batch is released back to the queue, and it resolves when the run is over.
 *
 * `perSecond` caps each channel per second of wall time, however many runs that takes: each run
 * gets what is left of the current second's budget, and once a channel has used it the worker
 * waits for the next second (a cap per run alone is no cap when full batches run back to back).
 */
export function startOutboxWorker(
	handle: DatabaseHandle | Db,
	options: { intervalMs?: number; transports?: Transports; delivery?: Omit<DeliveryOptions, 'now' | 'perChannelPerRun'>; perSecond?: Partial<Record<OutboxChannel, number>> } = {}
): () => Promise<void> {
	const intervalMs = options.intervalMs ?? 2_000;
	const transports = options.transports ?? devTransports;
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<void> = Promise.resolve();
	const stopping = new AbortController();
	let windowStartedAt = 0;
	let usedThisSecond: Partial<Record<OutboxChannel, number>> = {};

	const tick = () => {
		running = (async () => {
			let wait = intervalMs;
			try {
				const started = Date.now();
				if (started - windowStartedAt >= 1000) {
					windowStartedAt = started;
					usedThisSecond = {};
				}
				const budget: Partial<Record<OutboxChannel, number>> = {};
				for (const [channel, cap] of Object.entries(options.perSecond ?? {}) as [OutboxChannel, number][]) {
					budget[channel] = Math.max(0, cap - (usedThisSecond[channel] ?? 0));
				}
				const report = await deliverDueMessages(handle, transports, { ...options.delivery, perChannelPerRun: budget, signal: stopping.signal });
				for (const [channel, n] of Object.entries(report.handedOver) as [OutboxChannel, number][]) usedThisSecond[channel] = (usedThisSecond[channel] ?? 0) + n;
				if (report.released) log('info', 'outbox.released', { released: report.released });
				// A channel used its second's budget: wait for the next second. A full batch
				// otherwise: more may be waiting, so go again at once.
				if (report.deferred > 0) wait = Math.max(0, windowStartedAt + 1000 - Date.now());
				else if (report.claimed >= (options.delivery?.limit ?? 20)) wait = 0;
			} catch (err) {
				log('error', 'outbox.delivery_failed', { error: err });
			}
			if (!stopped) {
				timer = setTimeout(tick, wait);
				timer.unref?.();
			}
		})();
	};
	timer = setTimeout(tick, 0);
	timer.unref?.();

	return async () => {
		stopped = true;
		stopping.abort();
		if (timer) clearTimeout(timer);
		await running;
	};
}

/** The most recent messages, newest first (the dev outbox page). */
export async function recentMessages(db: Db, limit = 50, purpose?: string): Promise<OutboundMessage[]> {
	return db
		.select()
		.from(outboundMessages)
		.where(purpose ? eq(outboundMessages.purpose, purpose) : undefined)
		.orderBy(desc(outboundMessages.createdAt))
		.limit(limit);
}

/** Messages that could not be delivered (dead letters) for one school, newest first, for staff to see and retry. */
export async function deadLetters(db: Db, schoolId: string, limit = 100): Promise<OutboundMessage[]> {
	return db
		.select()
		.from(outboundMessages)
		.where(and(eq(outboundMessages.schoolId, schoolId), eq(outboundMessages.status, 'dead')))
		.orderBy(desc(outboundMessages.createdAt))
		.limit(limit);
}

/** Staff retry a dead letter at their school: it goes back in the queue with fresh attempts. */
export async function retryDeadLetter(db: Db, schoolId: string, messageId: string): Promise<boolean> {
	if (!/^[0-9a-f-]{36}$/i.test(messageId)) return false;
	const rows = await db
		.update(outboundMessages)
		.set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null, providerStatus: null, sendStartedAt: null })
		.where(and(eq(outboundMessages.id, messageId), eq(outboundMessages.schoolId, schoolId), eq(outboundMessages.status, 'dead')))
		.returning({ id: outboundMessages.id });
	return rows.length > 0;
}
