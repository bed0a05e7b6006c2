import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'svelte/compiler';

// Svelte drops the whitespace at the start of a block's content, so "{x}.{#if y} Next step" renders
// as "x.Next step": words run together on the page. The space goes before the block instead
// ("{x}. {#if y}Next step"), which the compiler keeps.
const INLINE_BLOCK_THEN_SPACE = /\S[^\n]*?\{(?:#if|:else if|:else|#each)(?:[^{}]|\{[^{}]*\})*\} +\S/;

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : []));
}

describe('inline blocks keep the space before their words', () => {
	it('the compiler does drop that space (what the check below guards against)', () => {
		const { js } = compile('<p>{a}.{#if b} Next {c}{/if}</p>', { generate: 'server' });
		expect(js.code).toContain('`<!--[0-->Next ');
		const kept = compile('<p>{a}. {#if b}Next {c}{/if}</p>', { generate: 'server' });
		expect(kept.js.code).toContain('. `');
	});
	it('no page or component starts an inline block with a bare space', () => {
		const offenders = svelteFiles('src').flatMap((file) =>
			readFileSync(file, 'utf8')
				.split('\n')
				.map((line, i) => ({ file, line: i + 1, text: line.trim() }))
				.filter((l) => INLINE_BLOCK_THEN_SPACE.test(l.text))
		);
		expect(offenders).toEqual([]);
	});
	it('the check finds the pattern it is for, and passes the fix', () => {
		expect(INLINE_BLOCK_THEN_SPACE.test("<p>Stage: {section.stage}.{#if section.nextStep} Next step: {section.nextStep}.{/if}</p>")).toBe(true);
		expect(INLINE_BLOCK_THEN_SPACE.test("<li>{a.text}{#if a.who === 'family'} <strong>Done</strong>{/if}</li>")).toBe(true);
		expect(INLINE_BLOCK_THEN_SPACE.test("<p>{x}{#if f({ y: 1 })} more{/if}</p>")).toBe(true);
		expect(INLINE_BLOCK_THEN_SPACE.test('<p>Stage: {section.stage}. {#if section.nextStep}Next step{/if}</p>')).toBe(false);
		expect(INLINE_BLOCK_THEN_SPACE.test('{#if data.plan}')).toBe(false);
	});
});
