/**
 * Which translations still need a native speaker's review. messages/review.json
 * records, per language, the English text of each message as it was when a reviewer approved
 * the translation; a message is awaiting review when it was never approved or its English has
 * changed since. `npm run i18n:review` prints the list.
 */
export interface LocaleReview {
	status: 'draft' | 'in_review' | 'reviewed';
	/** Who reviewed it (a name or role the school recognises), or null. */
	reviewer: string | null;
	/** message key → the English text the reviewer saw when they approved the translation. */
	approved: Record<string, string>;
}

export type ReviewFile = Record<string, LocaleReview>;

/** Keys of `english` (without $schema) whose translation in `locale` awaits review, in file order. */
export function keysAwaitingReview(english: Record<string, string>, review: LocaleReview | undefined): string[] {
	return Object.keys(english)
		.filter((k) => k !== '$schema')
		.filter((k) => review?.approved[k] !== english[k]);
}

/** The {placeholders} in a message, sorted, e.g. "Hello {name}" → ['name']. */
export function placeholdersOf(message: string): string[] {
	return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}
