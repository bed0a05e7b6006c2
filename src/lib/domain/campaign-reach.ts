/**
 * Who an Every Day Counts message reached, and why the others were not: the preview counts the
 * families in the audience, the send counts the messages it could address, and staff need to see
 * the difference explained family by family ("1 family has no mobile number, notifications or
 * Telegram"), not one number beside another.
 *
 * Pure: no I/O.
 */

/** The channels a campaign can go out on, in the order staff read them. */
export const REACH_CHANNELS = ['push', 'sms', 'telegram'] as const;
export type ReachChannel = (typeof REACH_CHANNELS)[number];

/**
 * Why a family in the audience was sent nothing.
 * - `no_address`: none of the chosen channels has an address for them (no mobile number for a
 *   text, no browser with notifications on, no linked Telegram).
 * - `opted_out`: every message to them was a text and their number had texted STOP.
 */
export const NOT_REACHED_REASONS = ['no_address', 'opted_out'] as const;
export type NotReachedReason = (typeof NOT_REACHED_REASONS)[number];

/**
 * One family (parent) at queue time: the messages queued for them, by channel. (Two parents
 * cannot share an address: a phone number, a Telegram chat and a browser subscription each
 * belong to one parent, so each parent previewed is one family to reach.)
 */
export interface FamilyQueued {
	queued: Partial<Record<ReachChannel, number>>;
}

/** What a campaign's send stored: its audience, the families it reached, and why not the rest. */
export interface CampaignReach {
	families: number;
	/** Families with at least one message queued. */
	reached: number;
	notReached: Record<Exclude<NotReachedReason, 'opted_out'>, number>;
	/** Messages queued, by channel (zero where no family had an address on a chosen channel). */
	messages: Record<ReachChannel, number>;
	/** Families with an address on each channel (how many could get it that way). */
	familiesByChannel: Record<ReachChannel, number>;
}

function zeroes(): Record<ReachChannel, number> {
	return { push: 0, sms: 0, telegram: 0 };
}

/** Sums what was queued per family into the campaign's reach. */
export function summariseReach(families: readonly FamilyQueued[]): CampaignReach {
	const messages = zeroes();
	const familiesByChannel = zeroes();
	const notReached = { no_address: 0 };
	let reached = 0;
	for (const f of families) {
		let total = 0;
		for (const channel of REACH_CHANNELS) {
			const n = f.queued[channel] ?? 0;
			messages[channel] += n;
			if (n > 0) familiesByChannel[channel]++;
			total += n;
		}
		if (total > 0) reached++;
		else notReached.no_address++;
	}
	return { families: families.length, reached, notReached, messages, familiesByChannel };
}

/**
 * Families reached at queue time whose every message then ended "opted out" (a number that had
 * texted STOP): they were addressed, but received nothing. `outcomes` are each family's
 * messages' outcomes.
 */
export function familiesOptedOut(outcomes: ReadonlyMap<string, readonly string[]>): number {
	let n = 0;
	for (const list of outcomes.values()) if (list.length > 0 && list.every((o) => o === 'opted_out')) n++;
	return n;
}

/**
 * The differences between the families previewed and the families sent to, each with its
 * reason, largest first; empty when every family was reached. Counts only: the words are the
 * staff page's.
 */
export function reachDifferences(reach: CampaignReach, optedOut: number): { reason: NotReachedReason; families: number }[] {
	const out: { reason: NotReachedReason; families: number }[] = [
		{ reason: 'no_address', families: reach.notReached.no_address },
		{ reason: 'opted_out', families: optedOut }
	];
	return out.filter((d) => d.families > 0).sort((a, b) => b.families - a.families);
}
