/**
 * Demo data for the graduated response at Harbourside, so a new user sees the process on
 * `npm start`: the Lanercost policy run half-termly; at the end of Autumn 1 a sibling pair (one
 * child at 99%, the other at 93% with lates) each with the letter their own figures call for, an
 * upper amber letter, a close monitoring letter with a meeting booked, and a plan of support
 * due for review (the parent has ticked their action and left a comment); and a lateness letter for a week with lates. Everything goes through the
 * services (letters through the outbox, to the development transport). Idempotent: once the
 * school has a policy, it does nothing.
 */
import type { DatabaseHandle } from '../platform/db/engine';
import { addParentComment, confirmMonitoringPoint, createPlan, inviteMeeting, markFamilyActionDone, saveGraduatedPolicy, schoolMonitoringPoints, tallies } from '../features/graduated-response';
import { ensureDefaultDirectory } from '../features/support';
import { addDays, nextSchoolDay, schoolOpenOn, type IsoDate } from '../../domain/calendar';
import { loadSchoolCalendar } from '../platform/school-calendar';

export async function seedGraduatedDemo(handle: DatabaseHandle, schoolSlug: string, today: IsoDate): Promise<{ letters: number }> {
	const [school] = await handle.query<{ id: string }>(`select id::text as id from schools where slug = $1`, [schoolSlug]);
	if (!school) return { letters: 0 };
	const [policy] = await handle.query(`select 1 from graduated_policies where school_id = $1`, [school.id]);
	if (policy) return { letters: 0 };
	const [lead] = await handle.query<{ id: string; role: string }>(`select id::text as id, role::text as role from staff_users where school_id = $1 and role = 'attendance_lead' order by created_at limit 1`, [school.id]);
	const actor = lead ?? { id: null as unknown as string, role: 'attendance_lead' };
	await saveGraduatedPolicy(handle.db, actor, school.id, { preset: 'lanercost', cadence: 'half_termly' });

	const points = await schoolMonitoringPoints(handle, school.id, today);
	const autumn1 = points.attendance.at(-1);
	if (!autumn1) return { letters: 0 };

	// A family with two children at the school: one is given 99% and the other 93% with lates in Autumn 1.
	// Chosen by MIS id, so the same roster gives the same demo families.
	const [pair] = await handle.query<{ a: string; b: string }>(
		`select (array_agg(p.id::text order by p.mis_id))[1] as a, (array_agg(p.id::text order by p.mis_id))[2] as b
		   from pupil_guardians pg join pupils p on p.id = pg.pupil_id and p.school_id = $1
		   join guardians g on g.id = pg.guardian_id and g.phone is not null
		  group by pg.guardian_id having count(*) = 2 order by min(p.mis_id) limit 1`,
		[school.id]
	);
	const misIds = new Map((await handle.query<{ id: string; mis_id: string }>(`select id::text as id, mis_id from pupils where school_id = $1`, [school.id])).map((r) => [r.id, r.mis_id]));
	const chosen: string[] = [];
	if (pair) {
		await shapeMarks(handle, school.id, pair.a, autumn1.from, autumn1.to, 0.01, 0);
		await shapeMarks(handle, school.id, pair.b, autumn1.from, autumn1.to, 0.07, 4);
		chosen.push(pair.a, pair.b);
	}
	const year = await tallies(handle, school.id, points.yearStart, autumn1.to);
	const preview = [...year.entries()].filter(([id]) => !chosen.includes(id)).sort(([a], [b]) => (misIds.get(a) ?? '').localeCompare(misIds.get(b) ?? '')).map(([id, t]) => ({ id, ...t }));
	const pct = (r: { attended: number; possible: number }) => (r.possible ? (100 * r.attended) / r.possible : 100);
	const upperAmber = preview.find((r) => pct(r) >= 94 && pct(r) < 96);
	const reds = preview.filter((r) => pct(r) < 90).slice(0, 2);
	for (const r of [upperAmber, ...reds]) if (r) chosen.push(r.id);

	const staff = { id: actor.id };
	const result = await confirmMonitoringPoint(handle, staff, school.id, { pointKey: autumn1.key }, { today, onlyPupilIds: chosen });
	let letters = result?.letters ?? 0;

	// The first red pupil's meeting is booked for next week; the second has a plan of support under review.
	const [first, second] = reds;
	const cal = await loadSchoolCalendar(handle.db, school.id);
	if (first) {
		// Through the service, so the parents get the invitation and the meeting page works as it would.
		// A week on, or the first day after it that the school is open.
		const weekOn = addDays(today, 7);
		const day = schoolOpenOn(cal, weekOn) ? weekOn : (nextSchoolDay(cal, weekOn) ?? weekOn);
		await inviteMeeting(handle, { id: actor.id, role: 'attendance_lead', schoolId: school.id }, first.id, {
			date: day,
			time: '15:30',
			place: 'The school office',
			withWhom: 'Mrs Okafor (headteacher) and Mr Reid (attendance champion)'
		});
	}
	if (second) {
		// Started three weeks ago through the service (the family told by message), due for review in
		// two days, so it is on the "reviews due" list; the parent has ticked their action and commented.
		const started = new Date(`${today}T09:00:00Z`);
		started.setUTCDate(started.getUTCDate() - 21);
		// The review is on a day the school is open, within the two days that put it on the list.
		const reviewOn = [addDays(today, 2), addDays(today, 1), today].find((d) => schoolOpenOn(cal, d)) ?? nextSchoolDay(cal, today) ?? addDays(today, 2);
		await ensureDefaultDirectory(handle);
		const plan = await createPlan(
			handle,
			{ id: actor.id, role: actor.role, schoolId: school.id },
			second.id,
			{
				barriers: ['mental_health_and_anxiety'],
				otherBarriers: 'Rushed mornings',
				childView: 'Mornings feel rushed and I worry about reading aloud.',
				actions: [
					{ who: 'school', text: 'A calm start: meet the class teacher at the side gate at 8:40 for the first two weeks' },
					{ who: 'family', text: 'Pack the school bag the evening before' },
					{ who: 'service', text: 'Referral to the Mental Health Support Team', service: 'Mental Health Support Teams' }
				],
				reviewOn
			},
			{ now: started }
		);
		const [parent] = await handle.query<{ id: string }>(`select guardian_id::text as id from pupil_guardians where pupil_id = $1 order by contact_priority limit 1`, [second.id]);
		if (plan.ok && parent) {
			const [saved] = await handle.query<{ actions: { id: string; who: string }[] }>(`select actions from graduated_plans where id = $1`, [plan.id]);
			const family = saved?.actions.find((a) => a.who === 'family');
			const ticked = new Date(started.getTime() + 2 * 86_400_000);
			if (family) await markFamilyActionDone(handle.db, parent.id, plan.id, family.id, true, ticked);
			await addParentComment(handle.db, parent.id, plan.id, 'The side gate has helped. Reading aloud is still a worry.', new Date(started.getTime() + 7 * 86_400_000));
		}
	}

	// The sibling with lates gets the lateness letter for the week they were late in.
	const week = points.lateness.find((w) => w.from <= autumn1.to && w.to >= autumn1.from) ?? points.lateness.find((w) => w.to <= autumn1.to);
	if (pair && week) {
		const lates = await confirmMonitoringPoint(handle, staff, school.id, { pointKey: week.key }, { today, onlyPupilIds: [pair.b] });
		letters += lates?.letters ?? 0;
	}
	return { letters };
}

/** Rewrites a pupil's marks in a period to `absentShare` of sessions absent (illness) and `lates` late mornings in the period's last week. */
async function shapeMarks(handle: DatabaseHandle, schoolId: string, pupilId: string, from: string, to: string, absentShare: number, lates: number) {
	const rows = await handle.query<{ date: string; session: string }>(
		`select to_char(date, 'YYYY-MM-DD') as date, session::text as session from attendance_marks
		  where school_id = $1 and pupil_id = $2 and date >= $3::date and date <= $4::date and code not in ('#', 'X', 'Z') order by date, session`,
		[schoolId, pupilId, from, to]
	);
	await handle.query(`update attendance_marks set code = case when session = 'AM' then '/' else '\\' end, minutes_late = null where school_id = $1 and pupil_id = $2 and date >= $3::date and date <= $4::date and code not in ('#', 'X', 'Z')`, [schoolId, pupilId, from, to]);
	const absent = Math.round(rows.length * absentShare);
	// Whole days of illness early in the period (AM and PM together).
	for (const r of rows.slice(4, 4 + absent)) await handle.query(`update attendance_marks set code = 'I' where pupil_id = $1 and date = $2::date and session = $3::register_session`, [pupilId, r.date, r.session]);
	const mornings = rows.filter((r) => r.session === 'AM').slice(-5).slice(0, lates);
	for (const r of mornings) await handle.query(`update attendance_marks set code = 'L', minutes_late = 12 where pupil_id = $1 and date = $2::date and session = 'AM'`, [pupilId, r.date]);
}
