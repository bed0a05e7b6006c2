/**
 * Personal days-missed messages that measure themselves (docs/days-missed-messages.md).
 *
 * Staff prepare a run for the last completed half term: the households (children who share a
 * parent, with their parents) with a child below the school's threshold, less the families staff
 * excluded, are drawn at random, within each attendance band, into those messaged and a hold-out
 * that is not sent this run's message. The seed and every assignment are stored. Staff read the
 * run, then confirm it; confirming queues one message per messaged household through the outbox,
 * once (the run is claimed in the same transaction, and each message has a key per school, half
 * term and parent). The results compare the days missed in the six weeks after each run.
 *
 * The hold-out is read only here: a held-out family gets everything else as usual.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { BANDS, BAND_INFO, daysFromSessions, type Band } from '../../../domain/attendance';
import { countSchoolDays, localDateOf } from '../../../domain/calendar';
import {
	DEFAULT_HOLD_OUT_PERCENT,
	DEFAULT_THRESHOLD_PERCENT,
	EXCLUSION_REASONS,
	HOLD_OUT_PERCENT_MAX,
	THRESHOLD_PERCENT_MAX,
	THRESHOLD_PERCENT_MIN,
	eligibleHouseholds,
	followUpWindow,
	groupHouseholds,
	messageParts,
	newSeed,
	reportingPeriod,
	stratifiedHoldOut,
	toneChecklistFailures,
	typicalDaysMissed,
	wordCount,
	type ChildFigures,
	type ToneCheck
} from '../../../domain/days-missed';
import { MIN_PER_GROUP, summarise, welchDifference, type Difference } from '../../../domain/estimate';
import { BASE_LOCALE, LOCALES, LOCALE_ENGLISH_NAMES, chooseMessageLocale, textDirection, type Locale } from '../../../domain/locale';
import { childFirstName } from '../../../domain/pupils';
import { daysMissedMessageText } from '../../../i18n-days-missed';
import { schoolAttendanceSummary } from '../attendance';
import { findServices } from '../support';
import { guardianLocale, routeForGuardian } from '../accounts';
import { writeAudit } from '../../platform/audit';
import { spreadsheetSafe } from '../../platform/csv-safe';
import type { DatabaseHandle } from '../../platform/db/engine';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { enqueueMessage } from '../../platform/outbox';
import { campaigns, daysMissedAssignments, daysMissedExclusions, daysMissedRuns, guardians, pupilGuardians, pupils, schools } from '../../platform/db/schema';

export type DaysMissedProblem =
	| { code: 'no_completed_half_term' }
	| { code: 'run_exists'; runId: string }
	| { code: 'threshold_invalid'; min: number; max: number }
	| { code: 'hold_out_invalid'; max: number }
	| { code: 'offer_invalid' }
	| { code: 'no_eligible_families' };

/** The words for staff (staff pages are English). */
export function daysMissedProblemText(p: DaysMissedProblem): string {
	switch (p.code) {
		case 'no_completed_half_term':
			return 'No half term of this school year has ended yet, so there are no figures to send';
		case 'run_exists':
			return 'This half term already has a run: open it from the list below';
		case 'threshold_invalid':
			return `Enter an attendance threshold between ${p.min}% and ${p.max}%`;
		case 'hold_out_invalid':
			return `Enter a hold-out share between 0% and ${p.max}%`;
		case 'offer_invalid':
			return 'Choose the offer of help from the directory';
		case 'no_eligible_families':
			return 'No family is below the threshold (or every one is excluded): there is nothing to send';
	}
}

export const runSettingsSchema = z.object({
	thresholdPercent: z.coerce.number().int().min(THRESHOLD_PERCENT_MIN).max(THRESHOLD_PERCENT_MAX),
	holdOutPercent: z.coerce.number().int().min(0).max(HOLD_OUT_PERCENT_MAX),
	offerServiceId: z.string().uuid()
});
export type RunSettingsInput = z.input<typeof runSettingsSchema>;

export const exclusionSchema = z.object({
	pupilId: z.string().uuid(),
	reason: z.enum(EXCLUSION_REASONS),
	note: z
		.string()
		.transform((t) => t.replaceAll('\u0000', '').trim())
		.pipe(z.string().max(200))
		.default('')
});

const today = (now: Date, timeZone: string) => localDateOf(now, timeZone);

/** Directory services a message can offer: for families, with a way to reach them. */
export async function offerChoices(handle: DatabaseHandle) {
	const services = await findServices(handle, { for: { family: true } });
	return services.filter((s) => s.link || s.contact).map((s) => ({ id: s.id, name: s.name, contact: (s.link ?? s.contact)!, category: s.category }));
}

async function schoolRow(handle: DatabaseHandle, schoolId: string) {
	const [s] = await handle.db.select({ name: schools.name, timeZone: schools.timeZone }).from(schools).where(eq(schools.id, schoolId));
	return s ?? null;
}

/** Each pupil's figures for a run: this year (to yesterday) and the reported half term. */
async function childFigures(handle: DatabaseHandle, schoolId: string, period: { yearFrom: string; figuresTo: string; from: string; to: string }) {
	const [year, half] = await Promise.all([
		schoolAttendanceSummary(handle, schoolId, { from: period.yearFrom, to: period.figuresTo }),
		schoolAttendanceSummary(handle, schoolId, { from: period.from, to: period.to })
	]);
	const halfBy = new Map(half.map((p) => [p.pupilId, p]));
	const figures = new Map<string, ChildFigures>();
	for (const p of year) {
		const h = halfBy.get(p.pupilId);
		figures.set(p.pupilId, {
			pupilId: p.pupilId,
			firstName: childFirstName(p),
			percent: p.percent,
			band: p.band,
			daysThisYear: daysFromSessions(p.possible - p.attended),
			daysLastHalfTerm: h ? daysFromSessions(h.possible - h.attended) : 0
		});
	}
	const typical = typicalDaysMissed(year.filter((p) => p.possible > 0).map((p) => daysFromSessions(p.possible - p.attended)));
	return { figures, typical };
}

/**
 * The school's households: children linked through a parent with parental responsibility. A
 * household's key is its smallest MIS id (the school's own pupil number), so the draw's order,
 * and so the draw, is the same in any copy of the school's data.
 */
async function schoolHouseholds(handle: DatabaseHandle, schoolId: string) {
	const links = await handle.db
		.select({ pupilId: pupilGuardians.pupilId, guardianId: pupilGuardians.guardianId, contactPriority: pupilGuardians.contactPriority, misId: pupils.misId })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(and(eq(pupils.schoolId, schoolId), eq(pupilGuardians.parentalResponsibility, true)));
	const misOf = new Map(links.map((l) => [l.pupilId, l.misId]));
	return groupHouseholds(links)
		.map((h) => ({ ...h, key: h.pupilIds.map((id) => misOf.get(id)!).sort()[0]! }))
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** What the staff page needs: the half term a run would report on, its run if any, the runs, the exclusions. */
export async function daysMissedOverview(handle: DatabaseHandle, schoolId: string, now: Date = new Date()) {
	const school = await schoolRow(handle, schoolId);
	const calendar = await loadSchoolCalendar(handle.db, schoolId);
	const period = reportingPeriod(calendar, today(now, school?.timeZone ?? calendar.timeZone));
	const runs = await handle.db
		.select({ id: daysMissedRuns.id, periodName: daysMissedRuns.periodName, periodFrom: daysMissedRuns.periodFrom, confirmedAt: daysMissedRuns.confirmedAt, sentOn: daysMissedRuns.sentOn, thresholdPercent: daysMissedRuns.thresholdPercent, holdOutPercent: daysMissedRuns.holdOutPercent })
		.from(daysMissedRuns)
		.where(eq(daysMissedRuns.schoolId, schoolId))
		.orderBy(desc(daysMissedRuns.periodFrom));
	const exclusions = await handle.db
		.select({ id: daysMissedExclusions.id, pupilId: daysMissedExclusions.pupilId, reason: daysMissedExclusions.reason, note: daysMissedExclusions.note, createdAt: daysMissedExclusions.createdAt, firstName: pupils.firstName, lastName: pupils.lastName, className: pupils.className })
		.from(daysMissedExclusions)
		.innerJoin(pupils, eq(pupils.id, daysMissedExclusions.pupilId))
		.where(eq(daysMissedExclusions.schoolId, schoolId))
		.orderBy(asc(pupils.lastName), asc(pupils.firstName));
	const latest = runs[0];
	return {
		period: period ? { name: period.halfTerm.name, from: period.halfTerm.startsOn, to: period.halfTerm.endsOn } : null,
		currentRun: period ? (runs.find((r) => r.periodFrom === period.halfTerm.startsOn) ?? null) : null,
		runs,
		exclusions,
		defaults: { thresholdPercent: latest?.thresholdPercent ?? DEFAULT_THRESHOLD_PERCENT, holdOutPercent: latest?.holdOutPercent ?? DEFAULT_HOLD_OUT_PERCENT }
	};
}

/** Pupils staff may exclude (name and class), for the exclusion form. */
export async function pupilsForExclusion(handle: DatabaseHandle, schoolId: string) {
	return handle.db
		.select({ id: pupils.id, firstName: pupils.firstName, lastName: pupils.lastName, className: pupils.className })
		.from(pupils)
		.where(eq(pupils.schoolId, schoolId))
		.orderBy(asc(pupils.lastName), asc(pupils.firstName));
}

export type PrepareResult = { ok: true; id: string } | { ok: false; problem: DaysMissedProblem };

/**
 * Prepares (draws) the run for the last completed half term. Nothing is sent: staff confirm it
 * first. `seed` is for tests and re-checks; otherwise a fresh random one.
 */
export async function prepareDaysMissedRun(
	handle: DatabaseHandle,
	opts: { schoolId: string; staffUserId: string | null; input: RunSettingsInput; now?: Date; seed?: string }
): Promise<PrepareResult> {
	const parsed = runSettingsSchema.safeParse(opts.input);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0]);
		if (field === 'thresholdPercent') return { ok: false, problem: { code: 'threshold_invalid', min: THRESHOLD_PERCENT_MIN, max: THRESHOLD_PERCENT_MAX } };
		if (field === 'holdOutPercent') return { ok: false, problem: { code: 'hold_out_invalid', max: HOLD_OUT_PERCENT_MAX } };
		return { ok: false, problem: { code: 'offer_invalid' } };
	}
	const v = parsed.data;
	const now = opts.now ?? new Date();
	const offer = (await offerChoices(handle)).find((s) => s.id === v.offerServiceId);
	if (!offer) return { ok: false, problem: { code: 'offer_invalid' } };
	const school = await schoolRow(handle, opts.schoolId);
	const calendar = await loadSchoolCalendar(handle.db, opts.schoolId);
	const period = reportingPeriod(calendar, today(now, school?.timeZone ?? calendar.timeZone));
	if (!period) return { ok: false, problem: { code: 'no_completed_half_term' } };
	const [existing] = await handle.db.select({ id: daysMissedRuns.id }).from(daysMissedRuns).where(and(eq(daysMissedRuns.schoolId, opts.schoolId), eq(daysMissedRuns.periodFrom, period.halfTerm.startsOn)));
	if (existing) return { ok: false, problem: { code: 'run_exists', runId: existing.id } };

	const { figures, typical } = await childFigures(handle, opts.schoolId, { yearFrom: period.yearFrom, figuresTo: period.figuresTo, from: period.halfTerm.startsOn, to: period.halfTerm.endsOn });
	const excludedRows = await handle.db.select({ pupilId: daysMissedExclusions.pupilId }).from(daysMissedExclusions).where(eq(daysMissedExclusions.schoolId, opts.schoolId));
	const { eligible, excluded } = eligibleHouseholds(await schoolHouseholds(handle, opts.schoolId), figures, { thresholdPercent: v.thresholdPercent, excludedPupilIds: new Set(excludedRows.map((r) => r.pupilId)) });
	if (eligible.length === 0) return { ok: false, problem: { code: 'no_eligible_families' } };
	const seed = opts.seed ?? newSeed(crypto.randomBytes(8));
	const arms = stratifiedHoldOut(eligible, v.holdOutPercent, seed);

	const id = await handle.db.transaction(async (tx) => {
		const [run] = await tx
			.insert(daysMissedRuns)
			.values({
				schoolId: opts.schoolId,
				periodName: period.halfTerm.name,
				periodFrom: period.halfTerm.startsOn,
				periodTo: period.halfTerm.endsOn,
				yearFrom: period.yearFrom,
				figuresTo: period.figuresTo,
				thresholdPercent: v.thresholdPercent,
				holdOutPercent: v.holdOutPercent,
				seed,
				offer: { serviceId: offer.id, service: offer.name, contact: offer.contact },
				typicalDays: typical,
				earlierHalfTerms: period.earlierHalfTerms,
				householdsExcluded: excluded,
				createdBy: opts.staffUserId,
				createdAt: now
			})
			.onConflictDoNothing()
			.returning({ id: daysMissedRuns.id });
		if (!run) return null;
		await tx.insert(daysMissedAssignments).values(
			eligible.map((h) => ({ runId: run.id, householdKey: h.key, band: h.band, arm: arms.get(h.key)!, pupilIds: h.pupilIds, guardianIds: h.guardianIds, recipientGuardianId: h.recipientGuardianId, children: h.children }))
		);
		await writeAudit(tx, { actorType: opts.staffUserId ? 'staff' : 'system', actorId: opts.staffUserId ?? undefined, action: 'days_missed.run_prepared', schoolId: opts.schoolId, subjectType: 'days_missed_run', subjectId: run.id, details: { period: period.halfTerm.name, households: eligible.length, heldOut: [...arms.values()].filter((a) => a === 'hold_out').length, seed } });
		return run.id;
	});
	if (!id) {
		const [again] = await handle.db.select({ id: daysMissedRuns.id }).from(daysMissedRuns).where(and(eq(daysMissedRuns.schoolId, opts.schoolId), eq(daysMissedRuns.periodFrom, period.halfTerm.startsOn)));
		return { ok: false, problem: { code: 'run_exists', runId: again?.id ?? '' } };
	}
	return { ok: true, id };
}

/**
 * The automatic part: once a school has sent a run, each new half term's run is prepared (drawn)
 * for it with the settings of its latest run, as soon as the half term it reports on has ended.
 * Nothing is sent: staff still read and confirm each run. Returns the number prepared.
 */
export async function prepareDueDaysMissedRuns(handle: DatabaseHandle, now: Date = new Date()): Promise<number> {
	const latest = await handle.db
		.selectDistinctOn([daysMissedRuns.schoolId], { schoolId: daysMissedRuns.schoolId, thresholdPercent: daysMissedRuns.thresholdPercent, holdOutPercent: daysMissedRuns.holdOutPercent, offer: daysMissedRuns.offer })
		.from(daysMissedRuns)
		.where(isNotNull(daysMissedRuns.confirmedAt))
		.orderBy(daysMissedRuns.schoolId, desc(daysMissedRuns.periodFrom));
	let prepared = 0;
	for (const r of latest) {
		if (!r.offer) continue;
		const made = await prepareDaysMissedRun(handle, { schoolId: r.schoolId, staffUserId: null, input: { thresholdPercent: r.thresholdPercent, holdOutPercent: r.holdOutPercent, offerServiceId: r.offer.serviceId }, now });
		if (made.ok) prepared++;
	}
	return prepared;
}

type RunRow = typeof daysMissedRuns.$inferSelect;
type AssignmentRow = typeof daysMissedAssignments.$inferSelect;

function householdText(run: RunRow, a: Pick<AssignmentRow, 'children'>, locale: Locale, school: string) {
	const parts = messageParts(a.children, { typicalDays: run.typicalDays, earlierHalfTerms: run.earlierHalfTerms, offer: run.offer ? { service: run.offer.service, contact: run.offer.contact } : null });
	return daysMissedMessageText(parts, { locale, school });
}

async function runOf(handle: DatabaseHandle, schoolId: string, runId: string) {
	if (!/^[0-9a-f-]{36}$/i.test(runId)) return null;
	const [run] = await handle.db.select().from(daysMissedRuns).where(and(eq(daysMissedRuns.id, runId), eq(daysMissedRuns.schoolId, schoolId)));
	return run ?? null;
}

/**
 * What staff read before confirming: households drawn by band and arm, excluded households,
 * per language the families and an example message from a real household, the longest message
 * in words, and the tone checklist's failures (none, for the templates as written).
 */
export async function daysMissedRunView(handle: DatabaseHandle, schoolId: string, runId: string) {
	const run = await runOf(handle, schoolId, runId);
	if (!run) return null;
	const school = (await schoolRow(handle, schoolId))?.name ?? '';
	const assignments = await handle.db.select().from(daysMissedAssignments).where(eq(daysMissedAssignments.runId, run.id)).orderBy(asc(daysMissedAssignments.householdKey));
	const recipientIds = assignments.map((a) => a.recipientGuardianId).filter((g): g is string => Boolean(g));
	const langs = recipientIds.length ? await handle.db.select({ id: guardians.id, preferredLanguage: guardians.preferredLanguage }).from(guardians).where(inArray(guardians.id, recipientIds)) : [];
	const localeOf = new Map(langs.map((g) => [g.id, chooseMessageLocale({ guardianPreference: g.preferredLanguage })]));
	const messaged = assignments.filter((a) => a.arm === 'message');
	const bands = BANDS.map((band) => ({
		band,
		label: BAND_INFO[band].staffLabel,
		messaged: messaged.filter((a) => a.band === band).length,
		heldOut: assignments.filter((a) => a.band === band && a.arm === 'hold_out').length
	})).filter((b) => b.messaged + b.heldOut > 0);
	let longest = 0;
	const failures = new Set<ToneCheck>();
	for (const a of messaged) {
		const text = householdText(run, a, localeOf.get(a.recipientGuardianId ?? '') ?? BASE_LOCALE, school);
		longest = Math.max(longest, wordCount(text));
		for (const f of toneChecklistFailures(text, { offer: run.offer?.service ?? null })) failures.add(f);
	}
	const languages = LOCALES.map((locale) => {
		const mine = messaged.filter((a) => (localeOf.get(a.recipientGuardianId ?? '') ?? BASE_LOCALE) === locale);
		const sample = mine[0] ?? messaged[0];
		return { locale, label: LOCALE_ENGLISH_NAMES[locale], dir: textDirection(locale), families: mine.length, example: sample ? householdText(run, sample, locale, school) : '' };
	}).filter((l) => l.locale === BASE_LOCALE || l.families > 0);
	return {
		run,
		households: assignments.length,
		messaged: messaged.length,
		heldOut: assignments.length - messaged.length,
		excluded: run.householdsExcluded,
		bands,
		languages,
		longestWords: longest,
		toneFailures: [...failures]
	};
}

/**
 * Sends a prepared run: claims it (confirmed_at, once), drops households excluded since the
 * draw, and queues one message per messaged household to its first contact, on their channel
 * and in their language. A second confirm, a retry or another run for the same half term queues
 * nothing twice. Returns the number of messages queued.
 */
export async function confirmDaysMissedRun(handle: DatabaseHandle, opts: { schoolId: string; staffUserId: string | null; runId: string; now?: Date }): Promise<number> {
	const now = opts.now ?? new Date();
	const run = await runOf(handle, opts.schoolId, opts.runId);
	if (!run || run.confirmedAt) return 0;
	const school = await schoolRow(handle, opts.schoolId);
	const sentOn = localDateOf(now, school?.timeZone ?? 'Europe/London');
	return handle.db.transaction(async (tx) => {
		const claimed = await tx
			.update(daysMissedRuns)
			.set({ confirmedAt: now, confirmedBy: opts.staffUserId, sentOn })
			.where(and(eq(daysMissedRuns.id, run.id), isNull(daysMissedRuns.confirmedAt)))
			.returning({ id: daysMissedRuns.id });
		if (claimed.length === 0) return 0;
		const excluded = new Set((await tx.select({ pupilId: daysMissedExclusions.pupilId }).from(daysMissedExclusions).where(eq(daysMissedExclusions.schoolId, opts.schoolId))).map((r) => r.pupilId));
		const assignments = await tx.select().from(daysMissedAssignments).where(eq(daysMissedAssignments.runId, run.id)).orderBy(asc(daysMissedAssignments.householdKey));
		const [campaign] = await tx
			.insert(campaigns)
			.values({ schoolId: opts.schoolId, title: `Days missed: ${run.periodName}`, body: 'A personal message to each family with a child below the threshold: each child’s days missed last half term and this year.', translations: {}, audience: { kind: 'days_missed', runId: run.id }, channels: ['preferred'], createdBy: opts.staffUserId, sendAt: now, queuedAt: now, createdAt: now })
			.returning({ id: campaigns.id });
		let queued = 0;
		for (const a of assignments) {
			if (a.pupilIds.some((p) => excluded.has(p))) {
				await tx.delete(daysMissedAssignments).where(and(eq(daysMissedAssignments.runId, run.id), eq(daysMissedAssignments.householdKey, a.householdKey)));
				continue;
			}
			if (a.arm !== 'message' || !a.recipientGuardianId) continue;
			const route = await routeForGuardian(tx, a.recipientGuardianId);
			if (!route) continue;
			const locale = await guardianLocale(tx, a.recipientGuardianId);
			const id = await enqueueMessage(tx, {
				channel: route.channel,
				recipient: route.recipient,
				guardianId: a.recipientGuardianId,
				schoolId: opts.schoolId,
				purpose: 'days_missed',
				subject: route.channel === 'email' ? `${school?.name ?? ''}: days missed` : null,
				body: householdText(run, a, locale, school?.name ?? ''),
				campaignId: campaign!.id,
				// Per school, half term and parent: a second run for the same half term sends nothing again.
				idempotencyKey: `days-missed:${opts.schoolId}:${run.periodFrom}:${a.recipientGuardianId}`
			});
			if (!id) continue;
			await tx.update(daysMissedAssignments).set({ messageId: id }).where(and(eq(daysMissedAssignments.runId, run.id), eq(daysMissedAssignments.householdKey, a.householdKey)));
			queued++;
		}
		await tx.update(daysMissedRuns).set({ campaignId: campaign!.id }).where(eq(daysMissedRuns.id, run.id));
		await writeAudit(tx, { actorType: opts.staffUserId ? 'staff' : 'system', actorId: opts.staffUserId ?? undefined, action: 'days_missed.run_confirmed', schoolId: opts.schoolId, subjectType: 'days_missed_run', subjectId: run.id, details: { queued } });
		return queued;
	});
}

/** Discards a run staff have not confirmed (a new one can then be drawn). */
export async function discardDaysMissedRun(handle: DatabaseHandle, opts: { schoolId: string; staffUserId: string; runId: string }): Promise<boolean> {
	const run = await runOf(handle, opts.schoolId, opts.runId);
	if (!run) return false;
	const rows = await handle.db.delete(daysMissedRuns).where(and(eq(daysMissedRuns.id, run.id), isNull(daysMissedRuns.confirmedAt))).returning({ id: daysMissedRuns.id });
	if (rows.length === 0) return false;
	await writeAudit(handle.db, { actorType: 'staff', actorId: opts.staffUserId, action: 'days_missed.run_discarded', schoolId: opts.schoolId, subjectType: 'days_missed_run', subjectId: run.id, details: { seed: run.seed } });
	return true;
}

export async function addDaysMissedExclusion(handle: DatabaseHandle, opts: { schoolId: string; staffUserId: string; input: z.input<typeof exclusionSchema> }): Promise<boolean> {
	const parsed = exclusionSchema.safeParse(opts.input);
	if (!parsed.success) return false;
	const [pupil] = await handle.db.select({ id: pupils.id }).from(pupils).where(and(eq(pupils.id, parsed.data.pupilId), eq(pupils.schoolId, opts.schoolId)));
	if (!pupil) return false;
	const rows = await handle.db
		.insert(daysMissedExclusions)
		.values({ schoolId: opts.schoolId, pupilId: pupil.id, reason: parsed.data.reason, note: parsed.data.note || null, createdBy: opts.staffUserId })
		.onConflictDoNothing()
		.returning({ id: daysMissedExclusions.id });
	if (rows.length === 0) return false;
	await writeAudit(handle.db, { actorType: 'staff', actorId: opts.staffUserId, action: 'days_missed.family_excluded', schoolId: opts.schoolId, subjectType: 'pupil', subjectId: pupil.id, details: { reason: parsed.data.reason } });
	return true;
}

export async function removeDaysMissedExclusion(handle: DatabaseHandle, opts: { schoolId: string; staffUserId: string; exclusionId: string }): Promise<boolean> {
	if (!/^[0-9a-f-]{36}$/i.test(opts.exclusionId)) return false;
	const rows = await handle.db.delete(daysMissedExclusions).where(and(eq(daysMissedExclusions.id, opts.exclusionId), eq(daysMissedExclusions.schoolId, opts.schoolId))).returning({ pupilId: daysMissedExclusions.pupilId });
	if (rows.length === 0) return false;
	await writeAudit(handle.db, { actorType: 'staff', actorId: opts.staffUserId, action: 'days_missed.family_included', schoolId: opts.schoolId, subjectType: 'pupil', subjectId: rows[0]!.pupilId, details: {} });
	return true;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface ResultCell {
	messaged: { households: number; meanDays: number | null };
	heldOut: { households: number; meanDays: number | null };
	/** Days fewer missed per child by messaged families (held out − messaged), with its 95% interval. */
	estimate: Difference | null;
	/** Null when there is a figure; otherwise why not. */
	withheld: null | 'too_few' | 'no_spread';
}

function cell(messaged: number[], heldOut: number[]): ResultCell {
	const m = summarise(messaged);
	const h = summarise(heldOut);
	const base = { messaged: { households: m.n, meanDays: m.n ? m.mean : null }, heldOut: { households: h.n, meanDays: h.n ? h.mean : null } };
	if (m.n < MIN_PER_GROUP || h.n < MIN_PER_GROUP) return { ...base, estimate: null, withheld: 'too_few' };
	const estimate = welchDifference(h, m);
	return { ...base, estimate, withheld: estimate ? null : 'no_spread' };
}

export interface HouseholdOutcome {
	runId: string;
	householdKey: string;
	band: Band;
	arm: 'message' | 'hold_out';
	children: number;
	/** Days missed per child this year before the run. */
	baselineDays: number;
	/** Days missed per child in the follow-up window. */
	followUpDays: number;
	/** Possible sessions in the window over the household's children. */
	possibleSessions: number;
}

export interface RunResults {
	runId: string;
	periodName: string;
	sentOn: string;
	thresholdPercent: number;
	holdOutPercent: number;
	seed: string;
	window: { from: string; to: string; schoolDays: number; complete: boolean } | null;
	overall: ResultCell | null;
	byBand: { band: Band; label: string; cell: ResultCell }[];
	baseline: { messaged: number | null; heldOut: number | null };
	households: HouseholdOutcome[];
}

/** The results of each confirmed run at a school, newest first. */
export async function daysMissedResults(handle: DatabaseHandle, schoolId: string, now: Date = new Date()): Promise<RunResults[]> {
	const school = await schoolRow(handle, schoolId);
	if (!school) return [];
	const calendar = await loadSchoolCalendar(handle.db, schoolId);
	const day = today(now, school.timeZone);
	const runs = await handle.db.select().from(daysMissedRuns).where(eq(daysMissedRuns.schoolId, schoolId)).orderBy(desc(daysMissedRuns.periodFrom));
	const out: RunResults[] = [];
	for (const run of runs) {
		if (!run.confirmedAt || !run.sentOn) continue;
		const assignments = await handle.db.select().from(daysMissedAssignments).where(eq(daysMissedAssignments.runId, run.id)).orderBy(asc(daysMissedAssignments.householdKey));
		const w = followUpWindow(run.sentOn, day);
		const base = { runId: run.id, periodName: run.periodName, sentOn: run.sentOn, thresholdPercent: run.thresholdPercent, holdOutPercent: run.holdOutPercent, seed: run.seed };
		const baselineOf = (a: AssignmentRow) => a.children.reduce((s, c) => s + c.daysThisYear, 0) / Math.max(1, a.children.length);
		const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
		const baseline = { messaged: meanOf(assignments.filter((a) => a.arm === 'message').map(baselineOf)), heldOut: meanOf(assignments.filter((a) => a.arm === 'hold_out').map(baselineOf)) };
		if (!w) {
			out.push({ ...base, window: null, overall: null, byBand: [], baseline, households: [] });
			continue;
		}
		const summary = new Map((await schoolAttendanceSummary(handle, schoolId, { from: w.from, to: w.to })).map((p) => [p.pupilId, p]));
		const households: HouseholdOutcome[] = [];
		for (const a of assignments) {
			const kids = a.pupilIds.map((id) => summary.get(id)).filter((p) => p && p.possible > 0);
			if (kids.length === 0) continue;
			households.push({
				runId: run.id,
				householdKey: a.householdKey,
				band: a.band as Band,
				arm: a.arm as 'message' | 'hold_out',
				children: kids.length,
				baselineDays: baselineOf(a),
				followUpDays: kids.reduce((s, p) => s + daysFromSessions(p!.possible - p!.attended), 0) / kids.length,
				possibleSessions: kids.reduce((s, p) => s + p!.possible, 0)
			});
		}
		const split = (hs: HouseholdOutcome[]) => cell(hs.filter((h) => h.arm === 'message').map((h) => h.followUpDays), hs.filter((h) => h.arm === 'hold_out').map((h) => h.followUpDays));
		out.push({
			...base,
			window: { ...w, schoolDays: countSchoolDays(calendar, w.from, w.to) },
			overall: split(households),
			byBand: BANDS.map((band) => ({ band, label: BAND_INFO[band].staffLabel, cell: split(households.filter((h) => h.band === band)) })).filter((b) => b.cell.messaged.households + b.cell.heldOut.households > 0),
			baseline,
			households
		});
	}
	return out;
}

/** Every school's results (for the local authority): schools with at least one sent run. */
export async function daysMissedResultsForAllSchools(handle: DatabaseHandle, now: Date = new Date()) {
	const rows = await handle.db.selectDistinct({ id: schools.id, name: schools.name }).from(schools).innerJoin(daysMissedRuns, eq(daysMissedRuns.schoolId, schools.id)).orderBy(asc(schools.name));
	const out: { schoolId: string; schoolName: string; runs: RunResults[] }[] = [];
	for (const s of rows) {
		const runs = await daysMissedResults(handle, s.id, now);
		if (runs.length) out.push({ schoolId: s.id, schoolName: s.name, runs });
	}
	return out;
}

/**
 * One row per household per run, for the LA's own analysis: no names or ids of people, only
 * a household number within the run, its band, arm and figures per child.
 */
export function daysMissedResultsCsv(schoolsResults: { schoolName: string; runs: RunResults[] }[]): string {
	const header = ['school', 'run_half_term', 'sent_on', 'follow_up_from', 'follow_up_to', 'seed', 'household', 'band', 'arm', 'children', 'baseline_days_per_child', 'follow_up_days_per_child', 'follow_up_possible_sessions'];
	const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
	const lines = [header.join(',')];
	for (const s of schoolsResults) {
		for (const r of s.runs) {
			r.households.forEach((h, i) => {
				lines.push(
					[s.schoolName, r.periodName, r.sentOn, r.window?.from ?? '', r.window?.to ?? '', r.seed, String(i + 1), h.band, h.arm, String(h.children), h.baselineDays.toFixed(2), h.followUpDays.toFixed(2), String(h.possibleSessions)]
						.map((v) => quote(spreadsheetSafe(v)))
						.join(',')
				);
			});
		}
	}
	return lines.join('\r\n') + '\r\n';
}
