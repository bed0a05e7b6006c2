/**
 * What /health tells a load balancer or an operator: whether the database answers,
 * and how far behind the outbox is. Counts and ages only, never personal data.
 */
import type { DatabaseHandle } from '../../platform/db/engine';

export interface HealthReport {
	status: 'ok' | 'unavailable';
	database: DatabaseHandle['engine'] | 'unreachable';
	outbox?: {
		/** Pending or failed messages whose next attempt is due now (waiting for a worker). */
		due: number;
		/** Messages a worker has claimed and is sending. */
		sending: number;
		/** Messages scheduled for later (e.g. a retry backoff or a timed campaign). */
		scheduled: number;
		/** Undeliverable messages waiting for staff to retry them. */
		dead: number;
		/** How long the oldest due message has waited, in seconds (0 when none). */
		oldestDueSeconds: number;
	};
	/** How long the checks took, in milliseconds. */
	checkedInMs: number;
}

/** The report; `unavailable` (and no outbox figures) when the database does not answer in `timeoutMs`. */
export async function healthReport(open: () => Promise<DatabaseHandle>, timeoutMs = 3_000): Promise<HealthReport> {
	const started = Date.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		const check = (async () => {
			const handle = await open();
			const [row] = await handle.query<{ due: string; sending: string; scheduled: string; dead: string; oldest: string | null }>(
				`select
					count(*) filter (where status in ('pending', 'failed') and next_attempt_at <= now()) as due,
					count(*) filter (where status = 'sending') as sending,
					count(*) filter (where status in ('pending', 'failed') and next_attempt_at > now()) as scheduled,
					count(*) filter (where status = 'dead') as dead,
					extract(epoch from now() - min(next_attempt_at) filter (where status in ('pending', 'failed') and next_attempt_at <= now())) as oldest
				from outbound_messages`
			);
			return { handle, row: row! };
		})();
		const { handle, row } = await Promise.race([
			check,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error('database check timed out')), timeoutMs);
			})
		]);
		return {
			status: 'ok',
			database: handle.engine,
			outbox: {
				due: Number(row.due),
				sending: Number(row.sending),
				scheduled: Number(row.scheduled),
				dead: Number(row.dead),
				oldestDueSeconds: row.oldest === null ? 0 : Math.max(0, Math.floor(Number(row.oldest)))
			},
			checkedInMs: Date.now() - started
		};
	} catch {
		return { status: 'unavailable', database: 'unreachable', checkedInMs: Date.now() - started };
	} finally {
		if (timer) clearTimeout(timer);
	}
}
