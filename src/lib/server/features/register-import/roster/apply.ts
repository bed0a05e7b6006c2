/**
 * Comparing a roster with what Every Day holds, and applying it. The plan is what the preview
 * shows; applying recomputes it inside the transaction (under a per-school lock), so what is
 * written is exactly what the data then says. Repeatable nightly: a roster already applied
 * plans no change. Pupils missing from the roster are marked as left (their history kept),
 * never deleted. A guardian is one person across schools: matched by this school's contact id,
 * else by phone, else by email.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DatabaseHandle, Db } from '../../../platform/db/engine';
import { contactChangeRequests, guardianMisRefs, guardians, pupilGuardians, pupils, rosterImports, type PupilFlags } from '../../../platform/db/schema';
import { writeAudit } from '../../../platform/audit';
import { personKey, sortErrors, type ParsedRoster, type RosterError, type RosterGuardian, type RosterPupil } from './parse';
import type { IsoDate } from '../../../../domain/calendar';

export interface PupilChange {
	upn: string;
	name: string;
	/** For updates: which fields change. */
	fields?: string[];
}
export interface GuardianChange {
	name: string;
	/** Which pupils' UPNs this contact is linked to in the roster. */
	upns: string[];
	fields?: string[];
}

export interface RosterPlan {
	pupilsAdded: PupilChange[];
	pupilsUpdated: PupilChange[];
	pupilsLeft: PupilChange[];
	pupilsRejoined: PupilChange[];
	pupilsUnchanged: number;
	/** New people. */
	guardiansAdded: GuardianChange[];
	/** People already known (at this or another school) whose details change. */
	guardiansUpdated: GuardianChange[];
	/** People already known at another school, now linked here too. */
	guardiansMatched: GuardianChange[];
	linksAdded: number;
	linksChanged: number;
	linksRemoved: number;
	errors: RosterError[];
}

export interface RosterSummary {
	pupilsAdded: number;
	pupilsUpdated: number;
	pupilsLeft: number;
	pupilsRejoined: number;
	pupilsUnchanged: number;
	guardiansAdded: number;
	guardiansUpdated: number;
	guardiansMatched: number;
	linksAdded: number;
	linksChanged: number;
	linksRemoved: number;
	contactRequestsConfirmed: number;
}

export function summarise(plan: RosterPlan, contactRequestsConfirmed = 0): RosterSummary {
	return {
		pupilsAdded: plan.pupilsAdded.length,
		pupilsUpdated: plan.pupilsUpdated.length,
		pupilsLeft: plan.pupilsLeft.length,
		pupilsRejoined: plan.pupilsRejoined.length,
		pupilsUnchanged: plan.pupilsUnchanged,
		guardiansAdded: plan.guardiansAdded.length,
		guardiansUpdated: plan.guardiansUpdated.length,
		guardiansMatched: plan.guardiansMatched.length,
		linksAdded: plan.linksAdded,
		linksChanged: plan.linksChanged,
		linksRemoved: plan.linksRemoved,
		contactRequestsConfirmed
	};
}

export function hasChanges(s: RosterSummary): boolean {
	return Object.entries(s).some(([k, v]) => k !== 'pupilsUnchanged' && v > 0);
}

type ExistingPupil = typeof pupils.$inferSelect;
type ExistingGuardian = typeof guardians.$inferSelect;

/** Everything a plan needs, read once. */
async function loadState(db: Db, schoolId: string, roster: ParsedRoster) {
	const existingPupils = await db.select().from(pupils).where(eq(pupils.schoolId, schoolId));
	const refs = await db.select().from(guardianMisRefs).where(eq(guardianMisRefs.schoolId, schoolId));
	const phones = [...new Set(roster.guardians.map((g) => g.phone).filter((p): p is string => !!p))];
	const emails = [...new Set(roster.guardians.map((g) => g.email).filter((e): e is string => !!e))];
	const refIds = refs.map((r) => r.guardianId);
	const pupilIds = existingPupils.map((p) => p.id);
	const known = new Map<string, ExistingGuardian>();
	const add = (rows: ExistingGuardian[]) => rows.forEach((g) => known.set(g.id, g));
	for (let i = 0; i < phones.length; i += 1000) add(await db.select().from(guardians).where(inArray(guardians.phone, phones.slice(i, i + 1000))));
	for (let i = 0; i < emails.length; i += 1000) add(await db.select().from(guardians).where(inArray(sql`lower(${guardians.email})`, emails.slice(i, i + 1000))));
	for (let i = 0; i < refIds.length; i += 1000) add(await db.select().from(guardians).where(inArray(guardians.id, refIds.slice(i, i + 1000))));
	const links: (typeof pupilGuardians.$inferSelect)[] = [];
	for (let i = 0; i < pupilIds.length; i += 1000) links.push(...(await db.select().from(pupilGuardians).where(inArray(pupilGuardians.pupilId, pupilIds.slice(i, i + 1000)))));
	// Which of the known guardians are already linked to a pupil at this school.
	const linkedHere = new Set(links.map((l) => l.guardianId));
	return { existingPupils, refs, known, links, linkedHere };
}

interface Resolved {
	key: string;
	first: RosterGuardian;
	upns: string[];
	existing: ExistingGuardian | null;
}

function displayName(p: { firstName: string; lastName: string; preferredName?: string | null }): string {
	return `${p.preferredName || p.firstName} ${p.lastName}`;
}

function flagsEqual(a: PupilFlags, b: PupilFlags): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof PupilFlags>;
	return [...keys].every((k) => a[k] === b[k]);
}

/** Flags the MIS did not send keep their value: an export without the FSM column clears nothing. */
function mergedFlags(old: PupilFlags, given: PupilFlags): PupilFlags {
	return { ...old, ...given };
}

function pupilDiff(old: ExistingPupil, p: RosterPupil): string[] {
	const fields: string[] = [];
	if (old.firstName !== p.firstName || old.lastName !== p.lastName) fields.push('legal name');
	if ((old.preferredName ?? null) !== p.preferredName) fields.push('preferred name');
	if ((old.dateOfBirth ?? null) !== p.dateOfBirth) fields.push('date of birth');
	if (old.yearGroup !== p.yearGroup) fields.push('year group');
	if ((old.className ?? null) !== p.className) fields.push('class');
	if (p.joinedOn && old.joinedOn !== p.joinedOn) fields.push('admission date');
	if (p.leftOn && old.leftOn !== p.leftOn) fields.push('leaving date');
	if (!flagsEqual(old.flags ?? {}, mergedFlags(old.flags ?? {}, p.flags))) fields.push('flags');
	return fields;
}

function guardianDiff(old: ExistingGuardian, g: RosterGuardian): string[] {
	const fields: string[] = [];
	if (old.firstName !== g.firstName || old.lastName !== g.lastName) fields.push('name');
	if (g.phone && old.phone !== g.phone) fields.push('phone');
	if (g.email && (old.email ?? '').toLowerCase() !== g.email) fields.push('email');
	if (old.preferredLanguage !== g.preferredLanguage) fields.push('preferred language');
	return fields;
}

export function planFromState(roster: ParsedRoster, state: Awaited<ReturnType<typeof loadState>>, today: IsoDate): { plan: RosterPlan; resolved: Resolved[] } {
	const errors: RosterError[] = [...roster.errors];
	const byUpn = new Map(state.existingPupils.map((p) => [p.misId.toUpperCase(), p]));
	const plan: RosterPlan = {
		pupilsAdded: [],
		pupilsUpdated: [],
		pupilsLeft: [],
		pupilsRejoined: [],
		pupilsUnchanged: 0,
		guardiansAdded: [],
		guardiansUpdated: [],
		guardiansMatched: [],
		linksAdded: 0,
		linksChanged: 0,
		linksRemoved: 0,
		errors
	};
	const inRoster = new Set<string>();
	for (const p of roster.pupils) {
		inRoster.add(p.upn);
		const old = byUpn.get(p.upn);
		if (!old) {
			plan.pupilsAdded.push({ upn: p.upn, name: displayName(p) });
			continue;
		}
		if (old.leftOn && !p.leftOn) plan.pupilsRejoined.push({ upn: p.upn, name: displayName(p) });
		const fields = pupilDiff(old, p);
		if (fields.length) plan.pupilsUpdated.push({ upn: p.upn, name: displayName(p), fields });
		else if (!(old.leftOn && !p.leftOn)) plan.pupilsUnchanged++;
	}
	for (const old of state.existingPupils) {
		if (!inRoster.has(old.misId.toUpperCase()) && !old.leftOn) plan.pupilsLeft.push({ upn: old.misId, name: displayName(old) });
	}

	// One entry per person in the file.
	const groups = new Map<string, Resolved>();
	for (const g of roster.guardians) {
		const key = personKey(g);
		const r = groups.get(key);
		if (r) r.upns.push(g.upn);
		else groups.set(key, { key, first: g, upns: [g.upn], existing: null });
	}
	const refByContact = new Map(state.refs.map((r) => [r.misContactId, r.guardianId]));
	const byPhone = new Map<string, ExistingGuardian>();
	const byEmail = new Map<string, ExistingGuardian>();
	for (const g of state.known.values()) {
		if (g.phone) byPhone.set(g.phone, g);
		if (g.email) byEmail.set(g.email.toLowerCase(), g);
	}
	const claimedBy = new Map<string, Resolved>();
	const phoneInFile = new Map<string, number>();
	const emailInFile = new Map<string, number>();
	for (const r of groups.values()) {
		const g = r.first;
		const samePhone = g.phone ? phoneInFile.get(g.phone) : undefined;
		const sameEmail = g.email ? emailInFile.get(g.email) : undefined;
		if (samePhone !== undefined || sameEmail !== undefined) {
			errors.push({ file: 'guardians', row: g.row, code: 'contact_id_differs', same: samePhone !== undefined ? 'phone' : 'email', otherRow: (samePhone ?? sameEmail)! });
			continue;
		}
		if (g.phone) phoneInFile.set(g.phone, g.row);
		if (g.email) emailInFile.set(g.email, g.row);
		const viaRef = g.contactId ? refByContact.get(g.contactId) : undefined;
		r.existing = (viaRef ? state.known.get(viaRef) : undefined) ?? (g.phone ? byPhone.get(g.phone) : undefined) ?? (g.email ? byEmail.get(g.email) : undefined) ?? null;
		if (r.existing) {
			const other = claimedBy.get(r.existing.id);
			if (other) {
				errors.push({ file: 'guardians', row: g.row, code: 'contact_matches_another', otherRow: other.first.row });
				continue;
			}
			claimedBy.set(r.existing.id, r);
			// A phone or email the roster gives must not belong to someone else already.
			const phoneOwner = g.phone ? byPhone.get(g.phone) : undefined;
			const emailOwner = g.email ? byEmail.get(g.email) : undefined;
			if ((phoneOwner && phoneOwner.id !== r.existing.id) || (emailOwner && emailOwner.id !== r.existing.id)) {
				errors.push({ file: 'guardians', row: g.row, code: 'contact_details_taken' });
				continue;
			}
			const change = { name: `${g.firstName} ${g.lastName}`, upns: r.upns };
			const fields = guardianDiff(r.existing, g);
			if (!state.linkedHere.has(r.existing.id) && !viaRef) plan.guardiansMatched.push(change);
			if (fields.length) plan.guardiansUpdated.push({ ...change, fields });
		} else {
			plan.guardiansAdded.push({ name: `${g.firstName} ${g.lastName}`, upns: r.upns });
		}
	}

	// Links for the pupils in the roster are made to match it; leavers' links are kept (history).
	const pupilIdByUpn = new Map(state.existingPupils.map((p) => [p.misId.toUpperCase(), p.id]));
	const wanted = new Map<string, RosterGuardian>(); // `${pupilId}|${guardianId}` for known pairs
	for (const g of roster.guardians) {
		const r = groups.get(personKey(g))!;
		const pupilId = pupilIdByUpn.get(g.upn);
		if (!r.existing || !pupilId) {
			plan.linksAdded++;
			continue;
		}
		wanted.set(`${pupilId}|${r.existing.id}`, g);
	}
	const rosterPupilIds = new Set(roster.pupils.map((p) => pupilIdByUpn.get(p.upn)).filter(Boolean));
	const existingLinks = new Map(state.links.map((l) => [`${l.pupilId}|${l.guardianId}`, l]));
	for (const [k, g] of wanted) {
		const l = existingLinks.get(k);
		if (!l) plan.linksAdded++;
		else if (l.relationship !== g.relationship || l.livesWith !== g.livesWith || l.parentalResponsibility !== g.parentalResponsibility || l.contactPriority !== g.contactPriority) plan.linksChanged++;
	}
	for (const [k, l] of existingLinks) if (rosterPupilIds.has(l.pupilId) && !wanted.has(k)) plan.linksRemoved++;
	void today;
	plan.errors = sortErrors(errors);
	return { plan, resolved: [...groups.values()] };
}

/** What applying the roster would change, writing nothing. */
export async function previewRoster(handle: DatabaseHandle, schoolId: string, roster: ParsedRoster, today: IsoDate): Promise<RosterPlan> {
	const state = await loadState(handle.db, schoolId, roster);
	return planFromState(roster, state, today).plan;
}

export interface RosterImportResult {
	importId: string;
	status: 'applied' | 'rejected';
	summary: RosterSummary;
	errors: RosterError[];
	plan: RosterPlan;
}

export interface ApplyRosterOptions {
	schoolId: string;
	roster: ParsedRoster;
	/** The leaving date for pupils missing from the roster (the school's today). */
	today: IsoDate;
	importedBy: string;
	actorType: 'staff' | 'mis' | 'system';
	source: 'csv_import' | 'api';
}

/** Applies the roster all or nothing, and records the attempt (applied or rejected) with an audit entry. */
export async function applyRoster(handle: DatabaseHandle, opts: ApplyRosterOptions): Promise<RosterImportResult> {
	const startedAt = new Date();
	const { schoolId, roster } = opts;
	const outcome = await handle.db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'every-day:roster-import:' + schoolId}))`);
		const state = await loadState(tx, schoolId, roster);
		const { plan, resolved } = planFromState(roster, state, opts.today);
		if (plan.errors.length) return { plan, confirmed: 0, applied: false };

		const pupilIdByUpn = new Map(state.existingPupils.map((p) => [p.misId.toUpperCase(), p.id]));
		const oldByUpn = new Map(state.existingPupils.map((p) => [p.misId.toUpperCase(), p]));
		for (const p of roster.pupils) {
			const old = oldByUpn.get(p.upn);
			const values = {
				firstName: p.firstName,
				lastName: p.lastName,
				preferredName: p.preferredName,
				dateOfBirth: p.dateOfBirth,
				yearGroup: p.yearGroup,
				className: p.className,
				...(p.joinedOn ? { joinedOn: p.joinedOn } : {}),
				leftOn: p.leftOn,
				flags: mergedFlags(old?.flags ?? {}, p.flags)
			};
			if (!old) {
				const [row] = await tx.insert(pupils).values({ schoolId, misId: p.upn, ...values }).returning({ id: pupils.id });
				pupilIdByUpn.set(p.upn, row!.id);
			} else if (pupilDiff(old, p).length || (old.leftOn && !p.leftOn)) {
				await tx.update(pupils).set({ ...values, updatedAt: new Date() }).where(eq(pupils.id, old.id));
			}
		}
		const leaverIds = state.existingPupils.filter((o) => !o.leftOn && !roster.pupils.some((p) => p.upn === o.misId.toUpperCase())).map((o) => o.id);
		for (let i = 0; i < leaverIds.length; i += 1000) {
			await tx.update(pupils).set({ leftOn: opts.today, updatedAt: new Date() }).where(and(inArray(pupils.id, leaverIds.slice(i, i + 1000)), isNull(pupils.leftOn)));
		}

		const guardianIdByKey = new Map<string, string>();
		for (const r of resolved) {
			const g = r.first;
			if (r.existing) {
				if (guardianDiff(r.existing, g).length) {
					await tx
						.update(guardians)
						.set({ firstName: g.firstName, lastName: g.lastName, ...(g.phone ? { phone: g.phone } : {}), ...(g.email ? { email: g.email } : {}), preferredLanguage: g.preferredLanguage, updatedAt: new Date() })
						.where(eq(guardians.id, r.existing.id));
				}
				guardianIdByKey.set(r.key, r.existing.id);
			} else {
				const [row] = await tx
					.insert(guardians)
					.values({ firstName: g.firstName, lastName: g.lastName, phone: g.phone, email: g.email, preferredLanguage: g.preferredLanguage, preferredChannel: g.phone ? 'sms' : 'email' })
					.returning({ id: guardians.id });
				guardianIdByKey.set(r.key, row!.id);
			}
			if (g.contactId) {
				await tx
					.insert(guardianMisRefs)
					.values({ schoolId, misContactId: g.contactId, guardianId: guardianIdByKey.get(r.key)! })
					.onConflictDoUpdate({ target: [guardianMisRefs.schoolId, guardianMisRefs.misContactId], set: { guardianId: guardianIdByKey.get(r.key)! } });
			}
		}

		const rosterPupilIds = roster.pupils.map((p) => pupilIdByUpn.get(p.upn)!);
		const wanted = new Set<string>();
		for (const g of roster.guardians) {
			const pupilId = pupilIdByUpn.get(g.upn)!;
			const guardianId = guardianIdByKey.get(personKey(g))!;
			wanted.add(`${pupilId}|${guardianId}`);
			await tx
				.insert(pupilGuardians)
				.values({ pupilId, guardianId, relationship: g.relationship, livesWith: g.livesWith, parentalResponsibility: g.parentalResponsibility, contactPriority: g.contactPriority })
				.onConflictDoUpdate({
					target: [pupilGuardians.pupilId, pupilGuardians.guardianId],
					set: { relationship: g.relationship, livesWith: g.livesWith, parentalResponsibility: g.parentalResponsibility, contactPriority: g.contactPriority }
				});
		}
		const rosterSet = new Set(rosterPupilIds);
		for (const l of state.links) {
			if (rosterSet.has(l.pupilId) && !wanted.has(`${l.pupilId}|${l.guardianId}`)) {
				await tx.delete(pupilGuardians).where(and(eq(pupilGuardians.pupilId, l.pupilId), eq(pupilGuardians.guardianId, l.guardianId)));
			}
		}
		const confirmed = await confirmContactRequests(tx, schoolId);
		return { plan, confirmed, applied: true };
	});

	const summary = summarise(outcome.plan, outcome.confirmed);
	const status = outcome.applied ? 'applied' : 'rejected';
	const [row] = await handle.db
		.insert(rosterImports)
		.values({ schoolId, source: opts.source, status, summary: { ...summary }, errors: outcome.plan.errors.slice(0, 500), importedBy: opts.importedBy, startedAt })
		.returning({ id: rosterImports.id });
	await writeAudit(handle.db, {
		actorType: opts.actorType,
		actorId: opts.importedBy,
		action: outcome.applied ? 'roster.import_applied' : 'roster.import_rejected',
		schoolId,
		subjectType: 'roster_import',
		subjectId: row!.id,
		details: outcome.applied ? { ...summary } : { errorCount: outcome.plan.errors.length }
	});
	if (outcome.applied && outcome.confirmed) {
		await handle.db
			.update(contactChangeRequests)
			.set({ confirmedByImportId: row!.id })
			.where(and(eq(contactChangeRequests.schoolId, schoolId), eq(contactChangeRequests.status, 'confirmed'), isNull(contactChangeRequests.confirmedByImportId)));
	}
	return { importId: row!.id, status, summary, errors: outcome.plan.errors, plan: outcome.plan };
}

/** Open contact change requests at this school whose asked-for values the guardian now has. */
async function confirmContactRequests(tx: Db, schoolId: string): Promise<number> {
	const open = await tx
		.select({ req: contactChangeRequests, g: guardians })
		.from(contactChangeRequests)
		.innerJoin(guardians, eq(guardians.id, contactChangeRequests.guardianId))
		.where(and(eq(contactChangeRequests.schoolId, schoolId), eq(contactChangeRequests.status, 'open')));
	let n = 0;
	for (const { req, g } of open) {
		const done =
			(!req.phone || req.phone === g.phone) &&
			(!req.email || req.email.toLowerCase() === (g.email ?? '').toLowerCase()) &&
			(!req.preferredLanguage || req.preferredLanguage === g.preferredLanguage);
		if (done) {
			await tx.update(contactChangeRequests).set({ status: 'confirmed', resolvedAt: new Date() }).where(eq(contactChangeRequests.id, req.id));
			n++;
		}
	}
	return n;
}

/** The school's latest roster imports, newest first (counts and errors only). */
export async function recentRosterImports(handle: DatabaseHandle, schoolId: string, limit = 10) {
	return handle.db
		.select()
		.from(rosterImports)
		.where(eq(rosterImports.schoolId, schoolId))
		.orderBy(sql`${rosterImports.finishedAt} desc`)
		.limit(limit);
}
