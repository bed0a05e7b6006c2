import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/lib/domain/locale';
import { keysAwaitingReview, placeholdersOf, type ReviewFile } from '../../src/lib/domain/translation-review';

const dir = new URL('../../messages/', import.meta.url);
const read = (file: string) => JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) as Record<string, string>;
const english = read('en.json');
const keys = Object.keys(english).filter((k) => k !== '$schema');
const others = LOCALES.filter((l) => l !== 'en');

describe('translations', () => {
	it('the inlang project lists exactly our locales', () => {
		const settings = JSON.parse(fs.readFileSync(new URL('../../project.inlang/settings.json', import.meta.url), 'utf8'));
		expect(settings.baseLocale).toBe('en');
		expect([...settings.locales].sort()).toEqual([...LOCALES].sort());
	});

	it('English has messages, none empty', () => {
		expect(keys.length).toBeGreaterThan(20);
		for (const k of keys) expect(english[k]!.trim(), k).not.toBe('');
	});

	for (const locale of others) {
		describe(locale, () => {
			const messages = read(`${locale}.json`);
			it('has exactly the keys of en.json', () => {
				expect(Object.keys(messages).filter((k) => k !== '$schema').sort()).toEqual([...keys].sort());
			});
			it('keeps every {placeholder} of each English message, and adds none', () => {
				for (const k of keys) expect(placeholdersOf(messages[k] ?? ''), k).toEqual(placeholdersOf(english[k]!));
			});
			it('has no empty messages', () => {
				for (const k of keys) expect((messages[k] ?? '').trim(), k).not.toBe('');
			});
		});
	}

	it('the review file lists every non-English locale with a status, and REVIEW.md names each', () => {
		const review = JSON.parse(fs.readFileSync(new URL('review.json', dir), 'utf8')) as ReviewFile;
		expect(Object.keys(review).sort()).toEqual([...others].sort());
		for (const locale of others) expect(['draft', 'in_review', 'reviewed']).toContain(review[locale]!.status);
		const md = fs.readFileSync(new URL('REVIEW.md', dir), 'utf8');
		for (const locale of others) expect(md).toMatch(new RegExp(`\\| ${locale} \\|`));
	});

	it('an approved key stops awaiting review until its English changes', () => {
		const en = { $schema: 'x', a: 'One', b: 'Two {name}' };
		expect(keysAwaitingReview(en, undefined)).toEqual(['a', 'b']);
		expect(keysAwaitingReview(en, { status: 'in_review', reviewer: 'R', approved: { a: 'One' } })).toEqual(['b']);
		expect(keysAwaitingReview(en, { status: 'reviewed', reviewer: 'R', approved: { a: 'One (old)', b: 'Two {name}' } })).toEqual(['a']);
	});

	it('placeholdersOf finds {names}', () => {
		expect(placeholdersOf('{b} and {a}, {a}')).toEqual(['a', 'a', 'b']);
		expect(placeholdersOf('none')).toEqual([]);
	});
});
