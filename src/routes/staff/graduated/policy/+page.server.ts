import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { saveGraduatedPolicy, saveLetterTemplate, schoolGraduatedPolicy } from '$lib/server/features/graduated-response';
import { LETTER_STEPS, OWNER_LABELS, PRESETS, PRESET_KEYS, STEP_LABELS, type PresetKey } from '$lib/domain/graduated-response';
import { LETTER_MERGE_FIELDS, LETTER_TEMPLATES, toneProblemText } from '$lib/domain/graduated-letters';

const PROBLEM_WORDS: Record<string, string> = {
	bands_empty: 'The policy needs at least one band.',
	bands_not_descending: 'Each band must start below the one above it.',
	lowest_band_not_zero: 'The lowest band must start at 0%.',
	band_percent_range: 'A band starts between 0% and 100%.',
	ladder_empty: 'The policy needs at least one step for attendance that does not improve.',
	review_target_range: 'The review target is between 1% and 100%.',
	lates_in_week_range: 'Lates in a week is a whole number from 1 to 10.'
};

/** The school's escalation policy (a preset, its thresholds changed) and its letters, for the attendance lead. */
export const load: PageServerLoad = async ({ locals }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	const { policy, templates, chosen } = await schoolGraduatedPolicy(locals.database.db, staff.schoolId);
	const basedOn = ((policy as unknown as { basedOn?: PresetKey }).basedOn ?? (policy.preset === 'custom' ? 'lanercost' : policy.preset)) as PresetKey;
	return {
		chosen,
		policy: {
			name: policy.name,
			source: policy.source,
			basedOn,
			cadence: policy.cadence,
			bands: policy.bands.map((b, i) => ({ key: b.key, label: b.label, percent: b.from.percent, inclusive: b.from.inclusive, lowest: i === policy.bands.length - 1, step: b.step ? STEP_LABELS[b.step] : 'Nothing: keep monitoring', owner: OWNER_LABELS[b.owner] })),
			ladder: policy.ladder.map((s) => ({ step: STEP_LABELS[s], owner: OWNER_LABELS[policy.ladderOwners[s] ?? 'attendance_lead'] })),
			review: policy.review,
			lateness: policy.lateness ? { latesInWeek: policy.lateness.latesInWeek, ladder: policy.lateness.ladder.map((s) => STEP_LABELS[s]) } : null
		},
		presets: PRESET_KEYS.map((k) => ({ key: k, name: PRESETS[k].name, source: PRESETS[k].source })),
		letters: LETTER_STEPS.map((s) => {
			const t = templates[s] ?? LETTER_TEMPLATES[s];
			return { step: s, label: STEP_LABELS[s], edited: Boolean(templates[s]), title: t.title, body: t.paragraphs.join('\n\n'), translated: !templates[s] ? Object.keys(LETTER_TEMPLATES[s].translations) : [] };
		}),
		mergeFields: LETTER_MERGE_FIELDS
	};
};

export const actions: Actions = {
	preset: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const preset = String(form.get('preset') ?? '') as PresetKey;
		if (!PRESET_KEYS.includes(preset)) return fail(400, { policyErrors: ['Choose a preset.'] });
		const r = await saveGraduatedPolicy(locals.database.db, staff, staff.schoolId, { preset, cadence: PRESETS[preset].cadence });
		return r.ok ? { saved: 'policy' } : fail(400, { policyErrors: 'problems' in r ? r.problems.map((p) => PROBLEM_WORDS[p.code] ?? p.code) : ['Not allowed.'] });
	},
	policy: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const preset = String(form.get('basedOn') ?? '') as PresetKey;
		if (!PRESET_KEYS.includes(preset)) return fail(400, { policyErrors: ['Choose a preset.'] });
		const bandPercents: Record<string, number> = {};
		for (const b of PRESETS[preset].bands) {
			const v = form.get(`band-${b.key}`);
			if (v !== null && String(v).trim() !== '') bandPercents[b.key] = Number(v);
		}
		const num = (n: string) => (String(form.get(n) ?? '').trim() === '' ? undefined : Number(form.get(n)));
		const cadence = String(form.get('cadence')) === 'termly' ? 'termly' : 'half_termly';
		try {
			const r = await saveGraduatedPolicy(locals.database.db, staff, staff.schoolId, { preset, cadence, bandPercents, reviewTarget: num('reviewTarget'), latesInWeek: num('latesInWeek') });
			return r.ok ? { saved: 'policy' } : fail(400, { policyErrors: 'problems' in r ? r.problems.map((p) => PROBLEM_WORDS[p.code] ?? p.code) : ['Not allowed.'] });
		} catch {
			return fail(400, { policyErrors: ['Percentages are numbers from 0 to 100; lates in a week a whole number from 1 to 10.'] });
		}
	},
	template: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const step = String(form.get('step') ?? '');
		const reset = form.get('reset') !== null;
		const raw = { title: String(form.get('title') ?? '').slice(0, 200), paragraphs: String(form.get('body') ?? '').slice(0, 6000).split(/\n\s*\n/) };
		const r = await saveLetterTemplate(locals.database.db, staff, staff.schoolId, step, reset ? 'reset' : raw);
		if (r.ok) return { saved: step };
		return fail(400, { templateStep: step, templateErrors: 'tone' in r ? r.tone.map(toneProblemText) : ['Give the letter a title and at least one paragraph.'], raw: reset ? null : raw });
	}
};
