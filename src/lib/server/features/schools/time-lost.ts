/** The percentages a school's time-lost table quotes: read and set by the school's staff, audited. */
import { eq } from 'drizzle-orm';
import { DEFAULT_TIME_LOST_PERCENTS, parseTimeLostPercents, type TimeLostProblem } from '../../../domain/attendance';
import { writeAudit } from '../../platform/audit';
import type { DatabaseHandle } from '../../platform/db/engine';
import { schools } from '../../platform/db/schema';

export async function timeLostPercents(handle: DatabaseHandle, schoolId: string): Promise<{ percents: readonly number[]; own: boolean }> {
	const [row] = await handle.db.select({ percents: schools.timeLostPercents }).from(schools).where(eq(schools.id, schoolId));
	return row?.percents?.length ? { percents: row.percents, own: true } : { percents: DEFAULT_TIME_LOST_PERCENTS, own: false };
}

/** `text` as typed by staff ("97, 95, 90"); an empty text goes back to the default table. */
export async function setTimeLostPercents(
	handle: DatabaseHandle,
	opts: { schoolId: string; staffUserId: string; text: string }
): Promise<{ ok: true; percents: readonly number[] } | { ok: false; problem: TimeLostProblem }> {
	let percents: number[] | null = null;
	if (opts.text.trim()) {
		const parsed = parseTimeLostPercents(opts.text);
		if (!parsed.ok) return parsed;
		percents = parsed.percents;
	}
	await handle.db.transaction(async (tx) => {
		await tx.update(schools).set({ timeLostPercents: percents, updatedAt: new Date() }).where(eq(schools.id, opts.schoolId));
		await writeAudit(tx, { actorType: 'staff', actorId: opts.staffUserId, action: 'school.time_lost_percents_set', schoolId: opts.schoolId, details: { percents } });
	});
	return { ok: true, percents: percents ?? DEFAULT_TIME_LOST_PERCENTS };
}
