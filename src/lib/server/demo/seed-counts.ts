/**
 * Demo data for the days-missed messages: Harbourside's run for Autumn 1, drawn and sent on the
 * first school day of Autumn 2, with a simulated effect so the results page has something to
 * show: in the weeks after the run, some absences of the messaged families' children are turned
 * into attendance. Fictional, like all demo data; only for a freshly seeded school.
 */
import type { DatabaseHandle } from '../platform/db/engine';
import { compareDates, type IsoDate } from '../../domain/calendar';
import { codesInCategory } from '../../domain/codes';
import { FOLLOW_UP_DAYS } from '../../domain/days-missed';
import { confirmDaysMissedRun, offerChoices, prepareDaysMissedRun } from '../features/campaigns';
import { ensureDefaultDirectory } from '../features/support';

const RUN_AT = new Date('2026-11-03T08:30:00Z');
const RUN_ON: IsoDate = '2026-11-03';
/** The share of a messaged child's absences in the following weeks the demo turns into attendance. */
const SIMULATED_EFFECT_PERCENT = 60;

export async function seedDaysMissedDemo(handle: DatabaseHandle, schoolId: string, today: IsoDate): Promise<boolean> {
	if (compareDates(today, RUN_ON) <= 0) return false;
	await ensureDefaultDirectory(handle);
	const offers = await offerChoices(handle);
	const offer = offers.find((o) => o.category === 'general') ?? offers[0];
	if (!offer) return false;
	const made = await prepareDaysMissedRun(handle, { schoolId, staffUserId: null, input: { thresholdPercent: 95, holdOutPercent: 30, offerServiceId: offer.id }, now: RUN_AT, seed: 'demo-autumn-1' });
	if (!made.ok) return false;
	await confirmDaysMissedRun(handle, { schoolId, staffUserId: null, runId: made.id, now: RUN_AT });
	// Sent back then: the demo's outbox does not send these again, nor list them as new.
	await handle.query(`update outbound_messages set status = 'sent', created_at = $2, sent_at = $2 where purpose = 'days_missed' and school_id = $1`, [schoolId, RUN_AT]);
	const absences = [...codesInCategory('authorised_absence'), ...codesInCategory('unauthorised_absence')];
	await handle.query(
		`update attendance_marks m set code = case m.session when 'AM' then '/' else '\\' end
		   from days_missed_assignments a, jsonb_array_elements_text(a.pupil_ids) p, pupils pu
		  where a.run_id = $1 and a.arm = 'message' and m.pupil_id = p::uuid and pu.id = m.pupil_id
		    and m.date >= $2::date and m.date < $2::date + $3::int
		    and m.code = any($4::text[])
		    and abs(hashtext(pu.mis_id || m.date::text || m.session::text)) % 100 < $5`,
		[made.id, RUN_ON, FOLLOW_UP_DAYS, absences, SIMULATED_EFFECT_PERCENT]
	);
	return true;
}
