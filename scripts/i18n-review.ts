/**
 * `npm run i18n:review`: for each language, how many messages await a native speaker's review
 * and which ones (never approved, or the English changed since). See messages/REVIEW.md.
 */
import fs from 'node:fs';
import { keysAwaitingReview, type ReviewFile } from '../src/lib/domain/translation-review';

const read = (f: string) => JSON.parse(fs.readFileSync(new URL(`../messages/${f}`, import.meta.url), 'utf8'));
const english = read('en.json') as Record<string, string>;
const review = read('review.json') as ReviewFile;
const total = Object.keys(english).filter((k) => k !== '$schema').length;
for (const [locale, r] of Object.entries(review)) {
	const waiting = keysAwaitingReview(english, r);
	console.log(`${locale}: ${r.status}, reviewer ${r.reviewer ?? 'none yet'}; ${waiting.length} of ${total} messages awaiting review`);
	if (process.argv.includes('--list')) for (const k of waiting) console.log(`  ${k}`);
}
