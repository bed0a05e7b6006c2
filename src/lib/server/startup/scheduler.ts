/**
 * Time-driven work, run every minute on every app instance: the automatic first day contact,
 * the daily check-ins for open-ended absence reports, due campaigns, and evidence retention
 * (documents deleted EVIDENCE_RETENTION_DAYS after the leave; see evidence-retention.ts), the day-before
 * reminders of meetings with parents (claimed on reminded_at) and reminders of plan of support
 * reviews (one per plan: a conditional update). Every job is keyed (one
 * first_day_contacts row per pupil per day, one outbox key per check-in per day), so several
 * instances running the same minute queue each message once. Once an hour, the retention job
 * (platform/retention.ts).
 */
import { sendDueCheckIns } from '../features/absence';
import type { DatabaseHandle } from '../platform/db/engine';
import { runAutomaticFirstDayContacts } from '../features/school-day';
import { prepareDueDaysMissedRuns, queueDueCampaigns } from '../features/campaigns';
import { deleteExpiredEvidence, moveLegacyEvidence, sweepOrphanEvidence } from '../features/leave';
import { refreshStaleRollups } from '../features/local-authority';
import { sendMeetingReminders } from '../features/graduated-response';
import { sweepReviewReminders } from '../features/graduated-response';
import type { EvidenceStore } from '../providers/evidence-storage';
import { log } from '../platform/log';
import { runRetention } from '../platform/retention';

export interface ScheduledRun {
	firstDayContacts: number;
	checkIns: number;
	campaignMessages: number;
	evidenceDeleted: number;
	evidenceMoved: number;
	evidenceOrphansDeleted: number;
	/** Rows removed or redacted by the hourly retention job (platform/retention.ts). */
	retained: number;
	/** Days-missed runs drawn for a new half term, awaiting staff's confirmation (hourly). */
	daysMissedRunsPrepared: number;
	/** Meetings whose parents were reminded the day before. */
	meetingReminders: number;
	/** Plans of support whose review staff were reminded of (each plan once). */
	reviewReminders: number;
}

export async function runScheduledJobs(handle: DatabaseHandle, now: Date = new Date(), deps: { evidenceStore?: EvidenceStore } = {}): Promise<ScheduledRun> {
	const firstDayContacts = await runAutomaticFirstDayContacts(handle, now);
	const checkIns = await sendDueCheckIns(handle, { now });
	const campaignMessages = await queueDueCampaigns(handle, now);
	// Evidence jobs depend on the evidence store: an outage there is logged and retried next
	// minute without stopping the other jobs (or each other).
	const guarded = async (job: string, run: () => Promise<number>) => {
		try {
			return await run();
		} catch (err) {
			log('error', 'scheduler.job_failed', { job, error: err });
			return 0;
		}
	};
	const evidenceMoved = await guarded('evidence.move_legacy', () => moveLegacyEvidence(handle, { store: deps.evidenceStore }));
	const evidenceDeleted = await guarded('evidence.retention', () => deleteExpiredEvidence(handle, { now, store: deps.evidenceStore }));
	// Listing the store is the costly part: once an hour is plenty for files left by a crash.
	const evidenceOrphansDeleted = now.getUTCMinutes() === 23 ? await guarded('evidence.orphans', () => sweepOrphanEvidence(handle, { store: deps.evidenceStore, now })) : 0;
	// The local authority's figures across schools: rebuilt for a school after its register changes.
	await guarded('la.rollup', () => refreshStaleRollups(handle, now));
	// Sign-in codes in the outbox, expired sessions and old rate-limit counters: once an hour.
	const retained =
		now.getUTCMinutes() === 41
			? await guarded('retention', async () => Object.values(await runRetention(handle, now)).reduce((a, b) => a + b, 0))
			: 0;
	// A new half term's days-missed run is drawn (never sent) for schools that have sent one: hourly is plenty.
	const daysMissedRunsPrepared = now.getUTCMinutes() === 7 ? await guarded('days_missed.prepare', () => prepareDueDaysMissedRuns(handle, now)) : 0;
	const meetingReminders = await guarded('graduated.meeting_reminders', () => sendMeetingReminders(handle, now));
	// Plan of support reviews coming up: each plan's reminder once, whichever instance gets there first.
	const reviewReminders = await guarded('graduated.review_reminders', () => sweepReviewReminders(handle, now));
	return { firstDayContacts, checkIns, campaignMessages, evidenceDeleted, evidenceMoved, evidenceOrphansDeleted, retained, daysMissedRunsPrepared, meetingReminders, reviewReminders };
}

/** Runs the jobs now and then every `intervalMs`. Returns a stop function that waits for a running pass. */
export function startScheduler(handle: DatabaseHandle, intervalMs = 60_000): () => Promise<void> {
	let stopped = false;
	let running: Promise<unknown> = Promise.resolve();
	const tick = () => {
		running = runScheduledJobs(handle)
			.then((run) => {
				if (run.firstDayContacts || run.checkIns || run.campaignMessages || run.evidenceDeleted || run.evidenceMoved || run.evidenceOrphansDeleted || run.retained || run.meetingReminders || run.reviewReminders) log('info', 'scheduler.run', { ...run });
			})
			.catch((err) => log('error', 'scheduler.failed', { error: err }));
	};
	const timer = setInterval(() => {
		if (!stopped) tick();
	}, intervalMs);
	timer.unref?.();
	tick();
	return async () => {
		stopped = true;
		clearInterval(timer);
		await running;
	};
}
