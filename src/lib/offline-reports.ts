/**
 * Absence reports made while the phone is offline. The report page saves the answers
 * in IndexedDB with the form's idempotency key; the page (on `online`) and the service worker
 * (on `sync`) send them to POST /api/reports when the connection is back. Both may try the same
 * report: the key makes the server return the original report, never a second one.
 *
 * Runs in the browser and in the service worker (no DOM use).
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { ReportAnswers } from '$lib/domain/absence';

export interface QueuedReport extends ReportAnswers {
	/** Child names, to tell the parent what is waiting. */
	names: string[];
	queuedAt: string;
}

export type FlushOutcome =
	| { key: string; status: 'sent'; references: string[]; confirmation: string }
	| { key: string; status: 'rejected'; message: string }
	| { key: string; status: 'offline' }
	| { key: string; status: 'signed_out' };

export const SYNC_TAG = 'every-day-reports';

let store: UseStore | undefined;
const reportStore = () => (store ??= createStore('every-day-offline', 'reports'));

export function reportFromFormData(form: FormData, names: string[]): QueuedReport {
	const text = (name: string) => String(form.get(name) ?? '');
	return {
		idempotencyKey: text('idempotencyKey'),
		pupilIds: form.getAll('pupilId').map(String),
		when: text('when'),
		date: text('date'),
		from: text('from'),
		to: text('to'),
		reason: text('reason'),
		details: text('details'),
		part: text('part'),
		arrivesBy: text('arrivesBy'),
		leavesAt: text('leavesAt'),
		apptLeavesAt: text('apptLeavesAt'),
		apptReturnsAt: text('apptReturnsAt'),
		names,
		queuedAt: new Date().toISOString()
	};
}

export async function queueReport(report: QueuedReport): Promise<void> {
	await set(report.idempotencyKey, report, reportStore());
}

export async function queuedReports(): Promise<QueuedReport[]> {
	return (await entries<string, QueuedReport>(reportStore())).map(([, v]) => v);
}

let flushing: Promise<FlushOutcome[]> | undefined;

/**
 * Sends every queued report. A report leaves the queue once the server stored it (200) or
 * refused it for good (4xx other than 401: the parent must fill the form in again, and is told
 * why); on a network failure or 5xx it stays for the next try.
 */
export function flushQueuedReports(fetcher: typeof fetch = fetch): Promise<FlushOutcome[]> {
	flushing ??= (async () => {
		const out: FlushOutcome[] = [];
		try {
			for (const report of await queuedReports()) {
				const { names: _names, queuedAt: _queuedAt, ...body } = report;
				let res: Response;
				try {
					res = await fetcher('/api/reports', {
						method: 'POST',
						credentials: 'same-origin',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(body)
					});
				} catch {
					out.push({ key: report.idempotencyKey, status: 'offline' });
					continue;
				}
				if (res.ok) {
					const data = (await res.json()) as { references: string[]; confirmation: string };
					await del(report.idempotencyKey, reportStore());
					out.push({ key: report.idempotencyKey, status: 'sent', ...data });
				} else if (res.status === 401) {
					out.push({ key: report.idempotencyKey, status: 'signed_out' });
				} else if (res.status >= 400 && res.status < 500) {
					const data = (await res.json().catch(() => ({}))) as { errors?: { message: string }[] };
					await del(report.idempotencyKey, reportStore());
					out.push({
						key: report.idempotencyKey,
						status: 'rejected',
						message: data.errors?.map((e) => e.message).join('. ') || 'The school could not accept this report.'
					});
				} else {
					out.push({ key: report.idempotencyKey, status: 'offline' });
				}
			}
		} finally {
			flushing = undefined;
		}
		return out;
	})();
	return flushing;
}
